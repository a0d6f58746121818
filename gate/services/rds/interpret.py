"""RDS: engine and version, class, storage, multi-AZ, read replicas, backups, placement, protection."""

from __future__ import annotations

import re
from typing import Any

from gate.errors import GateError
from gate.interpret import extract, words
from gate.interpret.base import Ctx, Resource
from gate.services.ec2.ingress import ingress_rules, own_group
from gate.services.rds.cluster_words import cluster
from gate.services.rds.versions import pinned

_SOURCE = {
    "cfn-lint": "the newest minor version of {engine} {major} that cfn-lint's RDS data does not mark deprecated",
    "table": "the newest minor version of {engine} {major} the gate knows (cfn-lint's RDS data was unreadable)",
}

SUPPORTED = ("postgres", "mysql", "mariadb")


# 'sets max_connections to 200', 'work_mem=64MB', 'rds.force_ssl set to 1': a parameter is written snake_case or dotted
_PARAMETER = re.compile(
    r"(?<![\w.-])([a-z][a-z0-9]*(?:[_.][a-z0-9]+)+)\s*(?:=|:|\s+(?:(?:set|sets|changed)\s+)?to\s+|\s+(?:of|at|is|as)\s+)"
    r"[\"'`]?([A-Za-z0-9_.:/%-]*[A-Za-z0-9%])",
    re.I,
)


# 'loads pg_stat_statements through shared_preload_libraries': the library is the parameter's value
_LOADS = re.compile(
    r"\b(?:loads?|loading|preloads?|adds?)\s+[\"'`]?([a-z][a-z0-9_]*(?:,\s*[a-z][a-z0-9_]*)*)[\"'`]?\s+"
    r"(?:through|via|with|using|in(?:to)?)\s+(?:the\s+)?[\"'`]?([a-z][a-z0-9]*(?:[_.][a-z0-9]+)+)",
    re.I,
)
# 'storage autoscaling up to 1000 GB', 'max storage 2 TB'
_AUTOSCALE = re.compile(
    r"\b(?:(?:storage\s+)?auto-?scal\w*|grow\w*|max(?:imum)?\s+(?:allocated\s+)?storage)[^.,;]{0,20}?"
    r"\b(?:up\s+to|to|of|at)?\s*(\d+(?:\.\d+)?)\s*(gb|gib|tb|tib)\b",
    re.I,
)


def _parameters(text: str) -> dict[str, str]:
    """DB parameters written in the text (tags such as 'tagged cost_center=ops' are not parameters)."""
    untagged = extract.TAG_RE.sub(" ", text)
    loads = {key.lower(): value.replace(" ", "") for value, key in _LOADS.findall(untagged)}
    untagged = _LOADS.sub(" ", untagged)
    found = {key.lower(): value for key, value in _PARAMETER.findall(untagged) if not re.fullmatch(r"db\..*", key)}
    return {**found, **loads}


