"""Imports without the cyclic garbage collector: an import makes thousands of objects (classes, functions)
and almost no garbage, and the collector's passes over them cost about a sixth of a large import (checkov's
runners, cfn-lint: measured by CPU time for issue 19). Only imports: work that makes garbage keeps it."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def importing() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
