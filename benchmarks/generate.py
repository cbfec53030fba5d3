"""A deterministic generator of synthetic data that follows the ontology and passes its shapes.

It writes curated-format YAML (so the whole build pipeline is measured), sized by a target number of triples:
states with ministries and regulators, companies in ownership trees under state owners, people with posts,
regulatory actions with targets and instruments, events and sources. The same seed and size give the same bytes.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

# Curated triples one unit (3 companies with their stakes, a person with a post, an action, half an event, sources)
# yields once built, measured: 94.2 at 10^5 and 93.0 at 10^6 (`make bench` prints the built counts).
TRIPLES_PER_UNIT = 93
ACTION_TYPES = (
    "entity_listing",
    "export_control",
    "procurement_ban",
    "investment_ban",
    "wind_up_order",
    "covered_list_addition",
    "divestiture_order",
    "usage_ban",
)
STATUSES = ("in_force", "challenged", "revoked", "stayed", "expired")
EVENT_TYPES = ("statement", "allegation", "court_ruling", "detention", "security_review")
SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "an", "bel", "cor", "dun", "fen", "gar", "hol")


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


@dataclass
class Writer:
    """Accumulates YAML lines per file."""

    files: dict[str, list[str]] = field(default_factory=dict)

    def record(self, kind: str, fields: list[tuple[str, str]]) -> None:
        lines = self.files.setdefault(kind, [f"{kind}:"])
        first = True
        for key, value in fields:
            lines.append(f"  {'- ' if first else '  '}{key}: {value}")
            first = False


def _name(rng: random.Random, words: int = 2) -> str:
    return " ".join("".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize() for _ in range(words))


def _date(rng: random.Random, start: int = 2015, end: int = 2025) -> str:
    return f"{rng.randint(start, end)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def hub_id(nodes: int) -> str:
    """The record id of the hub company whose one-hop network view has `nodes` nodes."""
    return f"hub-{nodes}"


def _hubs(w: Writer, hubs: tuple[int, ...], src: str) -> None:
    """Hub companies for the browser benchmark: `hub-N` owns N - 2 companies that all share its country, so its
    one-hop network is exactly N nodes (itself, its country and its subsidiaries) and N - 1 edges of each kind."""
    for nodes in hubs:
        hub = hub_id(nodes)
        w.record(
            "organisations",
            [("id", hub), ("name", _q(f"Hub Holding {nodes}")), ("country", "state-0"), ("sources", src)],
        )
        for i in range(nodes - 2):
            sub = f"{hub}-sub-{i}"
            w.record(
                "organisations",
                [("id", sub), ("name", _q(f"Hub {nodes} Subsidiary {i}")), ("country", "state-0"), ("sources", src)],
            )
            w.record(
                "ownerships",
                [
                    ("id", f"{hub}-own-{i}"),
                    ("owner", hub),
                    ("owned", sub),
                    ("share", "100"),
                    ("controlling", "true"),
                    ("as_of", _q("2024-01-01")),
                    ("sources", src),
                ],
            )


def generate(triples: int, out: Path, seed: int = 7, hubs: tuple[int, ...] = ()) -> dict[str, int]:
    """Write a synthetic data directory of about `triples` curated triples; return counts per kind.

    `hubs` adds, besides, one hub company per size for the browser benchmark (see `_hubs`).
    """
    rng = random.Random(seed)
    units = max(1, triples // TRIPLES_PER_UNIT)
    w = Writer()
    n_sources = max(5, units)
    for i in range(n_sources):
        w.record(
            "sources",
            [
                ("id", f"src-{i}"),
                ("url", _q(f"https://example.org/news/{i}")),
                ("title", _q(f"Report {i}: {_name(rng, 3)}")),
                ("publisher", _q(f"Outlet {i % 50}")),
                ("published", _q(_date(rng))),
            ],
        )

    def src() -> str:
        return f"[src-{rng.randrange(n_sources)}]"

    n_states = max(3, min(200, units // 20 + 3))
    for i in range(n_states):
        w.record(
            "jurisdictions",
            [("id", f"state-{i}"), ("name", _q(f"State {i} {_name(rng, 1)}")), ("kind", "state"), ("sources", src())],
        )
    bodies = []
    for i in range(n_states):
        for role in ("cabinet", "commerce", "regulator", "court"):
            kind = {
                "cabinet": "government_body",
                "commerce": "government_body",
                "regulator": "regulator",
                "court": "court",
            }[role]
            oid = f"state-{i}-{role}"
            bodies.append(oid)
            w.record(
                "organisations",
                [
                    ("id", oid),
                    ("name", _q(f"{role.capitalize()} of State {i}")),
                    ("kind", kind),
                    ("country", f"state-{i}"),
                    ("sources", src()),
                ],
            )
    n_companies = units * 3
    for i in range(n_companies):
        fields = [
            ("id", f"co-{i}"),
            ("name", _q(f"{_name(rng)} Technology Co. {i}")),
            ("aliases", f"[{_q(_name(rng, 1) + f' {i}')}]"),
            ("country", f"state-{rng.randrange(n_states)}"),
            ("sources", src()),
        ]
        w.record("organisations", fields)
    for i in range(1, n_companies):
        owner = f"co-{rng.randrange(i)}" if i % 7 else f"state-{rng.randrange(n_states)}-cabinet"
        w.record(
            "ownerships",
            [
                ("id", f"own-{i}"),
                ("owner", owner),
                ("owned", f"co-{i}"),
                ("share", str(rng.randint(10, 100))),
                ("controlling", "true"),
                ("as_of", _q(_date(rng))),
                ("sources", src()),
            ],
        )
    n_people = units
    for i in range(n_people):
        w.record(
            "people",
            [
                ("id", f"person-{i}"),
                ("name", _q(f"{_name(rng, 1)} {_name(rng, 1)} {i}")),
                ("country", f"state-{rng.randrange(n_states)}"),
                ("sources", src()),
            ],
        )
        start = rng.randint(2010, 2024)
        w.record(
            "posts",
            [
                ("id", f"post-{i}"),
                ("holder", f"person-{i}"),
                ("organisation", rng.choice(bodies)),
                ("role", _q("Minister")),
                ("start", _q(str(start))),
                ("end", _q(str(start + rng.randint(1, 4)))),
                ("sources", src()),
            ],
        )
    n_instruments = max(2, units // 10)
    for i in range(n_instruments):
        state = rng.randrange(n_states)
        w.record(
            "instruments",
            [
                ("id", f"inst-{i}"),
                ("name", _q(f"{_name(rng)} Act {i}")),
                ("type", "statute"),
                ("jurisdiction", f"state-{state}"),
                ("date", _q(_date(rng, 2000, 2014))),
                ("sources", src()),
            ],
        )
    n_actions = units
    for i in range(n_actions):
        state = rng.randrange(n_states)
        targets = sorted({f"co-{rng.randrange(n_companies)}" for _ in range(rng.randint(1, 4))})
        w.record(
            "actions",
            [
                ("id", f"action-{i}"),
                ("name", _q(f"Measure {i} against {_name(rng, 1)}")),
                ("type", rng.choice(ACTION_TYPES)),
                ("issuer", f"state-{state}-commerce"),
                ("jurisdiction", f"state-{state}"),
                ("announced_by", f"[person-{rng.randrange(n_people)}]"),
                ("targets", "[" + ", ".join(targets) + "]"),
                ("instruments", f"[inst-{rng.randrange(n_instruments)}]"),
                ("announced", _q(_date(rng))),
                ("status", rng.choice(STATUSES)),
                ("rationale", _q("National security.")),
                ("sources", src()),
            ],
        )
    n_events = max(1, units // 2)
    for i in range(n_events):
        w.record(
            "events",
            [
                ("id", f"event-{i}"),
                ("name", _q(f"Event {i}")),
                ("type", rng.choice(EVENT_TYPES)),
                ("date", _q(_date(rng))),
                ("place", f"state-{rng.randrange(n_states)}"),
                ("agents", f"[co-{rng.randrange(n_companies)}]"),
                ("about", f"[action-{rng.randrange(n_actions)}]"),
                ("sources", src()),
            ],
        )
    _hubs(w, hubs, "[src-0]")
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for kind, lines in w.files.items():
        (out / f"{kind}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
        counts[kind] = sum(line.startswith("  - ") for line in lines)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("triples", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--hub", type=int, action="append", default=[], metavar="NODES", help="add a hub company with a NODES-node view"
    )
    args = parser.parse_args()
    print(json.dumps(generate(args.triples, args.out, args.seed, tuple(args.hub))))


if __name__ == "__main__":
    main()
