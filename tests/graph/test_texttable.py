"""A TextTable finds the same strings as a loop over a list of them would."""

from __future__ import annotations

import pytest

from graph.texttable import TextTable

ITEMS = ["kalo mine", "kalo", "", "mine kalo 12", "b", "kalomine", "a b c", "kalo", "zz top", "mi"]


@pytest.fixture(scope="module")
def table() -> TextTable:
    return TextTable(ITEMS)


def test_items_are_numbered_in_the_order_given(table: TextTable) -> None:
    assert len(table) == len(ITEMS)
    assert [table[i] for i in range(len(table))] == ITEMS


@pytest.mark.parametrize("text", ["kalo", "kalo ", "k", "", "mi", "zz top", "zz top!", "a b", "x", "\n"])
def test_lookups_agree_with_a_loop(table: TextTable, text: str) -> None:
    numbered = list(enumerate(ITEMS))
    assert table.equal_to(text) == [i for i, item in numbered if item == text]
    assert table.starting_with(text) == [i for i, item in numbered if item.startswith(text)]
    assert table.containing(text) == [i for i, item in numbered if text in item]


def test_an_empty_table_finds_nothing() -> None:
    empty = TextTable([])
    assert len(empty) == 0
    assert empty.equal_to("a") == empty.starting_with("") == empty.containing("a") == []


def test_an_item_with_a_newline_is_refused() -> None:
    with pytest.raises(ValueError, match="newline"):
        TextTable(["one\ntwo"])
