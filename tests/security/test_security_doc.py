"""SECURITY.md names, for each promise, the tests that prove it: every name must be a test that exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NAMED = re.compile(r"`(tests/[\w/]+\.py)::(test_\w+)`")


def _tests_in(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")}


def test_every_test_named_in_security_md_exists() -> None:
    named = NAMED.findall((ROOT / "SECURITY.md").read_text(encoding="utf-8"))
    assert len(named) >= 30
    missing = [f"{file}::{name}" for file, name in named if name not in _tests_in(ROOT / file)]
    assert missing == []


def test_every_security_test_is_named_in_security_md() -> None:
    named = set(NAMED.findall((ROOT / "SECURITY.md").read_text(encoding="utf-8")))
    here = Path(__file__).resolve()
    unnamed = [
        f"{path.relative_to(ROOT).as_posix()}::{name}"
        for path in sorted(here.parent.glob("test_*.py"))
        if path != here
        for name in sorted(_tests_in(path))
        if (path.relative_to(ROOT).as_posix(), name) not in named
    ]
    assert unnamed == []
