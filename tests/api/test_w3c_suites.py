"""W3C SPARQL 1.1 test suites run over HTTP against the endpoint: protocol, service description, result formats,
syntax and query evaluation. Each test's data is loaded into a small store of its own, served by a second app.

Expected failures are listed in w3c_expected_failures.txt; the list may only shrink: a listed test that passes
fails the run, so the list stays honest.
"""

from __future__ import annotations

import contextlib
import csv
import decimal
import hashlib
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox
import pytest
from fastapi import FastAPI
from rdflib import RDF, RDFS, BNode, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from api.app import create_app
from api.settings import Settings
from graph.store import BuildInfo, publish_nquads
from tests.conftest import SHARED, start_server

serve = contextlib.contextmanager(start_server)

SUITE = SHARED / "w3c-rdf-tests" / "sparql" / "sparql11"
EXPECTED_FAILURES_FILE = Path(__file__).with_name("w3c_expected_failures.txt")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
pytestmark = pytest.mark.skipif(not SUITE.is_dir(), reason=f"W3C test suites not found at {SUITE}")

RDF_PARSERS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
}
RESULT_REQUESTS = {
    ".srx": ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ".srj": ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ".tsv": ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
    ".csv": ("text/csv", ox.QueryResultsFormat.CSV),
}


def expected_failures() -> dict[str, str]:
    """Test name -> reason, from the checked-in list."""
    listed: dict[str, str] = {}
    if EXPECTED_FAILURES_FILE.exists():
        for line in EXPECTED_FAILURES_FILE.read_text(encoding="utf-8").splitlines():
            name, _, reason = line.partition("#")
            if name.strip():
                listed[name.strip()] = reason.strip()
    return listed


# -- serving many small stores over one real HTTP server ---------------------------------------------------------


class Switch:
    """An ASGI app that forwards to whichever TechCurbs app the current test installed."""

    def __init__(self) -> None:
        self.current: FastAPI | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        assert self.current is not None
        await self.current(scope, receive, send)


@dataclass
class Served:
    """One HTTP server; each distinct dataset becomes a store and an app installed behind it."""

    url: str
    switch: Switch
    root: Path
    key: str = ""

    def use(self, quads: list[ox.Quad]) -> None:
        nquads = b"".join(sorted(set(ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True))))
        key = hashlib.sha256(nquads).hexdigest()
        if key == self.key:
            return
        self.close()
        store = self.root / key[:16] / "store"
        store.parent.mkdir(parents=True, exist_ok=True)
        names = sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)})
        publish_nquads(nquads, BuildInfo(key, nquads.count(b"\n"), 0, names, []), store)
        self.switch.current = create_app(Settings(store=store, query_workers=1, query_timeout=10))
        self.key = key

    def close(self) -> None:
        if self.switch.current is not None:
            self.switch.current.state.sparql.close()
            self.switch.current = None
            self.key = ""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    switch = Switch()
    with serve(switch) as server:  # type: ignore[arg-type]
        holder = Served(server.url, switch, tmp_path_factory.mktemp("w3c"))
        yield holder
        holder.close()


def load(path: Path, graph: ox.NamedNode | ox.DefaultGraph) -> list[ox.Quad]:
    triples = ox.parse(path=path, format=RDF_PARSERS[path.suffix], base_iri=path.as_uri())
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in triples]


# -- query evaluation, syntax and result-format tests --------------------------------------------------------------


@dataclass(frozen=True)
class EvalTest:
    name: str
    kind: str
    query: Path
    data: tuple[Path, ...]
    graph_data: tuple[Path, ...]
    result: Path | None


def _local(term: object) -> Path:
    return Path(str(term).removeprefix("file://"))


def _manifests() -> list[Path]:
    if not SUITE.is_dir():
        return []
    found = []
    for top in ("manifest-sparql11-query.ttl", "manifest-sparql11-results.ttl"):
        graph = Graph().parse(SUITE / top, format="turtle", publicID=(SUITE / top).as_uri())
        for include in graph.objects(None, MF.include):
            for item in Collection(graph, include):
                if str(item).startswith("file://") and _local(item) not in found:
                    found.append(_local(item))
    return found


