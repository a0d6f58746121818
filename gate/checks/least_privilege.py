"""Least privilege: wildcard actions and resources in IAM policies (hand-written or requested), each with the
narrower statement proposed.

The ``GATE-IAM-*`` policies rate and gate wildcards; this check adds what to write instead (an INFO finding
per statement, so a wildcard is never counted twice).  Narrowing uses ``policies/iam-access-levels.yaml``:
``s3:*`` becomes the read and write data-plane actions of S3, ``dynamodb:Get*`` the read actions it covers,
and ``Resource: "*"`` becomes the ARNs of the template's own resources of those services.  What the data
cannot narrow (``*`` on a service the template has no resource of) is said, with the way out: record what
the role really does and run ``devops-gate narrow-role``.
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from gate import yaml_safe
from gate.checks.base import CheckInput
from gate.checks.policies import Subject, subjects
from gate.errors import GateError
from gate.models import CheckReport, Finding, Severity
from gate.paths import builtin_policy_dir

CHECK_ID = "GATE-LP-001"
IAM_TYPES = ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group")
DOCS = "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege"
_ARN_SERVICE = re.compile(r"^arn:[^:]*:([a-z0-9-]+):")


@dataclass(frozen=True)
class ServiceLevels:
    read: tuple[str, ...]
    write: tuple[str, ...]
    resource_types: dict[str, dict[str, Any]]

    @property
    def actions(self) -> tuple[str, ...]:
        return self.read + self.write


@lru_cache(maxsize=1)
def access_levels() -> dict[str, ServiceLevels]:
    path = builtin_policy_dir() / "iam-access-levels.yaml"
    try:
        raw = yaml_safe.safe_load(path.read_text(encoding="utf-8"))["services"]
        return {
            name: ServiceLevels(tuple(s["read"]), tuple(s["write"]), dict(s.get("resource_types") or {}))
            for name, s in raw.items()
        }
    except (OSError, yaml.YAMLError, KeyError, TypeError) as exc:
        raise GateError(f"bad access-level data: {exc}", source=str(path), fix="restore the file") from exc


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def statements(body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(where, statement) for every statement of an IAM resource's policy documents."""
    props = body.get("Properties") or {}
    docs: list[tuple[str, Any]] = [("PolicyDocument", props.get("PolicyDocument"))]
    for index, inline in enumerate(as_list(props.get("Policies"))):
        if isinstance(inline, dict):
            docs.append((f"Policies.{index}.PolicyDocument", inline.get("PolicyDocument")))
    out: list[tuple[str, dict[str, Any]]] = []
    for where, doc in docs:
        if not isinstance(doc, dict):
            continue
        for index, statement in enumerate(as_list(doc.get("Statement"))):
            if isinstance(statement, dict):
                out.append((f"{where}.Statement.{index}", statement))
    return out


def wildcards(statement: dict[str, Any]) -> tuple[list[str], bool]:
    """The wildcard actions of an Allow statement, and whether it allows every resource."""
    if statement.get("Effect") != "Allow":
        return [], False
    actions = [a for a in as_list(statement.get("Action")) if isinstance(a, str) and "*" in a]
    return actions, "*" in as_list(statement.get("Resource"))


def _service_of(action: str) -> str | None:
    return action.split(":", 1)[0].lower() if ":" in action else None


def _referenced_services(resource: Any, template: dict[str, str]) -> set[str]:
    found: set[str] = set()
    for item in as_list(resource):
        logical: str | None = None
        if isinstance(item, str):
            match = _ARN_SERVICE.match(item)
            if match:
                found.add(match.group(1))
            continue
        if isinstance(item, dict) and len(item) == 1:
            key, inner = next(iter(item.items()))
            if key == "Fn::GetAtt":
                logical = str(inner[0] if isinstance(inner, list) else str(inner).split(".")[0])
            elif key == "Ref":
                logical = str(inner)
            elif key == "Fn::Sub" and isinstance(inner, str):
                ref = re.search(r"\$\{([A-Za-z0-9]+)[.}]", inner)
                logical = ref.group(1) if ref else None
        rtype = template.get(logical or "")
        for name, levels in access_levels().items():
            if rtype in levels.resource_types:
                found.add(name)
    return found


def _narrow_actions(actions: list[Any], services: set[str]) -> tuple[list[str], list[str]]:
    """Wildcards replaced by the listed actions they cover; returns (actions, what could not be narrowed)."""
    levels = access_levels()
    out: list[str] = []
    unknown: list[str] = []
    for action in actions:
        if not isinstance(action, str) or "*" not in action:
            out.append(action)
            continue
        if action in ("*", "*:*"):
            if not services:
                unknown.append(action)
            for name in sorted(services):
                if name in levels:
                    out.extend(levels[name].actions)
            continue
        service = _service_of(action)
        covered = (
            [a for a in levels[service].actions if fnmatch.fnmatchcase(a.lower(), action.lower())]
            if service in levels
            else []
        )
        if covered:
            out.extend(covered)
        else:
            unknown.append(action)
            out.append(action)
    return list(dict.fromkeys(out)), unknown


