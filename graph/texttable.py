"""Many short strings kept as one, with the look-ups a name index needs: equal to, starting with, containing.

A dict or a list of a hundred thousand names costs an object and a pointer or two per name; a `TextTable` keeps
one string with a separator after each item, where each item starts and the items' sorted order, a few bytes
per item besides the text itself. Prefix and equality look-ups bisect the sorted order; substring look-ups let
`str.find` run over the one string.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

SEPARATOR = "\n"


class TextTable:
    """Strings (without newlines) numbered in the order given."""

    def __init__(self, items: Iterable[str]) -> None:
        parts: list[str] = []
        starts = array("i", [0])
        for item in items:
            if SEPARATOR in item:
                raise ValueError(f"a TextTable item may not contain a newline: {item!r}")
            parts.append(item)
            starts.append(starts[-1] + len(item) + 1)
        self._text = "".join(f"{part}{SEPARATOR}" for part in parts)
        self._starts = starts
        self._sorted = array("i", sorted(range(len(parts)), key=parts.__getitem__))

    def __len__(self) -> int:
        return len(self._starts) - 1

    def __getitem__(self, index: int) -> str:
        return self._text[self._starts[index] : self._starts[index + 1] - 1]

    def equal_to(self, text: str) -> list[int]:
        """The numbers of the items equal to `text`, in the order given."""
        lo = bisect_left(self._sorted, text, key=self.__getitem__)
        hi = bisect_right(self._sorted, text, lo=lo, key=self.__getitem__)
        return sorted(self._sorted[lo:hi])

    def starting_with(self, prefix: str) -> list[int]:
        """The numbers of the items that start with `prefix`, in the order given."""
        size = len(prefix)

        def head(index: int) -> str:
            return self[index][:size]

        # Cutting sorted strings to the same length keeps them sorted, so the cut items can be bisected.
        lo = bisect_left(self._sorted, prefix, key=head)
        hi = bisect_right(self._sorted, prefix, lo=lo, key=head)
        return sorted(self._sorted[lo:hi])

    def containing(self, text: str) -> list[int]:
        """The numbers of the items that contain `text` (every item for ""), in the order given."""
        if not text:
            return list(range(len(self)))
        if SEPARATOR in text:
            return []
        found: list[int] = []
        at = self._text.find(text)
        while at >= 0:
            index = bisect_right(self._starts, at) - 1
            found.append(index)
            at = self._text.find(text, self._starts[index + 1])
        return found
