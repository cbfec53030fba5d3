"""Folding text for the loose comparisons people expect from a search box: case and accents do not matter."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case with accents dropped: `Mélanie` and `MELANIE` both become `melanie`."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
