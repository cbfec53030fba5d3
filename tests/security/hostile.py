"""A tiny data set whose every curated string is an attack, and helpers to build it into a store.

Where it came from: written for tests/security, after the OWASP XSS filter evasion cheat sheet (the classic
`<img onerror>`, a `</script>` breakout, an attribute breakout with a quote) and the OWASP CSV injection page
(cells starting with = + - @). Each payload sits in a field a hand editor can fill: names, aliases, notes,
descriptions, rationales, quotes, source titles, publishers and a source URL with a quote in it.
"""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from graph.build import compile_data
from graph.store import publish

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "</script><script>alert(2)</script>"
ATTRIBUTE = '"onmouseover=alert(3) x="'
SVG = "'><svg onload=alert(4)>"
TEMPLATE = "{{ 7*7 }}"
# A URL the loader accepts (http, a host, no spaces) that would break out of an unquoted or double-quoted href.
QUOTED_URL = 'https://example.org/a"onmouseover="alert(5)'
FORMULAS = ('=HYPERLINK("https://evil.example/","open")', "+1+1", "-2+3", "@SUM(1+1)")
PAYLOADS = (IMG, SCRIPT, ATTRIBUTE, SVG)


def _yaml(value: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


HOSTILE_DATA = {
    "sources.yaml": f"""
        sources:
          - id: src-x
            url: {_yaml(QUOTED_URL)}
            title: {_yaml(SCRIPT)}
            publisher: {_yaml(ATTRIBUTE)}
            published: "2025-06-28"
            note: {_yaml(SVG)}
        """,
    "parties.yaml": f"""
        jurisdictions:
          - id: ca
            name: {_yaml(FORMULAS[2])}
            iso_code: CA
            sources: [src-x]
        organisations:
          - id: gic
            name: {_yaml(FORMULAS[0])}
            kind: government_body
            country: ca
            sources: [src-x]
          - id: evil
            name: {_yaml(IMG)}
            short_name: {_yaml(TEMPLATE)}
            aliases: [{_yaml(SCRIPT)}, {_yaml(ATTRIBUTE)}]
            description: {_yaml(SVG)}
            country: ca
            sources: [src-x]
            notes: [{_yaml(IMG)}, {_yaml(FORMULAS[1])}]
          - id: parent
            name: {_yaml(ATTRIBUTE)}
            country: ca
            sources: [src-x]
        people:
          - id: minister
            name: {_yaml(FORMULAS[3])}
            aliases: [{_yaml(SVG)}]
            sources: [src-x]
        ownerships:
          - id: own-parent-evil
            owner: parent
            owned: evil
            share: 51
            controlling: true
            description: {_yaml(SCRIPT)}
            sources: [src-x]
        """,
    "actions.yaml": f"""
        actions:
          - id: order
            name: {_yaml("Order against " + IMG)}
            type: wind_up_order
            issuer: gic
            jurisdiction: ca
            announced_by: [minister]
            targets: [evil]
            announced: "2025-06-27"
            status: in_force
            rationale: {_yaml(SCRIPT)}
            sources: [src-x]
            notes: [{_yaml(ATTRIBUTE)}]
        events:
          - id: raid
            name: {_yaml(SVG)}
            type: statement
            date: "2025-07-01"
            place: ca
            agents: [minister]
            affected: [evil]
            quote: {_yaml(SCRIPT)}
            sources: [src-x]
        """,
}


def write_hostile_data(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in HOSTILE_DATA.items():
        (directory / name).write_text(dedent(text).lstrip("\n"), encoding="utf-8")
    return directory


def build_hostile_store(root: Path) -> Path:
    """Compile the hostile data and publish it as a store under `root`; return the store link."""
    store = root / "store"
    publish(compile_data([write_hostile_data(root / "data")]), store)
    return store
