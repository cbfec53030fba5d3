"""The example queries shown on the query page, kept as files in api/queries/*.rq.

Each file starts with comment lines `# title: ...` and optionally `# description: ...`; the rest is the query.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

QUERIES_DIR = Path(__file__).resolve().parent.parent / "queries"


@dataclass(frozen=True)
class Example:
    """One example query: its file name, what it shows, and its text."""

    name: str
    title: str
    description: str
    query: str


def _read(path: Path) -> Example:
    fields: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line.lstrip("# ").partition(":")
        if sep and key.strip() in ("title", "description"):
            fields[key.strip()] = value.strip()
    return Example(
        name=path.stem,
        title=fields.get("title", path.stem),
        description=fields.get("description", ""),
        query=path.read_text(encoding="utf-8"),
    )


@cache
def examples(directory: Path = QUERIES_DIR) -> tuple[Example, ...]:
    """Every example query, in file name order."""
    return tuple(_read(p) for p in sorted(directory.glob("*.rq")))
