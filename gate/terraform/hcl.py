"""Terraform's JSON syntax written out as the equivalent HCL (``.tf``), for scanners that read only ``.tf``.

checkov 3.2.459 reads no ``.tf.json`` in a folder scan, so the Terraform scan is given this translation instead
(:mod:`gate.terraform.view`); each line written remembers the line of the JSON it came from, so a finding still
points at the original file and line. The rules are Terraform's own for its JSON syntax: a string is a
template (``"${aws_s3_bucket.b.id}"`` is written as it is, a valid HCL template), ``depends_on``, ``provider``,
``providers``, ``type`` and the ``lifecycle`` lists are references (written bare), and, as in
:func:`gate.terraform.parse.parse`, an object or a list of objects in a resource is a nested block unless the
key is a known map attribute (``tags``, ...). Module arguments, outputs, variables' defaults and locals are
values, never blocks.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from gate.terraform.parse import LABELLED_BLOCKS, MAP_ATTRIBUTES, LineFinder, load_json

_REFERENCE = re.compile(r"^[A-Za-z_][\w-]*(\.[A-Za-z_*][\w-]*|\[[^\]]*\])*$")
_BARE_KEYS = frozenset({"depends_on", "provider", "providers", "ignore_changes", "replace_triggered_by", "from", "to"})
_IDENT = re.compile(r"^[A-Za-z_][\w-]*$")
# block kinds whose body is values only (no nested blocks) except the listed block keys
_VALUE_KINDS = {"module": frozenset(), "output": frozenset({"precondition"}), "locals": frozenset(),
                "variable": frozenset({"validation"})}  # fmt: skip
_LABELS = {"resource": 2, "data": 2, "module": 1, "provider": 1, "variable": 1, "output": 1, "check": 1}


@dataclass
class Hcl:
    """The HCL text and, per line written (1-based), the JSON line it was written from."""

    lines: list[str] = field(default_factory=list)
    origin: list[int] = field(default_factory=list)

    def add(self, text: str, line: int) -> None:
        self.lines.append(text)
        self.origin.append(line)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def original_line(self, line: int) -> int:
        """The JSON line of HCL line ``line`` (the file's first line when it is out of range)."""
        return self.origin[line - 1] if 0 < line <= len(self.origin) else 1


def to_hcl(content: str, path: str) -> Hcl:
    """``content`` (a ``.tf.json`` file named ``path``) as HCL; bad JSON is the same error :func:`parse` gives."""
    raw = load_json(content, path)
    out = Hcl()
    lines = LineFinder(content)
    for kind, value in raw.items():
        if kind.startswith("//"):
            continue
        labels = _LABELS.get(kind, 0)
        for item in _as_list(value):
            _top(out, lines, kind, item, labels, ())
    return out


def _top(out: Hcl, lines: LineFinder, kind: str, node: Any, labels: int, names: tuple[str, ...]) -> None:
    if labels:
        for label, inner in (node if isinstance(node, dict) else {}).items():
            for item in _as_list(inner):
                _top(out, lines, kind, item, labels - 1, (*names, str(label)))
        return
    line = lines.find((kind, *names)) or 1
    head = " ".join([kind, *(json.dumps(n) for n in names)])
    out.add(f"{head} {{", line)
    _body(out, node if isinstance(node, dict) else {}, 1, line, kind)
    out.add("}", line)


def _body(out: Hcl, body: dict[str, Any], depth: int, line: int, kind: str) -> None:
    pad = "  " * depth
    blocks_only = _VALUE_KINDS.get(kind)
    for key, value in body.items():
        if key.startswith("//"):
            continue
        if kind == "terraform" and key == "required_providers":
            for entry in _as_list(value):
                out.add(f"{pad}required_providers {{", line)
                for name, spec in (entry if isinstance(entry, dict) else {}).items():
                    out.add(f"{pad}  {_key(name)} = {_value(spec, False)}", line)
                out.add(f"{pad}}}", line)
            continue
        as_block = _is_block(key, value) if blocks_only is None else key in blocks_only
        if kind == "variable" and key == "type" and isinstance(value, str):
            out.add(f"{pad}type = {value}", line)  # a type expression, written as it is: string, list(string)
        elif not as_block:
            out.add(f"{pad}{_key(key)} = {_value(value, key in _BARE_KEYS)}", line)
        if not as_block or (kind == "variable" and key == "type"):
            continue
        for item in _as_list(value):
            if key in LABELLED_BLOCKS and isinstance(item, dict):
                for label, inner in item.items():
                    for one in _as_list(inner):
                        out.add(f"{pad}{key} {json.dumps(str(label))} {{", line)
                        _body(out, one if isinstance(one, dict) else {}, depth + 1, line, key)
                        out.add(f"{pad}}}", line)
                continue
            out.add(f"{pad}{key} {{", line)
            _body(out, item if isinstance(item, dict) else {}, depth + 1, line, key if key == "lifecycle" else "")
            out.add(f"{pad}}}", line)


def _is_block(key: str, value: Any) -> bool:
    if key in MAP_ATTRIBUTES or key == "providers":
        return False
    if isinstance(value, dict):
        return True
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _key(key: str) -> str:
    return key if _IDENT.match(key) else json.dumps(key)


def _value(value: Any, bare: bool) -> str:
    """An HCL expression for a JSON value; ``bare``: strings that are references are written as references."""
    if isinstance(value, str):
        inner = value[2:-1] if value.startswith("${") and value.endswith("}") and value.count("${") == 1 else value
        if bare and _REFERENCE.match(inner):
            return inner
        return _string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v, bare) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_key(str(k))} = {_value(v, bare)}" for k, v in value.items()) + " }"
    return _string(str(value))


def _string(text: str) -> str:
    """A quoted HCL string with the same template: literal text is escaped, while ``${...}`` / ``%{...}``
    stay templates whose expressions are written as they are (``"${jsonencode({"a" = 1})}"``), as in JSON
    syntax; a line break inside an expression is only white space there."""
    out: list[str] = []
    depth, quoted, i = 0, False, 0
    while i < len(text):
        char = text[i]
        if depth == 0:
            if text.startswith(("$${", "%%{"), i):  # escaped template markers: literal text in both syntaxes
                out.append(text[i : i + 3])
                i += 3
                continue
            if text.startswith(("${", "%{"), i):
                out.append(text[i : i + 2])
                depth, i = 1, i + 2
                continue
            out.append(_ESCAPES.get(char, char))
        else:
            if char == '"' and (i == 0 or text[i - 1] != "\\"):
                quoted = not quoted
            elif not quoted and char == "{":
                depth += 1
            elif not quoted and char == "}":
                depth -= 1
            out.append(" " if char in "\r\n" and not quoted else char)
        i += 1
    return '"' + "".join(out) + '"'


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
