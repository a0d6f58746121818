"""The services ``devops-gate import`` reads: built from the service catalogue (each service's ``importers``, in
``gate/services/<svc>/importer.py``), in the order resources are written (each reader's ``import_order``)."""

from __future__ import annotations

from gate.errors import GateError
from gate.importer.base import Reader
from gate.services import CATALOG


def _readers() -> dict[str, Reader]:
    """Every reader of the catalogue, in ``import_order``: what others refer to first."""
    found = [reader for service in CATALOG.values() for reader in service.importers]
    ranks = [reader.import_order for reader in found]
    shared = sorted({rank for rank in ranks if ranks.count(rank) > 1})
    if shared:  # a programming error in the catalogue, not bad input: tests/test_service_catalog.py says so
        raise RuntimeError(f"importer readers share import_order {shared}: each needs its own place")
    return {reader.service: reader for reader in sorted(found, key=lambda reader: reader.import_order)}


READERS: dict[str, Reader] = _readers()
# a service that brings another with it (a function's triggers come with the functions)
_WITH = {"lambda": ("lambda-trigger",), "vpc": ("subnet",)}
ALIASES = {"sg": "ec2", "security-groups": "ec2", "iam-roles": "iam", "ddb": "dynamodb"}


def chosen(types: str | None) -> dict[str, Reader]:
    """The readers for ``--types`` (comma-separated; absent: all)."""
    if not types:
        return dict(READERS)
    out: dict[str, Reader] = {}
    for raw in types.split(","):
        key = ALIASES.get(raw.strip().lower(), raw.strip().lower())
        if key not in READERS:
            raise GateError(
                f"--types: {raw.strip()!r} is not a service the importer reads",
                fix=f"use a comma-separated list of {', '.join(READERS)}",
            )
        out[key] = READERS[key]
        for extra in _WITH.get(key, ()):
            out[extra] = READERS[extra]
    return out
