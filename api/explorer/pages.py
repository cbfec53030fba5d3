"""The explorer's HTML pages: each parses its parameters, calls one view function and renders one template."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from api.explorer import entity_html, explorer_of
from api.explorer.params import (
    AsOf,
    DateFrom,
    DateTo,
    Depth,
    EntityParam,
    FilterId,
    MaxHops,
    PathK,
    RecordId,
    Relations,
    SearchText,
    SourceName,
    TargetName,
    TypeParam,
)
from api.explorer.templating import render
from api.explorer.views import Explorer, home_view, network_view, paths_view, search_view, timeline_view
from graph.entity_types import EntityNotFoundError
from graph.timeline import TimelineFilter

router = APIRouter(tags=["explorer"], include_in_schema=False)
Ex = Annotated[Explorer, Depends(explorer_of)]


@router.get("/")
def home(request: Request, ex: Ex) -> Response:
    return render(request, "home.html", view=home_view(ex))


@router.get("/search")
def search(request: Request, ex: Ex, q: SearchText = "") -> Response:
    return render(request, "search.html", q=q, hits=search_view(ex, q, 50))


@router.get("/entity/{record_id}")
def entity(request: Request, record_id: RecordId) -> Response:
    return entity_html(request, record_id)


@router.get("/network")
def network(
    request: Request,
    ex: Ex,
    entity: EntityParam = None,
    depth: Depth = 1,
    as_of: AsOf = None,
    rel: Relations = None,
) -> Response:
    try:
        view = network_view(ex, entity, depth, as_of, rel)
    except EntityNotFoundError:
        return render(request, "error.html", 404, title="Not found", message=f"No entity has the id {entity}.")
    return render(request, "network.html", view=view, as_of=view.as_of)


@router.get("/paths")
def paths(
    request: Request,
    ex: Ex,
    source: SourceName = None,
    target: TargetName = None,
    k: PathK = 3,
    max_hops: MaxHops = 6,
    as_of: AsOf = None,
) -> Response:
    view = paths_view(ex, source, target, k, max_hops, as_of)
    return render(request, "paths.html", view=view, as_of=view.as_of)


@router.get("/timeline")
def timeline(
    request: Request,
    ex: Ex,
    jurisdiction: FilterId = None,
    target: FilterId = None,
    type: TypeParam = None,
    start: DateFrom = None,
    end: DateTo = None,
    as_of: AsOf = None,
) -> Response:
    view = timeline_view(ex, TimelineFilter(jurisdiction, target, type, start, end, as_of))
    return render(request, "timeline.html", view=view, as_of=view.filter.as_of)
