"""RDS DB instances: instance hours (Multi-AZ doubles them), storage and provisioned IOPS."""

from __future__ import annotations

from gate.cost.priceable import Priceable
from gate.cost.prices import HOURS_PER_MONTH, PriceTable
from gate.cost.rule_kit import NotPriced, _comp, _flag, _num, _price, _text
from gate.cost.usage import UsageValues
from gate.models import CostComponent
from gate.services.kit import PriceRule, Pricing

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
    if priced_as is None and _text(p, "source_db", ""):
        raise NotPriced("a read replica runs its source's engine, which the change does not state: name it")
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


PRICING = Pricing(
    rules=(
        PriceRule(
            "rds",
            rds,
            ("AWS::RDS::DBInstance",),
            ("aws_db_instance", "aws_rds_cluster_instance"),
            {
                "instance_class": "DBInstanceClass",
                "engine": "Engine",
                "multi_az": "MultiAZ",
                "storage_gb": "AllocatedStorage",
                "storage_type": "StorageType",
                "iops": "Iops",
                "source_db": "SourceDBInstanceIdentifier",
            },
            {
                "instance_class": "instance_class",
                "engine": "engine",
                "multi_az": "multi_az",
                "storage_gb": "allocated_storage",
                "storage_type": "storage_type",
                "iops": "iops",
                "source_db": "replicate_source_db",
            },
        ),
    ),
    # subnet, parameter and option groups cost nothing by themselves
    free=frozenset(
        {
            "AWS::RDS::DBSubnetGroup",
            "aws_db_subnet_group",
            "AWS::RDS::DBParameterGroup",
            "aws_db_parameter_group",
            "AWS::RDS::OptionGroup",
            "aws_db_option_group",
        }
    ),
)
