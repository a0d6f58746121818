"""Existing network resources named by id: 'in subnet-0abc1234def567890 with sg-0123456789abcdef0', 'security group
web-sg in vpc-0a1b2c3d4e5f67890', 'a DB subnet group over subnet-a and subnet-b'.

An id is a reference to something outside the change: it is never re-created, and it is bound to the resource
that takes it where AWS accepts an id (an instance's subnet and security groups, a function's VpcConfig, a
database's subnet group and VPC security groups, a security group's VPC).  The id belongs to the resource whose
text it stands in; when that resource cannot take it, to the one resource of the change that can.  An id no
resource can take is reported as not applied, quoted, never dropped.  A security group id written as a rule's
source ('5432 from sg-...') is that rule's peer (:mod:`gate.services.ec2.ingress`), not a group to join.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from gate.errors import GateError
from gate.interpret.base import Notes, Resource

IDS = re.compile(r"(?<![\w-])(subnet|sg|vpc)-[0-9a-f]{8,17}(?![\w-])", re.I)
# 'from the app servers' sg-...', 'to sg-...': the group is a rule's peer or the rule's target
_PEER_BEFORE = re.compile(r"\b(?:from|to)\s+(?:[\w'.-]+\s+){0,4}?$", re.I)
# 'the existing DB subnet group data-private-sng': a subnet group by name
_SUBNET_GROUP = re.compile(
    r"\b(?:db\s+|database\s+|rds\s+)?subnet\s+group\s+(?:named\s+|called\s+)?[\"'`]?"
    r"(?!(?:over|from|with|of|in|for|and|that|which|using|across)\b)([a-z0-9][a-z0-9_.-]*[a-z0-9])",
    re.I,
)
# what each kind takes: the id's prefix -> the field, and the fields that already place it
_TAKES: dict[str, dict[str, str]] = {
    "ec2_instance": {"subnet": "subnet_ids", "sg": "security_group_ids"},
    "lambda_function": {"subnet": "subnet_ids", "sg": "security_group_ids"},
    "rds_instance": {"subnet": "subnet_ids", "sg": "security_group_ids"},
    "elasticache_cluster": {"subnet": "subnet_ids", "sg": "security_group_ids"},
    "rds_read_replica": {"sg": "security_group_ids"},
    "rds_cluster": {"subnet": "subnet_ids", "sg": "security_group_ids"},
    "security_group": {"vpc": "vpc_id"},
}
_PLACED_BY = {
    "ec2_instance": "subnet_ref",
    "lambda_function": "vpc_ref",
    "rds_instance": "vpc_ref",
    "elasticache_cluster": "vpc_ref",
    "rds_cluster": "vpc_ref",
}
# the field that names an existing subnet group, per kind
_GROUP_FIELD = {
    "rds_instance": "db_subnet_group_name",
    "rds_read_replica": "db_subnet_group_name",
    "rds_cluster": "db_subnet_group_name",
    "elasticache_cluster": "cache_subnet_group_name",
}
_LIMITS = {"subnet_ids": 6, "security_group_ids": 5}


@dataclass(frozen=True)
class Owned:
    """A built resource and the span of the request it was read from."""

    start: int
    end: int
    resource: Resource


def _takes(resource: Resource, prefix: str) -> str | None:
    field = _TAKES.get(str(resource["kind"]), {}).get(prefix)
    if field is None:
        return None
    kind = str(resource["kind"])
    placed = resource.get(_PLACED_BY.get(kind, "")) or resource.get(_GROUP_FIELD.get(kind, ""))
    if field == "subnet_ids" and placed:
        return None  # already placed on a VPC of this change (or a named subnet group)
    if field == "vpc_id" and resource.get("vpc_ref"):
        return None
    return field


def _peer(request: str, start: int) -> bool:
    return bool(_PEER_BEFORE.search(request[max(0, start - 60) : start]))


def _a_rule_source(owned: list[Owned], value: str) -> bool:
    """'only lets Postgres in from the app tier's security group sg-...': the id is already a rule's peer."""
    rules = (r for o in owned for r in [*o.resource.get("ingress", []), *o.resource.get("egress", [])])
    return any(str(r.get("source_group_id", "")).lower() == value for r in rules)


# 'an inbound rule to sg-0123...', 'open 443 on sg-...': a change to a group outside this change
_RULE_ON_EXISTING = re.compile(
    r"\b(?:rules?|ingress|inbound|egress|outbound|open\w*|allow\w*)\b[^.;]{0,40}?\b(?:to|on|in|for)\s+(?:the\s+)?"
    r"(?:existing\s+)?(?:security\s+group\s+|sg\s+)?(sg-[0-9a-f]{8,17})(?![\w-])",
    re.I,
)


def refuse_rule_on_existing(request: str) -> None:
    """A rule added to an existing group is a change to a resource outside the change: refused by name."""
    found = _RULE_ON_EXISTING.search(request)
    if found is None:
        return
    group = found.group(1)
    raise GateError(
        f"the request adds a rule to the existing security group {group} ({found.group(0)!r}); the gate builds new "
        "resources and does not change ones outside the change",
        fix="create a new security group with the rule, e.g. 'a security group named db-access that allows port 5432 "
        f"from sg-0fedcba9876543210', and attach it where {group} is used; or change {group} where it is managed",
    )


# existing resources by ARN, by the ARN's service, and the field of each kind that takes one
ARNS = re.compile(r"(?<![\w/-])arn:aws[a-z-]*:(sns):[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+(?![\w/-])")
_TAKES_ARN: dict[str, dict[str, str]] = {"sns": {"cloudwatch_alarm": "alarm_topic_arns"}}


def _bind_arns(request: str, owned: list[Owned]) -> None:
    """'notify arn:aws:sns:...:ops-alerts': an alarm notifies the existing topic (no topic is created)."""
    for match in ARNS.finditer(request):
        takes = _TAKES_ARN[match.group(1).lower()]
        here = next((o for o in owned if o.start <= match.start() < o.end), None)
        takers = [o for o in owned if str(o.resource["kind"]) in takes]
        target = here if here is not None and str(here.resource["kind"]) in takes else None
        target = target or (takers[0] if len(takers) == 1 else None)
        if target is None:
            continue  # left to coverage: quoted as not understood
        listed: list[str] = target.resource.setdefault(takes[str(target.resource["kind"])], [])
        if match.group(0) not in listed:
            listed.append(match.group(0))


_INSTANCE_ID = re.compile(r"(?<![\w-])i-[0-9a-f]{8,17}(?![\w-])")


def _watched_instances(request: str, owned: list[Owned]) -> None:
    """'alarm when CPU on i-0123456789abcdef0 ...': an EC2 alarm on no instance of this change watches that one."""
    for o in owned:
        alarm = o.resource
        if alarm["kind"] != "cloudwatch_alarm" or alarm.get("namespace") != "AWS/EC2":
            continue
        found = _INSTANCE_ID.search(request, o.start, o.end)
        if found and not alarm.get("target_ref") and not alarm.get("dimensions"):
            alarm["dimensions"] = {"InstanceId": found.group(0)}


_ZONE = re.compile(r"(?<![\w-])[a-z]{2}(?:-[a-z]+)+-\d[a-z](?![\w-])")
_SNAPSHOT = re.compile(r"(?<![\w-])snap-[0-9a-f]{8,17}(?![\w-])")


def _volumes_and_zones(request: str, owned: list[Owned], notes: Notes) -> None:
    """'in us-east-1b' pins an instance or a volume to that zone; 'from snapshot snap-...' restores a volume; 'attach
    ... to the existing instance i-...' attaches a volume to it (which needs the instance's zone, said or not)."""
    for o in owned:
        res, kind = o.resource, o.resource["kind"]
        if kind not in ("ec2_instance", "ebs_volume"):
            continue
        zone = _ZONE.search(request, o.start, o.end)
        if zone and not (kind == "ebs_volume" and res.get("instance_ref")):
            res["availability_zone"] = zone.group(0)
        if kind != "ebs_volume":
            continue
        if snap := _SNAPSHOT.search(request, o.start, o.end):
            res["snapshot_id"] = snap.group(0)
        instance = _INSTANCE_ID.search(request)
        if instance and not res.get("instance_ref"):
            if res.get("availability_zone"):
                res["instance_id"] = instance.group(0)
            else:
                notes.assume(str(res["name"]), "not-applied", f"attach to the existing instance {instance.group(0)!r}",
                             "a volume is made in its instance's availability zone, which the request does not give: "
                             "say it, e.g. 'the instance is in us-east-1a'")  # fmt: skip


def bind(request: str, owned: list[Owned], notes: Notes) -> None:
    """Bind every existing subnet, security group and VPC id of the request to the resource that takes it."""
    _bind_arns(request, owned)
    _watched_instances(request, owned)
    _volumes_and_zones(request, owned, notes)
    _subnet_groups(request, owned)
    placed_vpcs: list[tuple[str, str]] = []
    for match in IDS.finditer(request):
        prefix, value = match.group(1).lower(), match.group(0).lower()
        if prefix == "sg" and (_peer(request, match.start()) or _a_rule_source(owned, value)):
            continue
        if any(_parts_take(o.resource, value) for o in owned):
            continue  # the existing VPC or subnet that parts of this change are built on
        here = next((o for o in owned if o.start <= match.start() < o.end), None)
        takers = [o for o in owned if _takes(o.resource, prefix)]
        target = here if here is not None and _takes(here.resource, prefix) else takers[0] if len(takers) == 1 else None
        vpcs = {m.group(0).lower() for m in IDS.finditer(request) if m.group(1).lower() == "vpc"}
        if target is None and prefix == "vpc" and takers and len(vpcs) == 1:
            for taker in takers:  # 'web tier + DB in vpc-...': the one VPC the request names is every new group's
                taker.resource["vpc_id"] = value
            continue
        if target is None:
            if prefix == "vpc":
                placed_vpcs.append((value, match.group(0)))
                continue
            _not_applied(notes, here, value, prefix)
            continue
        field = _takes(target.resource, prefix)
        assert field is not None
        if field == "vpc_id":
            target.resource[field] = value
            continue
        listed: list[str] = target.resource.setdefault(field, [])
        if value not in listed and len(listed) < _LIMITS[field]:
            listed.append(value)
    for value, _said in placed_vpcs:
        _vpc_context(notes, owned, value)
    _own_new_group(owned, notes, [v for v, _ in placed_vpcs])
    _groups_said_with(request, owned)
    _groups_of_peers(owned)


_IN_GROUPS = ("ec2_instance", "rds_instance", "lambda_function", "elasticache_cluster")


def _groups_said_with(request: str, owned: list[Owned]) -> None:
    """'a Postgres db.t3.medium with its own new security group that ...': a group written with a resource, right
    after it, is that resource's."""
    for prev, group in itertools.pairwise(owned):
        if group.resource["kind"] != "security_group" or prev.resource["kind"] not in _IN_GROUPS:
            continue
        if not re.match(r"\s*(?:,\s*)?with\b", request[group.start : group.end], re.I):
            continue
        refs: list[str] = prev.resource.setdefault("security_group_refs", [])
        if group.resource["name"] not in refs and len(refs) < 5:
            refs.append(str(group.resource["name"]))


