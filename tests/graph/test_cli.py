"""The `techcurbs` command as people type it."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset

from graph.cli import main
from tests.graph.fixtures import MINIMAL, write_dataset


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    data = write_dataset(tmp_path / "data", MINIMAL)
    store = tmp_path / "var" / "store"
    assert main(["build", "--data", str(data), "--store", str(store)]) == 0
    return data, store


def test_build_reports_progress_and_what_it_built(built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    data, store = built
    assert main(["build", "--data", str(data), "--store", str(store)]) == 0
    out, err = capsys.readouterr()
    assert "5 records" in out
    assert "validating" in err


def test_validate_fails_with_file_and_line_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = {
        **MINIMAL,
        "actions.yaml": MINIMAL["actions.yaml"].replace("targets: [acme]", "targets: [ghost]"),
    }
    data = write_dataset(tmp_path / "data", files)
    assert main(["validate", "--data", str(data)]) == 1
    _out, err = capsys.readouterr()
    assert "actions.yaml:7: targets: 'order' refers to unknown id 'ghost'" in err


def test_several_data_directories_are_read_together(built: tuple[Path, Path], tmp_path: Path) -> None:
    data, store = built
    mine = write_dataset(
        tmp_path / "mine",
        {"mine.yaml": "technologies:\n  - id: chips\n    name: Chips\n    sources: [src-a]\n"},
    )
    assert main(["build", "--data", str(data), "--data", str(mine), "--store", str(store)]) == 0


def test_query_in_table_csv_and_json(built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _data, store = built
    sparql = "SELECT ?name WHERE { ?o a tc:Company ; rdfs:label ?name }"
    assert main(["query", sparql, "--store", str(store)]) == 0
    assert "Acme Canada Inc." in capsys.readouterr().out
    assert main(["query", sparql, "--store", str(store), "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows == [["name"], ["Acme Canada Inc."]]
    assert main(["query", sparql, "--store", str(store), "--format", "json"]) == 0
    bindings = json.loads(capsys.readouterr().out)["results"]["bindings"]
    assert bindings[0]["name"]["value"] == "Acme Canada Inc."


def test_malformed_query_is_a_clear_error(built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _data, store = built
    assert main(["query", "SELECT WHERE {", "--store", str(store)]) == 2
    assert "techcurbs:" in capsys.readouterr().err


def test_missing_store_says_how_to_build_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["stats", "--store", str(tmp_path / "none")]) == 2
    assert "techcurbs build" in capsys.readouterr().err


def test_stats_counts_classes_jurisdictions_and_sources(
    built: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    _data, store = built
    assert main(["stats", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "## Records per class" in out and "company" in out
    assert "## Actions per issuing jurisdiction" in out and "Canada" in out
    assert "## Records per source" in out and "Example News" in out
    assert "## Unverified records" in out


def test_export_formats_parse_back(built: tuple[Path, Path], tmp_path: Path) -> None:
    _data, store = built
    for fmt, rdflib_format in (("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld"), ("ttl", "turtle")):
        out = tmp_path / f"export.{fmt}"
        assert main(["export", "--format", fmt, "--store", str(store), "--output", str(out)]) == 0
        parsed = Dataset().parse(out, format=rdflib_format)
        assert len(parsed) > 1000, fmt


def test_export_graphml_opens_in_networkx(built: tuple[Path, Path], tmp_path: Path) -> None:
    _data, store = built
    out = tmp_path / "export.graphml"
    assert main(["export", "--format", "graphml", "--store", str(store), "--output", str(out)]) == 0
    network = nx.read_graphml(out)
    labels = {data.get("label") for _node, data in network.nodes(data=True)}
    assert {"Acme Canada Inc.", "Governor in Council"} <= labels


def test_the_console_script_is_installed(built: tuple[Path, Path]) -> None:
    _data, store = built
    result = subprocess.run(
        ["techcurbs", "query", "ASK { ?s a tc:RegulatoryAction }", "--store", str(store)],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": str(Path(__import__("sys").executable).parent)},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "true"