def eval_tests() -> list[EvalTest]:
    tests = []
    for manifest in _manifests():
        graph = Graph().parse(manifest, format="turtle", publicID=manifest.as_uri())
        entries = next(graph.objects(None, MF.entries))
        for entry in Collection(graph, entries):
            kind = str(graph.value(entry, RDF.type)).rsplit("#", 1)[-1]
            name = f"{manifest.parent.name}/{str(entry).rsplit('#', 1)[-1]}"
            action = graph.value(entry, MF.action)
            result = graph.value(entry, MF.result)
            if kind in ("PositiveSyntaxTest11", "NegativeSyntaxTest11"):
                tests.append(EvalTest(name, kind, _local(action), (), (), None))
            elif kind in ("QueryEvaluationTest", "CSVResultFormatTest"):
                query = graph.value(action, QT.query)
                data = tuple(_local(d) for d in graph.objects(action, QT.data))
                graph_data = tuple(_local(d) for d in graph.objects(action, QT.graphData))
                tests.append(EvalTest(name, kind, _local(query), data, graph_data, _local(result)))
    return tests


NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in ("integer", "decimal", "double", "float")}


def _canonical(term: object) -> str:
    """A term as compared: blank nodes by position only (weaker than isomorphism), numbers by value and type."""
    if isinstance(term, ox.BlankNode):
        return "_:b"
    if isinstance(term, ox.Literal) and term.datatype.value in NUMERIC:
        try:
            return f"{decimal.Decimal(term.value.strip()).normalize()}^^{term.datatype.value}"
        except decimal.InvalidOperation:
            return str(term)
    return str(term)


def _solutions(result: ox.QuerySolutions) -> Counter[frozenset[tuple[str, str]]]:
    names = [v.value for v in result.variables]
    rows: Counter[frozenset[tuple[str, str]]] = Counter()
    for solution in result:
        rows[frozenset((n, _canonical(solution[n])) for n in names if solution[n] is not None)] += 1
    return rows


