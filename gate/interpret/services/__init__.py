"""One recogniser per spec kind, from each service's lexicon in :data:`gate.services.CATALOG`
(``gate/services/<name>/interpret.py``); :data:`RECOGNISERS` maps spec kind -> recogniser."""

from __future__ import annotations

from gate.interpret.base import Recogniser
from gate.services import CATALOG

RECOGNISERS: dict[str, Recogniser] = {r.kind: r for service in CATALOG.values() for r in service.recognisers}
