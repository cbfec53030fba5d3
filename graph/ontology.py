"""The ontology as Python reads it: concept schemes, classes, display hints and edge declarations.

Everything the loader, the network projection and the explorer need to know about kinds of things is derived
from the Turtle files in `ontology/`, so adding a concept or a class there is the only change needed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from graph.vocab import ONTOLOGY_DIR, TC, TCC

ONTOLOGY_FILES = ("techcurbs.ttl", "concepts.ttl")
SHAPES_FILE = "shapes.ttl"

DECLARING_TYPES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.Ontology,
    SKOS.Concept,
    SKOS.ConceptScheme,
)


@dataclass(frozen=True)
class ClassInfo:
    """How instances of one class are named and drawn."""

    iri: URIRef
    label: str
    definition: str
    colour: str
    shape: str
    is_node: bool


@dataclass(frozen=True)
class EdgeKind:
    """One kind of network edge: a relation class projected from source to target, or an object property."""

    iri: URIRef
    label: str
    inverse_label: str
    source: URIRef | None = None
    target: URIRef | None = None

    @property
    def is_record(self) -> bool:
        """True for a relation class (ownership, post, action) rather than a plain object property."""
        return self.source is not None


@dataclass(frozen=True)
class Ontology:
    """The parsed ontology with the look-ups derived from it."""

    graph: Graph
    directory: Path
    concepts: dict[str, dict[str, URIRef]] = field(default_factory=dict)
    _memo: dict[tuple[str, URIRef], object] = field(default_factory=dict, compare=False, repr=False)

    def label(self, term: URIRef) -> str:
        """The English label of a term, or its local name."""
        value = self.graph.value(term, RDFS.label)
        if value is None:
            text = str(term)
            return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        return str(value)

    def definition(self, term: URIRef) -> str:
        value = self.graph.value(term, SKOS.definition)
        return "" if value is None else str(value)

    def concept(self, scheme: str, notation: str) -> URIRef | None:
        """The concept of a scheme (`action-type`, `status`, ...) with a YAML notation, or None."""
        return self.concepts.get(scheme, {}).get(notation)

    def notations(self, scheme: str) -> list[str]:
        return sorted(self.concepts.get(scheme, {}))

    def declared_terms(self) -> set[URIRef]:
        """Every IRI the ontology declares: classes, properties, concepts and schemes."""
        terms: set[URIRef] = set()
        for kind in DECLARING_TYPES:
            terms.update(s for s in self.graph.subjects(RDF.type, kind) if isinstance(s, URIRef))
        return terms

    def tc_superclasses(self, cls: URIRef) -> list[URIRef]:
        """The class and its TechCurbs superclasses, nearest first."""
        memo = self._memo.get(("super", cls))
        if isinstance(memo, list):
            return memo
        found: list[URIRef] = []
        todo = [cls]
        while todo:
            current = todo.pop(0)
            if current in found or not str(current).startswith(str(TC)):
                continue
            found.append(current)
            todo.extend(o for o in self.graph.objects(current, RDFS.subClassOf) if isinstance(o, URIRef))
        self._memo[("super", cls)] = found
        return found

    def subclasses_by_key(self, base: URIRef) -> dict[str, URIRef]:
        """Data keys (`company`, `court`, `state`, ...) of a class and its subclasses."""
        memo = self._memo.get(("keys", base))
        if isinstance(memo, dict):
            return memo
        keys: dict[str, URIRef] = {}
        for cls, key in self.graph.subject_objects(TC.dataKey):
            if isinstance(cls, URIRef) and base in self.tc_superclasses(cls):
                keys[str(key)] = cls
        self._memo[("keys", base)] = keys
        return keys

    def class_info(self, cls: URIRef) -> ClassInfo:
        colour = self.graph.value(cls, TC.displayColour)
        shape = self.graph.value(cls, TC.displayShape)
        return ClassInfo(
            iri=cls,
            label=self.label(cls),
            definition=self.definition(cls),
            colour=str(colour) if colour is not None else "#999999",
            shape=str(shape) if shape is not None else "dot",
            is_node=self.graph.value(cls, TC.networkNode) == Literal(True),
        )

    def node_classes(self) -> list[ClassInfo]:
        """Classes whose instances are network nodes, in a stable order."""
        classes = [c for c in self.graph.subjects(TC.networkNode, Literal(True)) if isinstance(c, URIRef)]
        return [self.class_info(c) for c in sorted(classes)]

    def most_specific(self, classes: set[URIRef]) -> URIRef | None:
        """Of several classes an instance has, the one no other of them is a subclass of."""
        candidates = [c for c in classes if str(c).startswith(str(TC))]
        for cls in sorted(candidates, key=lambda c: -len(self.tc_superclasses(c))):
            return cls
        return None

    def edge_kinds(self) -> list[EdgeKind]:
        """Every kind of network edge the ontology declares, relation classes first."""
        kinds: list[EdgeKind] = []
        for cls in sorted(s for s in self.graph.subjects(TC.edgeSource, None) if isinstance(s, URIRef)):
            source = self.graph.value(cls, TC.edgeSource)
            target = self.graph.value(cls, TC.edgeTarget)
            assert isinstance(source, URIRef) and isinstance(target, URIRef), cls
            kinds.append(EdgeKind(cls, self._text(cls, TC.edgeLabel), self._text(cls, TC.inverseLabel), source, target))
        for prop in sorted(s for s in self.graph.subjects(TC.networkEdge, Literal(True)) if isinstance(s, URIRef)):
            kinds.append(EdgeKind(prop, self._text(prop, TC.edgeLabel), self._text(prop, TC.inverseLabel)))
        return kinds

    def edge_labels(self, prop: URIRef) -> tuple[str, str]:
        """How an edge along a property reads forwards and backwards, as the ontology words it."""
        return self._text(prop, TC.edgeLabel), self._text(prop, TC.inverseLabel)

    def _text(self, term: URIRef, prop: URIRef) -> str:
        value = self.graph.value(term, prop)
        return self.label(term) if value is None or isinstance(value, BNode) else str(value)


def _concept_index(graph: Graph) -> dict[str, dict[str, URIRef]]:
    index: dict[str, dict[str, URIRef]] = {}
    for concept, notation in graph.subject_objects(SKOS.notation):
        scheme = graph.value(concept, SKOS.inScheme)
        if isinstance(concept, URIRef) and isinstance(scheme, URIRef):
            slug = str(scheme).removeprefix(str(TCC))
            index.setdefault(slug, {})[str(notation)] = concept
    return index


@cache
def load_ontology(directory: Path = ONTOLOGY_DIR) -> Ontology:
    """Parse the ontology files once per directory."""
    graph = Graph()
    for name in ONTOLOGY_FILES:
        graph.parse(directory / name, format="turtle")
    return Ontology(graph=graph, directory=directory, concepts=_concept_index(graph))


@cache
def load_shapes(directory: Path = ONTOLOGY_DIR) -> Graph:
    """Parse the SHACL shapes once per directory."""
    return Graph().parse(directory / SHAPES_FILE, format="turtle")
