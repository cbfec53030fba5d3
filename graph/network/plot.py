"""Static charts of network results with matplotlib (installed with the test extras), for notebooks and reports."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from graph.network.records import Record

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def restriction_matrix(rows: list[Record], *, top: int | None = None) -> tuple[list[str], list[str], list[list[int]]]:
    """From `restriction_table` rows: jurisdictions, restricted parties, and the number of distinct actions of each
    jurisdiction against each party; both axes most restricted or restricting first, ties by name.

    With `top`, only the parties restricted by the most actions are kept.
    """
    triples = {(str(r["jurisdiction"]), str(r["target"]), str(r.get("action_iri") or r["action"])) for r in rows}
    per_target = Counter(t for _, t, _ in triples)
    kept = set(sorted(per_target, key=lambda t: (-per_target[t], t))[:top] if top is not None else per_target)
    counts = Counter((j, t) for j, t, _ in triples if t in kept)
    per_jurisdiction = Counter(j for j, t, _ in triples if t in kept)
    jurisdictions = sorted(per_jurisdiction, key=lambda j: (-per_jurisdiction[j], j))
    targets = sorted(kept, key=lambda t: (-per_target[t], t))
    return jurisdictions, targets, [[counts[(j, t)] for t in targets] for j in jurisdictions]


def plot_restriction_matrix(
    rows: list[Record], *, top: int | None = None, title: str = "Actions by jurisdiction and target"
) -> Figure:
    """A grid of jurisdictions (rows) by restricted parties (columns), each cell the number of actions."""
    from matplotlib.figure import Figure

    jurisdictions, targets, matrix = restriction_matrix(rows, top=top)
    darkest = max((max(row) for row in matrix), default=0)
    figure = Figure(figsize=(max(4.0, 0.9 * len(targets) + 2.5), max(2.0, 0.6 * len(jurisdictions) + 2.0)))
    axes = figure.add_subplot()
    axes.imshow(matrix, cmap="Reds", vmin=0, aspect="auto")
    axes.set_xticks(range(len(targets)), labels=targets, rotation=40, ha="right", fontsize=8)
    axes.set_yticks(range(len(jurisdictions)), labels=jurisdictions, fontsize=8)
    for i, row in enumerate(matrix):
        for j, count in enumerate(row):
            if count:
                colour = "white" if count > darkest / 2 else "black"
                axes.text(j, i, str(count), ha="center", va="center", fontsize=9, color=colour)
    axes.set_title(title)
    figure.tight_layout()
    return figure