def _groups_of_peers(owned: list[Owned]) -> None:
    """'5432 only from the app server's security group': the rule's peer is the group that resource is in, now
    that every group is placed (a resource in no group of this change, or in several, is refused: say which)."""
    by_name = {str(o.resource["name"]): o.resource for o in owned}
    for group in (o.resource for o in owned if o.resource["kind"] == "security_group"):
        for rule in group.get("ingress", []):
            peer = rule.pop("source_group_of", None)
            if peer is None:
                continue
            refs = [r for r in by_name.get(peer, {}).get("security_group_refs", []) if r != group["name"]]
            if len(refs) != 1:
                raise GateError(
                    f"a rule of the security group {group['name']!r} lets in the security group of {peer!r}, which "
                    f"is in {len(refs)} security groups of this change",
                    fix=f"name the group, e.g. 'allows port {rule['from_port']} from app-sg' with app-sg created in "
                    "the same request",
                )
            rule["source_group_ref"] = refs[0]
            rule["description"] = f"port {rule['from_port']} from {refs[0]}"


def _parts_take(resource: Resource, value: str) -> bool:
    """True when ``resource`` is network parts built on the resource ``value`` names (its VPC, its NAT's subnet)."""
    fields = ("vpc_id", "nat_subnet_id", "peer_vpc_id")
    taken = [*(resource.get(f) for f in fields), *resource.get("network_acl_subnet_ids", [])]
    return resource["kind"] == "network_parts" and value in taken


