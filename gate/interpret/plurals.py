"""One plural mention, several resources: 'two buckets: one named raw and one named curated', 'queues named orders
and refunds, each with a DLQ' become one segment per resource (:func:`expand_plurals`)."""

from __future__ import annotations

import re
from collections.abc import Callable

from gate.interpret.mentions import Segment

_PLURAL_SPLIT = re.compile(r"\s*(?:,\s*(?:and\s+)?|;\s*|(?<![\w-])and\s+|(?<![\w-])plus\s+)", re.I)
_ONE = re.compile(r"^(?:one|the\s+(?:first|second|third|other)|another)\s+", re.I)
_PATH = re.compile(r"(?<![\w])/[A-Za-z0-9_.#-]+(?:/[A-Za-z0-9_.#-]+)+")
# kinds that carry a count or a list of their own: never one resource per item
_COUNTED = ("ec2_instance", "network_parts")
_STOP_NAMES = {"with", "for", "in", "that", "which", "to", "of", "on", "named", "called", "each", "both", "the", "a"}


def expand_plurals(segs: list[Segment], count_of: Callable[[str], int | None]) -> list[Segment]:
    """'two buckets: one named raw and one named curated' -> two segments, one per resource.

    Only for kinds without a count of their own (EC2 instances have ``count``).  A list of names after the noun
    ('queues named orders and refunds, each with a DLQ', 'two tables: orders and customers, both keyed by id')
    names one resource each, and what follows the list applies to all of them.  Otherwise, when the text after the
    noun splits into as many parts as the count, each part is one resource; else the resources are alike.
    """
    out: list[Segment] = []
    for seg in segs:
        head = seg.text[: seg.mention.end - seg.start]
        head = re.split(r"[.;!?]\s", head)[-1]  # the mention's own sentence: 'keep them 7 years. Add a bucket'
        n = count_of(head) if seg.kind not in _COUNTED else None
        tail = seg.text[seg.mention.end - seg.start :].lstrip(" :,")
        listed = name_list(tail) if seg.kind not in _COUNTED else None
        if n is None and listed and re.search(r"s$", seg.mention.text, re.I):
            n = len(listed[0])
        if not n or n < 2 or n > 10 or (seg.kind == "log_group" and len(_PATH.findall(tail)) > 1):
            out.append(seg)  # 'log groups /a and /b': one per path, made by the log group's recogniser
            continue
        if listed and len(listed[0]) == n:
            given, rest = listed
            parts = [f"named {name} {rest}".strip() for name in given]
            labels: list[str | None] = list(given)
        else:
            parts = [_ONE.sub("", p) for p in _PLURAL_SPLIT.split(tail) if p.strip()]
            labels = [_part_name(p) for p in parts]
        adjectives = all(len(p.split()) == 1 and not _is_name(p.strip(" ,.")) for p in parts)
        if len(parts) != n or adjectives:
            parts, labels = [tail] * n, [None] * n  # alike ('encrypted and versioned'): said of every one
        for part, name in zip(parts, labels, strict=True):
            text = f"{head} {part}".strip()  # unnamed ones are named like any resource (and numbered if alike)
            out.append(Segment(seg.kind, seg.mention, text, seg.start, seg.end, seg.references, name, seg.parts))
    return out


# words that end a list of names: 'named orders and refunds, each with ...', '... both keyed by id'
_NOT_A_NAME = {
    "each", "both", "all", "with", "for", "in", "that", "which", "to", "of", "on", "named", "called", "the", "a", "an",
    "and", "or", "using", "where", "so", "is", "are", "it", "them", "their", "its", "as", "at", "by", "from",
    "private", "public", "fifo", "standard", "new", "also", "plus", "then", "every", "one", "two", "three", "four",
}  # fmt: skip
_LIST_ITEM = re.compile(r"[\"'`\u201c\u2018]?([A-Za-z0-9][\w.-]*[A-Za-z0-9]|[A-Za-z0-9])[\"'`\u201d\u2019]?")
_LIST_SEP = re.compile(r"\s*(?:,\s*(?:and\s+)?|(?<![\w-])and\s+|\s+and\s+)", re.I)


def _is_name(word: str) -> bool:
    lowered = word.lower()
    if lowered in _NOT_A_NAME:
        return False
    return bool(re.search(r"[\d_.-]", word)) or not re.search(r"(?:ed|ing|ly)$", lowered)


def name_list(tail: str) -> tuple[list[str], str] | None:
    """('orders', 'refunds'), 'each with a DLQ' for 'named orders and refunds, each with a DLQ'; None when the
    text after the noun does not start with two or more names."""
    at = 0
    named = re.match(r"\s*(?:named|called)\s+", tail, re.I)
    if named:
        at = named.end()
    names: list[str] = []
    while True:
        item = _LIST_ITEM.match(tail, at)
        if item is None or not _is_name(item.group(1)):
            break
        names.append(item.group(1))
        at = item.end()
        sep = _LIST_SEP.match(tail, at)
        if sep is None:
            break
        nxt = _LIST_ITEM.match(tail, sep.end())
        if nxt is None or not _is_name(nxt.group(1)):
            break
        at = sep.end()
    if len(names) < 2:
        return None
    return names, tail[at:].lstrip(" ,;:")


def _part_name(part: str) -> str | None:
    named = re.search(r"\b(?:named|called)\s+[\"'`]?([\w.-]+)", part, re.I)
    if named:
        return named.group(1)
    first = re.match(r"[\"'`]?([A-Za-z0-9][\w.-]*)", part)
    if first and first.group(1).lower() not in _STOP_NAMES and _is_name(first.group(1)):
        return first.group(1)
    return None
