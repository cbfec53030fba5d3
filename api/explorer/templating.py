"""Rendering the explorer's pages: one Jinja2 environment, autoescaped, whose templates never see markup from data."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def safe_url(value: str) -> str:
    """A link target from data, kept only when it is http(s); anything else becomes a harmless '#'."""
    return value if urlsplit(value).scheme in ("http", "https") else "#"


def as_json(value: Any) -> Markup:
    """A value as JSON safe inside a <script type="application/json"> element: <, >, & and ' are escaped."""
    return htmlsafe_json_dumps(jsonable_encoder(value))


def short_date(value: str | None) -> str:
    return value or "undated"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe_url
    env.filters["short_date"] = short_date
    env.filters["as_json"] = as_json
    return env


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page from `api/templates/explorer/`, with the build and the request's URL at hand."""
    state = request.app.state.techcurbs
    page = environment().get_template(f"explorer/{template}")
    html = page.render(
        request_path=request.url.path,
        request_query=request.url.query,
        build=state.build.digest[:12],
        **context,
    )
    return HTMLResponse(html, status_code=status_code)
