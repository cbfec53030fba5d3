"""The explorer's JSON and downloads: the same views as the pages, for scripts, notebooks and the pages' own JS."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response
from pydantic import TypeAdapter

from api.explorer import explorer_of
from api.explorer.exports import network_download, timeline_csv
from api.explorer.netview import EMPTY
from api.explorer.params import (
    AsOf,
    DateFrom,
    DateTo,
    Depth,
    EntityParam,
    ExportFormat,
    FilterId,
    Limit,
    MaxHops,
    PathK,
    RecordId,
    Relations,
    SearchText,
    SourceName,
    TargetName,
    TypeParam,
)
from api.explorer.views import Explorer, entity_view, network_view, paths_view, search_view, timeline_view
from graph.timeline import TimelineFilter

router = APIRouter(tags=["explorer"])
Ex = Annotated[Explorer, Depends(explorer_of)]


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _adapter(kind: type) -> TypeAdapter[Any]:
    if kind not in _ADAPTERS:
        _ADAPTERS[kind] = TypeAdapter(kind)
    return _ADAPTERS[kind]


def _json(value: Any) -> Response:
    """A view as JSON, written by pydantic straight from its dataclasses: the bytes `JSONResponse` would send
    after `jsonable_encoder`, without the copies that take seconds and tens of megabytes for a large entity page."""
    return Response(_adapter(type(value)).dump_json(value), media_type="application/json")


def _download(body: bytes, media_type: str, filename: str) -> Response:
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/api/search")
def search(ex: Ex, q: SearchText = "", limit: Limit = 10) -> Response:
    """Type-ahead: entities whose name, short name, alias or former name matches what was typed."""
    return _json({"query": q, "results": search_view(ex, q, limit)})


@router.get("/api/entity/{record_id}")
def entity(ex: Ex, record_id: RecordId, as_of: AsOf = None) -> Response:
    """Everything about one entity, every relation with its sources and confidence."""
    return _json(entity_view(ex, record_id, as_of))


@router.get("/api/network")
def network(
    ex: Ex, entity: EntityParam = None, depth: Depth = 1, as_of: AsOf = None, rel: Relations = None
) -> Response:
    """The nodes and edges of an entity's neighbourhood (or of the whole graph)."""
    return _json(network_view(ex, entity, depth, as_of, rel))


@router.get("/api/paths")
def paths(
    ex: Ex,
    source: SourceName = None,
    target: TargetName = None,
    k: PathK = 3,
    max_hops: MaxHops = 6,
    as_of: AsOf = None,
) -> Response:
    """The shortest relationship paths between two entities, each hop a cited sentence."""
    return _json(paths_view(ex, source, target, k, max_hops, as_of))


@router.get("/api/timeline")
def timeline(
    ex: Ex,
    jurisdiction: FilterId = None,
    target: FilterId = None,
    type: TypeParam = None,
    start: DateFrom = None,
    end: DateTo = None,
    as_of: AsOf = None,
) -> Response:
    """Regulatory actions and events in date order, filtered."""
    return _json(timeline_view(ex, TimelineFilter(jurisdiction, target, type, start, end, as_of)))


@router.get("/export/network.{fmt}")
def export_network(
    ex: Ex,
    fmt: ExportFormat,
    entity: EntityParam = None,
    depth: Depth = 1,
    as_of: AsOf = None,
    rel: Relations = None,
) -> Response:
    """The network view as nodes.csv, edges.csv, graphml, gexf, jsonld or json."""
    view = network_view(ex, entity, depth, as_of, rel)
    body = json.dumps(jsonable_encoder(view), ensure_ascii=False).encode("utf-8")
    out = network_download(view.data, ex.state.ontology, fmt, body)
    return _download(
        out.body, out.media_type, f"techcurbs-network-{view.centre.id if view.centre else 'all'}.{out.extension}"
    )


@router.get("/export/paths.{fmt}")
def export_paths(
    ex: Ex,
    fmt: ExportFormat,
    source: SourceName = None,
    target: TargetName = None,
    k: PathK = 3,
    max_hops: MaxHops = 6,
    as_of: AsOf = None,
) -> Response:
    """The drawn paths as nodes.csv, edges.csv, graphml, gexf, jsonld or json."""
    view = paths_view(ex, source, target, k, max_hops, as_of)
    body = json.dumps(jsonable_encoder(view), ensure_ascii=False).encode("utf-8")
    out = network_download(view.data or EMPTY, ex.state.ontology, fmt, body)
    return _download(out.body, out.media_type, f"techcurbs-paths.{out.extension}")


@router.get("/export/timeline.csv")
def export_timeline(
    ex: Ex,
    jurisdiction: FilterId = None,
    target: FilterId = None,
    type: TypeParam = None,
    start: DateFrom = None,
    end: DateTo = None,
    as_of: AsOf = None,
) -> Response:
    """The filtered timeline as CSV."""
    view = timeline_view(ex, TimelineFilter(jurisdiction, target, type, start, end, as_of))
    return _download(timeline_csv(view.timeline), "text/csv; charset=utf-8", "techcurbs-timeline.csv")
