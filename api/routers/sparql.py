"""The SPARQL 1.1 Protocol endpoint, its query page, and its metrics."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.background import BackgroundTask

from api.errors import (
    BadRequestError,
    NotAcceptableError,
    NotFoundError,
    PayloadTooLargeError,
    ReadOnlyError,
    UnsupportedMediaTypeError,
)
from api.sparql.description import serialise_description, service_description
from api.sparql.endpoint import Answer, Endpoint, QueryRequest, base_url, endpoint_of
from api.sparql.negotiation import NotAcceptableError as NoSerialisation
from api.sparql.negotiation import choose, prefers_html
from api.sparql.page import PAGE_HEADERS, render_query_page, static_file
from api.state import AppState

router = APIRouter(tags=["sparql"])
SparqlEndpoint = Annotated[Endpoint, Depends(endpoint_of)]
UPDATE_PARAMETERS = ("update", "using-graph-uri", "using-named-graph-uri")
TRUE = ("true", "1", "yes", "on")
READ_ONLY = "this endpoint is read-only; SPARQL Update is refused"


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _one(values: list[str], name: str) -> str | None:
    if len(values) > 1:
        raise BadRequestError(f"give one {name} parameter, not {len(values)}")
    return values[0] if values else None


def _query_request(request: Request, params: list[tuple[str, str]], query: str) -> QueryRequest:
    def values(name: str) -> list[str]:
        return [v for k, v in params if k == name]

    default, named = values("default-graph-uri"), values("named-graph-uri")
    given = bool(default or named)
    return QueryRequest(
        query=query,
        client=_client(request),
        accept=request.headers.get("accept"),
        # SPARQLWrapper and others repeat `format` (json, then a media type); the first one decides.
        format=next(iter(values("format")), None),
        default_graphs=tuple(default) if given else None,
        named_graphs=tuple(named) if given else None,
        explain=(_one(values("explain"), "explain") or "").lower() in TRUE,
        # Relative IRIs in a query resolve against the endpoint's URL, as in other SPARQL servers.
        base_iri=f"{base_url(request.app.state.sparql.settings, request)}/sparql",
    )


def _results(answer: Answer) -> Response:
    headers = {**answer.headers, "Vary": "Accept"}
    if answer.body is not None:
        return Response(answer.body, media_type=answer.content_type, headers=headers)
    assert answer.path is not None
    return FileResponse(
        answer.path,
        media_type=answer.content_type,
        headers=headers,
        background=BackgroundTask(answer.path.unlink, missing_ok=True),
    )


def _page(request: Request, query: str, run: bool) -> HTMLResponse:
    prefix = request.scope.get("root_path", "")
    html = render_query_page(query, f"{prefix}/sparql", f"{prefix}/static/query", run)
    return HTMLResponse(html, headers=PAGE_HEADERS)


def _description(request: Request, state: AppState, endpoint: Endpoint) -> Response:
    try:
        chosen = choose("CONSTRUCT", request.headers.get("accept"), request.query_params.get("format"))
    except NoSerialisation as exc:
        raise NotAcceptableError(str(exc)) from exc
    stats = endpoint.statistics(state.store)
    url = f"{base_url(endpoint.settings, request)}/sparql"
    graph = service_description(url, state.build, stats, endpoint.settings.service_allowlist, state.ontology)
    body = serialise_description(graph, chosen.name)
    return Response(body, media_type=chosen.content_type, headers={"Vary": "Accept"})


async def _answer(endpoint: Endpoint, query_request: QueryRequest) -> Response:
    return _results(await endpoint.answer(query_request))


# The two query routes take only the request: FastAPI's dependency solving would cost a small query a tenth of its
# time.
@router.get("/sparql", response_model=None)
async def sparql_get(request: Request) -> Response:
    """Query by GET (`?query=`); without a query, the service description or, for a browser, the query page."""
    endpoint: Endpoint = request.app.state.sparql
    params = list(request.query_params.multi_items())
    if any(k in UPDATE_PARAMETERS for k, _ in params):
        raise ReadOnlyError(READ_ONLY)
    query = _one([v for k, v in params if k == "query"], "query")
    browser = prefers_html(request.headers.get("accept")) and "format" not in request.query_params
    if query is None:
        return _page(request, "", False) if browser else _description(request, request.app.state.techcurbs, endpoint)
    if browser and "explain" not in request.query_params:
        return _page(request, query, True)
    return await _answer(endpoint, _query_request(request, params, query))


async def _bounded_body(request: Request, max_query_length: int) -> bytes:
    """The request body, refused with 413 as soon as it is longer than any acceptable query could be."""
    # A query of n characters takes at most 4n bytes in UTF-8, and up to 3 times that percent-encoded in a form.
    limit = 12 * max_query_length + 64 * 1024
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLargeError(
            f"the request body has {declared} bytes; queries are limited to {max_query_length} characters"
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLargeError(f"the request body is longer than any query of {max_query_length} characters")
        chunks.append(chunk)
    return b"".join(chunks)


@router.post("/sparql", response_model=None)
async def sparql_post(request: Request) -> Response:
    """Query by POST, URL-encoded form or `application/sparql-query` body."""
    endpoint: Endpoint = request.app.state.sparql
    media_type, _, parameters = request.headers.get("content-type", "").partition(";")
    media_type = media_type.strip().lower()
    charset = next(
        (
            v.strip().strip('"').lower()
            for k, _, v in (p.partition("=") for p in parameters.split(";"))
            if k.strip() == "charset"
        ),
        "utf-8",
    )
    url_params = list(request.query_params.multi_items())
    if media_type == "application/sparql-update" or any(k in UPDATE_PARAMETERS for k, _ in url_params):
        raise ReadOnlyError(READ_ONLY)
    if media_type not in ("application/x-www-form-urlencoded", "application/sparql-query"):
        raise UnsupportedMediaTypeError(
            "send the query as application/x-www-form-urlencoded (query=...) or application/sparql-query"
        )
    if charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaTypeError(f"queries must be UTF-8, not {charset}")
    try:
        body = (await _bounded_body(request, endpoint.settings.max_query_length)).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequestError(f"the request body is not UTF-8: {exc.reason} at byte {exc.start}") from exc
    if media_type == "application/sparql-query":
        if "query" in request.query_params:
            raise BadRequestError("give the query either in the body or as a parameter, not both")
        return await _answer(endpoint, _query_request(request, url_params, body))
    try:
        form = parse_qsl(body, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError as exc:
        raise BadRequestError(f"the form has a percent-escape that is not UTF-8: {exc.reason}") from exc
    if any(k in UPDATE_PARAMETERS for k, _ in form):
        raise ReadOnlyError(READ_ONLY)
    params = url_params + form
    query = _one([v for k, v in params if k == "query"], "query")
    if query is None:
        raise BadRequestError("the form has no query parameter")
    return await _answer(endpoint, _query_request(request, params, query))


@router.get("/query", response_class=HTMLResponse)
def query_page(request: Request, query: str = "") -> HTMLResponse:
    """The query page; `?query=` reopens a query (permalinks) and runs it."""
    return _page(request, query, bool(query))


@router.get("/static/query/{name}", include_in_schema=False)
def query_page_asset(name: str) -> FileResponse:
    """The query page's own script and style sheet, served from this server so the page works offline."""
    path = static_file(name)
    if path is None:
        raise NotFoundError(f"no file {name!r}")
    return FileResponse(path, headers={"Cache-Control": "public, max-age=3600"})


@router.get("/metrics", include_in_schema=False)
def metrics(endpoint: SparqlEndpoint) -> Response:
    """Prometheus metrics: queries by outcome, latency, timeouts and refusals."""
    return Response(endpoint.metrics.exposition(), media_type="text/plain; version=0.0.4; charset=utf-8")