def _own_new_group(owned: list[Owned], notes: Notes, vpcs: list[str]) -> None:
    """'a Lambda in subnet-... with a new SG that ...': the one new group nothing else uses is the placed resource's."""
    groups = [o.resource for o in owned if o.resource["kind"] == "security_group"]
    used = {g for o in owned for g in o.resource.get("security_group_refs", [])}
    free = [g for g in groups if g["name"] not in used]
    placed = [o.resource for o in owned if o.resource.get("subnet_ids") and not o.resource.get("security_group_refs")]
    if len(free) == 1 and len(placed) == 1:
        placed[0]["security_group_refs"] = [free[0]["name"]]
        notes.assume(str(placed[0]["name"]), "security_group_refs", free[0]["name"], "the one security group this "
                     "change creates goes on the one resource it places in subnets")  # fmt: skip
    for group in (g for g in groups if g["name"] in {r for p in placed for r in p.get("security_group_refs", [])}):
        if group.get("vpc_ref") or group.get("vpc_id"):
            continue
        if len(vpcs) == 1:
            group["vpc_id"] = vpcs[0]
            continue
        notes.assume(str(group["name"]), "not-applied", "the security group's VPC (the subnets' VPC is not named)",
                     "a group must be in the VPC of the subnets it is used in; the request names subnet ids but "
                     "not their VPC, so the group is made in the default VPC: name the VPC")  # fmt: skip


