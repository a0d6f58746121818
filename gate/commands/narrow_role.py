"""``devops-gate narrow-role --records trail.json --role NAME``: a least-privilege policy from what the role
really did (CloudTrail-style records), and what its current policy grants beyond that."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gate.errors import GateError
from gate.remediate.narrow_role import load_records, proposed_policy, unused_grants, usage

HELP = "propose a least-privilege policy for a role from CloudTrail-style usage records"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--records", required=True, help='CloudTrail records JSON ({"Records": [...]}) or JSON lines')
    parser.add_argument("--role", help="the role's name (default: the only role in the records)")
    parser.add_argument("--policy", help="the role's current policy document (JSON), to list what narrowing removes")
    parser.add_argument("--out", help="write the proposed policy here (default: print it)")


def _read(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise GateError(
            f"cannot read the {what} ({exc.strerror})", source=path, fix=f"pass a readable {what} file"
        ) from exc


def run(args: argparse.Namespace) -> int:
    used = usage(load_records(_read(args.records, "records"), args.records), args.role)
    if not used.actions:
        raise GateError(f"role {used.role!r} made no successful call in the records", fix="use a longer window")
    policy = proposed_policy(used)
    text = json.dumps(policy, indent=2) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    log = sys.stderr
    print(
        f"devops-gate: role {used.role}: {len(used.actions)} action(s) used in {used.records} record(s) "
        f"from {used.first or '?'} to {used.last or '?'}",
        file=log,
    )
    wildcard = sorted(a for a, res in used.actions.items() if "*" in res)
    if wildcard:
        print(f"  resource '*' kept for {', '.join(wildcard)}: the records name no resource for them", file=log)
    if used.denied:
        print(f"  denied, so not granted: {', '.join(sorted(used.denied))}", file=log)
    if args.policy:
        try:
            current = json.loads(_read(args.policy, "policy"))
        except json.JSONDecodeError as exc:
            raise GateError("is not JSON", source=args.policy, fix="pass the policy document as JSON") from exc
        removed = unused_grants(current, used)
        print(
            f"  the current policy grants {len(removed)} pattern(s) never used: {', '.join(removed) or '-'}", file=log
        )
    print("  only as complete as the records: review before you apply it", file=log)
    return 0
