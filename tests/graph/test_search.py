"""Finding entities by any of their names, as the type-ahead does."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from benchmarks.generate import generate
from graph.network.session import memory_store
from graph.ontology import load_ontology
from graph.search import NameIndex, name_index, normalise


@pytest.fixture(scope="module")
def index(curated_store: ox.Store) -> NameIndex:
    return name_index(curated_store, load_ontology())


def test_normalise_ignores_case_accents_and_punctuation() -> None:
    assert normalise("Mélanie  JOLY") == "melanie joly"
    assert normalise("D.C. Circuit") == "d c circuit"
    assert normalise("  ") == ""


def test_only_network_nodes_are_indexed(index: NameIndex) -> None:
    classes = {e.class_label for e in index.entities}
    assert "company" in classes and "person" in classes and "regulatory action" in classes
    assert "source document" not in classes and "claim" not in classes and "ownership" not in classes


def test_a_label_prefix_finds_the_entity_first(index: NameIndex) -> None:
    first = index.search("hikvision can")[0]
    assert first.entity.id == "hikvision-canada" and first.matched is None
    assert first.entity.country == "Canada" and first.entity.class_label == "company"


def test_accents_do_not_matter(index: NameIndex) -> None:
    assert index.search("melanie")[0].entity.id == "melanie-joly"


def test_an_alias_or_short_name_finds_the_entity_and_says_which_name_matched(index: NameIndex) -> None:
    hit = index.search("GIC")[0]
    assert hit.entity.id == "ca-governor-in-council" and hit.matched == "GIC"
    assert index.search("Hikvision")[0].entity.id == "hikvision"


def test_words_in_any_order_of_the_name_match(index: NameIndex) -> None:
    assert any(s.entity.id == "hikvision-canada" for s in index.search("canada hikvision"))


def test_nothing_matches_nothing(index: NameIndex) -> None:
    assert index.search("") == []
    assert index.search("zzqx-no-such-name") == []
    assert len(index.search("a", limit=3)) == 3


def test_labels_fall_back_to_the_record_id(index: NameIndex) -> None:
    assert index.label("https://w3id.org/techcurbs/id/hikvision") == "Hangzhou Hikvision Digital Technology Co., Ltd."
    assert index.label("https://w3id.org/techcurbs/id/not-indexed") == "not-indexed"


def scanned(index: NameIndex, query: str, limit: int) -> list[tuple[str, str | None, int]]:
    """What a search finds when it looks at every name of every entity: the index must find the same."""
    wanted = normalise(query)
    if not wanted:
        return []
    found = []
    for order, entity in enumerate(index.entities):
        ranked = []
        for position, name in enumerate((*entity.names, entity.id)):
            norm = normalise(name)
            words = norm.split()
            if norm == wanted:
                rank = 0
            elif norm.startswith(wanted):
                rank = 1
            elif all(any(w.startswith(q) for w in words) for q in wanted.split()):
                rank = 2
            elif wanted in norm:
                rank = 3
            else:
                continue
            ranked.append((rank, position, name))
        if ranked:
            rank, position, name = min(ranked)
            found.append(((rank, len(name), order), (entity.id, None if position == 0 else name, rank)))
    return [hit for _, hit in sorted(found)[:limit]]


QUERIES = [
    "a",
    "hik",
    "hikvision can",
    "canada hikvision",
    "GIC",
    "melanie",
    "d c",
    "d.c. circuit",
    "zzqx",
    "co",
    "ltd",
    "t",
    "tech co",
    "c ltd",
    "meng w",
    "government of",
    "o",
    "ca",
    "in",
    "2019",
    "huawei canada",
    "é",
    "kalo",
    "ka",
    "mi ne",
    "technology 12",
    "1",
    "kalo technology",
    "measure 1",
    "bel",
    "event 9",
    "co 1",
    "an",
]


@pytest.fixture(scope="module")
def synthetic_index(tmp_path_factory: pytest.TempPathFactory) -> NameIndex:
    data = tmp_path_factory.mktemp("synthetic-names")
    generate(6000, data)
    return name_index(memory_store([data]), load_ontology())


@pytest.mark.parametrize("limit", [1, 3, 10, 50])
def test_the_index_finds_what_looking_at_every_name_finds(
    index: NameIndex, synthetic_index: NameIndex, limit: int
) -> None:
    for names in (index, synthetic_index):
        for query in QUERIES:
            hits = [(s.entity.id, s.matched, s.rank) for s in names.search(query, limit)]
            assert hits == scanned(names, query, limit), query
