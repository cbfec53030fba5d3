"""Projections and name indexes kept per build: the graph never changes between builds, so neither do they."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

# Each projection of the curated graph is well under a megabyte; a few dozen as-of dates and filters fit easily.
DEFAULT_SIZE = 32


class LruCache(Generic[T]):
    """A bounded, thread-safe least-recently-used cache that builds missing values with a function."""

    def __init__(self, maxsize: int = DEFAULT_SIZE) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        """The cached value of `key`, built (outside the lock) and stored on a miss."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)
