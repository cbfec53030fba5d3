"""Finding entities by any of their names, as the type-ahead does."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

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
