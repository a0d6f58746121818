"""Check that this Python environment holds exactly the versions a lock file pins, and print the main ones.

    python requirements/check.py requirements/dev.lock

Exit 0 when every pinned package is installed at its pinned version, 1 (naming each difference) when not.
Standard library only: it runs in a fresh venv right after ``pip install -r``.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

# The packages whose versions decide what the gate does; printed so a log says what ran.
MAIN = ("boto3", "botocore", "moto", "checkov", "cfn-lint", "pydantic", "pygithub", "jira", "litellm", "urllib3")
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lock: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            found[_norm(match.group(1))] = match.group(2)
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python requirements/check.py LOCKFILE", file=sys.stderr)
        return 2
    lock = Path(argv[0])
    wanted = pins(lock)
    if not wanted:
        print(f"{lock}: no pinned packages (name==version) found", file=sys.stderr)
        return 2
    installed = {_norm(d.metadata["Name"]): d.version for d in metadata.distributions()}
    wrong = [
        f"{name}: locked {version}, installed {installed.get(name, 'nothing')}"
        for name, version in sorted(wanted.items())
        if installed.get(name) != version
    ]
    if wrong:
        print(f"{lock}: this environment differs from the lock:", file=sys.stderr)
        for line in wrong:
            print(f"  {line}", file=sys.stderr)
        print("fix: rebuild the venv (make clean && make dev), or refresh the lock (make lock)", file=sys.stderr)
        return 1
    main_pins = ", ".join(f"{name} {wanted[name]}" for name in MAIN if name in wanted)
    print(f"locked ({lock}, {len(wanted)} packages, all as pinned): {main_pins}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
