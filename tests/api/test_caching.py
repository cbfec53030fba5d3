"""Conditional requests and the answer cache: a repeated GET is answered without recomputing, never stale."""

from __future__ import annotations

from starlette.testclient import TestClient

from api.caching import AnswerCache, CachedAnswer


def test_every_get_carries_an_etag_and_a_match_answers_304(client: TestClient) -> None:
    first = client.get("/sparql", params={"query": "SELECT ?s WHERE { ?s a tc:Company } LIMIT 3"})
    assert first.status_code == 200
    etag = first.headers["etag"]
    again = client.get(
        "/sparql", params={"query": "SELECT ?s WHERE { ?s a tc:Company } LIMIT 3"}, headers={"If-None-Match": etag}
    )
    assert again.status_code == 304
    assert again.content == b""


def test_a_different_accept_is_a_different_answer(client: TestClient) -> None:
    query = {"query": "SELECT ?s WHERE { ?s a tc:Company } LIMIT 2"}
    json_answer = client.get("/sparql", params=query, headers={"Accept": "application/sparql-results+json"})
    csv_answer = client.get("/sparql", params=query, headers={"Accept": "text/csv"})
    assert json_answer.headers["etag"] != csv_answer.headers["etag"]
    assert csv_answer.headers["content-type"].startswith("text/csv")
    repeated = client.get("/sparql", params=query, headers={"Accept": "text/csv"})
    assert repeated.content == csv_answer.content
    assert repeated.headers["content-type"] == csv_answer.headers["content-type"]


def test_errors_are_never_cached_or_tagged(client: TestClient) -> None:
    bad = client.get("/sparql", params={"query": "SELECT WHERE {"})
    assert bad.status_code == 400
    assert "etag" not in bad.headers


def test_the_cache_is_bounded_and_evicts_the_least_recently_used() -> None:
    cache = AnswerCache(max_bytes=10, max_entry_bytes=6)
    cache.put("a", CachedAnswer(200, [], b"12345"))
    cache.put("b", CachedAnswer(200, [], b"12345"))
    assert cache.get("a") is not None
    cache.put("c", CachedAnswer(200, [], b"123"))
    assert cache.get("b") is None
    assert cache.get("a") is not None and cache.get("c") is not None
    cache.put("big", CachedAnswer(200, [], b"1234567"))
    assert cache.get("big") is None
    assert cache.size <= 10
