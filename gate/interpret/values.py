"""Typed values of a built resource, for coverage: its leaves, and whether a request token (a name, a structured
value, or a number with its unit) is what one of them carries ('7 days' -> 7 or 604800 s, '2 GB' -> 2048 MB)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from gate.interpret import extract


def leaves(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for value in node:
            yield from leaves(value, path)
    elif node is not None and node != "":
        yield path, node


@dataclass(frozen=True)
class Built:
    name: str
    kind: str
    leaves: tuple[tuple[str, Any], ...]
    fields: dict[str, Any]


def built(fields: dict[str, Any]) -> Built:
    found = list(leaves({k: v for k, v in fields.items() if k != "tags"}))
    period, periods = fields.get("period_s"), fields.get("evaluation_periods")
    if isinstance(period, int) and isinstance(periods, int):
        found.append(("evaluation_periods", period * periods))  # 'for 10 minutes': periods x period
    if fields.get("kind") == "rds_instance" and isinstance(params := fields.get("parameters"), dict) and params:
        version = str(fields.get("engine_version") or "").split(".")
        major = version[:1] if fields.get("engine") in (None, "postgres") else version[:2]
        family = f"{fields.get('engine') or 'postgres'}{'.'.join(major)}"
        found += [("parameters", key) for key in params] + [("parameters", family)]  # names, and the group's family
    if fields.get("kind") == "elasticache_cluster" and isinstance(replicas := fields.get("replicas", 1), int):
        found += [("replicas", replicas + 1), ("replicas", 1)]  # '3 nodes': a primary and its replicas; '1 primary'
    return Built(str(fields["name"]), str(fields["kind"]), tuple(found), fields)


_EMBEDDED = ("runtime", "engine_version", "instance_type", "instance_class", "architecture")


def _numbers_of(value: Any, path: str = "") -> list[float]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [float(value)]
    if isinstance(value, str):
        if re.fullmatch(r"\d+(?:\.\d+)?", value):
            return [float(value)]
        if path in _EMBEDDED:  # 'nodejs20.x' holds the 20 of 'Node.js 20'
            return [float(n) for n in re.findall(r"\d+(?:\.\d+)?", value)]
        if value.startswith(("cron(", "rate(")):  # 'at 2am', 'every 5 minutes'
            return [float(n) for n in re.findall(r"(?<![\w.])\d+", value)]
        return []  # a window 'sun:04:30-sun:05:30' or a name holds no number the request gave
    return []


def number_candidates(token: str, unit: str) -> set[float]:
    """What a number with its unit may have become: '7 days' -> {7, 604800, 10080, 168}; '2 GB' -> {2, 2048}."""
    n_text = re.match(r"\d+(?:\.\d+)?", token)
    n = float(n_text.group(0)) if n_text else extract.number(token.lower())
    if n is None:
        return set()
    n = float(n)
    out = {n}
    seconds = extract.durations_seconds(f"{int(n) if n.is_integer() else n} {unit}") if unit else []
    if seconds:
        s = float(seconds[0][0])
        out |= {s, s / 60, s / 3600, s / 86400, s * 1000}
        if s >= 43200:
            out.add(float(round(s / 86400)))
    u = unit.lower()
    if u in ("gb", "gib", "g", "gigabytes", "gigabyte"):
        out |= {n * 1024, n * 1000, n * 1024**3, n * 1e9}  # MB, or bytes (an alarm on free storage)
    if u in ("tb", "tib", "terabytes", "terabyte"):
        out |= {n * 1024, n * 1000}
    if u in ("mb", "mib", "megabytes", "megabyte"):
        out |= {n / 1024}
    if u in ("kb", "kib", "kilobytes", "kilobyte"):
        out |= {n * 1024, n * 1000}  # bytes (an SQS message size)
    if u in ("pm",):
        out.add(n + 12)
    return out


def carried_number(candidates: set[float], value: Any, path: str) -> bool:
    numbers = _numbers_of(value, path)
    if any(c in numbers for c in candidates):
        return True
    if not path.endswith("_days"):
        return False
    # a retention rounded up to an allowed value (log retention 45 days -> 60): within a tenth, or, for a log group,
    # the next value CloudWatch Logs allows
    if any(c >= 1 and any(c <= v <= c * 1.1 + 2 for v in numbers) for c in candidates if c >= 1):
        return True
    return path == "retention_days" and any(
        v == next((r for r in LOG_RETENTIONS if r >= c), None) for c in candidates if c >= 1 for v in numbers
    )


# the retentions CloudWatch Logs allows (gate.spec.LogGroup.retention_days)
LOG_RETENTIONS = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
                  3653)  # fmt: skip


def same_text(token: str, value: Any) -> bool:
    if not isinstance(value, str) or isinstance(value, bool):
        return False
    t, v = token.lower(), value.lower()
    if t == v:
        return True
    if len(t) >= 3 and re.search(r"[\d./:*@=-]", t):  # values with structure are matched where they stand
        return t in v
    # 'X' in the path 'service-role/X', 'production' in 'repo:acme/api:environment:production'
    return len(t) >= 3 and bool(re.search(r"[/:]", v)) and t == re.split(r"[/:]", v)[-1]


def name_part(token: str, name: str) -> bool:
    """'web' in the name 'web-sg', 'billing' in 'billing-db': names the gate made from the request's words."""
    t = token.lower()
    return len(t) >= 2 and (t == name.lower() or t in re.split(r"[-_.]", name.lower()) or extract.kebab(t) == name)
