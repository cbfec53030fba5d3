"""What an entity page shows, in order, as frozen dataclasses (built by `graph.entity.entity_page`), and the error
for an id that names no record."""

from __future__ import annotations

from dataclasses import dataclass

from graph.network import Citation
from graph.timeline import Ref, TimelineItem


class EntityNotFoundError(LookupError):
    """No record has this id."""

    def __init__(self, rid: str) -> None:
        self.record_id = rid
        super().__init__(f"no entity with id {rid!r}")


@dataclass(frozen=True)
class Value:
    """One value of a fact: text, and a link when it is another record."""

    text: str
    ref: Ref | None = None


@dataclass(frozen=True)
class Fact:
    prop: str
    label: str
    values: tuple[Value, ...]


@dataclass(frozen=True)
class Relation:
    """One edge of the entity, read from the entity's side."""

    other: Ref
    other_class: str
    colour: str
    via: Ref | None
    detail: str
    start: str
    end: str
    citations: tuple[Citation, ...]
    confidence: str


@dataclass(frozen=True)
class RelationGroup:
    """Relations of one kind in one direction: `owns`, `is owned by`, `is restricted by`, ..."""

    relation: str
    relation_label: str
    phrase: str
    direction: str
    relations: tuple[Relation, ...]


@dataclass(frozen=True)
class OwnershipStep:
    """One stake of the chain from the entity up to its ultimate owner."""

    owner: Ref
    owned: Ref
    via: Ref | None
    share: str
    controlling: bool
    citations: tuple[Citation, ...]
    confidence: str


@dataclass(frozen=True)
class Restriction:
    """A regulatory action that targets the entity, one of its owners or one of its subsidiaries."""

    action: TimelineItem
    target: Ref
    reach: str  # "this entity", "a parent" or "a subsidiary"


@dataclass(frozen=True)
class ClaimValue:
    value: str
    citations: tuple[Citation, ...]
    notes: tuple[str, ...]
    confidence: str


@dataclass(frozen=True)
class ClaimGroup:
    """Values of one property of one record as different sources assert them."""

    subject: Ref
    property_label: str
    claims: tuple[ClaimValue, ...]

    @property
    def disagree(self) -> bool:
        return len({c.value for c in self.claims}) > 1


@dataclass(frozen=True)
class ExternalLink:
    label: str
    value: str
    url: str | None


@dataclass(frozen=True)
class EntityPage:
    """What the entity page shows, in order."""

    ref: Ref
    class_label: str
    colour: str
    shape: str
    is_node: bool
    in_view: bool
    description: str
    names: tuple[str, ...]
    facts: tuple[Fact, ...]
    citations: tuple[Citation, ...]
    confidence: str
    notes: tuple[str, ...]
    relation_groups: tuple[RelationGroup, ...]
    neighbours: int
    ownership_chain: tuple[OwnershipStep, ...]
    restrictions: tuple[Restriction, ...]
    timeline: tuple[TimelineItem, ...]
    links: tuple[ExternalLink, ...]
    claims: tuple[ClaimGroup, ...]
    as_of: str | None

    @property
    def ultimate_owner(self) -> Ref | None:
        return self.ownership_chain[-1].owner if self.ownership_chain else None
