"""The dataset as Linked Data: its VoID description, whole-dataset downloads, and dereferenceable entity IRIs."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api.errors import NotAcceptableError, NotFoundError
from api.sparql.description import DOWNLOADS, serialise_description, void_description
from api.sparql.endpoint import Endpoint, base_url, endpoint_of
from api.sparql.entities import describe_entity, serialise_triples
from api.sparql.negotiation import NotAcceptableError as NoSerialisation
from api.sparql.negotiation import choose, parse_accept, prefers_html, quality_of
from api.state import AppState, app_state
from graph.records import SLUG
from graph.vocab import PREFIXES

router = APIRouter(tags=["dataset"])
SparqlEndpoint = Annotated[Endpoint, Depends(endpoint_of)]
State = Annotated[AppState, Depends(app_state)]
ENTITY_MEDIA_TYPES = {"text/turtle": "ttl", "application/ld+json": "jsonld", "application/n-triples": "nt"}


@router.get("/.well-known/void")
def void(request: Request, state: State, endpoint: SparqlEndpoint) -> Response:
    """VoID description of the dataset: sizes, classes, properties, named graphs, licence, endpoint, dumps."""
    try:
        chosen = choose("CONSTRUCT", request.headers.get("accept"), request.query_params.get("format"))
    except NoSerialisation as exc:
        raise NotAcceptableError(str(exc)) from exc
    stats = endpoint.statistics(state.store)
    graph = void_description(base_url(endpoint.settings, request), state.build, stats, state.ontology)
    return Response(
        serialise_description(graph, chosen.name),
        media_type=chosen.content_type,
        headers={"Vary": "Accept", "ETag": f'"{state.build.etag}-void-{chosen.name}"'},
    )


@router.get("/download/techcurbs.{ext}")
def download(ext: str, state: State, endpoint: SparqlEndpoint) -> Response:
    """The whole dataset in N-Quads, TriG, Turtle (default graph) or JSON-LD, the same bytes for the same build."""
    if ext not in DOWNLOADS:
        raise NotFoundError(f"no download in format {ext!r}; available: {', '.join(DOWNLOADS)}")
    return Response(
        endpoint.download(state.store, ext),
        media_type=f"{DOWNLOADS[ext]}; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="techcurbs-{state.build.etag[:12]}.{ext}"',
            "ETag": f'"{state.build.etag}-{ext}"',
        },
    )


def _explorer_page(request: Request, record_id: str) -> object | None:
    """The explorer's HTML entity page, when the explorer package provides `entity_html`."""
    if importlib.util.find_spec("api.explorer") is None:
        return None
    render = getattr(importlib.import_module("api.explorer"), "entity_html", None)
    return render(request, record_id) if callable(render) else None


def _entity_format(accept: str | None, fmt: str | None) -> str:
    if fmt:
        if fmt not in ENTITY_MEDIA_TYPES.values():
            raise NotAcceptableError(f"format {fmt!r} is not offered; use ttl, jsonld or nt")
        return fmt
    ranges = parse_accept(accept)
    scored = [(quality_of(ranges, m), -i, n) for i, (m, n) in enumerate(ENTITY_MEDIA_TYPES.items())]
    best = max(scored)
    if best[0] <= 0:
        if prefers_html(accept):
            return "ttl"  # a browser without the explorer gets the Turtle rather than nothing
        raise NotAcceptableError(f"entities are offered as {', '.join(ENTITY_MEDIA_TYPES)}")
    return best[2]


@router.get("/id/{record_id}", response_model=None)
async def entity(request: Request, record_id: str, state: State) -> object:
    """An entity IRI dereferenced: HTML for a browser (the explorer's page), else Turtle or JSON-LD."""
    accept = request.headers.get("accept")
    fmt = request.query_params.get("format")
    if not SLUG.match(record_id):
        raise NotFoundError(f"{record_id!r} is not a record id")
    if fmt is None and prefers_html(accept):
        page = _explorer_page(request, record_id)
        if inspect.isawaitable(page):
            page = await page
        if page is not None:
            return page
    name = _entity_format(accept, fmt)
    triples = await run_in_threadpool(describe_entity, state.store, record_id)
    if triples is None:
        raise NotFoundError(f"no record with id {record_id!r}")
    media_type = next(m for m, n in ENTITY_MEDIA_TYPES.items() if n == name)
    return Response(
        serialise_triples(triples, name, PREFIXES),
        media_type=f"{media_type}; charset=utf-8",
        headers={"Vary": "Accept", "ETag": f'"{state.build.etag}-{record_id}-{name}"'},
    )