def _arns(services: set[str], template: dict[str, str], terraform: bool) -> list[Any]:
    levels = access_levels()
    out: list[Any] = []
    for logical, rtype in template.items():
        for name in sorted(services):
            how = levels[name].resource_types.get(rtype) if name in levels else None
            if how is None:
                continue
            if terraform:
                base: Any = f"${{{logical}.arn}}"
                out.append(base)
                if how.get("object_suffix"):
                    out.append(f"${{{logical}.arn}}{how['object_suffix']}")
            elif how.get("ref"):
                out.append({"Ref": logical})
            else:
                out.append({"Fn::GetAtt": [logical, how["attribute"]]})
                if how.get("object_suffix"):
                    out.append({"Fn::Sub": f"${{{logical}.{how['attribute']}}}{how['object_suffix']}"})
    return out


@dataclass(frozen=True)
class Proposal:
    statement: dict[str, Any]
    changed: bool
    notes: tuple[str, ...]


def narrow_statement(statement: dict[str, Any], template: dict[str, str], terraform: bool = False) -> Proposal:
    """The narrower statement for one Allow statement (unchanged when there is nothing to narrow)."""
    wild_actions, any_resource = wildcards(statement)
    if not wild_actions and not any_resource:
        return Proposal(statement, False, ())
    notes: list[str] = []
    actions = as_list(statement.get("Action"))
    services = {s for s in (_service_of(a) for a in actions if isinstance(a, str)) if s}
    if any(a in ("*", "*:*") for a in actions):
        services = _referenced_services(statement.get("Resource"), template)
        if not services and any_resource:
            services = {
                name for name, lv in access_levels().items() for t in template.values() if t in lv.resource_types
            }
    new_actions, unknown = _narrow_actions(actions, services)
    if unknown:
        notes.append(f"no data to narrow {', '.join(unknown)}: record the role's use and run devops-gate narrow-role")
    new = dict(statement)
    new["Action"] = new_actions if len(new_actions) != 1 else new_actions[0]
    if any_resource:
        arns = _arns({s for s in (_service_of(a) for a in new_actions if isinstance(a, str)) if s}, template, terraform)
        if arns:
            others = [r for r in as_list(statement.get("Resource")) if r != "*"]
            new["Resource"] = others + arns
        else:
            notes.append('no resource of these services in the template: "Resource": "*" kept; name the ARNs')
    changed = new != statement
    return Proposal(new, changed, tuple(notes))


def narrow_body(
    body: dict[str, Any], template: dict[str, str], terraform: bool = False
) -> tuple[dict[str, Any], list[str]]:
    """An IAM resource with every statement narrowed (a deep copy), and the notes."""
    new = json.loads(json.dumps(body, default=str))
    notes: list[str] = []
    for _where, statement in statements(new):
        proposal = narrow_statement(statement, template, terraform)
        notes.extend(proposal.notes)
        if proposal.changed:
            statement.clear()
            statement.update(proposal.statement)
    return new, notes


def _short(value: Any, limit: int = 220) -> str:
    text = json.dumps(value, separators=(",", ":"), default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class LeastPrivilegeCheck:
    id = "least-privilege"
    description = "wildcard IAM actions/resources, with the narrower policy proposed"

    def run(self, given: CheckInput) -> CheckReport:
        items, _ = subjects(given.bundle, given.region)
        by_file: dict[str, dict[str, str]] = {}
        for item in items:
            by_file.setdefault(item.file, {})[item.logical_id] = item.type
        findings: list[Finding] = []
        iam = [item for item in items if item.type in IAM_TYPES]
        for item in iam:
            findings.extend(self._findings(item, by_file[item.file], item.logical_id.startswith("aws_")))
        return CheckReport(
            check=self.id, status="ran", findings=tuple(findings), detail=f"{len(iam)} IAM resource(s) read"
        )

    def _findings(self, item: Subject, template: dict[str, str], terraform: bool) -> list[Finding]:
        out: list[Finding] = []
        for where, statement in statements(item.body):
            proposal = narrow_statement(statement, template, terraform)
            if not proposal.changed and not proposal.notes:
                continue
            wild, any_resource = wildcards(statement)
            what = ", ".join(wild) + (" on every resource" if any_resource else "")
            fix = (
                (
                    "Proposed: "
                    + _short({k: proposal.statement[k] for k in ("Action", "Resource") if k in proposal.statement})
                )
                if proposal.changed
                else ""
            )
            fix = "; ".join(x for x in (fix, *proposal.notes) if x)
            out.append(
                Finding(
                    check_id=CHECK_ID,
                    tool=self.id,
                    severity=Severity.INFO,
                    title=f"wildcard in {where} ({what.strip(', ')}): narrower statement proposed",
                    resource=item.logical_id,
                    file=item.file,
                    line=item.line,
                    remediation=fix,
                    docs_url=DOCS,
                    compliance=("PCI-DSS-7.2.1", "HIPAA-164.308(a)(4)", "AWS-WA-SEC03"),
                )
            )
        return out
