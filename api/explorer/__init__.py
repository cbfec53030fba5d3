"""The journalists' explorer: search, entity pages, network, paths and timeline, as HTML, JSON and downloads.

`install(app)` adds the routes and the static files (vis-network served from the installed pyvis package, so that
no page needs a CDN); `api.app.create_app` puts the security headers around everything. `entity_html` is the HTML
answer for an entity; the RDF dereferencing route of `/id/<id>` calls it when the browser prefers text/html.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyvis
from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from api.explorer.templating import render
from api.explorer.views import Explorer, entity_view
from graph.entity_types import EntityNotFoundError

STATIC = Path(__file__).resolve().parent.parent / "static" / "explorer"
VIS_DIR = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / "vis-9.1.2"
DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")

__all__ = ["entity_html", "explorer_of", "install"]


def explorer_of(request: Request) -> Explorer:
    """FastAPI dependency: the explorer of the app serving this request."""
    found = request.app.state.explorer
    assert isinstance(found, Explorer)
    return found


def entity_html(request: Request, record_id: str) -> Response:
    """The entity page of `record_id` as HTML, honouring `as_of` in the query string."""
    as_of = request.query_params.get("as_of") or None
    if as_of is not None and not DATE.match(as_of):
        return render(
            request, "error.html", 400, title="Bad date", message="as_of must be YYYY, YYYY-MM or YYYY-MM-DD."
        )
    try:
        page = entity_view(explorer_of(request), record_id, as_of)
    except EntityNotFoundError:
        return render(request, "error.html", 404, title="Not found", message=f"No entity has the id {record_id}.")
    return render(request, "entity.html", page=page, as_of=as_of)


def install(app: FastAPI) -> None:
    """Add the explorer to an app whose state is already open."""
    from api.explorer import data, pages

    app.state.explorer = Explorer(app.state.techcurbs)
    app.mount("/vendor/vis", StaticFiles(directory=VIS_DIR), name="vis")
    app.mount("/static/explorer", StaticFiles(directory=STATIC), name="explorer-static")
    app.include_router(pages.router)
    app.include_router(data.router)
