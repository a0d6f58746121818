"""Reading an Aurora cluster request: 'Aurora PostgreSQL cluster ledger-aurora with two db.r7g.large instances (one
writer, one reader), backups kept 35 days, IAM database authentication'."""

from __future__ import annotations

import re
from typing import Any

from gate.interpret import extract, words
from gate.interpret.base import Ctx, Resource

# 'two db.r7g.large instances', 'one writer and two readers', '3 nodes'
_INSTANCES = r"(?:db\.[a-z0-9]+\.[a-z0-9]+\s+)?(?:instances?|nodes?|members?)"
_READERS = re.compile(rf"\b({extract._COUNT}|a|an)\s+(?:read(?:er)?s?|replicas?)\b", re.I)
_WRITER = re.compile(r"\b(?:one|a|1)\s+writer\b", re.I)


def _instances(ctx: Ctx, name: str, text: str) -> int:
    counted = extract.count_before(text, _INSTANCES)
    readers = _READERS.search(text)
    from_roles = None
    if readers and (_WRITER.search(text) or counted is None):
        from_roles = 1 + (extract.number(readers.group(1)) or 1)
    if counted and from_roles and counted != from_roles:
        ctx.assume(name, "not-applied", f"{from_roles} instances (a writer and its readers)", f"the request also "
                   f"says {counted} instances; the cluster has {counted}: say one of the two")  # fmt: skip
    if counted or from_roles:
        return max(1, min(15, counted or from_roles or 1))
    ctx.assume(name, "instances", "2", "secure default: a writer and a reader in another AZ (failover in seconds)")
    return 2


def cluster(ctx: Ctx, name: str, engine: str, version: str | None) -> Resource:
    text = ctx.text
    out: dict[str, Any] = {"kind": "rds_cluster", "name": name, "engine": engine}
    if version:
        out["engine_version"] = version
    cls = words.db_class(text)
    if cls is None:
        ctx.assume(name, "instance_class", "db.r7g.large", "the request gives no instance class (Aurora runs on "
                   "db.t4g.medium and up; r7g is the current memory-optimised Graviton class)")  # fmt: skip
    out["instance_class"] = cls or "db.r7g.large"
    out["instances"] = _instances(ctx, name, text)
    backups = extract.duration_near(text, r"backups?|backup\s+retention|snapshots?|point[- ]in[- ]time|retained|kept")
    if backups:
        out["backup_retention_days"] = min(35, extract.days(backups))
    if key := extract.kms_key(text):
        out["kms_key_arn"] = key
    if extract.flag(text, r"deletion\s+protection") is False:  # danger.py lets only a dev/test database by
        out["deletion_protection"] = False
        ctx.assume(name, "deletion_protection", "false", "asked for a cluster the request calls dev, test or not "
                   "critical; GATE-RDS-003 flags it, so a reviewer approves it")  # fmt: skip
    dbname = re.search(r"\b(?:database|db)\s+name\s+(?:of\s+|is\s+)?[\"'`]?([A-Za-z][A-Za-z0-9_]{0,62})", text, re.I)
    if dbname:
        out["database_name"] = dbname.group(1)
    if vpc := ctx.ref_to("vpc", ctx.request):
        out["vpc_ref"] = vpc
    groups = ctx.names.get("security_group", [])
    chosen = [g for g in groups if re.search(rf"(?<![\w-]){re.escape(g)}(?![\w-])", text)][:5]
    if chosen:
        out["security_group_refs"] = chosen
    return out


class RdsClusterRecogniser:
    """An Aurora cluster (reached from an RDS noun that names an Aurora engine: 'Aurora PostgreSQL cluster')."""

    kind = "rds_cluster"
    default_name = "cluster"

    def build(self, ctx: Ctx, name: str) -> Resource:
        found = words.engine(ctx.text) or words.engine(ctx.request)
        engine, version = found if found and found[0].startswith("aurora") else ("aurora-postgresql", None)
        return cluster(ctx, name, engine, version)