class RdsRecogniser:
    kind = "rds_instance"
    default_name = "db"

    def build(self, ctx: Ctx, name: str) -> Resource:
        text = ctx.text
        out: dict[str, Any] = {"kind": self.kind, "name": name}
        found = words.engine(text) or words.engine(ctx.request)
        if found is None:
            engine, version = "postgres", None
            ctx.assume(name, "engine", "postgres", "the request names no database engine")
        else:
            engine, version = found
        if engine.startswith("aurora"):
            return cluster(ctx, name, engine, version)
        if engine not in SUPPORTED:
            raise GateError(
                f"the request asks for a {engine} database, which the gate cannot build yet",
                fix="ask for PostgreSQL, MySQL, MariaDB or Aurora (PostgreSQL or MySQL), e.g. 'a Postgres 16 database "
                "on db.t4g.small'",
            )
        out["engine"] = engine
        major = version or words.DEFAULT_ENGINE_VERSION[engine]
        pinned_version, source = pinned(engine, major)
        if source in _SOURCE:
            why = _SOURCE[source].format(engine=engine, major=major)
            ctx.assume(
                name, "engine_version", pinned_version, why if version else f"the request names no version: {why}"
            )
        out["engine_version"] = pinned_version
        cls = words.db_class(text)
        if cls is None and (bare := words.instance_type(text)):
            cls = f"db.{bare}"
        memory, cpus = words.memory_gb(text), words.vcpus(text)
        if cls is None and (sized := words.sized_type(memory, cpus, db=True)):
            cls = sized
            ctx.assume(name, "instance_class", cls, "the smallest current general-purpose class with the memory and "
                       "vCPUs the request gives")  # fmt: skip
        if cls is None:
            cheap = re.search(r"\b(?:small|cheap|tiny|dev|test|internal|low[- ]cost|inexpensive)\b", text, re.I)
            cls = (
                "db.t4g.micro"
                if cheap or not re.search(r"\b(?:large|big|production|busy)\b", text, re.I)
                else "db.m7g.large"
            )
            ctx.assume(name, "instance_class", cls, "the request gives no instance class")
        out["instance_class"] = cls
        disk_text = words.without_memory(text)  # '16 GB RAM' is memory, not storage
        storage = extract.size_near(disk_text, r"storage|disk|space|allocated") or next(
            iter(extract.sizes_gb(disk_text)), None
        )
        if autoscale := _AUTOSCALE.search(disk_text):
            out["max_storage_gb"] = int(
                float(autoscale.group(1)) * (1024 if autoscale.group(2).lower()[0] == "t" else 1)
            )
            disk_text = disk_text[: autoscale.start()] + disk_text[autoscale.end() :]
            storage = extract.size_near(disk_text, r"storage|disk|space|allocated") or next(
                iter(extract.sizes_gb(disk_text)), None
            )
        if storage is not None:
            out["storage_gb"] = max(20, int(storage))
        if port := re.search(r"\bport\s+(?:of\s+|is\s+)?(\d{4,5})\b|\blistens?\s+on\s+(\d{4,5})\b", text, re.I):
            out["port"] = int(port.group(1) or port.group(2))
        if re.search(r"\bio[12]\b|\bprovisioned\s+iops\b", text, re.I):
            out["storage_type"] = "io2" if re.search(r"\bio2\b", text, re.I) else "io1"
            iops = re.search(r"\b(\d[\d,]*)\s*(?:provisioned\s+)?iops\b", text, re.I)
            out["iops"] = max(1000, int(iops.group(1).replace(",", ""))) if iops else 3000
        single = re.search(
            r"\bsingle[- ]az\b|\bno\s+multi[- ]az\b|\bwithout\s+(?:multi[- ]az|high\s+availability)\b|"
            r"\bnot\s+(?:highly\s+available|multi[- ]az)\b",
            text,
            re.I,
        )
        multi = re.search(
            r"\bhighly[- ]available\b|\bhigh[- ]availability\b|\bmulti[- ]az\b|\bfail-?over\b|\bstandby\b|\bha\b|"
            r"\bsurviv\w*\s+(?:losing\s+|the\s+loss\s+of\s+)?(?:an?\s+|one\s+)?(?:availability\s+zone|az)\b",
            text,
            re.I,
        )
        if single:
            out["multi_az"] = False
        elif not multi:
            cheap = re.search(  # not the 'small' of a class name like db.t3.small
                r"(?<!\.)\b(?:cheap|cheapest|dev|development|test|testing|internal|low[- ]cost|small|"
                r"(?:nothing|not|non)[- ](?:business[- ])?critical)\b",
                text,
                re.I,
            )
            out["multi_az"] = not cheap
            ctx.assume(
                name,
                "multi_az",
                str(not cheap).lower(),
                "cheap/dev database: one AZ" if cheap else "secure default: a standby in a second AZ",
            )
        replicas = re.search(rf"\b({extract._COUNT}|a|an)?\s*read[- ]replicas?\b", text, re.I)
        if replicas:
            out["read_replicas"] = min(5, extract.number(replicas.group(1) or "one") or 1)
        backups = extract.duration_near(
            text, r"backups?|backup\s+retention|snapshots?|point[- ]in[- ]time|restor(?:e|ed|es|ing)"
        )
        if backups:
            out["backup_retention_days"] = min(35, extract.days(backups))
        dbname = re.search(
            r"\b(?:database|schema|db)\s+name\s+(?:of\s+|is\s+)?[\"'`]?([A-Za-z][A-Za-z0-9_]{0,62})", text, re.I
        )
        if dbname:
            out["database_name"] = dbname.group(1)
        user = re.search(
            r"\b(?:master|admin|database|db)\s+user(?:name)?\s+(?:of\s+|is\s+|named\s+|called\s+)?[\"'`]?"
            r"([A-Za-z][A-Za-z0-9_]{0,15})\b",
            text,
            re.I,
        )
        if user:
            out["master_username"] = user.group(1)
            if not re.match(r"master|admin", user.group(0), re.I):
                why = "the only database user the gate creates is the master user (its password in Secrets Manager)"
                ctx.assume(name, "master_username", user.group(1), f"{why}; add other users inside the database")
        parameters = _parameters(text)
        if parameters:
            out["parameters"] = parameters
        elif re.search(r"\bparameter\s+groups?\b|\bdb\s+parameters?\b", text, re.I):
            said = "the request names no parameter and value"
            example = "'a parameter group that sets max_connections to 200'"
            ctx.assume(
                name, "not-applied", "a custom parameter group (no parameter read)", f"{said}; say e.g. {example}"
            )
        if extract.flag(text, r"deletion\s+protection") is False:  # danger.py lets only a dev/test database by
            out["deletion_protection"] = False
            ctx.assume(name, "deletion_protection", "false", "asked for a database the request calls dev, test or "
                       "not critical; GATE-RDS-003 flags it, so a reviewer approves it")  # fmt: skip
        vpc = ctx.ref_to("vpc", ctx.request)
        if vpc:
            out["vpc_ref"] = vpc
        groups = ctx.names.get("security_group", [])
        chosen = [g for g in groups if re.search(rf"(?<![\w-]){re.escape(g)}(?![\w-])", text)][:4]
        rules = ingress_rules(ctx, text, name, out.get("port") or (5432 if engine == "postgres" else 3306))
        if rules:
            chosen.append(own_group(ctx, name, rules, vpc))
        if chosen:
            out["security_group_refs"] = chosen[:5]
        return out


