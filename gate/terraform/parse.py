"""One reader for Terraform's two syntaxes: ``.tf`` (HCL) and ``.tf.json`` (Terraform's JSON syntax).

Both come out in the shape ``hcl2.api.loads`` gives (the bc-python-hcl2 module checkov installs): every
attribute value wrapped in a one-item list, every block a list of mappings, ``__start_line__`` /
``__end_line__`` on each labelled block. Every stage that reads Terraform (checks, policies, cost, resource
rows, diagrams) calls :func:`parse` or :func:`parse_file`, so a ``.tf.json`` file is read wherever a ``.tf`` is.
"""

from __future__ import annotations

import json
import re
from typing import Any

from gate.errors import GateError
from gate.models import IaCFile

TF_SUFFIXES = (".tf", ".tf.json")
# labelled block kinds: how many labels each has (resource "type" "name"; module "name"; terraform {})
_LABELS = {"resource": 2, "data": 2, "module": 1, "provider": 1, "variable": 1, "output": 1, "locals": 0,
           "terraform": 0, "moved": 0, "import": 0, "check": 1, "removed": 0}  # fmt: skip
LABELLED_BLOCKS = frozenset({"dynamic", "provisioner", "backend"})  # nested blocks that carry one label
# object-valued attributes (maps), as opposed to nested blocks: their members are not wrapped by hcl2
MAP_ATTRIBUTES = frozenset(
    {"tags", "tags_all", "variables", "labels", "parameters", "triggers", "environment_variables"}
)


def is_terraform(path: str) -> bool:
    return path.endswith(TF_SUFFIXES)


def parse_file(file: IaCFile) -> dict[str, Any]:
    """A bundle file as Terraform (for diagrams and any other reader of the bundle)."""
    return parse(file.content, file.path)


def parse(content: str, path: str) -> dict[str, Any]:
    """``path`` decides the syntax: ``*.tf.json`` is JSON, anything else HCL; a Terraform plan's JSON
    (``terraform show -json``, any other name) gives its planned values (:func:`gate.terraform.plan_json.as_blocks`)."""
    if path.endswith(".tf.json"):
        return _parse_json(content, path)
    if not path.endswith(".tf"):
        from gate.terraform import plan_json

        if plan_json.is_plan_text(content):
            data = plan_json.load(content, path)
            return plan_json.as_blocks(data)
    from hcl2.api import loads

    try:
        return dict(loads(content))
    except Exception as exc:  # hcl2 raises lark errors of several types
        raise GateError(
            f"is not valid Terraform: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
            source=path,
            fix="run 'terraform fmt' / 'terraform validate' on it",
        ) from exc


def resource_blocks(parsed: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(type, name, body) of every ``resource`` block."""
    return [
        (str(rtype), str(name), body)
        for group in parsed.get("resource", []) or []
        for rtype, instances in group.items()
        for name, body in (instances or {}).items()
        if isinstance(body, dict)
    ]


def load_json(content: str, path: str) -> dict[str, Any]:
    """``content`` (a ``.tf.json`` file named ``path``) as JSON: a GateError naming the line for bad JSON or for
    a top level that is not an object."""
    try:
        raw = json.loads(content)
    except json.JSONDecodeError as exc:
        raise GateError(
            f"is not valid Terraform JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}",
            source=path,
            fix="correct the JSON syntax (terraform validate reports the same)",
        ) from exc
    if not isinstance(raw, dict):
        raise GateError(
            "is not Terraform JSON: the top level must be an object",
            source=path,
            fix='write it as Terraform\'s JSON syntax, e.g. {"resource": {"aws_s3_bucket": {"b": {...}}}}',
        )
    return raw


def _parse_json(content: str, path: str) -> dict[str, Any]:
    raw = load_json(content, path)
    lines = LineFinder(content)
    out: dict[str, Any] = {}
    for kind, value in raw.items():
        if kind.startswith("//"):  # Terraform JSON comments
            continue
        out[kind] = [entry for item in _as_list(value) for entry in _entries(item, _LABELS.get(kind, 0), lines, ())]
    return out


def _entries(node: Any, labels: int, lines: LineFinder, names: tuple[str, ...]) -> list[dict[str, Any]]:
    """One hcl2-shaped entry per block: ``{"aws_s3_bucket": {"b": {...}}}`` with its body converted and its
    start line; a label holding a list (several ``provider "aws"`` configurations) gives one entry each."""
    if labels == 0:
        body = _block(node if isinstance(node, dict) else {})
        line = lines.find(names) if names else None
        if line is not None:
            body["__start_line__"] = line
        return [body]
    out: list[dict[str, Any]] = []
    for label, inner in (node if isinstance(node, dict) else {}).items():
        for item in _as_list(inner):
            out.extend({str(label): entry} for entry in _entries(item, labels - 1, lines, (*names, str(label))))
    return out


def _block(body: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in body.items():
        if key.startswith("//"):
            continue
        if key in MAP_ATTRIBUTES and isinstance(value, dict):
            out[key] = [value]
        elif key in LABELLED_BLOCKS and isinstance(value, dict | list):  # backend "s3" {}, dynamic "x" {}
            out[key] = [
                {str(label): _block(one if isinstance(one, dict) else {})}
                for item in _as_list(value)
                for label, inner in (item if isinstance(item, dict) else {}).items()
                for one in _as_list(inner)
            ]
        elif isinstance(value, dict):
            out[key] = [_block(value)]
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            out[key] = [_block(v) for v in value]
        else:
            out[key] = [value]
    return out


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


class LineFinder:
    """The line where a labelled block starts: its labels as JSON keys, found in order, one after the other."""

    def __init__(self, content: str) -> None:
        self._content = content

    def find(self, names: tuple[str, ...]) -> int | None:
        at = 0
        for name in names:
            match = re.compile(re.escape(json.dumps(name)) + r"\s*:").search(self._content, at)
            if match is None:
                return None
            at = match.start()
        return self._content.count("\n", 0, at) + 1
