"""Our own policies (each service's ``gate/services/<svc>/policies/*.yaml``, plus organisation folders named in
``.gate.yml``), over CloudFormation and Terraform alike (Terraform through :mod:`gate.checks.terraform_model`)."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gate.checks import terraform_model
from gate.checks.base import CheckInput, not_evaluated
from gate.checks.builtin_rules import builtin_rules
from gate.checks.cfn_template import checked_template
from gate.checks.policy_rules import PolicyRule, evaluate, load_rules
from gate.errors import GateError
from gate.models import CheckReport, Finding, IaCBundle, Severity
from gate.terraform.projects import calls_by_folder


def _line(node: Any) -> int | None:
    mark = getattr(node, "start_mark", None)
    return int(mark.line) + 1 if mark is not None else None


@dataclass(frozen=True)
class Subject:
    """One resource as the rules see it: CloudFormation shape, plus where it is."""

    logical_id: str
    body: dict[str, Any]
    file: str
    line: int | None

    @property
    def type(self) -> str:
        return str(self.body.get("Type", ""))


def load_policy_rules(policy_dirs: tuple[str, ...]) -> list[PolicyRule]:
    """Shipped rules plus the organisation's folders (read from the base branch's checkout in CI)."""
    rules = builtin_rules()
    for folder in policy_dirs:
        path = Path(folder)
        if not path.is_dir():
            raise GateError(
                f"policy folder {folder!r} does not exist",
                source=".gate.yml policy_dirs",
                fix="create it or remove it from policy_dirs",
            )
        extra = load_rules(path)
        clash = {r.id for r in rules} & {r.id for r in extra}
        if clash:
            raise GateError(
                f"organisation rules reuse shipped rule ids: {', '.join(sorted(clash))}",
                source=folder,
                fix="give organisation rules their own prefix (e.g. ORG-...)",
            )
        rules.extend(extra)
    return rules


def subjects(bundle: IaCBundle, region: str) -> tuple[list[Subject], list[str]]:
    """Every resource of the bundle in CloudFormation shape (with ``Gate.Region``, and ``Gate.Source`` for a
    read replica), and what was not read."""
    out: list[Subject] = []
    skipped: list[str] = []
    callers = calls_by_folder(bundle) if any(f.role == "module" for f in bundle.files) else {}
    for file in bundle.files:
        found: list[Subject] = []
        if file.format == "cloudformation":
            try:
                readable = checked_template(file.content, file.path).resources
            except GateError:
                continue  # reported once by unread_parts, with the reason
            for logical, body in readable.items():
                view = {**body, "Gate": {"Region": region}}
                found.append(Subject(str(logical), view, file.path, _line(body)))
        else:
            resources, missed = terraform_model.resources(file.content, file.path)
            regions = terraform_model.provider_regions(file.content, file.path)
            tf_region = regions[0] if len(regions) == 1 else region
            # a module's resources: once per call, under the call's address and at the call
            calls = callers.get(posixpath.dirname(file.path) or ".", []) if file.role == "module" else [None]
            for res in resources:
                view = {**res.body, "Gate": {"Region": tf_region}}
                for call in calls:
                    if call is None:
                        found.append(Subject(res.address, view, file.path, res.line))
                    else:
                        found.append(Subject(f"{call.address}.{res.address}", view, call.file, call.line))
            skipped.extend(missed)
        _link_replicas(found)
        out.extend(found)
    return out, skipped


_REPLICA_SOURCE = "SourceDBInstanceIdentifier"
# A Terraform reference to another DB instance: aws_db_instance.main.identifier (or .arn, .id, [0]...)
_TF_DB_REF = re.compile(r"^(aws_db_instance\.[\w-]+)(?:\[\d+\])?\.\w+$")


def _source_id(value: Any) -> str | None:
    """The logical id / address a replica's source refers to, when it is a reference within the file."""
    if isinstance(value, dict) and len(value) == 1:
        key, inner = next(iter(value.items()))
        if key == "Ref" and isinstance(inner, str):
            match = _TF_DB_REF.match(inner)
            return match.group(1) if match else inner
        if key == "Fn::GetAtt":
            target = inner[0] if isinstance(inner, list) and inner else str(inner).split(".", 1)[0]
            return str(target)
    return None


