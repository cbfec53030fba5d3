"""Networks, name indexes and drawings kept per build: the graph never changes between builds, so neither do they."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

# Views and drawings are small; the explorer gives the caches of large things (a build's network) a size of one.
DEFAULT_SIZE = 32


class LruCache(Generic[T]):
    """A bounded, thread-safe least-recently-used cache that builds missing values with a function.

    A value is built once however many requests want it at the same time: the others wait for it, so that a
    burst of first requests does not read a large build's network several times over, in memory at once.
    """

    def __init__(self, maxsize: int = DEFAULT_SIZE) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()
        self._building: dict[Hashable, threading.Lock] = {}

    def _cached(self, key: Hashable) -> tuple[T] | None:
        """The value of `key` (in a 1-tuple, as a value may be None) when it is cached."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return (self._items[key],)
            return None

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The cached value of `key`, built (outside the cache's lock, once at a time per key) and stored on a miss."""
        if (hit := self._cached(key)) is not None:
            return hit[0]
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:
            if (hit := self._cached(key)) is not None:
                return hit[0]
            try:
                value = build()
                with self._lock:
                    self._items[key] = value
                    self._items.move_to_end(key)
                    while len(self._items) > self.maxsize:
                        self._items.popitem(last=False)
            finally:
                with self._lock:
                    self._building.pop(key, None)
            return value

    def __len__(self) -> int:
        return len(self._items)
