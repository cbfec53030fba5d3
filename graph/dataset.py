"""Phase one of a build: read every data directory into typed, cross-checked records.

Nothing here writes anything. All problems of all files are collected and raised together as one DataError.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from graph.errors import DataError, Problem, display_path
from graph.ontology import Ontology
from graph.records import KINDS, AnyRecord, Jurisdiction, Organisation, field_maps
from graph.vocab import TC
from graph.yamlsource import LineDict, LineList, line_of, read_yaml

YAML_SUFFIXES = (".yaml", ".yml")
RDF_SUFFIXES = {
    ".ttl": "turtle",
    ".nt": "n-triples",
    ".nq": "n-quads",
    ".trig": "trig",
    ".jsonld": "json-ld",
}


@dataclass(frozen=True)
class Located:
    """A record with the place it was written."""

    record: AnyRecord
    file: str
    line: int
    raw: LineDict

    def field_line(self, name: str) -> int:
        return self.raw.key_lines.get(name, self.line)


@dataclass
class Dataset:
    """Every curated record of a build, by id, and the plain RDF files beside them."""

    records: dict[str, Located] = field(default_factory=dict)
    rdf_files: list[tuple[Path, str]] = field(default_factory=list)
    directories: list[Path] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Located]:
        return [loc for loc in self.records.values() if loc.record.kind_key == kind]


def _validate_item(
    path: str, kind: str, item: Any, item_line: int, problems: list[Problem], invalid: set[str]
) -> Located | None:
    model = KINDS[kind]
    if not isinstance(item, LineDict):
        problems.append(Problem(path, item_line, kind, "each record must be a mapping of field: value"))
        return None
    try:
        record = model.model_validate(dict(item))
    except ValidationError as exc:
        errors = exc.errors()
        for error in errors:
            loc = tuple(error["loc"])
            message = str(error["msg"]).removeprefix("Value error, ")
            name = ".".join(str(part) for part in loc)
            if not loc and ": " in message:
                name, message = message.split(": ", 1)
                loc = (name,)
            if error["type"] == "extra_forbidden":
                message = f"unknown field (allowed: {', '.join(sorted(model.model_fields))})"
            problems.append(Problem(path, line_of(item, loc), name, message))
        if all(not error["loc"] for error in errors):
            # Every field is valid and only a rule across fields failed (dates out of order, no source): keep the
            # record, unvalidated, for the reference and vocabulary checks, so that one run reports those too.
            return Located(record=model.model_construct(**dict(item)), file=path, line=item.line, raw=item)
        if isinstance(item.get("id"), str):
            invalid.add(item["id"])
        return None
    return Located(record=record, file=path, line=item.line, raw=item)


def _read_yaml_file(file: Path, problems: list[Problem], invalid: set[str]) -> list[Located]:
    path = display_path(file)
    try:
        content = read_yaml(file)
    except DataError as exc:
        problems.extend(exc.problems)
        return []
    if content is None:
        return []
    if not isinstance(content, LineDict):
        problems.append(Problem(path, 1, "", f"a data file is a mapping of record kinds ({', '.join(KINDS)})"))
        return []
    found: list[Located] = []
    for kind, items in content.items():
        line = content.key_lines[kind]
        if kind not in KINDS:
            problems.append(Problem(path, line, kind, f"unknown record kind (allowed: {', '.join(KINDS)})"))
            continue
        if items is None:
            continue
        if not isinstance(items, LineList):
            problems.append(Problem(path, line, kind, "expected a list of records"))
            continue
        for item, item_line in zip(items, items.item_lines, strict=True):
            located = _validate_item(path, kind, item, item_line, problems, invalid)
            if located is not None:
                found.append(located)
    return found


def _check_vocabulary(loc: Located, ontology: Ontology, problems: list[Problem]) -> None:
    record = loc.record
    for name, maps in field_maps(type(record)).items():
        if maps.kind != "concept":
            continue
        value = getattr(record, name)
        if value is not None and ontology.concept(maps.scheme, value) is None:
            allowed = ", ".join(ontology.notations(maps.scheme))
            problems.append(
                Problem(loc.file, loc.field_line(name), name, f"unknown value {value!r} (allowed: {allowed})")
            )
    if isinstance(record, Organisation | Jurisdiction):
        base = TC.Organisation if isinstance(record, Organisation) else TC.Jurisdiction
        keys = ontology.subclasses_by_key(base)
        if record.kind not in keys:
            allowed = ", ".join(sorted(keys))
            problems.append(
                Problem(
                    loc.file,
                    loc.field_line("kind"),
                    "kind",
                    f"unknown kind {record.kind!r} (allowed: {allowed})",
                )
            )


def _referenced_ids(value: Any) -> list[str]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _check_references(dataset: Dataset, invalid: set[str], problems: list[Problem]) -> None:
    """Every reference must name a record of an allowed kind; records that failed to parse are not re-reported."""
    for loc in dataset.records.values():
        for name, maps in field_maps(type(loc.record)).items():
            if maps.kind != "ref":
                continue
            values = _referenced_ids(getattr(loc.record, name))
            raw_value = loc.raw.get(name)
            for index, target_id in enumerate(values):
                line = loc.field_line(name)
                if isinstance(raw_value, LineList) and index < len(raw_value.item_lines):
                    line = raw_value.item_lines[index]
                target = dataset.records.get(target_id)
                if target is None and target_id in invalid:
                    continue
                if target is None:
                    problems.append(
                        Problem(loc.file, line, name, f"{loc.record.id!r} refers to unknown id {target_id!r}")
                    )
                elif maps.targets and target.record.kind_key not in maps.targets:
                    problems.append(
                        Problem(
                            loc.file,
                            line,
                            name,
                            f"{loc.record.id!r} refers to {target_id!r}, which is one of the "
                            f"{target.record.kind_key} (expected one of: {', '.join(maps.targets)})",
                        )
                    )


def read_dataset(directories: list[Path], ontology: Ontology) -> Dataset:
    """Read, type-check and cross-check every data directory; raise DataError listing all problems."""
    problems: list[Problem] = []
    invalid: set[str] = set()
    dataset = Dataset(directories=list(directories))
    for directory in directories:
        if not directory.is_dir():
            problems.append(Problem(display_path(directory), 0, "", "no such data directory"))
            continue
        for file in sorted(p for p in directory.rglob("*") if p.is_file()):
            suffix = file.suffix.lower()
            if suffix in RDF_SUFFIXES:
                dataset.rdf_files.append((file, RDF_SUFFIXES[suffix]))
                continue
            if suffix not in YAML_SUFFIXES:
                continue
            for loc in _read_yaml_file(file, problems, invalid):
                earlier = dataset.records.get(loc.record.id)
                if earlier is not None:
                    problems.append(
                        Problem(
                            loc.file,
                            loc.field_line("id"),
                            "id",
                            f"duplicate id {loc.record.id!r}, first defined at {earlier.file}:{earlier.line}",
                        )
                    )
                    continue
                dataset.records[loc.record.id] = loc
    for loc in dataset.records.values():
        _check_vocabulary(loc, ontology, problems)
    _check_references(dataset, invalid, problems)
    if problems:
        raise DataError(problems)
    return dataset
