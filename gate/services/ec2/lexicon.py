"""Amazon EC2's words: the nouns that name its resources in a request, the attribute words of each, and
what the interpreter's engines need besides (moved from gate/interpret/mentions.py, lexicon.py, access.py and
removal.py; those build their tables from CATALOG)."""

from __future__ import annotations

from gate.interpret.vocab import MEMORY as _MEMORY
from gate.interpret.vocab import Entry, Lexicon
from gate.interpret.vocab import entry as _e

# spec kind -> head-noun pattern (read by gate/interpret/mentions.py, which adds the cross-service
# '_setting' and '_unsupported' phrases; longest match wins where patterns overlap)
NOUNS: dict[str, str] = {
    "ec2_instance": r"ec2\s+instances?|(?:ec2\s+)?(?:instances?|(?:web\s+|app\s+|application\s+|api\s+|bastion\s+)?"
    r"servers?|vms?|virtual\s+machines?|hosts?|box(?:es)?|machines?|(?:build\s+|ci\s+)runners?)|ec2|"
    r"(?:(?<=\ba\s)|(?<=\ban\s))(?:[a-z][a-z0-9]*\d[a-z0-9-]*\.(?:nano|micro|small|medium|large|metal|\d*xlarge))"
    r"(?=\s+(?:in|for|on|with|named|called|placed|running|launched))",
    "security_group": r"security\s+groups?|firewall(?:\s+rules?)?|sgs?(?=\s)",
    "ebs_volume": r"(?:ebs\s+)?volumes?|(?:ebs\s+)?disks?|ebs",
}

# spec kind -> attribute phrases and the field each sets (gate/interpret/lexicon.py)
WORDS: dict[str, tuple[Entry, ...]] = {
    "ec2_instance": (
        _e(r"instance\s+type|type|size|small|tiny|cheap|cheapest|micro|large|medium|" + _MEMORY, "instance_type"),
        _e(r"box(?:es)?|machines?|servers?|hosts?|vms?|nodes?|workers?|agents?|runners?", "count"),
        _e(r"public\s+ip(?:v4)?(?:\s+address)?|public(?:ly)?|internet[- ]facing", "public_ip", positive=True),
        _e(r"root\s+(?:volume|disk)|disk|storage|volume|gp3|gp2|io1|io2|ebs", "root_volume_gb"),
        _e(r"key\s*pair|ssh\s+key|pair|key", "key_name"),
        _e(r"(?:an?\s+)?public\s+subnets?", "public_ip", positive=True),
        _e(r"amazon\s+linux(?:\s+2023|\s+2)?|al2023|ubuntu|ami|arm64|graviton|x86(?:_64)?", "ami_ssm_parameter"),
        _e(r"(?:from\s+)?(?:the\s+)?(?:ami|image)(?:\s+id)?", "ami_id"),
        _e(r"termination\s+protection|protect(?:ed)?\s+from\s+termination", "termination_protection", positive=True),
        _e(r"name\s+tags?(?:\s+of)?|named|names?", "instance_names"),
        _e(r"ssh(?:\s+(?:ingress|access|inbound))?|ingress|inbound", "security_group_refs"),
        _e(r"security\s+groups?|sg", "security_group_refs"),
        _e(r"subnets?|private\s+subnets?|public\s+subnets?", "subnet_ref"),
        _e(r"(?:placed|launched|running)\s+in(?:\s+(?:existing\s+)?subnets?)?|(?:existing\s+)?subnets?", "subnet_ids"),
        _e(r"(?:existing\s+)?(?:security\s+groups?|sgs?)", "security_group_ids"),
        _e(r"instance\s+role|role|profile|ssm|session\s+manager", "instance_role_ref"),
    ),
    "security_group": (
        _e(
            r"ingress|inbound|incoming|allow(?:s|ed|ing)?|open(?:s|ed)?|ssh|rdp|https?|tcp|udp|icmp|ports?|from|"
            r"traffic|access|only|anywhere|any\s+ip|everyone|everybody|the\s+world|world|internet|public|"
            r"postgres(?:ql)?|mysql|mariadb|redis|mongodb|smtp|dns|ntp|web|connections?|ips?|address(?:es)?|cidrs?|"
            r"ranges?|networks?|office|vpn|hosts?|sources?",
            "ingress",
        ),
        _e(r"(?:(?:only\s+)?(?:https?|tcp|ports?\s+\d+)\s+)?(?:egress|outbound|outgoing)", "egress"),
        _e(r"nothing\s+else(?:\s+(?:inbound|in|open))?|no\s+other\s+(?:ports?|inbound|ingress|traffic)", "ingress"),
        _e(
            r"nothing\s+(?:else\s+)?from\s+(?:the\s+internet|anywhere(?:\s+else)?|outside)|"
            r"not\s+from\s+anywhere(?:\s+else)?|redirect(?:s|ed|ing)?(?:\s+to\s+https?)?|"
            r"(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*'s(?:\s+[a-z][\w-]*)?(?=\s+(?:security\s+groups?|sgs?)\s+sg-)",
            "ingress",
        ),
        _e(r"(?:internet[- ]facing\s+|public\s+)?(?:alb|nlb|load\s+balancer)", "description"),
        _e(r"vpc", "vpc_ref"),
        _e(r"(?:existing\s+)?vpc", "vpc_id"),
    ),
    "ebs_volume": (
        _e(r"gp3|gp2|io1|io2|st1|sc1|ssd|hdd|type|throughput\s+optimi[sz]ed|cold", "volume_type"),
        _e(r"size|storage|capacity|bump|extra|additional", "size_gb"),
        _e(r"iops", "iops"),
        _e(r"throughput|mb/s|mib/s|mbps", "throughput_mbps"),
        _e(r"encrypt(?:ed|ion)?(?:\s+with)?(?:\s+kms)?|kms", "kms_key_arn"),
        _e(r"restor(?:e|ed|ing)|snapshot|(?:built|made|created)\s+from|from", "snapshot_id"),
        _e(r"attach(?:ed)?|mounted", "instance_ref"),
        _e(r"attach(?:ed)?|mounted|lives|runs|(?:existing\s+)?instance", "instance_id"),
        _e(r"zone|az|lives|in", "availability_zone"),
        _e(r"device", "device_name"),
        _e(r"zone|az", "availability_zone_index"),
    ),
}

# settings the gate builds on every resource of a kind (gate/interpret/lexicon.py ALWAYS)
ALWAYS: dict[str, str] = {
    "ec2_instance": r"ebs[- ]optimi[sz]ed|imdsv2|detailed\s+monitoring|monitoring|encrypted\s+root(?:\s+volume)?",
}

# nouns people use for a kind besides the words of its own name (gate/interpret/removal.py)
REMOVAL: dict[str, tuple[str, ...]] = {
    "ec2_instance": ("instance", "server", "vm", "ec2"),
}

# its CloudWatch metrics as CloudWatch names them: after its noun ('EC2 CPUUtilization') they name a metric of it,
# not an instance to create (gate/interpret/mentions.py)
METRIC_NAMES = ("CPUUtilization",)

LEXICON = Lexicon(nouns=NOUNS, words=WORDS, always=ALWAYS, removal=REMOVAL, metric_names=METRIC_NAMES)
