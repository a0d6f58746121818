"""AWS managed policies named in a request ('attach AWSLambdaBasicExecutionRole', 'the SecurityAudit managed
policy'): each by its name and path, so its ARN is arn:aws:iam::aws:policy/<path><name>.

A name the table does not know but that reads as one (CamelCase, after 'attach' or before 'managed policy') is
taken as written at the root path, and the reviewer is told to check it.  Policies that grant (nearly)
everything are refused and named as dangerous.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from gate.errors import GateError
from gate.interpret.mentions import Mention
from gate.spec_ops import DANGEROUS_MANAGED

_SERVICE_ROLE = (
    "AWSLambdaBasicExecutionRole AWSLambdaVPCAccessExecutionRole AWSLambdaSQSQueueExecutionRole "
    "AWSLambdaKinesisExecutionRole AWSLambdaDynamoDBExecutionRole AWSLambdaMSKExecutionRole AWSLambdaRole "
    "AmazonECSTaskExecutionRolePolicy AmazonEC2ContainerServiceforEC2Role AmazonEC2ContainerServiceRole "
    "AWSGlueServiceRole AmazonSSMAutomationRole AWSCodeDeployRole AWSCodeDeployRoleForLambda AWS_ConfigRole "
    "AmazonAPIGatewayPushToCloudWatchLogs AWSBatchServiceRole AmazonEMRServicePolicy_v2 AWSIoTLogging "
    "AWSElasticBeanstalkEnhancedHealth"
)
_JOB_FUNCTION = (
    "ViewOnlyAccess DatabaseAdministrator DataScientist NetworkAdministrator SystemAdministrator SupportUser Billing"
)
_ROOT = (
    "ReadOnlyAccess SecurityAudit AdministratorAccess PowerUserAccess IAMFullAccess IAMReadOnlyAccess "
    "AmazonSSMManagedInstanceCore AmazonSSMReadOnlyAccess CloudWatchAgentServerPolicy CloudWatchReadOnlyAccess "
    "CloudWatchLogsReadOnlyAccess CloudWatchLogsFullAccess AmazonS3ReadOnlyAccess AmazonS3FullAccess "
    "AmazonDynamoDBReadOnlyAccess AmazonDynamoDBFullAccess AmazonSQSReadOnlyAccess AmazonSQSFullAccess "
    "AmazonSNSReadOnlyAccess AmazonSNSFullAccess AmazonAthenaFullAccess AmazonEC2ReadOnlyAccess AmazonEC2FullAccess "
    "AmazonRDSReadOnlyAccess AmazonRDSFullAccess AWSXRayDaemonWriteAccess AWSXrayWriteOnlyAccess "
    "AmazonEC2ContainerRegistryReadOnly AmazonEC2ContainerRegistryPowerUser AWSCloudTrail_ReadOnlyAccess "
    "AWSSupportAccess AWSLambda_ReadOnlyAccess AWSLambda_FullAccess AmazonKinesisReadOnlyAccess "
    "AmazonVPCReadOnlyAccess AWSCodeCommitReadOnly AWSBillingReadOnlyAccess AWSHealthFullAccess "
    "AmazonInspector2ReadOnlyAccess AWSSecurityHubReadOnlyAccess AmazonGuardDutyReadOnlyAccess"
)
KNOWN: dict[str, str] = {
    **{n: f"service-role/{n}" for n in _SERVICE_ROLE.split()},
    **{n: f"job-function/{n}" for n in _JOB_FUNCTION.split()},
    **{n: n for n in _ROOT.split()},
}
_KNOWN_RE = re.compile(r"(?<![\w/-])(?:(?:service-role|job-function)/)?(" + "|".join(
    sorted(map(re.escape, KNOWN), key=len, reverse=True)) + r")(?![\w-])")  # fmt: skip
# an unknown name that reads as a managed policy: 'attach FooBarAccess', 'the FooBar managed policy'
_UNKNOWN_RE = re.compile(
    r"\battach(?:es|ed|ing)?\s+(?:the\s+)?(?:aws\s+managed\s+(?:policy\s+)?)?`?(?P<a>(?:Amazon|AWS)?[A-Z][a-z0-9]+"
    r"(?:[A-Z0-9_][A-Za-z0-9]*)+)`?|`?(?P<b>[A-Z][a-z0-9]+(?:[A-Z0-9_][A-Za-z0-9]*)+)`?\s+(?:aws\s+)?managed\s+polic",
)


@dataclass(frozen=True)
class Named:
    path_name: str  # 'service-role/AWSLambdaBasicExecutionRole'
    start: int
    end: int
    known: bool


def named(text: str) -> list[Named]:
    """Every AWS managed policy the text names, in order, refusing a dangerous one."""
    out: list[Named] = []
    for found in _KNOWN_RE.finditer(text):
        out.append(Named(KNOWN[found.group(1)], found.start(), found.end(), True))
    for found in _UNKNOWN_RE.finditer(text):
        name = found.group("a") or found.group("b")
        start = found.start("a") if found.group("a") else found.start("b")
        if name in KNOWN or any(n.start <= start < n.end for n in out):
            continue
        out.append(Named(name, start, start + len(name), False))
    for n in out:
        if n.path_name.split("/")[-1] in DANGEROUS_MANAGED:
            raise GateError(
                f"the request attaches the AWS managed policy {n.path_name}, which is dangerous: it grants (nearly) "
                "every action on every resource, and the gate refuses it (least privilege)",
                fix="name the actions and resources the role needs, e.g. 'a policy allowing s3:GetObject on "
                "arn:aws:s3:::reports/*', or a narrower managed policy such as ReadOnlyAccess",
            )
    return sorted(out, key=lambda n: n.start)


_POLICY_AFTER = re.compile(r"[`'\"]?\s+(?:aws[- ]managed\s+|managed\s+|iam\s+)?polic(?:y|ies)\b", re.I)


def as_settings(text: str, mentions: list[Mention]) -> list[Mention]:
    """An AWS managed policy named in the request is a setting of the role it is attached to, never a policy to
    create nor an existing one to change: 'Attach the SecurityAudit managed policy' (each name is kept as a
    setting mention, so its sentence reads as understood)."""
    found = _safe_named(text)
    if not found:
        return mentions
    out: list[Mention] = []
    for m in mentions:
        after_name = any(n.end <= m.start and _ends_at(text, n.end, m.end) for n in found)
        out.append(replace(m, kind="_setting", reference=True) if m.kind == "iam_policy" and after_name else m)
    out += [Mention("_setting", n.start, n.end, text[n.start : n.end], True) for n in found]
    return sorted(out, key=lambda m: m.start)


def _ends_at(text: str, start: int, end: int) -> bool:
    after = _POLICY_AFTER.match(text, start)
    return after is not None and after.end() >= end


def _safe_named(text: str) -> list[Named]:
    try:
        return named(text)
    except GateError:
        return []  # the role's recogniser refuses it, naming the policy
