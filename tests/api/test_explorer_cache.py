"""The explorer's cache builds a value once, however many requests want it at the same time."""

from __future__ import annotations

import threading
import time

import pytest

from api.explorer.cache import LruCache


def test_concurrent_misses_build_the_value_once() -> None:
    cache: LruCache[int] = LruCache(4)
    builds: list[int] = []
    start = threading.Barrier(8)

    def build() -> int:
        builds.append(1)
        time.sleep(0.05)
        return 42

    def ask(found: list[int]) -> None:
        start.wait()
        found.append(cache.get("network", build))

    found: list[int] = []
    threads = [threading.Thread(target=ask, args=(found,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert found == [42] * 8
    assert len(builds) == 1


def test_a_failed_build_is_tried_again_and_old_values_are_dropped() -> None:
    cache: LruCache[str | None] = LruCache(2)

    def fail() -> str:
        raise RuntimeError("store unavailable")

    with pytest.raises(RuntimeError):
        cache.get("a", fail)
    assert cache.get("a", lambda: "built") == "built"
    assert cache.get("b", lambda: None) is None
    assert cache.get("b", lambda: "rebuilt") is None  # None is a value like any other
    cache.get("c", lambda: "c")
    assert len(cache) == 2
    assert cache.get("a", lambda: "again") == "again"  # "a" was the least recently used
