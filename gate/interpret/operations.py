"""One-off operations on something that exists ('take a manual snapshot of orders-prod-pg before the migration',
'reboot the database billing-db'): not an infrastructure change, so the gate builds nothing and says so, naming
the operation and the command that does it, instead of reporting that it found no resource."""

from __future__ import annotations

import re
from dataclasses import dataclass

from gate.errors import GateError

_TARGET = (
    r"(?:the\s+)?(?:existing\s+|current\s+)?(?:(?:rds\s+|db\s+|database\s+|ebs\s+)?(?:instance|database|db|volume|"
    r"cluster)\s+)?[\"'`]?(?P<target>[A-Za-z][\w.:/]*[-_\d][\w.:/-]*[A-Za-z0-9])"  # an id: 'orders-db', 'vol-0ab'
)


@dataclass(frozen=True)
class Operation:
    label: str
    pattern: str
    command: str  # the AWS CLI call that does it, with {target}


OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "a manual snapshot",
        rf"\b(?:take|create|make|grab|do|run|trigger|kick\s+off)\s+(?:a\s+|an\s+)?(?:manual\s+|one-?off\s+|quick\s+|"
        rf"fresh\s+|final\s+)?(?:rds\s+|db\s+|database\s+|ebs\s+)?(?:snapshot|backup)\s+(?:of|for)\s+{_TARGET}",
        "aws rds create-db-snapshot --db-instance-identifier {target} --db-snapshot-identifier {target}-manual "
        "(a volume: aws ec2 create-snapshot --volume-id {target})",
    ),
    Operation(
        "a manual snapshot",
        rf"(?:^|[.!?:]\s+|\b(?:please|someone|you|to|and|then)\s+)(?:snapshot|back\s+up)\s+{_TARGET}",
        "aws rds create-db-snapshot --db-instance-identifier {target} --db-snapshot-identifier {target}-manual",
    ),
    Operation(
        "a reboot",
        rf"\b(?:reboot|restart|bounce)\s+{_TARGET}",
        "aws rds reboot-db-instance --db-instance-identifier {target} (an instance: aws ec2 reboot-instances)",
    ),
    Operation(
        "a failover",
        rf"\b(?:fail\s+over|force\s+a\s+failover\s+(?:of|on))\s+{_TARGET}",
        "aws rds reboot-db-instance --db-instance-identifier {target} --force-failover",
    ),
)
_COMPILED = tuple((o, re.compile(o.pattern, re.I)) for o in OPERATIONS)


def refuse_one_off(request: str) -> None:
    """A request that creates nothing and asks for a one-off operation: refused, naming the operation."""
    for operation, pattern in _COMPILED:
        found = pattern.search(request)
        if found is None:
            continue
        target = found.group("target")
        raise GateError(
            f"the request asks for a one-off operation, {operation.label} of {target} ({found.group(0)!r}), not an "
            "infrastructure change: the gate plans resources to create and builds nothing for it",
            fix=f"run it directly, e.g. '{operation.command.format(target=target)}'; to keep snapshots on a schedule, "
            "ask for it as a change, e.g. 'keep automated backups of the database for 14 days'",
        )
