"""Small named data sets written into temporary directories; each says what it is for."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

# A minimal valid data set: one source, a state, an issuer, a company and an order against it.
_MINIMAL = {
    "sources.yaml": """
        sources:
          - id: src-a
            url: https://example.org/a
            title: An article
            publisher: Example News
            published: "2025-06-28"
        """,
    "parties.yaml": """
        jurisdictions:
          - id: ca
            name: Canada
            iso_code: CA
            sources: [src-a]
        organisations:
          - id: gic
            name: Governor in Council
            kind: government_body
            country: ca
            sources: [src-a]
          - id: acme
            name: Acme Canada Inc.
            aliases: [Acme]
            country: ca
            sources: [src-a]
        """,
    "actions.yaml": """
        actions:
          - id: order
            name: Order to wind up Acme Canada
            type: wind_up_order
            issuer: gic
            jurisdiction: ca
            targets: [acme]
            announced: "2025-06-27"
            status: in_force
            sources: [src-a]
        """,
}


MINIMAL = {name: dedent(text).lstrip("\n") for name, text in _MINIMAL.items()}


def write_dataset(directory: Path, files: dict[str, str]) -> Path:
    """Write YAML (or RDF) files, dedented, into a directory and return it."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(dedent(text).lstrip("\n"), encoding="utf-8")
    return directory
