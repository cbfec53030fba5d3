"""The loader's error reports: each problem names the exact file, line and field, and all come at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.build import compile_data
from graph.errors import DataError, Problem
from tests.graph.fixtures import MINIMAL, write_dataset


def _problems(directory: Path) -> list[Problem]:
    with pytest.raises(DataError) as caught:
        compile_data([directory])
    return caught.value.problems


def _only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def test_the_minimal_dataset_is_valid(tmp_path: Path) -> None:
    compiled = compile_data([write_dataset(tmp_path, MINIMAL)])
    assert set(compiled.dataset.records) == {"src-a", "ca", "gic", "acme", "order"}


def test_bad_yaml_names_file_and_line(tmp_path: Path) -> None:
    files = {**MINIMAL, "broken.yaml": "people:\n  - id: x\n    name: [unclosed\n"}
    problem = _only(_problems(write_dataset(tmp_path, files)))
    assert problem.file.endswith("broken.yaml")
    assert problem.line == 4
    assert "YAML syntax" in problem.message


def test_unknown_field_names_file_line_and_field(tmp_path: Path) -> None:
    files = {
        **MINIMAL,
        "people.yaml": "people:\n  - id: jo\n    name: Jo\n    nickname: J\n    sources: [src-a]\n",
    }
    problem = _only(_problems(write_dataset(tmp_path, files)))
    assert (Path(problem.file).name, problem.line, problem.field) == ("people.yaml", 4, "nickname")
    assert "unknown field" in problem.message


def test_bad_date_names_file_line_and_field(tmp_path: Path) -> None:
    actions = MINIMAL["actions.yaml"].replace('announced: "2025-06-27"', 'announced: "2025-02-30"')
    problem = _only(_problems(write_dataset(tmp_path, {**MINIMAL, "actions.yaml": actions})))
    assert (Path(problem.file).name, problem.line, problem.field) == ("actions.yaml", 8, "announced")
    assert "not a real date" in problem.message


def test_end_before_start_is_an_impossible_date(tmp_path: Path) -> None:
    files = {
        **MINIMAL,
        "people.yaml": """
            people:
              - id: jo
                name: Jo Minister
                sources: [src-a]
            posts:
              - id: jo-post
                holder: jo
                organisation: gic
                role: Minister
                start: "2025-05"
                end: "2024"
                sources: [src-a]
            """,
    }
    problem = _only(_problems(write_dataset(tmp_path, files)))
    assert (Path(problem.file).name, problem.field) == ("people.yaml", "end")
    assert problem.line == 11
    assert "before start" in problem.message


def test_dangling_reference_names_both_ids_and_the_line(tmp_path: Path) -> None:
    actions = MINIMAL["actions.yaml"].replace("targets: [acme]", "targets:\n      - acme\n      - acmee")
    problem = _only(_problems(write_dataset(tmp_path, {**MINIMAL, "actions.yaml": actions})))
    assert (Path(problem.file).name, problem.line, problem.field) == ("actions.yaml", 9, "targets")
    assert "'order'" in problem.message and "'acmee'" in problem.message


def test_reference_to_the_wrong_kind_is_an_error(tmp_path: Path) -> None:
    actions = MINIMAL["actions.yaml"].replace("issuer: gic", "issuer: ca")
    problem = _only(_problems(write_dataset(tmp_path, {**MINIMAL, "actions.yaml": actions})))
    assert problem.field == "issuer"
    assert "jurisdictions" in problem.message


def test_duplicate_id_names_both_places(tmp_path: Path) -> None:
    files = {
        **MINIMAL,
        "technologies.yaml": "technologies:\n  - id: acme\n    name: Acme chips\n    sources: [src-a]\n",
    }
    problem = _only(_problems(write_dataset(tmp_path, files)))
    assert (Path(problem.file).name, problem.line, problem.field) == ("technologies.yaml", 2, "id")
    assert "parties.yaml:" in problem.message


def test_missing_source_is_an_error_unless_unverified(tmp_path: Path) -> None:
    files = {**MINIMAL, "tech.yaml": "technologies:\n  - id: chips\n    name: Chips\n"}
    problem = _only(_problems(write_dataset(tmp_path, files)))
    assert (Path(problem.file).name, problem.line, problem.field) == ("tech.yaml", 2, "sources")
    unverified = {
        **MINIMAL,
        "tech.yaml": "technologies:\n  - id: chips\n    name: Chips\n    confidence: unverified\n",
    }
    compile_data([write_dataset(tmp_path / "ok", unverified)])


def test_unknown_concept_lists_the_allowed_values(tmp_path: Path) -> None:
    actions = MINIMAL["actions.yaml"].replace("type: wind_up_order", "type: wind_down")
    problem = _only(_problems(write_dataset(tmp_path, {**MINIMAL, "actions.yaml": actions})))
    assert (problem.field, problem.line) == ("type", 4)
    assert "wind_up_order" in problem.message


def test_source_without_publisher_or_with_a_bad_url(tmp_path: Path) -> None:
    files = {
        **MINIMAL,
        "sources.yaml": """
            sources:
              - id: src-a
                url: htp:/nowhere
                title: An article
            """,
    }
    problems = _problems(write_dataset(tmp_path, files))
    assert {(p.field, p.line) for p in problems} == {("url", 3), ("publisher", 2)}


def test_every_problem_of_every_file_is_reported_at_once(tmp_path: Path) -> None:
    files = {
        **MINIMAL,
        "broken.yaml": "people: [\n",
        "people.yaml": "people:\n  - id: jo\n    name: Jo\n    colour: blue\n    sources: [src-a]\n",
        "actions.yaml": MINIMAL["actions.yaml"].replace("targets: [acme]", "targets: [ghost]"),
    }
    problems = _problems(write_dataset(tmp_path, files))
    assert {Path(p.file).name for p in problems} == {"broken.yaml", "people.yaml", "actions.yaml"}
    assert len(problems) == 3


def test_malformed_rdf_file_names_file_and_line(tmp_path: Path) -> None:
    files = {
        **MINIMAL,
        "extra.ttl": '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n',
    }
    problem = _only(_problems(write_dataset(tmp_path, files)))
    assert (Path(problem.file).name, problem.line) == ("extra.ttl", 3)
    assert "turtle syntax" in problem.message


def test_missing_directory_is_reported(tmp_path: Path) -> None:
    problem = _only(_problems(tmp_path / "absent"))
    assert "no such data directory" in problem.message
