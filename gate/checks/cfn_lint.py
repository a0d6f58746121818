"""cfn-lint, in-process (``cfnlint.api.lint``). E-rules mean the template would fail to deploy.

One cfn-lint run for every template (the CLI's way: rules load once, not once per file). On a folder of many
templates the run is shared between this process and one forked child: the rules load once, the first templates
(``WARM`` of the bytes) are linted here, then the rest in two contiguous parts of about equal size, the second
in the child, which inherits the resource schemas and validators loaded so far. cfn-lint lints each template
on its own, so the findings of the parts, in order, are the findings of one run, in the same order. The
child is used only where the checkov worker may fork (Linux, one thread, ``DEVOPS_GATE_SCAN`` not ``inline``);
a child that fails is not a lost check: its part is linted here."""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from gate.checks import scan_worker
from gate.checks.base import CheckInput
from gate.models import CheckReport, Finding, Severity

_SEVERITY = {"E": Severity.HIGH, "W": Severity.LOW, "I": Severity.INFO}
SPLIT_FROM = 8  # templates: below this a second process costs more (its fork, its schemas) than it saves
WARM = 0.15  # of the bytes, linted here before the fork

Lint = Callable[[list[str]], list[Finding]]


class CfnLintCheck:
    id = "cfn-lint"
    description = "CloudFormation template validation (cfn-lint)"

    def run(self, given: CheckInput) -> CheckReport:
        files = given.bundle.by_format("cloudformation")
        if not files:
            return CheckReport(check=self.id, status="not-applicable", detail="no CloudFormation template")
        from cfnlint.api import ManualArgs
        from cfnlint.config import ConfigMixIn
        from cfnlint.runner.cli import Runner
        from cfnlint.runner.template.runner import run_template_by_file_paths

        by_path = {str(given.path_of(f.path).resolve()): f.path for f in files}
        sizes = {str(given.path_of(f.path).resolve()): len(f.content) for f in files}
        ignore = list(given.config.checks.cfn_lint_ignore)

        def config(templates: list[str]) -> Any:
            return ConfigMixIn(**ManualArgs(templates=templates, regions=[given.region], ignore_checks=ignore))

        templates = list(by_path)
        whole = config(templates)
        try:  # what cfnlint.api.lint_by_config does first
            whole.validate()
        except ValueError as exc:
            from cfnlint.rules import Match
            from cfnlint.rules.errors import ConfigError

            return _report([_finding(Match.create(message=str(exc), filename="", rule=ConfigError()), by_path)])
        rules = Runner(whole).rules  # once, for every part: the rule set and the schemas it loads are shared

        def lint(part: list[str]) -> list[Finding]:
            return [_finding(match, by_path) for match in run_template_by_file_paths(config(part), rules)]

        if len(templates) < SPLIT_FROM or scan_worker.mode() != "process":
            return _report(lint(templates))
        # the first templates here first: the fork then inherits the schemas and validators they loaded
        warm, rest = _cut(templates, sizes, WARM)
        found = lint(warm)
        first, second = _cut(rest, sizes, 0.5)
        return _report(found + _lint_two(lint, first, second))


def _report(findings: list[Finding]) -> CheckReport:
    return CheckReport(check=CfnLintCheck.id, status="ran", findings=tuple(findings))


def _finding(match: Any, by_path: dict[str, str]) -> Finding:
    rule = match.rule
    return Finding(
        check_id=rule.id,
        tool=CfnLintCheck.id,
        severity=_SEVERITY.get(rule.id[:1], Severity.MEDIUM),
        title=match.message,
        resource=_resource_of(match.path),
        file=by_path.get(str(Path(match.filename).resolve()), match.filename) if match.filename else None,
        line=match.linenumber,
        docs_url=rule.source_url or None,
    )


def _cut(templates: list[str], sizes: dict[str, int], share: float) -> tuple[list[str], list[str]]:
    """The templates in two contiguous parts, neither empty, the first about ``share`` of the bytes."""
    total, running = sum(sizes.values()), 0
    for n, path in enumerate(templates):
        running += sizes[path]
        if running >= total * share:
            cut = max(1, min(n + 1, len(templates) - 1))
            return templates[:cut], templates[cut:]
    return templates[:-1], templates[-1:]


def _lint_two(lint: Lint, first: list[str], second: list[str]) -> list[Finding]:
    """``second`` linted in a forked child while this process lints ``first``; the findings in file order."""
    sys.stdout.flush()
    sys.stderr.flush()
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_serve, args=(child, lint, second), daemon=True)
    proc.start()
    child.close()
    mine = lint(first)
    theirs: list[Finding] | None = None
    try:
        if parent.poll(None):
            theirs = parent.recv()
    except (EOFError, OSError):
        theirs = None
    finally:
        parent.close()
        proc.join(timeout=5)
    return mine + (theirs if theirs is not None else lint(second))


def _serve(conn: Connection, lint: Lint, templates: list[str]) -> None:
    try:
        conn.send(lint(templates))
    finally:
        conn.close()


def _resource_of(path: object) -> str | None:
    parts = getattr(path, "path", path)
    if isinstance(parts, list | tuple) and len(parts) >= 2 and parts[0] == "Resources":
        return str(parts[1])
    return None
