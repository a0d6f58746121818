"""EC2 instances (with their EBS volumes) and EBS volumes: on-demand Linux hours and EBS storage."""

from __future__ import annotations

from gate.cost.priceable import Priceable
from gate.cost.prices import HOURS_PER_MONTH, PriceTable
from gate.cost.rule_kit import NotPriced, _comp, _num, _price, _text
from gate.cost.usage import UsageValues
from gate.models import CostComponent
from gate.services.kit import PriceRule, Pricing


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


PRICING = Pricing(
    rules=(
        PriceRule(
            "ec2",
            ec2,
            ("AWS::EC2::Instance",),
            ("aws_instance",),
            {"instance_type": "InstanceType", "tenancy": "Tenancy"},
            {"instance_type": "instance_type", "tenancy": "tenancy"},
        ),
        PriceRule(
            "ebs",
            ebs,
            ("AWS::EC2::Volume",),
            ("aws_ebs_volume",),
            {"gb": "Size", "type": "VolumeType", "iops": "Iops", "throughput": "Throughput"},
            {"gb": "size", "type": "type", "iops": "iops", "throughput": "throughput"},
        ),
    ),
    free=frozenset(
        {
            "AWS::EC2::SecurityGroup",
            "AWS::EC2::SecurityGroupIngress",
            "AWS::EC2::SecurityGroupEgress",
            "AWS::EC2::LaunchTemplate",
            "AWS::EC2::KeyPair",
            "aws_security_group",
            "aws_security_group_rule",
            "aws_launch_template",
            "aws_key_pair",
            "aws_volume_attachment",
        }
    ),
)
