"""A small HCL writer for Terraform: values rendered correctly, layout as ``terraform fmt`` leaves it.

Formatting rules followed (those of ``terraform fmt``): two-space indent; in a run of consecutive one-line
attributes the ``=`` signs are aligned; an attribute whose value spans lines (``{``, ``[``, ``jsonencode({``)
ends the run; nested blocks and comments end it too.  Strings are escaped (including ``${`` and ``%{``, so
user text never becomes an interpolation); :class:`Raw` is an expression written as is (references,
function calls).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Union

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_ONE_LINE_LIST = 100


@dataclass(frozen=True)
class Raw:
    """An HCL expression written verbatim: ``aws_s3_bucket.logs.arn``, ``data.x.names[0]``."""

    text: str


@dataclass(frozen=True)
class JsonEncode:
    """``jsonencode(<value>)``: IAM policies and other JSON documents, written as HCL objects."""

    value: Value


Value = Union[str, int, float, bool, None, Raw, JsonEncode, Sequence["Value"], Mapping[str, "Value"]]  # noqa: UP007


@dataclass
class Block:
    """``type "label" "label" { body }``. The body keeps its order: attributes, nested blocks, comments."""

    type: str
    labels: tuple[str, ...] = ()
    body: list[tuple[str, Value] | Block | Comment] = field(default_factory=list)

    def attr(self, key: str, value: Value) -> Block:
        self.body.append((key, value))
        return self

    def attrs(self, **values: Value) -> Block:
        for key, value in values.items():
            if value is not None:
                self.body.append((key, value))
        return self

    def block(self, type_: str, *labels: str) -> Block:
        child = Block(type_, tuple(labels))
        self.body.append(child)
        return child


@dataclass(frozen=True)
class Comment:
    text: str


def ref(*parts: str) -> Raw:
    """``ref("aws_s3_bucket", "logs", "arn")`` -> ``aws_s3_bucket.logs.arn``."""
    return Raw(".".join(parts))


def tf_name(name: str, suffix: str = "") -> str:
    """'acme-invoices', 'policy' -> 'acme_invoices_policy' (a Terraform local name)."""
    base = re.sub(r"[^a-z0-9_]", "_", name.lower())
    if base[:1].isdigit():
        base = "r_" + base
    return f"{base}_{suffix}" if suffix else base


def quote(text: str) -> str:
    escaped = json.dumps(text, ensure_ascii=False)[1:-1]
    return '"' + escaped.replace("${", "$${").replace("%{", "%%{") + '"'


def _key(key: str) -> str:
    return key if _IDENT.match(key) else quote(key)


def _scalar(value: Value) -> str | None:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, Raw):
        return value.text
    return None


def _one_line(value: Value) -> str | None:
    """The value on one line, or None when it must span lines (maps, long or nested lists)."""
    text = _scalar(value)
    if text is not None:
        return text
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        items = [_one_line(v) if not isinstance(v, list | tuple | dict | JsonEncode) else None for v in value]
        if any(i is None for i in items):
            return None
        joined = "[" + ", ".join(i for i in items if i is not None) + "]"
        return joined if len(joined) <= _ONE_LINE_LIST else None
    if isinstance(value, Mapping) and not value:
        return "{}"
    return None


def _lines(value: Value, indent: int) -> list[str]:
    """A multi-line value: first line continues after ``key = ``; the rest are indented."""
    pad = "  " * indent
    if isinstance(value, JsonEncode):
        inner = _lines(value.value, indent)
        one = _one_line(value.value)
        if one is not None:
            return [f"jsonencode({one})"]
        return ["jsonencode(" + inner[0], *inner[1:-1], inner[-1] + ")"]
    if isinstance(value, Mapping):
        out = ["{"]
        out.extend(_body_lines([(k, v) for k, v in value.items()], indent + 1, object_keys=True))
        out.append(pad + "}")
        return out
    if isinstance(value, list | tuple):
        out = ["["]
        for item in value:
            one = _one_line(item)
            if one is not None:
                out.append(f"{pad}  {one},")
            else:
                sub = _lines(item, indent + 1)
                out.append(f"{pad}  {sub[0]}")
                out.extend(sub[1:-1])
                out.append(sub[-1] + ",")
        out.append(pad + "]")
        return out
    one = _one_line(value)
    assert one is not None
    return [one]


def _body_lines(items: list[tuple[str, Value] | Block | Comment], indent: int, object_keys: bool = False) -> list[str]:
    pad = "  " * indent
    out: list[str] = []
    run: list[tuple[str, str]] = []

    def flush() -> None:
        width = max((len(k) for k, _ in run), default=0)
        out.extend(f"{pad}{k.ljust(width)} = {v}" for k, v in run)
        run.clear()

    for item in items:
        if isinstance(item, Comment):
            flush()
            out.append(f"{pad}# {item.text}" if not item.text.startswith("checkov:") else f"{pad}#{item.text}")
        elif isinstance(item, Block):
            flush()
            out.extend(_block_lines(item, indent))
        else:
            key, value = item
            key = _key(key) if object_keys else key
            one = _one_line(value) if not isinstance(value, JsonEncode) else None
            if one is not None:
                run.append((key, one))
                continue
            flush()
            lines = _lines(value, indent)
            out.append(f"{pad}{key} = {lines[0]}")
            out.extend(lines[1:])
    flush()
    return out


def _block_lines(block: Block, indent: int) -> list[str]:
    pad = "  " * indent
    head = " ".join([block.type, *(quote(label) for label in block.labels)])
    if not block.body:
        return [f"{pad}{head} {{", f"{pad}}}"]
    return [f"{pad}{head} {{", *_body_lines(block.body, indent + 1), f"{pad}}}"]


def render(blocks: list[Block]) -> str:
    """Top-level blocks separated by one blank line, with a final newline."""
    return "\n\n".join("\n".join(_block_lines(b, 0)) for b in blocks) + "\n"