# 'a read replica of the existing database `orders-prod-pg`', 'replica of arn:aws:rds:us-east-1:...:db:billing'
SOURCE = re.compile(
    r"\breplicas?\s+(?:of|for|from)\s+(?:the\s+)?(?:existing\s+|current\s+|prod(?:uction)?\s+)?"
    r"(?:(?:rds|aurora|postgres(?:ql)?|mysql|mariadb)\s+)?(?:(?:database|db)(?:\s+instance)?\s+|instance\s+)?"
    r"(?:named\s+|called\s+)?[\"'`]?(arn:aws[a-z-]*:rds:[a-z0-9-]+:\d{12}:db:[A-Za-z][\w-]*|[A-Za-z][A-Za-z0-9-]*)",
    re.I,
)
_ZONE = re.compile(r"(?<![\w-])[a-z]{2}(?:-[a-z]+)+-\d[a-z](?![\w-])")


class RdsReplicaRecogniser:
    """A read replica of a database outside this change: its source, class, zone, key and placement."""

    kind = "rds_read_replica"
    default_name = "replica"

    def build(self, ctx: Ctx, name: str) -> Resource:
        text = ctx.text
        source = SOURCE.search(text) or SOURCE.search(ctx.request)
        if source is None:
            raise GateError(
                f"the read replica in {text[:100]!r} does not say which database it copies",
                fix="name the source, e.g. 'a read replica of the existing database orders-db on db.r6g.large'",
            )
        out: dict[str, Any] = {"kind": self.kind, "name": name, "source_db": source.group(1)}
        found = words.engine(text.replace(source.group(1), " "))  # not the 'pg' of 'orders-prod-pg'
        if found is not None and found[0] in SUPPORTED:
            out["engine"] = found[0]
        else:
            why = "a replica runs its source's engine and version; the request does not name the engine, so no log "
            ctx.assume(name, "engine", "the source's", why + "exports are set (say e.g. 'a Postgres read replica')")
        cls = words.db_class(text)
        if cls:
            out["instance_class"] = cls
        else:
            ctx.assume(name, "instance_class", "db.t4g.micro", "the request gives no instance class for the replica")
        if zone := _ZONE.search(text):
            out["availability_zone"] = zone.group(0)
        if re.search(r"\bmulti[- ]az\b", text, re.I) and not re.search(r"\bsingle[- ]az\b", text, re.I):
            out["multi_az"] = True
        if out["source_db"].startswith("arn:") and not extract.kms_key(text):
            ctx.assume(name, "kms_key_arn", "the AWS managed key", "a cross-Region replica of an encrypted source "
                       "needs a key in this Region; name one if the source uses a customer managed key")  # fmt: skip
        return out
