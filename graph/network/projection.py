"""The store as a networkx multigraph, projected as the ontology's edge declarations say.

Nodes are the instances of classes marked `tc:networkNode`. Edges come from `Ontology.edge_kinds()`, never from
a list written here:

- an object property marked `tc:networkEdge` gives one edge per statement between two nodes (`kind="property"`);
- a relation class with `tc:edgeSource`/`tc:edgeTarget` gives one edge from each source to each target of each
  record, with the record as `via` (`kind="record"`): an ownership owner -> owned, a post holder -> organisation,
  an action issuer -> each target, an event each agent -> each affected party;
- a relation class that is also a node class (regulatory actions and events) additionally keeps its records as
  nodes joined to their parties, so that paths through them exist (`kind="leg"`): source -> record
  ("issued", "took part in": the source property read backwards) and record -> target (the class's
  own edge label, "restricts", "acted on").

Every edge carries the sources and the confidence of the record that states it (the relation record, or the
subject of the object property).

Node attributes: iri, label, record_id, cls, class_label, colour, shape (the last three from the ontology),
country, confidence, date, end, aliases, identifiers. Edge attributes: relation, kind, label, inverse_label, via,
via_label, start, end, sources (url, title, publisher, published), confidence, share, as_of, controlling, role.

The projection is read into `graph.network.compact.CompactProjection` and filtered by date and kind in
`graph.network.view.ProjectionView`; `project` gives the networkx form of one view of it.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from graph.network.builder import compact_projection
from graph.network.facts import SparqlStore, local_name, short_id
from graph.network.view import ProjectionView, check_relations
from graph.ontology import Ontology, load_ontology

__all__ = ["SparqlStore", "local_name", "project", "short_id"]


def project(
    store: SparqlStore,
    *,
    as_of: str | None = None,
    relations: Iterable[str] | None = None,
    ontology: Ontology | None = None,
) -> nx.MultiDiGraph:
    """The graph as a networkx MultiDiGraph: nodes keyed by IRI, edges keyed by a stable id.

    `as_of` (a partial date) keeps only what had begun and not yet ended by then; undated things stay.
    `relations` keeps only the edges of these edge kinds (relation class or object property IRIs); the legs
    through actions and events belong both to their property (tc:issuer, ...) and to their relation class.
    An IRI that names no edge kind raises ValueError.
    """
    onto = ontology or load_ontology()
    wanted = check_relations(onto.edge_kinds(), relations)
    return ProjectionView(compact_projection(store, onto), as_of, wanted).graph()
