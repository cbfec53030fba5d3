"""Extension functions available in every query, registered with pyoxigraph's `custom_functions`.

Functions live in their own namespace, `tcf:`, predeclared in every query: they are operations of this endpoint,
not terms of the ontology, so the ontology does not declare them.

`tcf:matches(?text, "query")` scores how well a label matches a search string, ignoring case and accents:
1.0 for the same text, 0.9 when the text starts with it, 0.8 when a word starts with it, 0.6 when it occurs
anywhere, otherwise the best fuzzy similarity of the query to a word of the text if at least 0.75 (scaled to
0.5 or less), else 0.0. As a FILTER it is true for any match; ORDER BY DESC(tcf:matches(...)) ranks them.
"""

from __future__ import annotations

from collections.abc import Callable
from difflib import SequenceMatcher

import pyoxigraph as ox
from rdflib.namespace import XSD

from graph.text import fold
from graph.vocab import PREFIXES, TCF

# The namespace of the endpoint's functions; it belongs in graph/vocab.py with the others once that file is open.
MATCHES = TCF.matches
QUERY_PREFIXES = {**PREFIXES, "tcf": str(TCF)}
DOUBLE = ox.NamedNode(str(XSD.double))


def match_score(text: str, query: str) -> float:
    """How well `text` matches the search string `query`, from 0.0 (not at all) to 1.0 (the same)."""
    haystack, needle = fold(text).strip(), fold(query).strip()
    if not needle:
        return 0.0
    if haystack == needle:
        return 1.0
    if haystack.startswith(needle):
        return 0.9
    words = haystack.replace("-", " ").split()
    if any(word.startswith(needle) for word in words):
        return 0.8
    if needle in haystack:
        return 0.6
    best = max((SequenceMatcher(None, needle, word).ratio() for word in words), default=0.0)
    return round(best * 0.5, 4) if best >= 0.75 else 0.0


def _matches(text: object, query: object) -> ox.Literal | None:
    if not isinstance(text, ox.Literal | ox.NamedNode) or not isinstance(query, ox.Literal):
        return None
    return ox.Literal(repr(match_score(text.value, query.value)), datatype=DOUBLE)


CUSTOM_FUNCTIONS: dict[ox.NamedNode, Callable[..., ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None]] = {
    ox.NamedNode(str(MATCHES)): _matches
}
