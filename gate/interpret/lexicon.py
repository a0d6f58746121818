"""The vocabulary coverage reads: function words, and per service the attribute words and the spec field each sets.

An attribute word claims its span only when the resource built from its segment carries that field (a value that
is not empty); a word for a yes/no setting also has a polarity, checked against the built value and the negation
before it ("no public IP" must not become ``public_ip: true``).  Words that set nothing stay unclaimed, and
:mod:`gate.interpret.coverage` reports them as not understood.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Words that carry no setting of their own: articles, prepositions, pronouns, auxiliaries, politeness, the verbs of
# asking for something, and the conjunctions that join its parts.  A closed list: a content word is never here.
_FUNCTION_WORDS = """
a an the this that these those some any each every both either all other another such same and or nor but plus
also then too as well so thus either neither of to in into onto on at by for from with within via per about
across over under between through out up down off i we you they it its it's our ours my me us them their your is
are be been being was were am do does did done have has had having will would shall should can could may might
must need needs needed want wants wanted like would'd 'd i'd we'd we'll i'll let's lets please thanks thank
kindly create creates creating add adds adding make makes making set sets setup provision provisions deploy
deploys launch launches spin stand bring build builds get give gives put start starts run using use uses used
new just only also one which who whose where when what there here now today going able ready enabled enable
enables enabling turned turn switched running on after
change request requests become becomes became hey hi hello thinking maybe perhaps fine okay ok last
place somewhere wire wires wired hook
before than until within spanning across behind whenever if once
least most
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
# words that only say how the parts of a request relate; claimed as function words wherever they stand
_CONNECTIVES = "so that such while whilst because since though although"
CONNECTIVES = frozenset(_CONNECTIVES.split())
NEGATION = re.compile(
    r"\b(?:no|not|never|without|non|nothing|none|disable[ds]?|disabling|off|turn\s+off|don'?t|doesn'?t|isn'?t|"
    r"shouldn'?t|mustn'?t|cannot|can'?t)\b",
    re.I,
)


@dataclass(frozen=True)
class Entry:
    """One attribute phrase: ``field`` is a top-level field of the resource (or ``tags``); ``positive`` is the
    built value a plain (not negated) phrase means, for yes/no settings (``None``: any non-empty value)."""

    pattern: str
    field: str
    positive: bool | None = None


def _e(pattern: str, field: str, positive: bool | None = None) -> Entry:
    return Entry(pattern, field, positive)


