"""What an entity IRI answers to a machine: the entity's description (CBD) and the sources it cites."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from graph.vocab import TC, entity_iri

if TYPE_CHECKING:
    from graph.backend import Backend

ENTITY_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD, "nt": ox.RdfFormat.N_TRIPLES}


def _describe_query(iri: str) -> str:
    # The entity's own statements, those of blank nodes it points to (its concise bounded description),
    # and the statements of every source document it cites, so a reader can check each fact.
    return f"""
    CONSTRUCT {{ ?s ?p ?o }} WHERE {{
      {{ BIND(<{iri}> AS ?s) ?s ?p ?o }}
      UNION {{ <{iri}> ?via ?s . FILTER(isBlank(?s)) ?s ?p ?o }}
      UNION {{ <{iri}> <{TC.source}> ?s . ?s ?p ?o }}
    }}"""


def describe_entity(store: Backend, record_id: str) -> list[ox.Triple] | None:
    """The triples describing a curated record, or None when no record has that id."""
    iri = entity_iri(record_id)
    result = store.query(_describe_query(str(iri)))
    assert not isinstance(result, ox.QuerySolutions | ox.QueryBoolean)
    triples = sorted(result, key=str)
    if not any(t.subject == ox.NamedNode(str(iri)) for t in triples):
        return None
    return triples


def serialise_triples(triples: list[ox.Triple], name: str, prefixes: dict[str, str] | None) -> bytes:
    data = ox.serialize(triples, format=ENTITY_FORMATS[name], prefixes=prefixes if name == "ttl" else None)
    assert isinstance(data, bytes)
    return data
