"""Startup stays light: ``devops-gate --version`` and ``--help`` import no command module, so none of checkov,
cfn-lint, moto or litellm (each command imports what it needs when it runs); the registry's one-line help of
each command is its module's HELP."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys

import pytest

from gate.cli import COMMANDS, build_parser
from tests.conftest import ROOT

HEAVY = ("checkov", "cfnlint", "moto", "litellm", "boto3", "jinja2")
_PROBE = """
import json, sys
from gate.cli import main
try:
    main({argv!r})
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print(json.dumps({{"code": code, "modules": sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r}),
                  "commands": sorted(m for m in sys.modules if m.startswith("gate.commands."))}}), file=sys.stderr)
"""


def _probe(argv: list[str]) -> dict[str, object]:
    code = _PROBE.format(argv=argv, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False)
    found: dict[str, object] = json.loads(done.stderr.strip().splitlines()[-1])
    return found


@pytest.mark.parametrize("argv", [["--version"], ["--help"]])
def test_version_and_help_import_no_command_and_no_heavy_tool(argv: list[str]) -> None:
    found = _probe(argv)
    assert found == {"code": 0, "modules": [], "commands": ["gate.commands.console"]}


def test_a_command_imports_only_itself() -> None:
    found = _probe(["schema", "--help"])
    assert found["code"] == 0
    assert found["commands"] == ["gate.commands.console", "gate.commands.schema"]


def test_the_registry_help_is_each_modules_help() -> None:
    for name, command in COMMANDS.items():
        module = importlib.import_module(command.module)
        assert command.help == module.HELP, name


def test_the_full_parser_still_has_every_command_with_its_arguments() -> None:
    parser = build_parser()
    assert parser.parse_args(["diagram", "plan.json", "--format", "drawio"]).command == "diagram"
