"""Partial dates (`2025`, `2025-06`, `2025-06-27`) compared at the precision both of them have."""

from __future__ import annotations

from collections.abc import Iterable

from graph.records import date_order_key


def earliest(values: Iterable[str]) -> str:
    """The earliest of some partial dates, or "" when there is none."""
    present = [v for v in values if v]
    return min(present, key=date_order_key) if present else ""


def certainly_after(a: str, b: str) -> bool:
    """True only when `a` is after `b` at their common precision (2025-07 is after 2025-06-30; 2025 is not)."""
    first, second = date_order_key(a), date_order_key(b)
    common = min(len(first), len(second))
    return first[:common] > second[:common]


def in_force(start: str, end: str, as_of: str | None) -> bool:
    """Whether something that began at `start` and ended at `end` had begun and not yet ended by `as_of`.

    Undated things are kept; a thing is dropped only when its dates are certainly outside `as_of`.
    """
    if not as_of:
        return True
    if start and certainly_after(start, as_of):
        return False
    return not (end and certainly_after(as_of, end))
