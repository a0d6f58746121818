"""DynamoDB tables: keys and their types, billing mode and capacity, TTL, streams, point-in-time recovery."""

from __future__ import annotations

import re
from typing import Any

from gate.interpret import extract
from gate.interpret.base import Ctx, Resource
from gate.services.dynamodb import indexes

_ATTR = r"[\"'`]?([A-Za-z_][A-Za-z0-9_.-]{0,254})[\"'`]?"
_TYPE = (
    r"(?:\s*\(?\s*(?:of\s+type\s+|as\s+(?:an?\s+)?|type\s+)?(string|number|numeric|binary|int(?:eger)?|s|n|b)\b\)?)?"
)
_TYPES = {
    "string": "S",
    "s": "S",
    "number": "N",
    "numeric": "N",
    "int": "N",
    "integer": "N",
    "n": "N",
    "binary": "B",
    "b": "B",
}
_PARTITION = re.compile(
    rf"\b(?:partition|hash|primary|pk)\s*(?:key)?\s*(?:of\s+|is\s+|=\s*|:\s*|named\s+|called\s+)?{_ATTR}{_TYPE}|"
    rf"\b(?:keyed|indexed|partitioned)\s+(?:by|on)\s+{_ATTR}{_TYPE}",
    re.I,
)
_SORT = re.compile(
    rf"\b(?:(?:sort|range)\s*key|sk)\s*(?:of\s+|is\s+|=\s*|:\s*|named\s+|called\s+)?{_ATTR}{_TYPE}", re.I
)
# 'Key cartId (S)', 'key runId (string) + seq (number)': a bare key is the partition key, a second one joined to
# it the sort key (read only when no partition key is named; 'sort key x' and a KMS 'key alias/x' are not it)
_BARE_KEY = re.compile(
    rf"(?<!sort\s)(?<!range\s)(?<![\w-])keys?\s*(?::\s*|=\s*|is\s+)?{_ATTR}(?![/:\w-]){_TYPE}"
    rf"(?:\s*(?:\+|&|and)\s*{_ATTR}{_TYPE})?",
    re.I,
)
_NOT_ATTR = {"key", "and", "with", "a", "the", "of", "string", "number"}


def _key(match: re.Match[str]) -> dict[str, str] | None:
    groups = list(match.groups())
    attr = groups[0] or (groups[2] if len(groups) > 2 else None)
    kind = groups[1] or (groups[3] if len(groups) > 3 else None)
    if match.re is _BARE_KEY:
        attr, kind = groups[0], groups[1]
    if not attr or attr.lower() in _NOT_ATTR:
        return None
    return {"name": attr.rstrip("."), "type": _TYPES[kind.lower()] if kind else "S"}  # not the full stop


_VIEW = re.compile(
    r"\b(new[\s_]+and[\s_]+old|old[\s_]+and[\s_]+new|new|old|keys?[\s_]+only)(?:[\s_]+images?\b|\b)", re.I
)
# a stream named with its view, anywhere in the request: only a table's stream has one
_VIEW_ANYWHERE = re.compile(
    r"\bstreams?\s+(?:of|with)\s+(?:new[\s_]+and[\s_]+old|old[\s_]+and[\s_]+new|new|old)[\s_]+images?\b|"
    r"\b(?:NEW_AND_OLD_IMAGES|NEW_IMAGE|OLD_IMAGE|KEYS_ONLY)\b"
)


def _view(text: str) -> str | None:
    """'new images' -> NEW_IMAGE, 'NEW_AND_OLD_IMAGES', 'keys only' -> KEYS_ONLY."""
    found = _VIEW.search(text)
    if found is None or not re.search(r"images?|only", found.group(0), re.I):
        return None
    label = re.sub(r"[\s_]+", " ", found.group(1).lower())
    return {"new": "NEW_IMAGE", "old": "OLD_IMAGE", "keys only": "KEYS_ONLY", "key only": "KEYS_ONLY"}.get(
        label, "NEW_AND_OLD_IMAGES"
    )


