"""Fixes as text: per resource, the fixed YAML block that replaces its lines (a GitHub suggestion), the same
as a unified diff, and whole fixed files (for ``devops-gate fix`` and for generated templates).

YAML CloudFormation only: the resource's lines are re-rendered (short-form intrinsics kept; comments inside
that resource are lost, which the suggestion shows before anyone accepts it).  JSON templates are rewritten
whole by ``fix``; Terraform is not patched (its findings keep their remediation text).

Least-privilege narrowing (``fixers.LEAST_PRIVILEGE``) is a guess: whole-file fixes leave it out unless
``include_least_privilege`` is set, and report what they left out (``FileFix.skipped``).  Suggestions in the
comment keep it, marked as a guess, for a person to read.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gate.checks.cfn_template import parsed_template
from gate.models import Finding, GatePlan, IaCBundle, IaCFile, Suggestion
from gate.redact import find_secrets, redact
from gate.remediate.fixers import FIXERS, LEAST_PRIVILEGE
from gate.synth import cfn_yaml


@dataclass(frozen=True)
class FileFix:
    path: str
    original: str
    fixed: str
    applied: tuple[tuple[str, str], ...]  # (resource, check id)
    skipped: tuple[tuple[str, str], ...] = ()  # (resource, check id): least-privilege narrowing not asked for

    @property
    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.original.splitlines(keepends=True),
                self.fixed.splitlines(keepends=True),
                fromfile=f"a/{self.path}",
                tofile=f"b/{self.path}",
            )
        )


def fence(text: str) -> str:
    """A code fence longer than any backtick run in ``text``, so the PR's own text cannot close it early."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def fixable(finding: Finding, include_least_privilege: bool = False) -> bool:
    """Whether a fix applies this finding (least-privilege narrowing only when ``include_least_privilege``)."""
    if finding.check_id in LEAST_PRIVILEGE and not include_least_privilege:
        return False
    return finding.check_id in FIXERS and finding.resource is not None and finding.waived is None


def skipped_least_privilege(file: IaCFile, findings: list[Finding]) -> tuple[tuple[str, str], ...]:
    """(resource, check id) of the least-privilege fixes a fix of ``file`` leaves out when not asked for them."""
    out: list[tuple[str, str]] = []
    for f in findings:
        item = (str(f.resource), f.check_id)
        if f.file == file.path and f.check_id in LEAST_PRIVILEGE and fixable(f, True) and item not in out:
            out.append(item)
    return tuple(out)