def _link_replicas(items: list[Subject]) -> None:
    """Give each read replica ``Gate.Source``: the DB instance its data comes from (following a chain of
    replicas), as ``{Type, Properties}``.  A replica inherits its source's encryption and relies on its
    backups, so rules judge it by the source.  A source outside the file is an unresolved reference, so every
    rule reading it is *unknown* (reported as such), never a silent pass."""
    by_id = {item.logical_id: item for item in items}
    for item in items:
        props = item.body.get("Properties")
        if item.type != "AWS::RDS::DBInstance" or not isinstance(props, dict) or _REPLICA_SOURCE not in props:
            continue
        source: Any = props[_REPLICA_SOURCE]
        seen = {item.logical_id}
        while True:
            target = by_id.get(_source_id(source) or "")
            if target is None or target.logical_id in seen:
                origin: dict[str, Any] = {"Ref": f"source outside this file: {source!r}"[:200]}
                break
            seen.add(target.logical_id)
            target_props = target.body.get("Properties")
            if isinstance(target_props, dict) and _REPLICA_SOURCE in target_props:
                source = target_props[_REPLICA_SOURCE]
                continue
            origin = {"Type": target.type, "Properties": target_props if isinstance(target_props, dict) else {}}
            break
        item.body["Gate"] = {**item.body["Gate"], "Source": origin}


def unread_parts(bundle: IaCBundle, scanner: str) -> list[Finding]:
    """One finding per CloudFormation file with parts no rule could read (a Rain module, a loop that did
    not expand), naming them and why; the file's other resources are checked as usual."""
    out: list[Finding] = []
    for file in bundle.by_format("cloudformation"):
        try:
            missed = checked_template(file.content, file.path).not_evaluated
        except GateError as exc:
            out.append(not_evaluated(scanner, file.path, exc.render()))
            continue
        if missed:
            parts = "; ".join(f"{m.resource or 'the template'}: {m.reason}" for m in missed)
            # the same readable view is what checkov and the secrets check are given: say so once, here
            by = "any check (policies, checkov, cost)"
            out.append(not_evaluated(scanner, file.path, f"{len(missed)} part(s) of {file.path}: {parts}", by=by))
    return out


def evaluate_all(rules: list[PolicyRule], items: list[Subject]) -> Iterator[tuple[PolicyRule, Subject, str]]:
    for item in items:
        for rule in rules:
            if rule.applies_to(item.type):
                yield rule, item, evaluate(rule.require, item.body)


class PolicyCheck:
    id = "policies"
    description = "devops-gate policies (policies/ and organisation rules)"

    def rules(self, given: CheckInput) -> list[PolicyRule]:
        return load_policy_rules(given.config.policy_dirs)

    def run(self, given: CheckInput) -> CheckReport:
        if not given.bundle.files:
            return CheckReport(check=self.id, status="not-applicable", detail="no CloudFormation or Terraform")
        rules = self.rules(given)
        items, skipped = subjects(given.bundle, given.region)
        findings: list[Finding] = unread_parts(given.bundle, self.id)
        for rule, item, outcome in evaluate_all(rules, items):
            if outcome == "pass":
                continue
            unknown = outcome == "unknown"
            findings.append(
                Finding(
                    check_id=rule.id,
                    tool=self.id,
                    severity=Severity.INFO if unknown else rule.severity,
                    title=("could not verify statically: " if unknown else "") + rule.title,
                    resource=item.logical_id,
                    file=item.file,
                    line=item.line,
                    remediation=rule.remediation,
                    docs_url=rule.docs,
                    compliance=rule.compliance,
                )
            )
        detail = f"{len(rules)} rules over {len(items)} resources"
        if skipped:
            detail += f"; {len(skipped)} Terraform resource(s) of types no rule covers"
        return CheckReport(check=self.id, status="ran", findings=tuple(findings), detail=detail)
