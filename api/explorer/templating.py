"""Rendering the explorer's pages: one Jinja2 environment, autoescaped, whose templates never see markup from data."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from pydantic import TypeAdapter

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# A drawing's table alternative is written out open when it has at most this many rows (nodes plus relations);
# a larger one is kept inert until opened (see _graph.html).
TABLE_INLINE_ROWS = 600
# Anything a view holds (dataclasses, dicts, lists, dates) written as JSON by pydantic-core, in one pass.
_ANY: TypeAdapter[Any] = TypeAdapter(Any)
# What may not appear raw inside a <script> element; the same escapes as Jinja's htmlsafe_json_dumps.
_SCRIPT_SAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"))


def safe_url(value: str) -> str:
    """A link target from data, kept only when it is http(s); anything else becomes a harmless '#'."""
    return value if urlsplit(value).scheme in ("http", "https") else "#"


def as_json(value: Any) -> Markup:
    """A value as JSON safe inside a <script type="application/json"> element: <, >, & and ' are escaped."""
    text = _ANY.dump_json(value).decode("utf-8")
    for raw, escaped in _SCRIPT_SAFE:  # str.replace is a C loop; str.translate with a dict is not
        text = text.replace(raw, escaped)
    return Markup(text)  # noqa: S704 (the characters that could end the element or start markup are escaped above)


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
    env.globals["table_inline_rows"] = TABLE_INLINE_ROWS
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
