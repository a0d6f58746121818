"""One recogniser per spec kind, from each service's lexicon in :data:`gate.services.CATALOG`
(``gate/services/<name>/interpret.py``); :data:`RECOGNISERS` maps spec kind -> recogniser, and :data:`WIRES` are
the services' steps that run once every resource is read (``Service.wiring``)."""

from __future__ import annotations

from gate.interpret.base import Recogniser
from gate.services import CATALOG
from gate.services.kit import Wire

RECOGNISERS: dict[str, Recogniser] = {r.kind: r for service in CATALOG.values() for r in service.recognisers}
WIRES: tuple[Wire, ...] = tuple(wire for service in CATALOG.values() for wire in service.wiring)
