"""Reading Terraform blocks as hcl2 parses them (every attribute a one-item list, every block a list of
mappings): the helpers each service's Terraform mapping (``gate/services/<name>/terraform.py``) uses.

A Terraform expression we cannot resolve (``var.x``, ``aws_kms_key.k.arn``) becomes ``{"Ref": "<expression>"}``:
present for ``exists``, *unknown* for every comparison.
"""

from __future__ import annotations

import ast
import json
import re
from typing import Any

_REF = re.compile(r"^\$\{(?P<expr>.*)\}$", re.S)


def value(raw: Any) -> Any:
    """An HCL value as plain data: interpolations become ``{"Ref": expr}`` unless they are a literal jsonencode."""
    if isinstance(raw, str):
        match = _REF.match(raw)
        if not match:
            return raw
        expr = match.group("expr").strip()
        if expr.startswith("jsonencode(") and expr.endswith(")"):
            try:
                return value(ast.literal_eval(expr[len("jsonencode(") : -1]))
            except (ValueError, SyntaxError):
                return {"Ref": expr}
        return {"Ref": expr}
    if isinstance(raw, list):
        return [value(v) for v in raw]
    if isinstance(raw, dict):
        return {str(k): value(v) for k, v in raw.items() if not str(k).startswith("__")}
    return raw


def attr(block: dict[str, Any], key: str, default: Any = None) -> Any:
    raw = block.get(key)
    if isinstance(raw, list) and len(raw) == 1:
        return value(raw[0])
    return default if raw is None else value(raw)


def blocks(block: dict[str, Any], key: str) -> list[dict[str, Any]]:
    raw = block.get(key) or []
    return [b for b in raw if isinstance(b, dict)]


def first(block: dict[str, Any], key: str) -> dict[str, Any]:
    found = blocks(block, key)
    return found[0] if found else {}


def put(props: dict[str, Any], key: str, raw: Any) -> None:
    if raw is not None:
        props[key] = raw


def policy_doc(raw: Any) -> Any:
    """An IAM policy attribute: a JSON string (heredoc), a literal jsonencode, or an unresolved reference."""
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            return {"Ref": "unparsed policy"}
    return raw
