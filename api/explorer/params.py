"""Reusable, validated query parameters of the explorer's pages, JSON and exports."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

# Empty values are allowed and mean "not set": HTML forms send every field, filled or not.
DATE_PATTERN = r"^(\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?)?$"
ID_PATTERN = r"^([a-z0-9]+(-[a-z0-9]+)*)?$"
PATH_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

AsOf = Annotated[
    str | None,
    Query(pattern=DATE_PATTERN, description="Show only what was in force or had happened by YYYY[-MM[-DD]]."),
]
DateFrom = Annotated[str | None, Query(alias="from", pattern=DATE_PATTERN, description="Earliest date shown.")]
DateTo = Annotated[str | None, Query(alias="to", pattern=DATE_PATTERN, description="Latest date shown.")]
RecordId = Annotated[str, Path(pattern=PATH_ID_PATTERN, max_length=200, description="The record id of an entity.")]
EntityParam = Annotated[
    str | None, Query(pattern=ID_PATTERN, max_length=200, description="The record id of the centre entity.")
]
Depth = Annotated[int, Query(ge=1, le=2, description="How many hops around the entity.")]
Relations = Annotated[
    list[str] | None, Query(alias="rel", max_length=40, description="Edge kinds to keep (local names).")
]
SearchText = Annotated[str, Query(max_length=200, description="What was typed.")]
Limit = Annotated[int, Query(ge=1, le=50)]
ExportFormat = Annotated[str, Path(pattern=r"^(nodes\.csv|edges\.csv|graphml|gexf|jsonld|json)$")]
PathK = Annotated[int, Query(ge=1, le=10, description="How many paths, shortest first.")]
MaxHops = Annotated[int, Query(ge=1, le=8, description="Longest path, in hops.")]
SourceName = Annotated[str | None, Query(alias="from", max_length=200, description="A record id or a name.")]
TargetName = Annotated[str | None, Query(alias="to", max_length=200, description="A record id or a name.")]
FilterId = Annotated[str | None, Query(pattern=ID_PATTERN, max_length=200)]
TypeParam = Annotated[str | None, Query(pattern=r"^[a-z0-9-]*$", max_length=100)]
