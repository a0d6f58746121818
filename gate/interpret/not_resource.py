"""What the services' lexicons (``gate/services/<name>/lexicon.py``) say a resource noun inside one of their phrases
is not, for the request reader (:mod:`gate.interpret.mentions`): a metric of the service ('Lambda Errors'), or a part
of another service's resource ('two db.r7g.large instances').  Built from :data:`gate.services.CATALOG` on first use
(the catalogue imports the interpreter, so it cannot be imported at the top)."""

from __future__ import annotations

import functools
import re


@functools.cache
def metric_after_noun() -> re.Pattern[str]:
    """A CloudWatch metric as CloudWatch names it, right after a noun ('Lambda Errors', 'DynamoDB
    ReadThrottleEvents'): every service's ``metric_names``."""
    from gate.services import CATALOG

    names = dict.fromkeys(n for service in CATALOG.values() for n in service.lexicon.metric_names)
    return re.compile(rf"\s+(?:{'|'.join(names)})\b")


@functools.cache
def claimed_before() -> dict[str, re.Pattern[str]]:
    """Kind -> text right before its noun that makes the noun part of another service's resource ('two
    db.r7g.large instances' are a database's instances): every service's ``claims_before``."""
    from gate.services import CATALOG

    claims: dict[str, list[str]] = {}
    for service in CATALOG.values():
        for kind, pattern in service.lexicon.claims_before.items():
            claims.setdefault(kind, []).append(f"(?:{pattern})")
    return {kind: re.compile("|".join(patterns), re.I) for kind, patterns in claims.items()}
