"""Typed records of the curated YAML, with the RDF property each field maps to.

Each field that becomes a triple carries a `Maps` annotation: the property, how its value is written, and for
references which kinds of record it may point to. The triple builder and the reference checker read these
annotations, so a field is declared once, here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, ClassVar, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS

from graph.vocab import TC

ValueKind = Literal["text", "code", "date", "bool", "decimal", "uri", "ref", "concept"]


@dataclass(frozen=True)
class Maps:
    """How a field becomes triples: its property, the kind of value, and what a reference may point to."""

    prop: URIRef
    kind: ValueKind = "text"
    targets: tuple[str, ...] = ()
    scheme: str = ""


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _slug(value: str) -> str:
    if not SLUG.match(value):
        raise ValueError(f"{value!r} is not an id: use lower-case letters, digits and single hyphens")
    return value


def _partial_date(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD in quotes")
    match = DATE.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = match.groups()
    try:
        if day:
            dt.date(int(year), int(month), int(day))
        elif month and not 1 <= int(month) <= 12:
            raise ValueError("month out of range")
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a real date ({exc})") from exc
    return value


def _url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        raise ValueError(f"{value!r} is not an http(s) URL")
    return value


Slug = Annotated[str, AfterValidator(_slug)]
PartialDate = Annotated[str, BeforeValidator(_partial_date)]


def date_order_key(value: str) -> tuple[int, ...]:
    """A partial date as numbers, so that 2021 sorts after 2020-06-01 and before 2021-03."""
    return tuple(int(part) for part in value.split("-"))


def dates_in_order(start: str, end: str) -> bool:
    """False only when end is certainly before start at their common precision."""
    a, b = date_order_key(start), date_order_key(end)
    common = min(len(a), len(b))
    return a[:common] <= b[:common]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Identifiers(Strict):
    """Identifiers people already use, only where known for certain."""

    wikidata: Annotated[Annotated[str, Field(pattern=r"^Q[1-9][0-9]*$")] | None, Maps(TC.wikidataId, "code")] = None
    lei: Annotated[Annotated[str, Field(pattern=r"^[A-Z0-9]{18}[0-9]{2}$")] | None, Maps(TC.lei, "code")] = None
    docket: Annotated[str | None, Maps(TC.docketNumber, "code")] = None
    federal_register: Annotated[str | None, Maps(TC.federalRegisterCitation, "code")] = None
    celex: Annotated[str | None, Maps(TC.celexNumber, "code")] = None
    other: Annotated[list[str], Maps(TC.identifier, "code")] = Field(default_factory=list)


class Source(Strict):
    """A published document that supports records."""

    kind_key: ClassVar[str] = "sources"
    rdf_class: ClassVar[URIRef] = TC.SourceDocument
    date_order: ClassVar[tuple[tuple[str, str], ...]] = ()

    id: Slug
    url: Annotated[str, AfterValidator(_url), Maps(TC.url, "uri")]
    title: Annotated[str, Field(min_length=1), Maps(TC.title, "text")]
    publisher: Annotated[str, Field(min_length=1), Maps(TC.publisher, "code")]
    author: Annotated[str | None, Maps(TC.author, "code")] = None
    published: Annotated[PartialDate | None, Maps(TC.publishedDate, "date")] = None
    language: Annotated[
        Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")] | None, Maps(TC.language, "code")
    ] = None
    note: Annotated[str | None, Maps(TC.note, "text")] = None


class Record(Strict):
    """Fields every curated record has: its id, its sources, its confidence and caveats."""

    kind_key: ClassVar[str] = ""
    rdf_class: ClassVar[URIRef] = TC.Entity
    date_order: ClassVar[tuple[tuple[str, str], ...]] = ()

    id: Slug
    sources: Annotated[list[Slug], Maps(TC.source, "ref", ("sources",))] = Field(default_factory=list)
    confidence: Annotated[Literal["verified", "unverified"], Maps(TC.confidence, "concept", scheme="confidence")] = (
        "verified"
    )
    notes: Annotated[list[str], Maps(TC.note, "text")] = Field(default_factory=list)
    fact_sheet: Annotated[list[Annotated[str, Field(pattern=r"^[A-Z][0-9]{2}$")]], Maps(TC.factSheetRow, "code")] = (
        Field(default_factory=list)
    )

    @model_validator(mode="after")
    def _sourced(self) -> Record:
        if not self.sources and self.confidence != "unverified":
            raise ValueError("sources: a record needs at least one source, or `confidence: unverified`")
        for start, end in self.date_order:
            a, b = getattr(self, start), getattr(self, end)
            if a is not None and b is not None and not dates_in_order(a, b):
                raise ValueError(f"{end}: {b} is before {start} {a}")
        return self


class Named(Record):
    """A record with names people search for."""

    name: Annotated[str, Field(min_length=1), Maps(RDFS.label, "text")]
    short_name: Annotated[str | None, Maps(TC.shortName, "text")] = None
    aliases: Annotated[list[str], Maps(SKOS.altLabel, "text")] = Field(default_factory=list)
    former_names: Annotated[list[str], Maps(TC.formerName, "text")] = Field(default_factory=list)
    description: Annotated[str | None, Maps(TC.description, "text")] = None
    identifiers: Identifiers = Identifiers()


class Jurisdiction(Named):
    kind_key: ClassVar[str] = "jurisdictions"
    rdf_class: ClassVar[URIRef] = TC.Jurisdiction

    kind: str = "state"
    iso_code: Annotated[
        Annotated[str, Field(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")] | None, Maps(TC.isoCode, "code")
    ] = None
    part_of: Annotated[Slug | None, Maps(TC.partOfJurisdiction, "ref", ("jurisdictions",))] = None


class Organisation(Named):
    kind_key: ClassVar[str] = "organisations"
    rdf_class: ClassVar[URIRef] = TC.Organisation

    kind: str = "company"
    country: Annotated[Slug, Maps(TC.country, "ref", ("jurisdictions",))]
    part_of: Annotated[Slug | None, Maps(TC.subOrganisationOf, "ref", ("organisations",))] = None
    state_owned: Annotated[bool | None, Maps(TC.stateOwned, "bool")] = None
    founded: Annotated[PartialDate | None, Maps(TC.foundedDate, "date")] = None
    operating_since: Annotated[PartialDate | None, Maps(TC.operatingSince, "date")] = None


class Person(Named):
    kind_key: ClassVar[str] = "people"
    rdf_class: ClassVar[URIRef] = TC.Person

    country: Annotated[Slug | None, Maps(TC.country, "ref", ("jurisdictions",))] = None


class Technology(Named):
    kind_key: ClassVar[str] = "technologies"
    rdf_class: ClassVar[URIRef] = TC.Technology


class Post(Record):
    kind_key: ClassVar[str] = "posts"
    rdf_class: ClassVar[URIRef] = TC.Post
    date_order: ClassVar[tuple[tuple[str, str], ...]] = (("start", "end"),)

    holder: Annotated[Slug, Maps(TC.holder, "ref", ("people",))]
    organisation: Annotated[Slug, Maps(TC.postIn, "ref", ("organisations",))]
    role: Annotated[str, Field(min_length=1), Maps(TC.role, "text")]
    start: Annotated[PartialDate, Maps(TC.startDate, "date")]
    end: Annotated[PartialDate | None, Maps(TC.endDate, "date")] = None


class Ownership(Record):
    kind_key: ClassVar[str] = "ownerships"
    rdf_class: ClassVar[URIRef] = TC.Ownership
    date_order: ClassVar[tuple[tuple[str, str], ...]] = (("start", "end"),)

    owner: Annotated[Slug, Maps(TC.owner, "ref", ("organisations", "people", "jurisdictions"))]
    owned: Annotated[Slug, Maps(TC.owned, "ref", ("organisations",))]
    share: Annotated[Annotated[Decimal, Field(ge=0, le=100)] | None, Maps(TC.share, "decimal")] = None
    controlling: Annotated[bool, Maps(TC.controlling, "bool")] = False
    as_of: Annotated[PartialDate | None, Maps(TC.asOfDate, "date")] = None
    start: Annotated[PartialDate | None, Maps(TC.startDate, "date")] = None
    end: Annotated[PartialDate | None, Maps(TC.endDate, "date")] = None
    description: Annotated[str | None, Maps(TC.description, "text")] = None

    @model_validator(mode="after")
    def _distinct(self) -> Ownership:
        if self.owner == self.owned:
            raise ValueError("owned: an organisation cannot own itself")
        return self


ANY_PARTY = ("organisations", "people", "jurisdictions")


class Instrument(Named):
    kind_key: ClassVar[str] = "instruments"
    rdf_class: ClassVar[URIRef] = TC.LegalInstrument
    date_order: ClassVar[tuple[tuple[str, str], ...]] = (("date", "effective"),)

    type: Annotated[str, Maps(TC.instrumentType, "concept", scheme="instrument-type")]
    jurisdiction: Annotated[Slug, Maps(TC.jurisdiction, "ref", ("jurisdictions",))]
    issuer: Annotated[Slug | None, Maps(TC.issuer, "ref", ("organisations",))] = None
    date: Annotated[PartialDate | None, Maps(TC.date, "date")] = None
    effective: Annotated[PartialDate | None, Maps(TC.effectiveDate, "date")] = None
    citation: Annotated[str | None, Maps(TC.citation, "code")] = None
    amends: Annotated[list[Slug], Maps(TC.amends, "ref", ("instruments",))] = Field(default_factory=list)
    revokes: Annotated[list[Slug], Maps(TC.revokes, "ref", ("instruments",))] = Field(default_factory=list)


class Case(Named):
    kind_key: ClassVar[str] = "cases"
    rdf_class: ClassVar[URIRef] = TC.LegalCase
    date_order: ClassVar[tuple[tuple[str, str], ...]] = (("filed", "decided"),)

    court: Annotated[Slug, Maps(TC.court, "ref", ("organisations",))]
    jurisdiction: Annotated[Slug | None, Maps(TC.jurisdiction, "ref", ("jurisdictions",))] = None
    parties: Annotated[list[Slug], Maps(TC.party, "ref", ANY_PARTY)] = Field(default_factory=list)
    respondents: Annotated[list[Slug], Maps(TC.respondent, "ref", ANY_PARTY)] = Field(default_factory=list)
    challenges: Annotated[list[Slug], Maps(TC.challenges, "ref", ("actions", "instruments"))] = Field(
        default_factory=list
    )
    filed: Annotated[PartialDate | None, Maps(TC.filedDate, "date")] = None
    decided: Annotated[PartialDate | None, Maps(TC.decidedDate, "date")] = None
    status: Annotated[str | None, Maps(TC.status, "concept", scheme="status")] = None
    citation: Annotated[str | None, Maps(TC.citation, "code")] = None


class Action(Named):
    kind_key: ClassVar[str] = "actions"
    rdf_class: ClassVar[URIRef] = TC.RegulatoryAction
    date_order: ClassVar[tuple[tuple[str, str], ...]] = (("announced", "end"), ("effective", "end"))

    type: Annotated[str, Maps(TC.actionType, "concept", scheme="action-type")]
    issuer: Annotated[Slug, Maps(TC.issuer, "ref", ("organisations",))]
    jurisdiction: Annotated[Slug, Maps(TC.jurisdiction, "ref", ("jurisdictions",))]
    announced_by: Annotated[list[Slug], Maps(TC.announcedBy, "ref", ("people",))] = Field(default_factory=list)
    targets: Annotated[list[Slug], Field(min_length=1), Maps(TC.target, "ref", (*ANY_PARTY, "technologies"))]
    instruments: Annotated[list[Slug], Maps(TC.instrument, "ref", ("instruments",))] = Field(default_factory=list)
    announced: Annotated[PartialDate | None, Maps(TC.announcedDate, "date")] = None
    published: Annotated[PartialDate | None, Maps(TC.publishedDate, "date")] = None
    effective: Annotated[PartialDate | None, Maps(TC.effectiveDate, "date")] = None
    end: Annotated[PartialDate | None, Maps(TC.endDate, "date")] = None
    status: Annotated[str, Maps(TC.status, "concept", scheme="status")]
    rationale: Annotated[str | None, Maps(TC.rationale, "text")] = None
    amends: Annotated[list[Slug], Maps(TC.amends, "ref", ("actions",))] = Field(default_factory=list)

    @model_validator(mode="after")
    def _dated(self) -> Action:
        if not (self.announced or self.published or self.effective):
            raise ValueError("announced: an action needs at least one of announced, published or effective")
        return self


class Event(Named):
    kind_key: ClassVar[str] = "events"
    rdf_class: ClassVar[URIRef] = TC.Event
    date_order: ClassVar[tuple[tuple[str, str], ...]] = (("date", "end"),)

    type: Annotated[str, Maps(TC.eventType, "concept", scheme="event-type")]
    date: Annotated[PartialDate, Maps(TC.date, "date")]
    end: Annotated[PartialDate | None, Maps(TC.endDate, "date")] = None
    place: Annotated[Slug | None, Maps(TC.place, "ref", ("jurisdictions",))] = None
    agents: Annotated[list[Slug], Maps(TC.agent, "ref", ANY_PARTY)] = Field(default_factory=list)
    affected: Annotated[list[Slug], Maps(TC.affected, "ref", (*ANY_PARTY, "technologies"))] = Field(
        default_factory=list
    )
    about: Annotated[list[Slug], Maps(TC.about, "ref")] = Field(default_factory=list)
    case: Annotated[Slug | None, Maps(TC.inCase, "ref", ("cases",))] = None
    quote: Annotated[str | None, Maps(TC.quote, "text")] = None


# The property a claim may give a value for, and how that value is written.
CLAIM_PROPERTIES: dict[str, tuple[URIRef, ValueKind]] = {
    "date": (TC.date, "date"),
    "announced": (TC.announcedDate, "date"),
    "effective": (TC.effectiveDate, "date"),
    "start": (TC.startDate, "date"),
    "share": (TC.share, "decimal"),
    "state_owned": (TC.stateOwned, "bool"),
    "operating_since": (TC.operatingSince, "date"),
    "founded": (TC.foundedDate, "date"),
}


class Claim(Record):
    kind_key: ClassVar[str] = "claims"
    rdf_class: ClassVar[URIRef] = TC.Claim

    subject: Annotated[Slug, Maps(TC.claimSubject, "ref")]
    property: Literal["date", "announced", "effective", "start", "share", "state_owned", "operating_since", "founded"]
    value: str | int | float | bool

    @model_validator(mode="after")
    def _typed_value(self) -> Claim:
        kind = CLAIM_PROPERTIES[self.property][1]
        if kind == "date":
            _partial_date(self.value)
        elif kind == "bool" and not isinstance(self.value, bool):
            raise ValueError(f"value: {self.property} takes true or false")
        elif kind == "decimal" and (isinstance(self.value, bool) or not isinstance(self.value, int | float)):
            raise ValueError(f"value: {self.property} takes a number")
        return self


RECORD_TYPES: tuple[type[Source] | type[Record], ...] = (
    Source,
    Jurisdiction,
    Organisation,
    Person,
    Technology,
    Post,
    Ownership,
    Instrument,
    Case,
    Action,
    Event,
    Claim,
)
KINDS: dict[str, type[Source] | type[Record]] = {t.kind_key: t for t in RECORD_TYPES}

AnyRecord = Source | Record


@cache
def field_maps(model: type[BaseModel]) -> dict[str, Maps]:
    """The `Maps` annotation of each mapped field of a record type."""
    found: dict[str, Maps] = {}
    for name, info in model.model_fields.items():
        for meta in info.metadata:
            if isinstance(meta, Maps):
                found[name] = meta
    return found
