"""``devops-gate completion bash|zsh|fish``: print the shell completion script (see the README for where it goes)."""

from __future__ import annotations

import argparse
import sys

from gate.completion import SHELLS

HELP = "print the shell completion script for bash, zsh or fish"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=sorted(SHELLS), help="the shell to complete in")


def run(args: argparse.Namespace) -> int:
    from gate.cli import build_parser  # the parser lists every command, this one included

    sys.stdout.write(SHELLS[args.shell](build_parser()))
    return 0
