"""ElastiCache (Valkey or Redis OSS) replication groups: engine, version, node type, replicas, snapshots, KMS,
the VPC and security groups it sits in."""

from __future__ import annotations

import re
from typing import Any

from gate.interpret import extract
from gate.interpret.base import Ctx, Resource
from gate.services.ec2.ingress import ingress_rules, own_group

_NODE = re.compile(r"\b(cache\.[a-z0-9]+\.[a-z0-9]+)\b", re.I)
_VERSION = re.compile(r"\b(?:valkey|redis)(?:\s+oss)?\s+(\d+\.\d+)\b", re.I)
_REPLICAS = r"(?:read\s+)?replicas?|replica\s+nodes?"
_NODES = r"(?:cache\s+)?nodes?(?!\s+types?)"
# 'snapshot window 03:00-04:00 UTC', 'backups between 02:00 and 03:00'
_WINDOW = re.compile(
    r"\b(?:snapshot|backup)s?(?:\s+window)?\s+(?:is\s+|at\s+|of\s+|between\s+|from\s+)?"
    r"(\d{1,2}:\d\d)\s*(?:-|to|and|until)\s*(\d{1,2}:\d\d)",
    re.I,
)


def _replicas(ctx: Ctx, name: str, text: str, out: dict[str, Any]) -> None:
    """Replicas as written ('2 replicas', 'no replicas'), or from the node count ('3 nodes', 'a single node': the
    primary and its replicas); 'no failover' alone means no replica (failover needs one)."""
    replicas = extract.count_before(text, _REPLICAS)
    nodes = extract.count_before(text, _NODES)
    if extract.flag(text, _REPLICAS) is False or re.search(r"\bsingle[- ]node\b|\bone\s+node\b", text, re.I):
        out["replicas"] = 0
    elif replicas is not None:
        out["replicas"] = max(0, min(5, replicas))
    elif nodes is not None:
        out["replicas"] = max(0, min(5, nodes - 1))
    elif extract.flag(text, r"(?:automatic\s+)?fail-?over") is False:
        out["replicas"] = 0
    else:
        ctx.assume(name, "replicas", 1, "secure default: one replica, Multi-AZ with automatic failover")
    if nodes is not None and replicas is not None and nodes != replicas + 1:
        ctx.assume(name, "not-applied", f"{nodes} nodes", f"the request also asks for {replicas} replicas, which "
                   f"makes {replicas + 1} nodes (a primary and its replicas): say one of the two")  # fmt: skip
    if out.get("replicas") == 0 and extract.flag(text, r"(?:automatic\s+)?fail-?over|multi[- ]az") is True:
        ctx.assume(name, "not-applied", "automatic failover (Multi-AZ)", "failover needs a replica to fail over to, "
                   "and the request asks for a single node: ask for one replica or more")  # fmt: skip


class ElasticacheRecogniser:
    kind = "elasticache_cluster"
    default_name = "cache"

    def build(self, ctx: Ctx, name: str) -> Resource:
        text = ctx.text
        out: dict[str, Any] = {"kind": self.kind, "name": name}
        if re.search(r"\bredis\b", text, re.I) and not re.search(r"\bvalkey\b", text, re.I):
            out["engine"] = "redis"
        elif not re.search(r"\bvalkey\b", text, re.I):
            ctx.assume(name, "engine", "valkey", "the request names no engine; Valkey is Redis-compatible and cheaper")
        version = _VERSION.search(text)
        if version:
            out["engine_version"] = version.group(1)
        node = _NODE.search(text)
        if node:
            out["node_type"] = node.group(1).lower()
        else:
            ctx.assume(name, "node_type", "cache.t4g.micro", "the request gives no node type")
        _replicas(ctx, name, text, out)
        snapshots = extract.duration_near(text, r"snapshots?|backups?")
        if extract.flag(text, r"snapshots?|backups?") is False:
            out["snapshot_retention_days"] = 0
        elif snapshots is not None:
            out["snapshot_retention_days"] = max(1, min(35, extract.days(snapshots)))
        if window := _WINDOW.search(text):
            out["snapshot_window"] = f"{window.group(1).zfill(5)}-{window.group(2).zfill(5)}"
        key = extract.kms_key(text)
        if key:
            out["kms_key_arn"] = key
        vpc = ctx.ref_to("vpc", ctx.request)
        if vpc:
            out["vpc_ref"] = vpc
        groups = ctx.names.get("security_group", [])
        chosen = [g for g in groups if re.search(rf"(?<![\w-]){re.escape(g)}(?![\w-])", text)][:4]
        rules = ingress_rules(ctx, text, name, 6379)
        if rules:
            chosen.append(own_group(ctx, name, rules, vpc))
        if chosen:
            out["security_group_refs"] = chosen[:5]
        return out
