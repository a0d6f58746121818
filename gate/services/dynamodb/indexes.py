"""The parts of a table request beyond its own keys: global secondary indexes, the table class and the Regions
of a global table, each read wherever it stands in the table's text.

An index clause ('GSI `by-status`: partition key `status` (S), sort key `orderDate`', 'a GSI by-email on email
(string)') is read on its own and then masked, so its keys are never read as the table's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from gate.interpret import extract
from gate.interpret.base import Ctx

_INDEX = re.compile(
    r"\b(?:gsis?|global\s+secondary\s+index(?:es)?|secondary\s+index|index)\s+(?:named\s+|called\s+)?"
    r"[\"'`]?(?P<name>[A-Za-z0-9_.-]{3,255}?)[\"'`]?(?=[\s:,(]|$)(?P<body>(?:[^.;]|\.(?=\S))*)",
    re.I,
)
_ON = re.compile(
    r"^\s*(?::\s*)?(?:on|over|by)\s+[\"'`]?(?P<attr>[A-Za-z_][\w.-]*)[\"'`]?(?P<type>\s*\(?\s*(?:string|number|binary|s|n|b)\b\)?)?",
    re.I,
)
_PROJECTION = re.compile(r"\b(?:project(?:s|ing|ion)?\s*(?:type\s+)?(?:of\s+)?)(all|keys[_ ]only|include)\b|"
                         r"\b(keys[_ ]only)\s+projection\b", re.I)  # fmt: skip
_TABLE_CLASS = re.compile(
    r"\bstandard[_ -]infrequent[_ -]access\b|\bstandard[- ]ia\b|\binfrequent[- ]access\s+table\s+class\b|"
    r"\btable\s+class\s+(?:of\s+|is\s+|=\s*)?(?:standard[_ -]?ia|ia)\b",
    re.I,
)
_STANDARD_CLASS = re.compile(r"\btable\s+class\s+(?:of\s+|is\s+|=\s*)?standard\b(?![_ -]?i)", re.I)
_GLOBAL = re.compile(r"\bglobal\s+tables?\b|\breplicat\w*\s+(?:in|to|across|into)\b|\breplicas?\s+in\b", re.I)

KeyReader = Callable[[str], "dict[str, str] | None"]


def indexes(ctx: Ctx, name: str, text: str, partition: KeyReader, sort: KeyReader) -> tuple[list[dict[str, Any]], str]:
    """The indexes the text names, and the text with their clauses masked."""
    out: list[dict[str, Any]] = []
    masked = text
    for found in _INDEX.finditer(text):
        index_name, body = found.group("name"), found.group("body")
        if index_name.lower() in ("on", "by", "for", "with", "and", "named", "called"):
            continue
        key = partition(body)
        if key is None and (on := _ON.match(body)):
            kind = (on.group("type") or "").strip(" ()").lower()
            key = {"name": on.group("attr"), "type": {"number": "N", "n": "N", "binary": "B", "b": "B"}.get(kind, "S")}
        if key is None:
            ctx.assume(name, "not-applied", f"the index {index_name!r} (no partition key named)",
                       "say the index's partition key, e.g. 'GSI by-status on status (string)'")  # fmt: skip
            continue
        index: dict[str, Any] = {"name": index_name, "partition_key": key}
        if (skey := sort(body)) is not None:
            index["sort_key"] = skey
        projection = _PROJECTION.search(body)
        if projection:
            index["projection"] = (projection.group(1) or projection.group(2)).upper().replace(" ", "_")
        out.append(index)
        masked = masked[: found.start()] + " " * (found.end() - found.start()) + masked[found.end() :]
    return out, masked


def typed(keys: list[dict[str, Any]], table_keys: list[dict[str, str]]) -> None:
    """An index key written without a type takes the type the table's key of that name has ('sort key orderDate')."""
    known = {k["name"]: k["type"] for k in table_keys}
    for index in keys:
        for role in ("partition_key", "sort_key"):
            key = index.get(role)
            if key and key["name"] in known:
                key["type"] = known[key["name"]]


def table_class(text: str) -> str | None:
    if _TABLE_CLASS.search(text):
        return "STANDARD_INFREQUENT_ACCESS"
    if _STANDARD_CLASS.search(text):
        return "STANDARD"
    return None


def replica_regions(ctx: Ctx, name: str, text: str) -> list[str]:
    """'Global table carts replicated in us-east-1 and eu-west-1': every Region named is a replica."""
    if not _GLOBAL.search(text):
        return []
    found = list(dict.fromkeys(r.lower() for r in extract.REGION_RE.findall(text)))
    if not found:
        return []
    ctx.assume(name, "replica_regions", ", ".join(found), "a global table: one replica in each Region named (and in "
               "the stack's Region), kept in sync through the NEW_AND_OLD_IMAGES stream")  # fmt: skip
    return found