def _subnet_groups(request: str, owned: list[Owned]) -> None:
    """'in the existing DB subnet group data-private-sng': the database (or cache) uses that group by name."""
    databases = [o for o in owned if o.resource["kind"] in _GROUP_FIELD and not o.resource.get("vpc_ref")]
    for match in _SUBNET_GROUP.finditer(request):
        name = match.group(1).lower()
        if IDS.fullmatch(name) or not databases:
            continue
        here = next((o for o in databases if o.start <= match.start() < o.end), None)
        target = here or (databases[0] if len(databases) == 1 else None)
        if target is not None:
            target.resource[_GROUP_FIELD[str(target.resource["kind"])]] = name


def _vpc_context(notes: Notes, owned: list[Owned], value: str) -> None:
    """A VPC id next to subnet ids: the resource goes where its subnets are (the VPC follows from them)."""
    placed = [o.resource for o in owned if o.resource.get("subnet_ids")]
    if placed:
        for resource in placed:
            notes.assume(str(resource["name"]), "existing vpc", value, "the resource is placed by its subnets, "
                         "which are in that VPC; nothing in the VPC is changed")  # fmt: skip
        return
    notes.assume(None, "not-applied", f"placement in the existing VPC {value!r}", "an existing VPC is used through "
                 "its subnets or a security group in it: name the subnet ids, e.g. 'in subnet-0abc1234'")  # fmt: skip


def _not_applied(notes: Notes, here: Owned | None, value: str, prefix: str) -> None:
    what = {"subnet": "subnet", "sg": "security group", "vpc": "VPC"}[prefix]
    resource = str(here.resource["name"]) if here is not None else None
    notes.assume(resource, "not-applied", f"the existing {what} {value!r}", f"no resource of this change takes an "
                 f"existing {what} by id here; instances, functions and databases take subnets and security groups, "
                 "security groups a VPC")  # fmt: skip