def _answer(result: object) -> bool | Counter[frozenset[tuple[str, str]]]:
    """A parsed SPARQL result as plain Python, read here so that no engine object outlives this call (a result
    kept alive by a failed assertion's traceback would be freed later on the server's thread, which pyoxigraph
    refuses)."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    assert isinstance(result, ox.QuerySolutions), type(result)
    return _solutions(result)


def _csv_rows(data: bytes) -> Counter[frozenset[tuple[str, str]]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    header = rows[0]
    return Counter(
        frozenset((name, "_:b" if cell.startswith("_:") else cell) for name, cell in zip(header, row, strict=True))
        for row in rows[1:]
    )


RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")


def _rdf_result_set(graph: Graph) -> Counter[frozenset[tuple[str, str]]] | bool:
    """Expected results written in the RDF result-set vocabulary, as the same multiset of rows."""
    result_set = next(graph.subjects(RDF.type, RS.ResultSet))
    boolean = graph.value(result_set, RS.boolean)
    if boolean is not None:
        return bool(boolean.toPython())
    rows: Counter[frozenset[tuple[str, str]]] = Counter()
    for solution in graph.objects(result_set, RS.solution):
        row = set()
        for binding in graph.objects(solution, RS.binding):
            value = graph.value(binding, RS.value)
            term = (
                ox.BlankNode()
                if isinstance(value, BNode)
                else next(iter(ox.parse(f"<urn:s> <urn:p> {value.n3()} .", format=ox.RdfFormat.N_TRIPLES))).object
            )
            row.add((str(graph.value(binding, RS.variable)), _canonical(term)))
        rows[frozenset(row)] += 1
    return rows


def run_eval(served: Served, test: EvalTest) -> None:
    quads: list[ox.Quad] = []
    for path in test.data:
        quads.extend(load(path, ox.DefaultGraph()))
    for path in test.graph_data:
        quads.extend(load(path, ox.NamedNode(path.as_uri())))
    served.use(quads)
    query = f"BASE <{test.query.as_uri()}>\n" + test.query.read_text(encoding="utf-8")
    if test.kind.endswith("SyntaxTest11"):
        response = httpx.post(f"{served.url}/sparql", data={"query": query}, timeout=30)
        if test.kind == "PositiveSyntaxTest11":
            # It must parse; evaluating it may still fail (an unknown extension function is a 400 query_failed).
            assert response.status_code == 200 or response.json()["error"] != "query_syntax", response.text
        else:
            assert response.status_code == 400, response.text
            assert response.json()["error"] == "query_syntax"
        return
    assert test.result is not None
    suffix = test.result.suffix
    expected_graph = Graph()
    if suffix not in RESULT_REQUESTS:
        expected_graph.parse(test.result, format="turtle", publicID=test.result.as_uri())
        if (None, RDF.type, RS.ResultSet) in expected_graph:
            suffix = ".srj"
    accept = RESULT_REQUESTS[suffix][0] if suffix in RESULT_REQUESTS else "text/turtle"
    response = httpx.post(f"{served.url}/sparql", data={"query": query}, headers={"Accept": accept}, timeout=30)
    assert response.status_code == 200, response.text
    if suffix in RESULT_REQUESTS:
        fmt = RESULT_REQUESTS[suffix][1]
        if suffix == ".csv":
            assert _csv_rows(response.content) == _csv_rows(test.result.read_bytes())
            return
        # Parsed outside the asserts: pytest keeps an assert's sub-expressions for its report.
        actual = _answer(ox.parse_query_results(response.content, format=fmt))
        if test.result.suffix == ".ttl":
            expected = _rdf_result_set(expected_graph)
        else:
            expected = _answer(ox.parse_query_results(path=test.result, format=fmt))
        assert actual == expected
        return
    actual_graph = Graph().parse(data=response.text, format="turtle")
    assert isomorphic(actual_graph, expected_graph)


EVAL_TESTS = eval_tests()
EXPECTED = expected_failures()


@pytest.mark.parametrize("test", EVAL_TESTS, ids=[t.name for t in EVAL_TESTS])
def test_w3c_query_suite(served: Served, test: EvalTest) -> None:
    if test.name not in EXPECTED:
        run_eval(served, test)
        return
    try:
        run_eval(served, test)
    except AssertionError:
        pytest.xfail(EXPECTED[test.name])
    pytest.fail(
        f"{test.name} is listed as an expected failure but passes: remove it from {EXPECTED_FAILURES_FILE.name}"
    )


def test_expected_failures_name_real_tests() -> None:
    names = {t.name for t in EVAL_TESTS}
    assert set(EXPECTED) <= names, sorted(set(EXPECTED) - names)


# -- protocol tests ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProtocolRequest:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    statuses: tuple[str, ...]
    expected_format: str | None
    expected_boolean: bool | None


def protocol_tests() -> list[tuple[str, list[ProtocolRequest], list[tuple[Path, str]]]]:
    manifest = SUITE / "protocol" / "manifest.ttl"
    if not manifest.exists():
        return []
    graph = Graph().parse(manifest, format="turtle", publicID=manifest.as_uri())
    tests = []
    for test in Collection(graph, next(graph.objects(None, MF.entries))):
        name = str(test).rsplit("#", 1)[-1]
        data = [
            (_local(graph.value(d, UT.graph)), str(graph.value(d, RDFS.label)))
            for d in graph.objects(test, UT.graphData)
        ]
        requests = []
        for request in Collection(graph, graph.value(graph.value(test, MF.action), HT.requests)):
            headers = graph.value(request, HT.headers)
            header_list = tuple(
                (str(graph.value(h, HT.fieldName)), str(graph.value(h, HT.fieldValue)))
                for h in (Collection(graph, headers) if headers is not None else [])
            )
            body = graph.value(request, HT.body)
            content = None
            if body is not None:
                encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
                content = str(graph.value(body, CNT.chars)).encode(encoding.lower().replace("utf-16", "utf-16"))
            response = graph.value(request, HT.resp)
            boolean = graph.value(response, MF.expectedBoolean)
            fmt = graph.value(response, MF.expectedFormat)
            requests.append(
                ProtocolRequest(
                    method=str(graph.value(request, HT.methodName)),
                    path=str(graph.value(request, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
                    headers=header_list,
                    body=content,
                    statuses=tuple(str(s).rsplit("#", 1)[-1] for s in graph.objects(response, MF.expectedStatus)),
                    expected_format=str(fmt) if fmt is not None else None,
                    expected_boolean=bool(boolean.toPython()) if boolean is not None else None,
                )
            )
        tests.append((name, requests, data))
    return tests


PROTOCOL_TESTS = protocol_tests()
WRITES = "the endpoint is read-only: update operations that must succeed do not apply"


@pytest.mark.parametrize(("name", "requests", "data"), PROTOCOL_TESTS, ids=[t[0] for t in PROTOCOL_TESTS])
def test_w3c_protocol(served: Served, name: str, requests: list[ProtocolRequest], data: list[tuple[Path, str]]) -> None:
    if name.startswith("update_"):
        pytest.skip(WRITES)
    quads: list[ox.Quad] = []
    for path, graph_name in data:
        quads.extend(load(path, ox.NamedNode(graph_name)))
    served.use(quads)
    for request in requests:
        response = httpx.request(
            request.method, served.url + request.path, headers=dict(request.headers), content=request.body, timeout=30
        )
        status_class = f"StatusCode{str(response.status_code)[0]}xx"
        assert status_class in request.statuses, (response.status_code, response.text)
        content_type = response.headers.get("content-type", "").split(";")[0]
        if request.expected_format in ("boolean", "tabular"):
            fmt = {"application/sparql-results+json": ox.QueryResultsFormat.JSON}.get(
                content_type, ox.QueryResultsFormat.XML
            )
            result = ox.parse_query_results(response.content, format=fmt)
            if request.expected_format == "boolean":
                assert isinstance(result, ox.QueryBoolean)
                if request.expected_boolean is not None:
                    assert bool(result) == request.expected_boolean
            else:
                assert isinstance(result, ox.QuerySolutions)
        elif request.expected_format == "RDF":
            rdf = ox.RdfFormat.from_media_type(content_type)
            assert rdf is not None, content_type
            list(ox.parse(response.content, format=rdf))


# -- service description --------------------------------------------------------------------------------------


def test_w3c_service_description(served: Served) -> None:
    served.use([])
    for accept in ("text/turtle", "application/rdf+xml", "application/ld+json", "*/*", None):
        headers = {"Accept": accept} if accept else {}
        response = httpx.get(f"{served.url}/sparql", headers=headers)
        assert response.status_code == 200
        content_type = response.headers["content-type"].split(";")[0]
        graph = Graph().parse(
            data=response.content,
            format={"text/turtle": "turtle", "application/rdf+xml": "xml", "application/ld+json": "json-ld"}[
                content_type
            ],
        )
        # returns-rdf, has-endpoint-triple
        services = list(graph.subjects(RDF.type, SD.Service))
        assert len(services) == 1
        assert (services[0], SD.endpoint, URIRef(f"{served.url}/sparql")) in graph
        # conforms-to-schema: the terms used have the domains and ranges the vocabulary gives them
        assert (services[0], SD.supportedLanguage, SD.SPARQL11Query) in graph
        assert all(isinstance(f, URIRef) for f in graph.objects(services[0], SD.resultFormat))
        for dataset in graph.objects(services[0], SD.defaultDataset):
            assert (dataset, RDF.type, SD.Dataset) in graph
            for named in graph.objects(dataset, SD.namedGraph):
                assert isinstance(graph.value(named, SD.name), URIRef)
