"""RDS engine versions: the newest minor version of a major that RDS still lets you create, from cfn-lint.

cfn-lint ships the versions RDS accepts per engine (``engine_version.json``, rule E3691) and the ones it
has deprecated for new instances (``engine_version_deprecated.json``, rule W3691) under
``cfnlint/data/schemas/extensions/aws_rds_dbinstance/``.  The gate pins a request's "postgres 15" to the
newest listed 15.x that is not deprecated, so the template never trips W3691; the table below is used only
when that data cannot be read (the chosen version is always stated as an assumption).
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

# Fallback when cfn-lint's data is unreadable: a current minor per major (cfn-lint 1.58 data).
FALLBACK = {
    ("postgres", "17"): "17.11",
    ("postgres", "16"): "16.15",
    ("postgres", "15"): "15.19",
    ("postgres", "14"): "14.24",
    ("postgres", "13"): "13.23",
    ("mysql", "8.0"): "8.0.46",
    ("mysql", "8"): "8.4.11",
    ("mysql", "8.4"): "8.4.11",
    ("mariadb", "10.11"): "10.11.19",
    ("mariadb", "10.6"): "10.6.28",
    ("mariadb", "11.4"): "11.4.13",
    ("mariadb", "10"): "10.11.19",
    ("mariadb", "11"): "11.8.9",
}
_PLAIN = re.compile(r"^\d+(?:\.\d+){1,2}$")  # what the spec accepts; '-rds.<date>' builds are Extended Support


def _data_dir() -> Path:
    import cfnlint

    return Path(cfnlint.__file__).parent / "data" / "schemas" / "extensions" / "aws_rds_dbinstance"


def _by_engine(document: Any) -> dict[str, frozenset[str]]:
    """{engine: versions} from one of cfn-lint's ``allOf: [{if: {Engine: const, EngineVersion: enum}}]``."""
    out: dict[str, frozenset[str]] = {}
    for branch in document.get("allOf", []):
        props = branch.get("if", {}).get("properties", {})
        engine = props.get("Engine", {}).get("const")
        enum = props.get("EngineVersion", {}).get("enum")
        if enum is None:  # engine_version.json keeps the enum in 'then'
            enum = branch.get("then", {}).get("properties", {}).get("EngineVersion", {}).get("enum")
        if isinstance(engine, str) and isinstance(enum, list):
            out[engine] = frozenset(str(v) for v in enum)
    return out


@cache
def cfn_lint_versions() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]] | None:
    """(allowed, deprecated) versions per engine as cfn-lint knows them; None when the data is unreadable."""
    try:
        folder = _data_dir()
        allowed = _by_engine(json.loads((folder / "engine_version.json").read_text(encoding="utf-8")))
        deprecated = _by_engine(json.loads((folder / "engine_version_deprecated.json").read_text(encoding="utf-8")))
    except (ImportError, OSError, ValueError, AttributeError):
        return None
    return (allowed, deprecated) if allowed else None


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def newest(engine: str, prefix: str) -> str | None:
    """The newest version of ``engine`` under ``prefix`` ('15', '8.0', '8') that cfn-lint lists as creatable and
    not deprecated; None when cfn-lint has no such version (or its data is unreadable)."""
    data = cfn_lint_versions()
    if data is None:
        return None
    allowed, deprecated = data
    given = prefix.split(".")
    usable = [
        v
        for v in allowed.get(engine, frozenset()) - deprecated.get(engine, frozenset())
        if _PLAIN.match(v) and v.split(".")[: len(given)] == given and len(v.split(".")) > len(given)
    ]
    return max(usable, key=_key, default=None)


def pinned(engine: str, version: str) -> tuple[str, str]:
    """The full version to deploy for the ``version`` a request gives, and where it came from.

    A full version ('15.8', '8.0.42') is kept as given; a major ('15', '8.0') becomes its newest
    non-deprecated minor per cfn-lint, else the fallback table, else stays as given."""
    found = newest(engine, version)
    if found is not None:
        return found, "cfn-lint"
    if (engine, version) in FALLBACK:
        return FALLBACK[(engine, version)], "table"
    return version, "given"
