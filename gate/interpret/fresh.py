"""What still holds after a refinement: the previous spec's assumptions and readings, recomputed against the
refined resources, never carried stale.

An assumption or reading about a resource is kept only while that resource is still in the spec and the field it
is about still has the value it had ("a DLQ after 5 receives" goes when the refinement makes it 4 receives; "no
instance type given, t3.micro" goes when the refinement says t3.large). Notes about the whole change (the region)
and about fields the refinement left alone are kept as they were.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gate.spec import Assumption, Reading

Resources = Mapping[str, Mapping[str, Any]]  # name -> the resource as JSON (model_dump(mode="json"))
REFINED = "refined"  # the note a refinement leaves on a resource: value is the changed fields, comma-separated


def changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> set[str]:
    """The top-level fields whose value differs between two dumps of one resource."""
    return {key for key in set(before) | set(after) if before.get(key) != after.get(key)}


def is_about(field: str, fields: Iterable[str]) -> bool:
    """Whether a note's field names one of ``fields``: the same field, a part of it ('dead_letter.max_receive_count'
    of 'dead_letter'), or a shorter name of it ('ami' of 'ami_ssm_parameter', 'storage' of 'storage_gb')."""
    head = field.split(".", 1)[0]
    return any(head == f or f.startswith(head + "_") or head.startswith(f + "_") for f in fields)


def assumptions(notes: Iterable[Assumption], before: Resources, after: Resources) -> list[Assumption]:
    """The previous notes that still hold for ``after``; an older 'refined' note keeps only the fields no later
    refinement changed again."""
    out: list[Assumption] = []
    for note in notes:
        if note.resource is None:
            out.append(note)
            continue
        if note.resource not in after:
            continue  # the resource was removed: nothing about it holds any more
        was = before.get(note.resource)
        moved = changed(was, after[note.resource]) if was is not None else set()
        if note.field == REFINED:
            left = [f for f in note.value.split(", ") if f and f not in moved]
            if left:
                out.append(note.model_copy(update={"value": ", ".join(left)}))
            continue
        if not is_about(note.field, moved):
            out.append(note)
    return out


def readings(previous: Iterable[Reading], before: Resources, after: Resources) -> list[Reading]:
    """The previous readings that still say what the spec holds (same resource, same value of that field)."""
    out: list[Reading] = []
    for reading in previous:
        if reading.resource is None:
            out.append(reading)
            continue
        if reading.resource not in after:
            continue
        was = before.get(reading.resource)
        if was is None or not is_about(reading.field, changed(was, after[reading.resource])):
            out.append(reading)
    return out
