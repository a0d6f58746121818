"""The command line: ``devops-gate <command>``. Exit codes: 0 pass, 1 blocked by the gate, 2 bad input/usage."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import ModuleType

from gate import __version__
from gate.commands import (
    action,
    check,
    codepipeline,
    completion,
    compliance,
    console,
    demo,
    diagram,
    fix,
    narrow_role,
    plan,
    schema,
)
from gate.commands import apply as apply_cmd
from gate.commands import cost as cost_cmd
from gate.commands import import_ as import_cmd
from gate.commands import notify as notify_cmd
from gate.commands import prices as prices_cmd
from gate.commands import ticket as ticket_cmd
from gate.errors import GateError
from gate.redact import redact

EXIT_PASS, EXIT_BLOCKED, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True)
class Command:
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def _command(module: ModuleType) -> Command:
    return Command(help=module.HELP, add_arguments=module.add_arguments, run=module.run)


COMMANDS: dict[str, Command] = {
    "plan": _command(plan),
    "check": _command(check),
    "demo": _command(demo),
    "schema": _command(schema),
    "cost": _command(cost_cmd),
    "prices": _command(prices_cmd),
    "apply": _command(apply_cmd),
    "action": _command(action),
    "codepipeline": _command(codepipeline),
    "ticket": _command(ticket_cmd),
    "notify": _command(notify_cmd),
    "fix": _command(fix),
    "import": _command(import_cmd),
    "compliance": _command(compliance),
    "narrow-role": _command(narrow_role),
    "diagram": _command(diagram),
    "completion": _command(completion),
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


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="devops-gate", description="Policy gate for AWS infrastructure changes.")
    parser.add_argument("--version", action="version", version=f"devops-gate {__version__}")
    parser.add_argument("--no-color", action="store_true", help=_NO_COLOR)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    for name, command in COMMANDS.items():
        command_parser = sub.add_parser(name, help=command.help, description=command.help)
        command.add_arguments(command_parser)
        # also after the command; SUPPRESS keeps 'devops-gate --no-color plan ...' from being reset
        command_parser.add_argument("--no-color", action="store_true", default=argparse.SUPPRESS, help=_NO_COLOR)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console.configure(no_color=args.no_color)
    try:
        return COMMANDS[args.command].run(args)
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