def _plain(node: Any) -> Any:
    """cfn-lint's decoded nodes -> plain dicts, lists and scalars (keeping key order)."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def _span(node: Any, lines: list[str]) -> tuple[int, int] | None:
    """0-based [start, end) lines of a resource body, without trailing blank or comment-only lines."""
    start, end = getattr(node, "start_mark", None), getattr(node, "end_mark", None)
    if start is None or end is None:
        return None
    first, stop = int(start.line), int(end.line)
    if stop < len(lines) and lines[stop][: int(end.column)].strip():
        stop += 1  # the mapping ends inside this line (a flow mapping's closing brace)
    stop = min(stop, len(lines))
    while stop > first + 1 and (not lines[stop - 1].strip() or lines[stop - 1].lstrip().startswith("#")):
        stop -= 1
    return first, stop


def _render(body: dict[str, Any], indent: int) -> list[str]:
    text = cfn_yaml.dump(body)
    return [(" " * indent + line) if line else line for line in text.rstrip("\n").split("\n")]


@dataclass(frozen=True)
class _Block:
    resource: str
    start: int
    stop: int
    new_lines: list[str]
    check_ids: tuple[str, ...]


def _blocks(file: IaCFile, findings: list[Finding], for_comment: bool, include_least_privilege: bool) -> list[_Block]:
    wanted: dict[str, list[str]] = defaultdict(list)
    for f in findings:
        if f.file == file.path and fixable(f, include_least_privilege) and f.check_id not in wanted[str(f.resource)]:
            wanted[str(f.resource)].append(f.check_id)
    if not wanted or file.format != "cloudformation" or file.content.lstrip().startswith("{"):
        return []
    template = parsed_template(file.content, file.path)
    resources = template.get("Resources") or {}
    types = {str(k): str(v.get("Type", "")) for k, v in resources.items() if isinstance(v, dict)}
    lines = file.content.splitlines()
    out: list[_Block] = []
    for logical, check_ids in wanted.items():
        node = resources.get(logical)
        span = _span(node, lines) if isinstance(node, dict) else None
        if span is None:
            continue
        body = _plain(node)
        fixed = copy.deepcopy(body)
        for check_id in check_ids:
            FIXERS[check_id](fixed, types)
        if fixed == body:
            continue
        new_lines = _render(fixed, int(getattr(node, "start_mark").column))  # noqa: B009 - checked by _span
        new_text = "\n".join(new_lines)
        if for_comment and (find_secrets(new_text) or "<!--" in new_text):
            continue  # never put a secret (or a hidden marker) into a comment
        out.append(_Block(logical, span[0], span[1], new_lines, tuple(check_ids)))
    return sorted(out, key=lambda b: b.start)


def suggestions(bundle: IaCBundle, findings: tuple[Finding, ...]) -> tuple[Suggestion, ...]:
    """One suggestion per fixable resource of hand-written YAML CloudFormation."""
    if bundle.origin != "hand-written":
        return ()
    out: list[Suggestion] = []
    for file in bundle.files:
        lines = file.content.splitlines(keepends=True)
        for block in _blocks(file, list(findings), for_comment=True, include_least_privilege=True):
            replacement = "\n".join(block.new_lines) + "\n"
            diff = "".join(
                difflib.unified_diff(
                    lines[block.start : block.stop],
                    replacement.splitlines(keepends=True),
                    fromfile=f"a/{file.path}",
                    tofile=f"b/{file.path}",
                    n=0,
                )
            )
            out.append(
                Suggestion(
                    file=file.path,
                    start_line=block.start + 1,
                    end_line=block.stop,
                    resource=block.resource,
                    check_ids=block.check_ids,
                    replacement=replacement,
                    diff=redact(diff),  # the removed lines may hold the secret the fix takes out
                )
            )
    return tuple(out)


def fix_file(file: IaCFile, findings: list[Finding], include_least_privilege: bool = False) -> FileFix | None:
    """The whole file with every fixable finding fixed (None when nothing changes).

    Least-privilege narrowing is left out unless ``include_least_privilege``; what was left out is in
    ``FileFix.skipped`` (a FileFix with no change but something skipped still comes back, to say so).
    """
    if file.format != "cloudformation":
        return None
    skipped = () if include_least_privilege else skipped_least_privilege(file, findings)
    if file.content.lstrip().startswith("{"):
        return _fix_json(file, findings, include_least_privilege, skipped)
    lines = file.content.splitlines(keepends=True)
    blocks = _blocks(file, findings, for_comment=False, include_least_privilege=include_least_privilege)
    if not blocks:
        return FileFix(file.path, file.content, file.content, (), skipped) if skipped else None
    for block in reversed(blocks):
        lines[block.start : block.stop] = [line + "\n" for line in block.new_lines]
    applied = tuple((b.resource, c) for b in blocks for c in b.check_ids)
    return FileFix(file.path, file.content, "".join(lines), applied, skipped)


def _fix_json(
    file: IaCFile, findings: list[Finding], include_least_privilege: bool, skipped: tuple[tuple[str, str], ...]
) -> FileFix | None:
    template = _plain(parsed_template(file.content, file.path))
    resources = template.get("Resources") or {}
    types = {k: str(v.get("Type", "")) for k, v in resources.items() if isinstance(v, dict)}
    applied: list[tuple[str, str]] = []
    for f in findings:
        if f.file == file.path and fixable(f, include_least_privilege) and isinstance(resources.get(f.resource), dict):
            before = copy.deepcopy(resources[f.resource])
            FIXERS[f.check_id](resources[f.resource], types)
            if resources[f.resource] != before:
                applied.append((str(f.resource), f.check_id))
    if not applied:
        return FileFix(file.path, file.content, file.content, (), skipped) if skipped else None
    return FileFix(file.path, file.content, json.dumps(template, indent=2) + "\n", tuple(applied), skipped)


def fixed_templates(bundle: IaCBundle, findings: tuple[Finding, ...]) -> dict[str, str]:
    """For generated IaC: each template with its fixable findings fixed (path -> fixed text)."""
    out: dict[str, str] = {}
    for file in bundle.files:
        result = fix_file(file, list(findings))
        if result is not None and result.applied:
            out[file.path] = result.fixed
    return out


def write_fixed(plan: GatePlan, out_dir: Path) -> dict[str, Path]:
    """For generated IaC: ``<name>.fixed.yaml`` next to each template that has fixable findings."""
    if plan.iac.origin != "synthesised":
        return {}
    written: dict[str, Path] = {}
    for path, text in fixed_templates(plan.iac, plan.findings).items():
        name = Path(path)
        target = out_dir / name.with_name(f"{name.stem}.fixed{name.suffix}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written[str(target.relative_to(out_dir))] = target
    return written