ACCESS = (
    r"read[- ]only|read[- ]write|read(?:s|ing)?|writes?|writing|access|quer(?:y|ies)|scans?|publish(?:es)?|sends?|"
    r"sending|puts?|upload(?:s|ed|ing)?|download(?:s|ing)?|items?|records?|rows?|messages?|objects?|files?|copies|"
    r"copy|invoke[sd]?|permissions?|allowed|actions?|allows?|grants?|manage[sd]?|delete[sd]?|list(?:s|ing)?|gets?|"
    r"full|ind(?:ex|exes|ices)|(?:dynamodb:)?(?:get|put|update|delete|batchget|batchwrite)item|query|scan|"
    r"(?:sqs:)?(?:send|receive|delete)message|(?:s3:)?(?:get|put|delete)object|listbucket"
)
_MEMORY = (
    r"\d+(?:\.\d+)?\s*(?:gb|gib|g)?\s+(?:of\s+)?(?:ram|memory)|\d+\s*v-?cpus?|\d+\s*(?:cpu\s+)?cores?|v-?cpus?|"
    r"ram|memory"
)
# words every resource may carry
COMMON: tuple[Entry, ...] = (
    _e(r"resources?|stacks?|services?|ones?|things?", "name"),
    _e(r"tag(?:s|ged|ging)?|labell?ed|labels?", "tags"),
    _e(r"named|called|name(?:d)?|names?|identifier|id|call\s+it|call\s+them", "name"),
    _e(r"existing|current|already", "name"),
)
LEXICON: dict[str, tuple[Entry, ...]] = {
    "s3_bucket": (
        _e(r"version(?:ing|ed|s)?", "versioning"),
        _e(r"encrypt(?:ed|ion|s)?|sse(?:-kms|-s3)?|kms(?:-encrypted)?|aes-?256|server[- ]side", "encryption"),
        _e(r"private|public(?:ly)?|block\s+public\s+access|public\s+access", "block_public_access"),
        _e(
            r"lifecycle|expir(?:e|es|ed|ing|ation)|delete[ds]?|deleting|transition(?:s|ed)?|move[ds]?|archiv(?:e|ed)|"
            r"glacier|deep\s+archive|infrequent(?:ly)?\s+access(?:ed)?|standard[- ]ia|one[- ]zone|"
            r"intelligent[- ]tiering|"
            r"noncurrent|old\s+versions?|previous\s+versions?|objects?|files?|kept|keep|retain(?:ed)?|retention|"
            r"go(?:es)?\s+away|disappear\w*|clean(?:ed)?\s+up|incomplete|unfinished|multipart(?:\s+uploads?)?|"
            r"abort\w*",
            "lifecycle_rules",
        ),
        _e(r"access\s+logs?|server\s+access\s+logging|logging|logs?", "access_log_bucket"),
        _e(r"not\s+the\s+default\s+(?:aws/[\w-]+\s+)?(?:kms\s+)?key|customer[- ]managed\s+key|cmk", "kms_key_arn"),
        _e(r"bucket\s+polic(?:y|ies)|read|write|upload|access", "policy_statements"),
    ),
    "ec2_instance": (
        _e(r"instance\s+type|type|size|small|tiny|cheap|cheapest|micro|large|medium|" + _MEMORY, "instance_type"),
        _e(r"box(?:es)?|machines?|servers?|hosts?|vms?|nodes?|workers?|agents?|runners?", "count"),
        _e(r"public\s+ip(?:v4)?(?:\s+address)?|public(?:ly)?|internet[- ]facing", "public_ip", positive=True),
        _e(r"root\s+(?:volume|disk)|disk|storage|volume|gp3|gp2|io1|io2|ebs", "root_volume_gb"),
        _e(r"key\s*pair|ssh\s+key|pair|key", "key_name"),
        _e(r"(?:an?\s+)?public\s+subnets?", "public_ip", positive=True),
        _e(r"amazon\s+linux(?:\s+2023|\s+2)?|al2023|ubuntu|ami|arm64|graviton|x86(?:_64)?", "ami_ssm_parameter"),
        _e(r"security\s+groups?|sg", "security_group_refs"),
        _e(r"subnets?|private\s+subnets?|public\s+subnets?", "subnet_ref"),
        _e(r"(?:placed|launched|running)\s+in(?:\s+(?:existing\s+)?subnets?)?|(?:existing\s+)?subnets?", "subnet_ids"),
        _e(r"(?:existing\s+)?(?:security\s+groups?|sgs?)", "security_group_ids"),
        _e(r"instance\s+role|role|profile|ssm|session\s+manager", "instance_role_ref"),
    ),
    "vpc": (
        _e(r"cidr|range|address\s+space|block", "cidr"),
        _e(r"public\s+subnets?|public|internet[- ]facing", "public_subnets"),
        _e(r"private\s+subnets?|subnets?|private|isolated", "private_subnets"),
        _e(r"availability\s+zones?|azs?|zones?", "az_count"),
        _e(r"nat(?:\s+gateways?)?", "nat_gateway"),
        _e(r"flow\s+logs?", "flow_logs"),
        _e(r"internet\s+gateway|igw", "public_subnets"),
        _e(r"endpoints?|gateway\s+endpoints?", "vpc_endpoints"),
        _e(r"nacls?|network\s+acls?", "network_acls"),
    ),
    "rds_instance": (
        _e(r"postgres(?:ql)?|mysql|mariadb|aurora|oracle|sql\s+server|engine|psql|pg", "engine"),
        _e(r"version|v", "engine_version"),
        _e(r"instance\s+class|class|size|small|tiny|cheap|micro|large|medium|" + _MEMORY, "instance_class"),
        _e(
            r"multi[- ]?az|highly\s+available|high\s+availability|ha|standby|failover|production|prod|critical|"
            r"business[- ]critical|surviv(?:e|es|ing)\s+(?:losing\s+|the\s+loss\s+of\s+)?(?:an?\s+)?"
            r"(?:availability\s+zone|az)(?:\s+(?:failure|outage|going\s+down))?",
            "multi_az",
            positive=True,
        ),
        _e(r"single[- ]az|one\s+az", "multi_az", positive=False),
        _e(r"storage|disk|allocated", "storage_gb"),
        _e(r"gp3|gp2|io1|io2|provisioned\s+iops|magnetic", "storage_type"),
        _e(
            r"backups?|backed\s+up|retention|retain(?:ed)?|point[- ]in[- ]time|pitr|kept|"
            r"restor(?:e|ed|es|ing)(?:\s+to\s+any\s+point)?",
            "backup_retention_days",
        ),
        _e(r"backup\s+window", "backup_window"),
        _e(r"maintenance(?:\s+window)?", "maintenance_window"),
        _e(r"deletion\s+protection|protected\s+from\s+deletion", "deletion_protection"),
        _e(r"encrypt(?:ed|ion)?|kms", "storage_encrypted"),
        _e(r"read\s+replicas?|replicas?", "read_replicas"),
        _e(r"primary|main|source|writer", "name"),
        _e(r"(?:database|db|master|admin)\s+user(?:name)?|user(?:name)?", "master_username"),
        _e(r"(?:database|db)\s+name|database|db", "database_name"),
        _e(r"parameter\s+groups?|parameters?|max_connections|sets?", "parameters"),
        _e(r"security\s+groups?|connections?|connect(?:s|ing)?|clients?|from", "security_group_refs"),
        _e(r"vpc|private\s+subnets?|subnets?", "vpc_ref"),
        _e(r"(?:db\s+|database\s+|rds\s+)?subnet\s+groups?|subnets?", "subnet_ids"),
        _e(r"(?:db\s+|database\s+|rds\s+)?subnet\s+groups?", "db_subnet_group_name"),
        _e(r"(?:vpc\s+)?(?:security\s+groups?|sgs?)", "security_group_ids"),
    ),
    "lambda_function": (
        _e(
            r"python(?:\s*\d+(?:\.\d+)?)?|node(?:js|\.js)?|java|ruby|dotnet|\.net|go|golang|rust|typescript|"
            r"javascript|runtime",
            "runtime",
        ),
        _e(r"memory|ram", "memory_mb"),
        _e(r"time-?out|seconds?|minutes?", "timeout_s"),
        _e(r"arm64|arm|graviton|x86(?:_64)?", "architecture"),
        _e(r"(?:existing\s+)?subnets?|vpc|runs?\s+in|running\s+in|placed\s+in|inside|within", "subnet_ids"),
        _e(r"(?:existing\s+)?(?:security\s+groups?|sgs?)", "security_group_ids"),
        _e(r"handler", "handler"),
        _e(r"environment(?:\s+variables?)?|env\s+vars?", "environment"),
        _e(r"log\s+retention|logs?|retention|retained|kept", "log_retention_days"),
        _e(
            r"trigger(?:s|ed)?|invoked|fires?|runs?|schedule[ds]?|every|daily|nightly|hourly|weekly|monthly|cron|"
            r"rate|uploads?|uploaded|new\s+objects?|objects?|files?|images?|photos?|pictures?|videos?|processed|"
            r"(?:max(?:imum)?\s+)?batch(?:es|ing)?(?:\s+(?:size|window))?|lands?|arriv(?:e|es|ing)|created|messages?|"
            r"consum(?:e|es|ing)|process(?:es|ing)?|polls?|night|morning|day|days|hour|week|month|weekdays?|mondays?|tuesdays?|wednesdays?|"
            r"thursdays?|fridays?|saturdays?|sundays?|midnight|noon",
            "triggers",
        ),
        _e(
            ACCESS + r"|execution\s+role|execution|role|processed|processes|subscribed|consumes|failed|failures?",
            "permissions",
        ),
        _e(r"code|zip|inline|jar|package", "code"),
        _e(r"(?:existing\s+)?(?:execution\s+)?role|don'?t\s+create\s+(?:a\s+)?(?:new\s+)?role|runs?\s+as", "role_arn"),
        _e(
            r"dead[- ]letter(?:\s+queue)?|dlq|fail(?:ed|ures?)|async(?:hronous)?|invocations?|land|lands|should",
            "dead_letter_arn",
        ),
        _e(r"cap(?:ped)?|reserved(?:\s+concurren\w+)?|concurren\w+|executions?", "reserved_concurrency"),
        _e(
            r"function\s+url|url|auth(?:entication)?(?:\s+type)?|aws_iam|iam(?:[- ]auth\w*)?|public|open|signed|"
            r"callers?|"
            r"endpoint",
            "url",
        ),
        _e(
            r"publish(?:es|ed)?|versions?|alias|point(?:s|ed)?|provisioned(?:\s+concurren\w+)?|concurren\w+|"
            r"executions?|warm|cold(?:\s+starts?)?|starts?",
            "alias",
        ),
        _e(
            r"streams?|starting(?:\s+position)?|position|latest|trim[_ ]horizon|bisect(?:s|ing)?|errors?|batch(?:es)?|"
            r"consumed|"
            r"(?:batch\s+)?size|retr(?:y|ies)|records?|table'?s?",
            "triggers",
        ),
        _e(r"eventbridge|rules?|cron(?:\s+job)?|jobs?|utc|\d{1,2}:\d{2}", "triggers"),
    ),
    "iam_role": (
        _e(
            r"assum(?:e|ed|es)|trust(?:s|ed)?|lambda|ec2|ecs|codebuild|services?|tasks?|containers?|functions?|"
            r"instances?|execution",
            "assumed_by",
        ),
        _e(ACCESS, "statements"),
        _e(
            r"ssm|session\s+manager|cloudwatch\s+agent|read[- ]only|managed\s+polic(?:y|ies)|access",
            "aws_managed_policies",
        ),
        _e(r"sessions?|hours?", "max_session_hours"),
        _e(r"attach(?:ed)?|polic(?:y|ies)", "policy_refs"),
    ),
    "iam_user": (_e(r"groups?|member|(?:user\s+)?polic(?:y|ies)|" + ACCESS, "group_refs"),),
    "iam_group": (_e(ACCESS, "statements"),),
    "iam_policy": (_e(ACCESS + r"|allowing", "statements"), _e(r"attach(?:ed|es)?(?:\s+to)?", "existing_roles")),
    "cloudwatch_alarm": (
        _e(
            r"cpu|memory|errors?|throttl\w*|duration|latency|invocations?|messages?|depth|age|backlog|connections?|"
            r"storage|free|utili[sz]ation|metric|5xx|4xx|disk|credits?|visible|oldest|older|age|waiting|queued|"
            r"failures?|failed|fails?|count|space|used|usage|load",
            "metric",
        ),
        _e(
            r"above|over|exceeds?|exceeding|more|greater|higher|below|under|less|lower|fewer|reaches|hits|drops|"
            r"falls|rises|goes|gets|grows|stays|remains|%|percent|per\s+cent|pct|threshold|at\s+least|at\s+most",
            "threshold",
        ),
        _e(r"for|during|periods?|minutes?|seconds?|hours?|consecutive", "evaluation_periods"),
        _e(r"average|avg|maximum|max|minimum|min|sum|total|p\d\d", "statistic"),
        _e(r"notif(?:y|ies)|alerts?|page[sd]?|email(?:s|ed)?|tells?|warns?|topic", "alarm_topic_ref"),
        _e(r"notif(?:y|ies|ying)|alert(?:s|ing)?|page[sd]?|tells?|warns?|(?:existing\s+)?topic", "alarm_topic_arns"),
        _e(r"consecutive|periods?", "evaluation_periods"),
        _e(r"when|whenever|if|once", "comparison"),
    ),
    "log_group": (
        _e(r"retention|retain(?:ed)?|kept|keeps?(?:\s+(?:logs?|them|it|events))?|keeping|for|days?", "retention_days"),
        _e(r"kms|encrypt(?:ed|ion)?", "kms_key_arn"),
    ),
    "sqs_queue": (
        _e(r"fifo|ordered|in\s+order|exactly[- ]once", "fifo", positive=True),
        _e(r"standard", "fifo", positive=False),
        _e(r"dedup\w*|content[- ]based", "content_based_deduplication"),
        _e(
            r"dead[- ]letter(?:\s+queues?)?|dlq|redrive|(?:failed\s+)?receives?|tries|attempts|retries|retried|"
            r"retry(?:\s+(?:each\s+message|messages?))?|mov(?:e|es|ed|ing)|(?:messages\s+)?go(?:es)?(?:\s+to)?|"
            r"max\s*receive(?:\s*count)?|times|park(?:ed|s)?|failed|failures?",
            "dead_letter",
        ),
        _e(r"delay(?:ed)?|deliver(?:y)?\s+delay", "delay_s"),
        _e(
            r"retention|retain(?:ed)?(?:\s+messages)?|kept|keep(?:s|ing)?(?:\s+(?:messages|msgs|them|it))?|msgs|"
            r"(?:messages\s+)?(?:shouldn'?t\s+|should\s+not\s+|must\s+not\s+)?live(?:\s+longer)?|longer",
            "retention_s",
        ),
        _e(r"visibility(?:\s+time-?out)?|time-?out", "visibility_timeout_s"),
        _e(r"encrypt(?:ed|ion)?|kms|sse|(?:our\s+|own\s+)?key", "kms_key_arn"),
        _e(
            r"long[- ]poll(?:ing|ed)?|receive\s+(?:message\s+)?wait(?:\s+time)?|wait(?:\s+time)?|polls?",
            "receive_wait_s",
        ),
        _e(
            r"max(?:imum)?\s+(?:message\s+)?size|(?:message\s+)?size|bytes?|kib|kb|messages?(?:\s+up\s+to)?",
            "max_message_size",
        ),
        _e(r"(?:kms\s+)?data[- ]key\s+reuse(?:\s+period)?|key\s+reuse|reuse", "kms_data_key_reuse_s"),
        _e(r"sse[- ]sqs|sqs[- ]managed(?:\s+(?:keys?|sse|encryption))?|sqs[- ]owned(?:\s+keys?)?", "encryption"),
        _e(
            r"(?:queue\s+)?polic(?:y|ies)(?:\s+letting)?|letting|lets?|sqs:sendmessage|subscriptions?|subscrib\w*|"
            r"receiv\w*|(?:existing\s+)?topics?",
            "topic_arns",
        ),
    ),
    "sns_topic": (
        _e(
            r"email(?:s|ed)?|e-mails?|sms|texts?|subscri\w+|sends?|notif(?:y|ies)|https?|webhook|queue|endpoint",
            "subscriptions",
        ),
        _e(r"display(?:\s+name)?", "display_name"),
        _e(r"paging|pages?|on-?call", "subscriptions"),
        _e(r"fifo|ordered|(?:strict\s+)?order(?:ing)?", "fifo", positive=True),
        _e(r"content[- ]based(?:\s+dedup\w*)?|dedup\w*", "content_based_deduplication"),
        _e(
            r"fan[- ]?out|feed(?:s|ing)?|raw(?:\s+message)?(?:\s+delivery)?|deliver(?:y|ed)?|"
            r"(?:queue\s+)?polic(?:y|ies)|filter(?:ed|s)?(?:\s+polic(?:y|ies))?|attributes?|whose|(?:only\s+)?messages?",
            "subscriptions",
        ),
        _e(r"encrypt(?:ed|ion)?|kms|customer[- ]managed(?:\s+key)?|cmk|(?:our\s+)?key", "kms_key_arn"),
        _e(
            r"topic\s+polic(?:y|ies)|anyone|anybody|everyone|principal|publish(?:es|ing)?|lets?|accounts?", "publishers"
        ),
    ),
    "dynamodb_table": (
        _e(r"partition\s+key|hash\s+key|primary\s+key|pk|keyed|key|string|number|binary", "partition_key"),
        _e(r"sort\s+key|range\s+key|sk", "sort_key"),
        _e(
            r"on[- ]demand|pay[- ]per[- ]request|provisioned|billing(?:\s+mode)?|capacity|units?|cheap(?:est)?|"
            r"low[- ]cost",
            "billing_mode",
        ),
        _e(r"read\s+capacity|rcus?|reads?", "read_capacity"),
        _e(r"write\s+capacity|wcus?|writes?", "write_capacity"),
        _e(r"streams?|change\s+data\s+capture|cdc|(?:new\s+and\s+)?old\s+images?|new\s+images?|images?", "stream"),
        _e(r"ttl(?:\s+attribute)?|time[- ]to[- ]live|expir(?:e|es|y|ing|ation)|attribute|field", "ttl_attribute"),
        _e(r"point[- ]in[- ]time(?:\s+recovery)?|pitr|backups?|recovery", "point_in_time_recovery"),
        _e(r"deletion\s+protection", "deletion_protection"),
        _e(
            r"encrypt(?:ed|ion)?|kms|customer[- ]managed(?:\s+key)?|cmk|(?:our\s+)?key|aws[- ]owned(?:\s+key)?|instead",
            "kms_key_arn",
        ),
        _e(
            r"gsis?|(?:global\s+)?secondary\s+index(?:es)?|index(?:es)?|"
            r"(?:keys[_ ]only\s+|all\s+|include\s+)?projection|"
            r"projects?|keys[_ ]only",
            "global_secondary_indexes",
        ),
        _e(r"(?:table\s+)?class|standard[- ]ia|standard_infrequent_access|infrequent\s+access", "table_class"),
        _e(r"global(?:\s+table)?|replicated|replicas?|replication|regions?", "replica_regions"),
    ),
    "elasticache_cluster": (
        _e(r"valkey|redis(?:\s+oss)?|engine", "engine"),
        _e(r"version", "engine_version"),
        _e(r"nodes?|node\s+type|type|size", "node_type"),
        _e(
            r"(?:read\s+)?replicas?|replica\s+nodes?|multi[- ]az|failover|highly\s+available|single[- ]node", "replicas"
        ),
        _e(r"snapshots?|backups?|kept|keep|retention|retained", "snapshot_retention_days"),
        _e(r"vpc|private\s+subnets?|subnets?", "vpc_ref"),
        _e(r"kms|customer[- ]managed\s+key|cmk|key", "kms_key_arn"),
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
# the duration and size units a value token may carry (the token before them holds the number)
UNITS = re.compile(
    r"(?:seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|months?|years?|yrs?|gb|gib|g|mb|mib|tb|"
    r"tib|kb|terabytes?|gigabytes?|megabytes?|ms|milliseconds?|%|percent|pct|vcpus?|cpus?|cores?|iops|am|pm|utc)",
    re.I,
)
COMPILED: dict[str, tuple[tuple[Entry, re.Pattern[str]], ...]] = {
    kind: tuple((e, re.compile(rf"(?<![\w-])(?:{e.pattern})(?![\w-])", re.I)) for e in (*entries, *COMMON))
    for kind, entries in LEXICON.items()
}

# settings the gate builds on every resource of a kind (not spec fields): a request that asks for them is read as
# asking for what is always there ('EBS-optimized', 'IMDSv2', 'X-Ray tracing'); negated, they are not claimed
ALWAYS: dict[str, str] = {
    "ec2_instance": r"ebs[- ]optimi[sz]ed|imdsv2|detailed\s+monitoring|monitoring|encrypted\s+root(?:\s+volume)?",
    "lambda_function": r"(?:active\s+)?(?:x-?ray\s+)?tracing|x-?ray|active",
    "rds_instance": r"encrypted(?:\s+storage)?|performance\s+insights|iam\s+auth(?:entication)?",
    "sqs_queue": r"encrypted|sse",
    "s3_bucket": r"tls[- ]only|https[- ]only",
}
ALWAYS_RE = {kind: re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.I) for kind, words in ALWAYS.items()}