def _partition(text: str) -> dict[str, str] | None:
    found = _PARTITION.search(text)
    return _key(found) if found else None


def _sort(text: str) -> dict[str, str] | None:
    found = _SORT.search(text)
    return _key(found) if found else None


class DynamodbRecogniser:
    kind = "dynamodb_table"
    default_name = "table"

    def build(self, ctx: Ctx, name: str) -> Resource:
        out: dict[str, Any] = {"kind": self.kind, "name": name}
        found, text = indexes.indexes(ctx, name, ctx.text, _partition, _sort)
        if found:
            out["global_secondary_indexes"] = found
        table_class = indexes.table_class(text)
        if table_class:
            out["table_class"] = table_class
        regions = indexes.replica_regions(ctx, name, text)
        if regions:
            out["replica_regions"] = regions
        part = _PARTITION.search(text)
        key = _key(part) if part else None
        bare = _BARE_KEY.search(text) if key is None else None
        if bare is not None and (key := _key(bare)) is not None and bare.group(3) and bare.group(4):
            second = {"name": bare.group(3), "type": _TYPES[bare.group(4).lower()]}
            if second["name"].lower() not in _NOT_ATTR:
                out["sort_key"] = second
        if key is None:
            key = {"name": "id", "type": "S"}
            ctx.assume(name, "partition_key", "id (string)", "the request names no partition key")
        out["partition_key"] = key
        sort = _SORT.search(text)
        if sort and (skey := _key(sort)):
            out["sort_key"] = skey
        provisioned = re.search(r"\bprovisioned\b|\b\d+\s+(?:rcus?|wcus?|read|write)\b", text, re.I)
        if provisioned and not re.search(r"\bon[- ]demand\b|\bpay[- ]per[- ]request\b", text, re.I):
            out["billing_mode"] = "PROVISIONED"
            read = re.search(r"\b(\d+)\s+(?:read(?:\s+capacity)?(?:\s+units?)?|rcus?)\b", text, re.I)
            write = re.search(r"\b(\d+)\s+(?:write(?:\s+capacity)?(?:\s+units?)?|wcus?)\b", text, re.I)
            if read:
                out["read_capacity"] = int(read.group(1))
            if write:
                out["write_capacity"] = int(write.group(1))
        elif not re.search(r"\bon[- ]demand\b|\bpay[- ]per[- ]request\b", text, re.I):
            ctx.assume(name, "billing_mode", "PAY_PER_REQUEST", "on-demand: no capacity to plan, pay per request")
        ttl = re.search(
            rf"\b(?:ttl|time[- ]to[- ]live|expir\w*)\b\s*(?:on|attribute|field|using)?\s*(?:the\s+)?"
            rf"(?:attribute\s+|field\s+)?{_ATTR}",
            text,
            re.I,
        )
        if ttl and ttl.group(1).lower() not in _NOT_ATTR | {"on", "after", "enabled", "attribute"}:
            out["ttl_attribute"] = ttl.group(1)
        if re.search(r"\bstreams?\b", text, re.I) and extract.flag(text, r"streams?") is not False:
            out["stream"] = _view(text) or "NEW_AND_OLD_IMAGES"
        elif len(ctx.names.get(self.kind, [])) == 1 and (view := _VIEW_ANYWHERE.search(ctx.request)):
            out["stream"] = _view(view.group(0))  # 'with a stream of new images feeding a Lambda': the table's
            ctx.assume(name, "stream", out["stream"], f"read from {view.group(0)!r}: a stream's view is the table's")
        if extract.flag(text, r"point[- ]in[- ]time\s+recovery|pitr|backups?") is False:
            out["point_in_time_recovery"] = False
        if extract.flag(text, r"deletion\s+protection") is False:
            out["deletion_protection"] = False
        indexes.typed(found, [k for k in (out["partition_key"], out.get("sort_key")) if k])
        return out
