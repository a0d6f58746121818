"""The command line: ``devops-gate <command>``. Exit codes: 0 pass, 1 blocked by the gate, 2 bad input/usage."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType

from gate import __version__, gc_pause
from gate.commands import console
from gate.errors import GateError
from gate.redact import redact

EXIT_PASS, EXIT_BLOCKED, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True)
class Command:
    """One subcommand: its module (``add_arguments``, ``run``), imported only when the command is chosen, and
    its one-line help, here so ``devops-gate --help`` and ``--version`` import no command (and so no checkov,
    cfn-lint, moto or litellm; tests/test_cli_startup.py checks it, and that each help is the module's HELP)."""

    module: str
    help: str

    def load(self) -> ModuleType:
        with gc_pause.importing():  # the models, the config (issue 19)
            return importlib.import_module(self.module)


COMMANDS: dict[str, Command] = {
    "plan": Command("gate.commands.plan", "interpret a change request, synthesise IaC, run the checks and decide"),
    "check": Command("gate.commands.check", "run the checks on hand-written CloudFormation or Terraform and decide"),
    "demo": Command(
        "gate.commands.demo",
        "run the whole lifecycle (plan, apply, alarm, rollback, audit) on an embedded moto server",
    ),
    "schema": Command("gate.commands.schema", "print the JSON schema of gate-plan.json"),
    "cost": Command(
        "gate.commands.cost",
        "estimate the monthly cost of CloudFormation/Terraform (before vs after) and check the cost thresholds",
    ),
    "prices": Command("gate.commands.prices", "show the price table, or refresh it from the AWS Price List API"),
    "apply": Command(
        "gate.commands.apply",
        "apply a reviewed gate-plan.json: verify hashes, lock, execute, bake on alarms, roll back",
    ),
    "action": Command(
        "gate.commands.action", "run as a GitHub Action: plan a PR, answer /gate commands, apply on merge"
    ),
    "codepipeline": Command(
        "gate.commands.codepipeline",
        "work CodePipeline jobs: poll, run plan or apply on the input artifact, report the result",
    ),
    "ticket": Command(
        "gate.commands.ticket", "open or update the change ticket (Jira) for a plan and move it to its state"
    ),
    "notify": Command(
        "gate.commands.notify", "send the environment's chat/webhook notifications for a plan or an apply outcome"
    ),
    "fix": Command(
        "gate.commands.fix",
        "apply the gate's fixes to hand-written CloudFormation (policies, least privilege, literal passwords)",
    ),
    "import": Command(
        "gate.commands.import_",
        "import existing resources of a region into the spec, CloudFormation and Terraform; --report: IaC coverage",
    ),
    "compliance": Command(
        "gate.commands.compliance",
        "per-framework compliance report (HIPAA, PCI DSS, CIS AWS, Well-Architected) of a gate-plan.json",
    ),
    "narrow-role": Command(
        "gate.commands.narrow_role", "propose a least-privilege policy for a role from CloudTrail-style usage records"
    ),
    "diagram": Command(
        "gate.commands.diagram",
        "draw the reviewed change (gate-plan.json, or a Terraform plan's JSON) as mermaid, dot, svg, png or drawio",
    ),
    "completion": Command("gate.commands.completion", "print the shell completion script for bash, zsh or fish"),
}


_NO_COLOR = "no colour on a terminal (also: the NO_COLOR environment variable); piped output never has any"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(
            f"devops-gate: error: {message}. Fix: see 'devops-gate {self.prog.split()[-1]} --help'.",
            file=sys.stderr,
        )
        raise SystemExit(EXIT_USAGE)


def _chosen(argv: Sequence[str]) -> str | None:
    """The command named on the line (the first word that is not an option), if it is one of ours."""
    for word in argv:
        if not word.startswith("-"):
            return word if word in COMMANDS else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """Every command with its arguments (completion needs them all), or only ``only``'s arguments: the other
    commands are listed with their help but not imported."""
    parser = _Parser(prog="devops-gate", description="Policy gate for AWS infrastructure changes.")
    parser.add_argument("--version", action="version", version=f"devops-gate {__version__}")
    parser.add_argument("--no-color", action="store_true", help=_NO_COLOR)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    for name, command in COMMANDS.items():
        command_parser = sub.add_parser(name, help=command.help, description=command.help)
        if only is None or name == only:
            command.load().add_arguments(command_parser)
        # also after the command; SUPPRESS keeps 'devops-gate --no-color plan ...' from being reset
        command_parser.add_argument("--no-color", action="store_true", default=argparse.SUPPRESS, help=_NO_COLOR)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    chosen = _chosen(words)
    # no command on the line (--version, --help, a mistake): build the listing only, import no command
    args = build_parser(only=chosen or "").parse_args(words)
    console.configure(no_color=args.no_color)
    try:
        code: int = COMMANDS[args.command].load().run(args)
        return code
    except GateError as exc:
        print(f"devops-gate: error: {redact(exc.render())}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("devops-gate: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into something that stopped reading (| head): not an error of ours
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
