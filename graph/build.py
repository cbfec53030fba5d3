"""A whole build: data directories in, one deterministic N-Quads document out, validated before publishing."""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph.dataset import Dataset, read_dataset
from graph.errors import DataError, Problem, display_path
from graph.ontology import ONTOLOGY_FILES, Ontology, load_ontology
from graph.shacl import locate, shacl_violations
from graph.triples import build_curated_triples
from graph.vocab import GRAPHS, ONTOLOGY_DIR

Progress = Callable[[str], None]

OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "n-triples": ox.RdfFormat.N_TRIPLES,
    "n-quads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "json-ld": ox.RdfFormat.JSON_LD,
}


def _quiet(_message: str) -> None:
    """Progress sink that says nothing."""


@dataclass
class Compiled:
    """The validated content of a build, ready to publish."""

    nquads: bytes
    digest: str
    dataset: Dataset
    named_graphs: list[str] = field(default_factory=list)

    @property
    def quad_count(self) -> int:
        return self.nquads.count(b"\n")


def rdf_file_graph(directory: Path, file: Path) -> ox.NamedNode:
    """The named graph a plain RDF file of a data directory is loaded into."""
    relative = file.relative_to(directory).as_posix()
    return ox.NamedNode(f"{GRAPHS}{directory.resolve().name}/{relative}")


def _skolemised(quads: Iterator[ox.Quad], prefix: str) -> Iterator[ox.Quad]:
    """Blank nodes renamed by order of appearance, so that the same file always gives the same bytes."""
    names: dict[str, ox.BlankNode] = {}

    def rename(term: ox.BlankNode) -> ox.BlankNode:
        if term.value not in names:
            names[term.value] = ox.BlankNode(f"{prefix}b{len(names)}")
        return names[term.value]

    for quad in quads:
        subject = rename(quad.subject) if isinstance(quad.subject, ox.BlankNode) else quad.subject
        obj = rename(quad.object) if isinstance(quad.object, ox.BlankNode) else quad.object
        graph = rename(quad.graph_name) if isinstance(quad.graph_name, ox.BlankNode) else quad.graph_name
        yield ox.Quad(subject, quad.predicate, obj, graph)


def _rdf_file_quads(directory: Path, file: Path, fmt: str, problems: list[Problem]) -> list[ox.Quad]:
    graph = rdf_file_graph(directory, file)
    prefix = hashlib.sha256(str(graph.value).encode()).hexdigest()[:8]
    try:
        parsed = list(ox.parse(path=file, format=OX_FORMATS[fmt], base_iri=graph.value))
    except SyntaxError as exc:
        problems.append(Problem(display_path(file), exc.lineno or 0, "", f"{fmt} syntax: {exc.msg}"))
        return []
    except (OSError, ValueError) as exc:
        problems.append(Problem(display_path(file), 0, "", f"cannot read {fmt}: {exc}"))
        return []
    placed = (
        ox.Quad(
            q.subject,
            q.predicate,
            q.object,
            graph if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name,
        )
        for q in parsed
    )
    return list(_skolemised(placed, prefix))


def _serialise_sorted(quads: list[ox.Quad]) -> bytes:
    text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    assert isinstance(text, bytes)
    lines = sorted(set(text.splitlines(keepends=True)))
    return b"".join(lines)


def compile_data(directories: list[Path], ontology_dir: Path = ONTOLOGY_DIR, progress: Progress = _quiet) -> Compiled:
    """Read, convert and validate every data directory; raise DataError with every problem found."""
    # A build makes millions of small objects that all live until it ends: the cyclic collector would rescan
    # them again and again (most of the time of a large build) and free nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _compile(directories, ontology_dir, progress)
    finally:
        if collecting:
            gc.enable()


def _compile(directories: list[Path], ontology_dir: Path, progress: Progress) -> Compiled:
    ontology: Ontology = load_ontology(ontology_dir)
    progress(f"reading {', '.join(display_path(d) for d in directories)}")
    dataset = read_dataset(directories, ontology)
    progress(f"read {len(dataset.records)} records and {len(dataset.rdf_files)} RDF files")
    curated = build_curated_triples(dataset, ontology)
    progress(f"validating {len(curated)} triples against the SHACL shapes")
    problems = locate(shacl_violations(curated, ontology), dataset)
    quads: list[ox.Quad] = []
    for name in ONTOLOGY_FILES:
        quads.extend(ox.parse(path=ontology_dir / name, format=ox.RdfFormat.TURTLE))
    quads.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in curated)
    named: set[str] = set()
    for file, fmt in dataset.rdf_files:
        directory = next(d for d in directories if file.is_relative_to(d))
        file_quads = _rdf_file_quads(directory, file, fmt, problems)
        named.add(rdf_file_graph(directory, file).value)
        quads.extend(file_quads)
    if problems:
        raise DataError(problems)
    nquads = _serialise_sorted(quads)
    digest = hashlib.sha256(nquads).hexdigest()
    compiled = Compiled(nquads=nquads, digest=digest, dataset=dataset, named_graphs=sorted(named))
    progress(f"compiled {compiled.quad_count} quads (digest {digest[:12]})")
    return compiled
