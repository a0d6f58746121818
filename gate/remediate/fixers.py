"""One fixer per fixable rule: it edits a CloudFormation resource body (a plain dict) in place.

Each service's fixers are in its folder (``gate/services/<name>/fixers.py``, gathered from
:data:`gate.services.CATALOG`); the cross-service rules' fixers are here.  A rule with no fixer is not fixable
automatically (opening ports, KMS keys with policies, log encryption): the finding's remediation text says
what to do.  Fixers set the secure value and nothing else.

The least-privilege fixers are different: they narrow IAM statements to what the template *seems* to need
(``s3:*`` on ``*`` becomes the bucket actions on the template's one bucket), a guess that can break a workload.
They are listed in ``LEAST_PRIVILEGE`` and applied only when asked (``devops-gate fix --include-least-privilege``).
"""

from __future__ import annotations

from typing import Any

from gate.services import CATALOG
from gate.services.fix_kit import narrow_iam, props
from gate.services.kit import Fixer

__all__ = ["FIXERS", "LEAST_PRIVILEGE", "Fixer"]


def _db_password(body: dict[str, Any], _: dict[str, str]) -> None:
    found = props(body)
    if "MasterUserPassword" in found and body.get("Type") in ("AWS::RDS::DBInstance", "AWS::RDS::DBCluster"):
        del found["MasterUserPassword"]
        found["ManageMasterUserPassword"] = True


FIXERS: dict[str, Fixer] = {
    **{check_id: fixer for service in CATALOG.values() for check_id, fixer in service.fixers.items()},
    "GATE-LP-001": narrow_iam,
    "GATE-SECRET-005": _db_password,
}

# Fixes that narrow IAM policies by a guess of what the workload needs: never applied unless asked for.
LEAST_PRIVILEGE: frozenset[str] = frozenset(check_id for check_id, fixer in FIXERS.items() if fixer is narrow_iam)
