"""One pricing rule per resource kind (explicit registry ``RULES``): Priceable + price table + usage -> Estimate.

A rule raises :class:`NotPriced` with a reason instead of guessing; the estimator turns that into a
"not estimated" line. Costs that depend on usage nobody gave are components with a null cost.
"""

from __future__ import annotations

from gate.cost import rules_clusters, rules_search_graph
from gate.cost.prices import HOURS_PER_MONTH, PriceTable
from gate.cost.resources import Priceable, Unresolved
from gate.cost.rule_kit import (
    Estimate,
    NoCharge,
    NotPriced,
    Rule,
    _comp,
    _flag,
    _need_usage,
    _num,
    _price,
    _text,
    _usage,
)
from gate.cost.usage import UsageValues
from gate.models import CostComponent

__all__ = ["RULES", "Estimate", "NoCharge", "NotPriced", "estimate"]


# Parameter Store: Standard parameters are free; an Advanced one costs $0.05 a month in every commercial region
# (AWS Systems Manager pricing).  Used when the price table has no ``ssm.advanced_parameter_month``.
SSM_ADVANCED_PARAMETER_MONTH = 0.05
_SSM_STANDARD_MAX_BYTES = 4096


def ebs_components(
    name: str, gb: float, vtype: str, iops: float | None, throughput: float | None, t: PriceTable, times: float = 1.0
) -> list[CostComponent]:
    gb_price = _price(t.number("ebs", "gb_month", vtype), f"EBS {vtype} storage", t)
    out = [_comp(f"{name}: storage ({vtype})", "GB-months", gb * times, gb_price)]
    if vtype == "gp3":
        extra_iops = max(0.0, (iops or 0.0) - (t.number("ebs", "gp3_free_iops") or 3000.0))
        if extra_iops:
            out.append(
                _comp(
                    f"{name}: gp3 IOPS above 3000",
                    "IOPS-months",
                    extra_iops * times,
                    _price(t.number("ebs", "gp3_iops_month"), "gp3 IOPS", t),
                )
            )
        extra_tp = max(0.0, (throughput or 0.0) - (t.number("ebs", "gp3_free_throughput_mibps") or 125.0))
        if extra_tp:
            out.append(
                _comp(
                    f"{name}: gp3 throughput above 125 MiB/s",
                    "MiB/s-months",
                    extra_tp * times,
                    _price(t.number("ebs", "gp3_throughput_mibps_month"), "gp3 throughput", t),
                )
            )
    elif vtype in ("io1", "io2"):
        if not iops:
            raise NotPriced(f"{name}: {vtype} volume without provisioned IOPS")
        out.append(
            _comp(
                f"{name}: provisioned IOPS ({vtype})",
                "IOPS-months",
                iops * times,
                _price(t.number("ebs", "piops_month", vtype), f"{vtype} IOPS", t),
            )
        )
    return out


