"""The network tests' named data set: the fixed slice of the curated data in `fixture/` (its header says how it
was made), and the IRIs of its records."""

from __future__ import annotations

from pathlib import Path

from graph.vocab import entity_iri

FIXTURE = Path(__file__).resolve().parent / "fixture"


def iri(record_id: str) -> str:
    """The IRI of a record of the fixture, as the projection keys it."""
    return str(entity_iri(record_id))
