"""The query page for people: rendered with Jinja2 autoescaping, served with a strict Content-Security-Policy."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from api.sparql.examples import examples
from api.sparql.negotiation import GRAPH_SERIALISATIONS, RESULT_SERIALISATIONS

API_DIR = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = API_DIR / "templates"
STATIC_DIR = API_DIR / "static" / "query"
# Everything the page loads comes from this server; nothing may be framed, posted elsewhere or injected.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


@cache
def _environment() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=select_autoescape(["html"], default=True))


def render_query_page(query: str, endpoint: str, static: str, run: bool) -> str:
    """The editor, example menu, results area and download links; `query` prefilled from a permalink."""
    listed = examples()
    initial = query or (listed[0].query if listed else "SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    return (
        _environment()
        .get_template("query.html")
        .render(
            query=initial,
            run=run,
            endpoint=endpoint,
            static=static,
            examples=listed,
            result_formats=RESULT_SERIALISATIONS,
            graph_formats=GRAPH_SERIALISATIONS,
        )
    )


def static_file(name: str) -> Path | None:
    """A file of the page's own assets, or None; names outside the directory are never served."""
    files = {p.name: p for p in STATIC_DIR.iterdir() if p.is_file()}
    return files.get(name)