def ec2(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    itype = _text(p, "instance_type", "m1.small")  # CloudFormation's documented default
    tenancy = _text(p, "tenancy", "default")
    if tenancy not in ("default", "shared"):
        raise NotPriced(f"{tenancy} tenancy is not in the price table")
    count = _num(p, "count", default=1.0) or 1.0
    hours = float(usage.get("monthly_hrs", HOURS_PER_MONTH))
    hourly = _price(t.ec2_hourly(itype), f"EC2 {itype}", t)
    out = [_comp(f"Instance usage (Linux/UNIX, on-demand, {itype})", "hours", hours * count, hourly)]
    volumes = list(p.attrs.get("volumes") or [])
    if not p.attrs.get("root_declared", bool(volumes)):
        volumes.insert(0, {"name": "root volume (size from the AMI, assumed 8 GB gp2)", "gb": 8, "type": "gp2"})
    for vol in volumes:
        gb = _num(p, "volume size", vol.get("gb"), default=8.0) or 8.0
        vtype = _text(p, "volume type", "gp2", vol.get("type"))
        iops = _num(p, "volume iops", vol.get("iops"))
        tput = _num(p, "volume throughput", vol.get("throughput"))
        out.extend(ebs_components(str(vol.get("name", "volume")), gb, vtype, iops, tput, t, count))
    return out


def ebs(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    gb = _num(p, "gb")
    if gb is None:
        raise NotPriced("volume size is not set (it comes from a snapshot)")
    return ebs_components("Volume", gb, _text(p, "type", "gp2"), _num(p, "iops"), _num(p, "throughput"), t)


_RDS_ENGINES = {
    "mysql": "mysql",
    "mariadb": "mysql",
    "postgres": "postgres",
    "postgresql": "postgres",
    "aurora": "aurora-mysql",
    "aurora-mysql": "aurora-mysql",
    "aurora-postgresql": "aurora-postgresql",
}


def rds(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    engine = _text(p, "engine", "").lower()
    priced_as = _RDS_ENGINES.get(engine)
    if priced_as is None:
        raise NotPriced(
            f"RDS engine {engine or '(not set)'!r} is not in the price table (MySQL, MariaDB, PostgreSQL, Aurora)"
        )
    klass = _text(p, "instance_class", "")
    multi = _flag(p, "multi_az")
    factor = (t.number("rds_storage", "multi_az_factor") or 2.0) if multi else 1.0
    hourly = _price(t.rds_hourly(priced_as, klass), f"RDS {engine} {klass}", t)
    hours = float(usage.get("monthly_hrs", HOURS_PER_MONTH))
    az = "Multi-AZ" if multi else "Single-AZ"
    out = [_comp(f"Database instance ({engine}, on-demand, {az}, {klass})", "hours", hours * factor, hourly)]
    if priced_as.startswith("aurora"):
        return out  # Aurora storage and I/O are billed on the cluster (rules_clusters.rds_cluster)
    iops = _num(p, "iops")
    stype = _text(p, "storage_type", "io1" if iops else "gp2").lower()
    gb = _num(p, "storage_gb", default=20.0) or 20.0
    gb_price = _price(t.number("rds_storage", "gb_month", stype), f"RDS {stype} storage", t)
    out.append(_comp(f"Storage ({stype}, {az})", "GB-months", gb * factor, gb_price))
    if stype in ("io1", "io2") and iops:
        out.append(
            _comp(
                f"Provisioned IOPS ({az})",
                "IOPS-months",
                iops * factor,
                _price(t.number("rds_storage", "piops_month"), "RDS IOPS", t),
            )
        )
    return out


def nat(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    hourly = _price(t.number("nat_gateway", "hourly"), "NAT gateway hours", t)
    per_gb = _price(t.number("nat_gateway", "per_gb"), "NAT gateway data", t)
    out = [_comp("NAT gateway", "hours", HOURS_PER_MONTH, hourly)]
    gb = usage.get("monthly_data_processed_gb")
    out.append(
        _comp("Data processed", "GB", float(gb), per_gb) if gb is not None else _usage("Data processed", "GB", per_gb)
    )
    return out


def eip(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    return [_comp("Public IPv4 address", "hours", HOURS_PER_MONTH, _price(t.number("public_ipv4_hourly"), "IPv4", t))]


def lb(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    lb_type = _text(p, "lb_type", "application")
    if lb_type != "application":
        raise NotPriced(f"{lb_type} load balancers are not in the price table (only application)")
    out = [_comp("Application load balancer", "hours", HOURS_PER_MONTH, _price(t.number("alb", "hourly"), "ALB", t))]
    lcu_price = _price(t.number("alb", "lcu_hourly"), "ALB LCU", t)
    lcu = usage.get("lcu_per_hour")
    out.append(
        _comp("Load balancer capacity units", "LCU-hours", float(lcu) * HOURS_PER_MONTH, lcu_price)
        if lcu is not None
        else _usage("Load balancer capacity units", "LCU-hours", lcu_price)
    )
    return out


def lambda_fn(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    _need_usage(usage, p, "monthly_requests")
    requests = float(usage["monthly_requests"])
    duration_ms = float(usage.get("request_duration_ms", 100.0))
    memory = _num(p, "memory_mb", default=128.0) or 128.0
    arch = p.attrs.get("architectures")
    arm = isinstance(arch, list) and "arm64" in arch
    gb_s_price = _price(t.number("lambda", "per_gb_second_arm" if arm else "per_gb_second_x86"), "Lambda GB-s", t)
    return [
        _comp(
            "Requests", "1M requests", requests / 1e6, _price(t.number("lambda", "per_million_requests"), "Lambda", t)
        ),
        _comp(
            f"Duration ({'arm64' if arm else 'x86_64'}, {memory:.0f} MB)",
            "GB-seconds",
            requests * duration_ms / 1000.0 * memory / 1024.0,
            gb_s_price,
        ),
    ]


def s3(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    _need_usage(usage, p, "storage_gb", "monthly_tier_1_requests", "monthly_tier_2_requests")
    return [
        _comp(
            "Standard storage",
            "GB-months",
            float(usage.get("storage_gb", 0.0)),
            _price(t.number("s3", "standard_gb_month"), "S3 storage", t),
        ),
        _comp(
            "PUT, COPY, POST, LIST requests",
            "1k requests",
            float(usage.get("monthly_tier_1_requests", 0.0)) / 1e3,
            _price(t.number("s3", "tier1_per_1000"), "S3 tier 1 requests", t),
        ),
        _comp(
            "GET, SELECT and other requests",
            "1k requests",
            float(usage.get("monthly_tier_2_requests", 0.0)) / 1e3,
            _price(t.number("s3", "tier2_per_1000"), "S3 tier 2 requests", t),
        ),
    ]


def dynamodb(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    mode = _text(p, "billing_mode", "PROVISIONED").upper()
    storage_price = _price(t.number("dynamodb", "storage_gb_month"), "DynamoDB storage", t)
    if mode == "PAY_PER_REQUEST":
        _need_usage(usage, p, "monthly_write_request_units", "monthly_read_request_units", "storage_gb")
        out = [
            _comp(
                "Write request units",
                "1M WRU",
                float(usage.get("monthly_write_request_units", 0.0)) / 1e6,
                _price(t.number("dynamodb", "write_per_million"), "DynamoDB writes", t),
            ),
            _comp(
                "Read request units",
                "1M RRU",
                float(usage.get("monthly_read_request_units", 0.0)) / 1e6,
                _price(t.number("dynamodb", "read_per_million"), "DynamoDB reads", t),
            ),
        ]
    else:
        wcu, rcu = _num(p, "wcu"), _num(p, "rcu")
        if wcu is None or rcu is None:
            raise NotPriced("provisioned table without read/write capacity units")
        out = [
            _comp(
                "Write capacity",
                "WCU-hours",
                wcu * HOURS_PER_MONTH,
                _price(t.number("dynamodb", "wcu_hourly"), "WCU", t),
            ),
            _comp(
                "Read capacity",
                "RCU-hours",
                rcu * HOURS_PER_MONTH,
                _price(t.number("dynamodb", "rcu_hourly"), "RCU", t),
            ),
        ]
    gb = usage.get("storage_gb")
    out.append(
        _comp("Storage", "GB-months", float(gb), storage_price)
        if gb is not None
        else _usage("Storage", "GB-months", storage_price)
    )
    return out


def sqs(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    _need_usage(usage, p, "monthly_requests")
    fifo = _flag(p, "fifo")
    price = _price(t.number("sqs", "fifo_per_million" if fifo else "standard_per_million"), "SQS requests", t)
    return [
        _comp(
            f"Requests ({'FIFO' if fifo else 'standard'})", "1M requests", float(usage["monthly_requests"]) / 1e6, price
        )
    ]


def sns(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    _need_usage(usage, p, "monthly_requests")
    price = _price(t.number("sns", "publish_per_million"), "SNS publishes", t)
    return [_comp("Publish requests", "1M requests", float(usage["monthly_requests"]) / 1e6, price)]


def alarm(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    high = (_num(p, "period", default=60.0) or 60.0) < 60
    key = "high_resolution_alarm_month" if high else "alarm_month"
    name = "High-resolution alarm" if high else "Standard-resolution alarm"
    return [_comp(name, "alarm-months", 1.0, _price(t.number("cloudwatch", key), "CloudWatch alarms", t))]


def kms(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    return [_comp("Customer managed key", "months", 1.0, _price(t.number("kms", "key_month"), "KMS keys", t))]


def secret(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    return [_comp("Secret", "months", 1.0, _price(t.number("secretsmanager", "secret_month"), "secrets", t))]


def ssm_parameter(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    tier = p.attrs.get("tier")
    if isinstance(tier, Unresolved):
        raise NotPriced(f"tier is only known at deploy time ({tier.expr}); Advanced parameters cost, Standard do not")
    tier = str(tier or "Standard").casefold()
    if tier == "intelligent-tiering":  # Standard unless the parameter needs Advanced (a large value, or policies)
        value = p.attrs.get("value")
        if p.attrs.get("policies") or (isinstance(value, str) and len(value.encode()) > _SSM_STANDARD_MAX_BYTES):
            tier = "advanced"
        elif isinstance(value, Unresolved):
            raise NotPriced("Intelligent-Tiering: Standard (free) or Advanced depends on a value known at deploy time")
        else:
            tier = "standard"
    if tier == "standard":
        raise NoCharge
    if tier != "advanced":
        raise NotPriced(f"unknown parameter tier {p.attrs.get('tier')!r} (Standard, Advanced or Intelligent-Tiering)")
    price = t.number("ssm", "advanced_parameter_month") or SSM_ADVANCED_PARAMETER_MONTH
    return [_comp("Advanced parameter", "parameter-months", 1.0, price)]


def nested_stack(p: Priceable, t: PriceTable, usage: UsageValues) -> list[CostComponent]:
    raise NotPriced(
        "nested stack: its cost is that of its own resources, which are in another template; "
        "run the gate on that template to price them"
    )


RULES: dict[str, Rule] = {
    "ec2": ec2,
    "ebs": ebs,
    "rds": rds,
    "nat": nat,
    "eip": eip,
    "lb": lb,
    "lambda": lambda_fn,
    "s3": s3,
    "dynamodb": dynamodb,
    "sqs": sqs,
    "sns": sns,
    "alarm": alarm,
    "kms": kms,
    "secret": secret,
    "ssm-parameter": ssm_parameter,
    "nested-stack": nested_stack,
    "rds-cluster": rules_clusters.rds_cluster,
    "eks": rules_clusters.eks_cluster,
    "eks-nodegroup": rules_clusters.eks_nodegroup,
    "neptune": rules_search_graph.neptune_instance,
    "neptune-cluster": rules_search_graph.neptune_cluster,
    "opensearch": rules_search_graph.opensearch_domain,
}


def estimate(p: Priceable, table: PriceTable, usage: UsageValues) -> Estimate:
    if p.kind == "free":
        return Estimate(free=True)
    rule = RULES.get(p.kind)
    if rule is None:
        return Estimate(not_estimated=f"no price rule for {p.type} yet")
    try:
        return Estimate(components=tuple(rule(p, table, usage)))
    except NoCharge:
        return Estimate(free=True)
    except NotPriced as exc:
        return Estimate(not_estimated=str(exc))
