"""``devops-gate diagram gate-plan.json``: the reviewed change as Mermaid, DOT, SVG, PNG or draw.io XML."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from gate.errors import GateError
from gate.plan_file import load_plan
from gate.report.diagram import dot, drawio, mermaid, tfplan
from gate.report.diagram.graph import MAX_NODES, ChangeGraph, build

HELP = "draw the reviewed change (gate-plan.json, or a Terraform plan's JSON) as mermaid, dot, svg, png or drawio"
TEXT_FORMATS: dict[str, Callable[[ChangeGraph], str]] = {
    "mermaid": mermaid.render,
    "dot": dot.render,
    "drawio": drawio.render,
}
IMAGE_FORMATS = ("svg", "png")
SUFFIXES = {"mermaid": ".mmd", "dot": ".dot", "drawio": ".drawio", "svg": ".svg", "png": ".png"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "plan", help="a gate-plan.json written by 'devops-gate plan' or 'check', or 'terraform show -json plan' output"
    )
    parser.add_argument("--format", choices=[*TEXT_FORMATS, *IMAGE_FORMATS], default="mermaid")
    parser.add_argument("-o", "--output", help="write here (default: standard output; png needs a file)")
    parser.add_argument(
        "--max-nodes",
        type=int,
        default=MAX_NODES,
        help=f"past this many resources, draw those of one type and place as one box (default {MAX_NODES})",
    )


def run(args: argparse.Namespace) -> int:
    raw = tfplan.load(args.plan)
    if tfplan.is_terraform_plan(raw):
        graph = tfplan.graph(raw, Path(args.plan).name, max_nodes=args.max_nodes)
    else:
        graph = build(load_plan(args.plan), max_nodes=args.max_nodes)
    data: bytes
    if args.format in TEXT_FORMATS:
        data = TEXT_FORMATS[args.format](graph).encode("utf-8")
    else:
        if args.format == "png" and not args.output and sys.stdout.isatty():
            raise GateError("a PNG is not for a terminal", fix="pass -o change.png (or pipe it to a file)")
        data = dot.to_image(dot.render(graph), args.format)
    if args.output:
        target = Path(args.output)
        try:
            target.write_bytes(data)
        except OSError as exc:
            raise GateError(
                f"cannot write it ({exc.strerror})", source=args.output, fix="pass a writable path"
            ) from exc
        print(f"devops-gate: {args.format} diagram of {graph.size} resources written to {target}", file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0
