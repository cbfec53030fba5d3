"""The HTTP API fuzzed from its own OpenAPI schema: no 500, and every error is the one JSON envelope.

Schemathesis turns each operation of the app's OpenAPI document into a Hypothesis strategy of valid and of invalid
requests (wrong types, out-of-range numbers, strings that break the patterns, missing and extra parameters); each
is sent to the real app in process (ASGI). The run is bounded and reproducible: a fixed number of examples per
operation and mode, derandomised, no example database. The RDF and CSV downloads answer in other formats when they
succeed, but their errors too are the envelope.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode

from tests.security.checks import assert_envelope

EXAMPLES = 16  # per operation and mode: (15 valid + 8 invalid) x 16, about 370 requests, plus the SPARQL ones

# Every operation of the schema; test_every_operation_is_fuzzed fails when one is added and not listed here.
OPERATIONS = (
    ("GET", "/healthz"),
    ("GET", "/sparql"),
    ("POST", "/sparql"),
    ("GET", "/query"),
    ("GET", "/.well-known/void"),
    ("GET", "/download/techcurbs.{ext}"),
    ("GET", "/id/{record_id}"),
    ("GET", "/api/search"),
    ("GET", "/api/entity/{record_id}"),
    ("GET", "/api/network"),
    ("GET", "/api/paths"),
    ("GET", "/api/timeline"),
    ("GET", "/export/network.{fmt}"),
    ("GET", "/export/paths.{fmt}"),
    ("GET", "/export/timeline.csv"),
)

# Operations with constrained parameters, for which invalid requests exist (any string is a valid `ext` or `query`).
CONSTRAINED = {path for _, path in OPERATIONS if path.startswith(("/api/", "/export/"))}
CASES = [(m, p, GenerationMode.POSITIVE) for m, p in OPERATIONS] + [
    (m, p, GenerationMode.NEGATIVE) for m, p in OPERATIONS if p in CONSTRAINED
]


@pytest.fixture(scope="module")
def api_schema(app: FastAPI) -> Any:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    schema.config.generation.update(deterministic=True, database="none", allow_x00=True)
    return schema


def test_every_operation_is_fuzzed(api_schema: Any) -> None:
    found = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path", "mode"), CASES, ids=[f"{m} {p} {mode}" for m, p, mode in CASES])
def test_no_server_error_and_every_error_in_the_envelope(
    api_schema: Any, method: str, path: str, mode: GenerationMode
) -> None:
    operation = api_schema[path][method]
    seen: list[int] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Case) -> None:
        response = case.call()
        seen.append(response.status_code)
        where = (case.method, case.formatted_path, case.query, case.headers, response.text[:300])
        assert response.status_code < 500, where
        if response.status_code >= 400:
            content_type = response.headers.get("content-type") or [""]
            assert_envelope(response.status_code, content_type[0], response.content)

    run()
    assert seen, "no request was generated"
    print(f"{method} {path} ({mode}): {len(seen)} requests, statuses {sorted(set(seen))}")


QUERY_TEXT = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        ["ASK {}", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "DESCRIBE <urn:x>", "CONSTRUCT WHERE { ?s a ?c } LIMIT 2"]
    ).flatmap(lambda q: st.builds(lambda pre, post: pre + q + post, st.text(max_size=8), st.text(max_size=8))),
)
PARAMETER = st.text(max_size=30)
MEDIA_TYPE = st.one_of(
    st.sampled_from(
        [
            "application/sparql-query",
            "application/x-www-form-urlencoded",
            "application/sparql-update",
            "application/json",
            "text/plain",
            "multipart/form-data; boundary=x",
            "application/sparql-query; charset=latin-1",
        ]
    ),
    st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30),
)


@given(
    query=QUERY_TEXT,
    fmt=st.one_of(
        st.none(), st.sampled_from(["json", "xml", "csv", "tsv", "ttl", "nt", "jsonld", "rdfxml"]), PARAMETER
    ),
    accept=st.one_of(st.none(), st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)),
    extra=st.dictionaries(
        st.sampled_from(["explain", "default-graph-uri", "named-graph-uri", "query"]), PARAMETER, max_size=2
    ),
)
@settings(max_examples=60, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
def test_sparql_get_with_any_parameters(
    client: TestClient, query: str, fmt: str | None, accept: str | None, extra: dict[str, str]
) -> None:
    params = [("query", query), *extra.items()]
    if fmt is not None:
        params.append(("format", fmt))
    response = client.get("/sparql", params=params, headers={"Accept": accept} if accept is not None else {})
    assert response.status_code < 500, (params, accept, response.text[:300])
    if response.status_code >= 400:
        assert_envelope(response.status_code, response.headers.get("content-type", ""), response.content)


@given(
    body=st.one_of(st.binary(max_size=200), QUERY_TEXT.map(lambda q: q.encode("utf-8"))),
    media_type=st.one_of(st.none(), MEDIA_TYPE),
)
@settings(max_examples=60, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
def test_sparql_post_with_any_body_and_content_type(client: TestClient, body: bytes, media_type: str | None) -> None:
    headers = {"Content-Type": media_type} if media_type is not None else {}
    response = client.post("/sparql", content=body, headers=headers)
    assert response.status_code < 500, (body[:100], media_type, response.text[:300])
    if response.status_code >= 400:
        assert_envelope(response.status_code, response.headers.get("content-type", ""), response.content)
