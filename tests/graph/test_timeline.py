"""Partial-date logic and the timeline of actions and events."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.timeline import (
    InvalidDateError,
    TimelineFilter,
    all_citations,
    check_partial_date,
    citations_of,
    ended_before,
    headline,
    on_or_before,
    timeline,
    timeline_items,
    visible_as_of,
)


def test_partial_dates_compare_at_their_common_precision() -> None:
    assert on_or_before("2020-06-01", "2020")
    assert not on_or_before("2021", "2020-12-31")
    assert ended_before("2019", "2020-01")
    assert not ended_before("2020-12", "2020")


def test_visible_as_of_keeps_what_began_and_had_not_ended() -> None:
    assert visible_as_of("2019", None, "2020")
    assert not visible_as_of("2021-01", None, "2020")
    assert not visible_as_of("2018", "2019-05", "2020")
    assert visible_as_of("2018", "2019-05", "2020", lasting=False)
    assert visible_as_of(None, None, None)


def test_check_partial_date_refuses_what_is_not_a_date() -> None:
    assert check_partial_date("2025-06") == "2025-06"
    with pytest.raises(InvalidDateError):
        check_partial_date("2025-13")


def test_timeline_is_in_date_order_and_filters(curated_store: ox.Store) -> None:
    everything = timeline(curated_store, TimelineFilter())
    assert len(everything.items) == everything.total > 0
    keys = [item.sort_key for item in everything.items]
    assert keys == sorted(keys)
    assert all(item.citations or item.confidence == "unverified" for item in everything.items)
    actions = timeline(curated_store, TimelineFilter(type="action", jurisdiction="ca")).items
    assert actions and all(i.kind == "action" and i.jurisdiction and i.jurisdiction.id == "ca" for i in actions)
    assert {o.value for o in everything.jurisdictions} >= {"ca", "us"}


def test_headline_counts_actions_and_lists_the_latest(curated_store: ox.Store) -> None:
    figures, latest = headline(curated_store, latest=5)
    assert figures.actions >= len(latest) == 5
    assert figures.sources > 0
    keys = [item.sort_key for item in latest]
    assert keys == sorted(keys, reverse=True)


def test_items_cite_the_sources_every_record_is_listed_with(curated_store: ox.Store) -> None:
    every = all_citations(curated_store)
    items = timeline_items(curated_store)
    assert items
    for item in items:
        assert item.citations == every.get(item.ref.iri, ())


def test_the_sources_of_some_records_are_theirs_in_every_record_s_list(curated_store: ox.Store) -> None:
    every = all_citations(curated_store)
    some = [*sorted(every)[::3], "https://w3id.org/techcurbs/id/no-such-record"]
    assert citations_of(curated_store, some) == {r: every[r] for r in some if r in every}
    assert citations_of(curated_store, []) == {}
