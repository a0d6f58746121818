"""``devops-gate fix PATH...``: apply the gate's fixes to hand-written CloudFormation, in place.

Runs our own checks (policies, secrets, least privilege: the ones with fixers) in-process, skips findings an
active waiver covers, and rewrites each fixable resource.  ``--dry-run`` prints the unified diff instead.
Terraform is not patched: its findings are listed with their remediation text.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

from gate.checks.base import CheckInput
from gate.checks.least_privilege import LeastPrivilegeCheck
from gate.checks.policies import PolicyCheck
from gate.checks.secrets import SecretsCheck
from gate.config import load_config
from gate.decide import apply_waivers
from gate.errors import GateError
from gate.iac import load_paths, write_bundle
from gate.models import CheckReport, Finding
from gate.redact import redact
from gate.remediate.patch import fix_file

HELP = "apply the gate's fixes to hand-written CloudFormation (policies, least privilege, literal passwords)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", help="CloudFormation templates (or folders) to fix in place")
    parser.add_argument("--dry-run", action="store_true", help="print the diff, change nothing")
    parser.add_argument("--config", help="settings file (default: .gate.yml when present)")
    parser.add_argument(
        "--include-least-privilege",
        action="store_true",
        help="also apply the proposed narrowing of wildcard IAM policies (a guess from the template: check it)",
    )


def findings_for(paths: list[str], config_path: str | None) -> tuple[list[Finding], list[CheckReport]]:
    config, _ = load_config(config_path)
    bundle = load_paths(paths)
    with tempfile.TemporaryDirectory(prefix="devops-gate-fix-") as tmp:
        write_bundle(bundle, Path(tmp))
        given = CheckInput(bundle=bundle, config=config, workdir=Path(tmp), region=config.aws.region)
        reports = [check.run(given) for check in (PolicyCheck(), SecretsCheck(), LeastPrivilegeCheck())]
    reports = apply_waivers(reports, config, dt.datetime.now(dt.UTC).date())
    return [f for r in reports for f in r.findings], reports


def run(args: argparse.Namespace) -> int:
    findings, _ = findings_for(args.paths, args.config)
    bundle = load_paths(args.paths)
    fixed_count = 0
    done: set[tuple[str, str | None, str]] = set()  # (file, resource, check id) fixed (or, with --dry-run, fixable)
    for file in bundle.files:
        result = fix_file(file, findings, include_least_privilege=args.include_least_privilege)
        if result is None:
            continue
        if result.skipped:
            print(
                f"skipped {len(result.skipped)} least-privilege narrowing(s) in {file.path}: "
                + ", ".join(f"{check_id} on {resource}" for resource, check_id in result.skipped)
                + "; use --include-least-privilege to apply them",
                file=sys.stderr,
            )
        fixed_count += len(result.applied)
        done.update((file.path, resource, check_id) for resource, check_id in result.applied)
        if args.dry_run:
            sys.stdout.write(redact(result.diff))
            continue
        try:
            Path(file.path).write_text(result.fixed, encoding="utf-8")
        except OSError as exc:
            raise GateError(f"cannot write the fixed file ({exc.strerror})", source=file.path) from exc
        for resource, check_id in result.applied:
            print(f"fixed {check_id} on {resource} in {file.path}")
    # everything not fixed is listed: findings without a fixer, in Terraform (not patched), or skipped
    left = [f for f in findings if f.waived is None and f.severity > 0 and (f.file, f.resource, f.check_id) not in done]
    verb = "would fix" if args.dry_run else "fixed"
    print(f"devops-gate: {verb} {fixed_count} finding(s); {len(left)} need a person", file=sys.stderr)
    for f in left:
        where = f"{f.file}:{f.line}" if f.line else (f.file or "-")
        print(f"  - {f.check_id} {f.resource or ''} ({where}): {redact(f.remediation or f.title)}", file=sys.stderr)
    return 0
