"""Content negotiation: which serialisation answers a query, from the `format` parameter or the Accept header."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from api.sparql.guard import Form


@dataclass(frozen=True)
class Serialisation:
    """One way of writing results: a short name for links, the media type sent, and what it can carry."""

    name: str
    media_type: str
    graph: bool
    extension: str

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


RESULT_SERIALISATIONS = (
    Serialisation("json", "application/sparql-results+json", False, "srj"),
    Serialisation("xml", "application/sparql-results+xml", False, "srx"),
    Serialisation("csv", "text/csv", False, "csv"),
    Serialisation("tsv", "text/tab-separated-values", False, "tsv"),
)
GRAPH_SERIALISATIONS = (
    Serialisation("ttl", "text/turtle", True, "ttl"),
    Serialisation("nt", "application/n-triples", True, "nt"),
    Serialisation("jsonld", "application/ld+json", True, "jsonld"),
    Serialisation("rdfxml", "application/rdf+xml", True, "rdf"),
)
ALL = RESULT_SERIALISATIONS + GRAPH_SERIALISATIONS
BY_NAME = {s.name: s for s in ALL}

# Other media types clients send for the same serialisations.
ALIASES = {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/turtle": "ttl",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
    "text/n3": "ttl",
    "text/rdf+n3": "ttl",
    "application/n3": "ttl",
}
# Names the `format` parameter also accepts, as other endpoints spell them.
FORMAT_NAMES = {"turtle": "ttl", "n3": "ttl", "ntriples": "nt", "n-triples": "nt", "json-ld": "jsonld", "rdf": "rdfxml"}
GRAPH_FORMAT_NAMES = {**FORMAT_NAMES, "xml": "rdfxml", "rdf+xml": "rdfxml", "json": "jsonld"}
RESULT_FORMAT_NAMES = {"srj": "json", "srx": "xml"}


class NotAcceptableError(ValueError):
    """No serialisation the client accepts can carry this kind of result."""


@dataclass(frozen=True)
class MediaRange:
    media_type: str
    quality: float
    order: int

    @property
    def specificity(self) -> int:
        if self.media_type == "*/*":
            return 0
        return 1 if self.media_type.endswith("/*") else 2

    def matches(self, media_type: str) -> bool:
        if self.media_type == "*/*":
            return True
        if self.media_type.endswith("/*"):
            return media_type.startswith(self.media_type[:-1])
        return self.media_type == media_type


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an Accept header, best first; an absent header accepts anything."""
    if not header or not header.strip():
        return [MediaRange("*/*", 1.0, 0)]
    ranges = []
    for order, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media_type = fields[0].lower()
        if not media_type:
            continue
        quality = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append(MediaRange(media_type, quality, order))
    return sorted(ranges, key=lambda r: (-r.quality, -r.specificity, r.order))


def quality_of(ranges: list[MediaRange], media_type: str) -> float:
    """The quality the client gives a media type: that of the most specific range matching it."""
    best: MediaRange | None = None
    for media_range in ranges:
        if media_range.matches(media_type) and (best is None or media_range.specificity > best.specificity):
            best = media_range
    return best.quality if best is not None else 0.0


def prefers_html(accept: str | None) -> bool:
    """True for a browser: text/html is acceptable and no RDF or results type is preferred over it."""
    ranges = parse_accept(accept)
    html = quality_of(ranges, "text/html")
    if html <= 0 or not any(r.media_type in ("text/html", "application/xhtml+xml") for r in ranges):
        return False
    return all(quality_of(ranges, s.media_type) <= html or _only_wildcard(ranges, s.media_type) for s in ALL)


def _only_wildcard(ranges: list[MediaRange], media_type: str) -> bool:
    return not any(r.media_type == media_type for r in ranges)


# Clients send the same few Accept headers again and again: each choice is worked out once.
@functools.lru_cache(maxsize=512)
def choose(form: Form | None, accept: str | None, fmt: str | None) -> Serialisation:
    """The serialisation for a result of this form: `format` wins, then the Accept header's best match."""
    graph = form in ("CONSTRUCT", "DESCRIBE")
    candidates = GRAPH_SERIALISATIONS if graph else RESULT_SERIALISATIONS
    kind = "an RDF graph" if graph else f"{form or 'query'} results"
    if fmt:
        names = GRAPH_FORMAT_NAMES if graph else RESULT_FORMAT_NAMES
        name = names.get(fmt.lower(), ALIASES.get(fmt.lower(), fmt.lower()))
        chosen = BY_NAME.get(name)
        if chosen is None or chosen.graph != graph:
            offered = ", ".join(s.name for s in candidates)
            raise NotAcceptableError(f"format {fmt!r} cannot carry {kind}; use one of {offered}")
        return chosen
    ranges = parse_accept(accept)
    scored: list[tuple[float, int, int, Serialisation]] = []
    for rank, serialisation in enumerate(candidates):
        types = [serialisation.media_type, *(m for m, n in ALIASES.items() if n == serialisation.name)]
        for media_type in types:
            quality = quality_of(ranges, media_type)
            if quality > 0:
                specific = max(
                    (r.specificity for r in ranges if r.matches(media_type) and r.quality == quality), default=0
                )
                scored.append((quality, specific, -rank, serialisation))
    if not scored:
        offered = ", ".join(s.media_type for s in candidates)
        raise NotAcceptableError(f"none of the accepted media types can carry {kind}; offered: {offered}")
    return max(scored, key=lambda item: item[:3])[3]
