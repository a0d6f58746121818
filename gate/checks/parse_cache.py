"""One parse per template per run, whatever the number of templates.

Several stages read each CloudFormation file (resource rows, policies, secrets, cost, the fixes). A
``functools.lru_cache`` with a count bound thrashes when a folder has more templates than the bound: the stages
walk the files in the same order, so with 100 templates and room for 64 every lookup missed and each template
was parsed six times. This cache is bounded by the bytes of the templates it holds instead, at the default
``limits.total_iac_bytes``: a run within the default limits parses each template once; a long-lived process
drops the oldest entries first.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

BYTES = 16 * 1024 * 1024  # LimitSettings.total_iac_bytes' default: all IaC files of one run together


class ContentCache(Generic[T]):
    """``parse(content, path)`` (a pure function; callers never mutate what it returns), cached by its arguments
    up to :data:`BYTES` of content, oldest dropped first; a parse that raises is not cached."""

    def __init__(self, parse: Callable[[str, str], T]) -> None:
        self._parse = parse
        self._held: OrderedDict[tuple[str, str], T] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.__doc__ = parse.__doc__
        self.__wrapped__ = parse

    def __call__(self, content: str, path: str) -> T:
        key = (content, path)
        with self._lock:
            if key in self._held:
                self._held.move_to_end(key)
                return self._held[key]
        value = self._parse(content, path)
        with self._lock:
            if key not in self._held:
                self._held[key] = value
                self._bytes += len(content)
                while self._bytes > BYTES and len(self._held) > 1:
                    (old, _), _ = self._held.popitem(last=False)
                    self._bytes -= len(old)
        return value

    def cache_clear(self) -> None:
        with self._lock:
            self._held.clear()
            self._bytes = 0


def by_content(parse: Callable[[str, str], T]) -> ContentCache[T]:
    return ContentCache(parse)
