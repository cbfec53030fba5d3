"""Inspect a query before any engine sees it: its form, and whether it would write or reach another host.

pyoxigraph's SERVICE and LOAD make real outbound requests and cannot be switched off, so they are refused here.
Two independent checks must both pass: rdflib's SPARQL parser (which parses without evaluating) and a tokenizer
that skips strings, IRIs and comments, so neither a parser quirk nor a keyword hidden in odd syntax slips through.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pyparsing import ParseException
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

Form = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]
FORMS: tuple[Form, ...] = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
PARSED_FORMS: dict[str, Form] = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}


class RefusedError(Exception):
    """The query asks for something this endpoint never does; nothing was evaluated."""

    reason = "refused"


class UpdateRefusedError(RefusedError):
    reason = "update"


class ServiceRefusedError(RefusedError):
    reason = "service"


class TooDeepError(RefusedError):
    """Nested so deep that a parser would overflow its stack (Oxigraph's crashes the worker at a few thousand)."""

    reason = "syntax"


# Far deeper than any query a person writes; far shallower than what overflows a parser's stack.
MAX_NESTING = 256
_OPEN, _CLOSE, _UNARY = "({[", ")}]", "!-+^"


@dataclass(frozen=True)
class Inspection:
    """What the guard learnt about a query it let through."""

    form: Form | None
    parsed: Any | None
    services: tuple[str, ...]
    parse_error: str | None = None


# One token at a time; the order of the alternatives matters (long strings before short ones).
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\" | '''(?:[^'\\]|\\.|'(?!''))*'''
      | "(?:[^"\\\n\r]|\\.)*" | '(?:[^'\\\n\r]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7]+)
  | (?P<pname>(?:[^\W\d][\w\-.]*)?:(?:[\w\-.:%]|\\.)*)
  | (?P<word>[^\W\d][\w\-]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def scan(query: str) -> tuple[int, list[str]]:
    """One pass of the tokenizer: the deepest nesting of brackets (or the longest chain of unary operators), and
    the bare words in order, upper-cased: keywords and function names, never text inside strings, IRIs or comments.
    """
    depth = deepest = run = 0
    words: list[str] = []
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup
        if kind == "space":
            continue
        if kind == "word":
            words.append(match.group().upper())
            run = 0
        elif kind == "other":
            text = match.group()
            run = run + 1 if text in _UNARY else 0
            if text in _OPEN:
                depth += 1
                deepest = max(deepest, depth)
            elif text in _CLOSE:
                depth = max(0, depth - 1)
            deepest = max(deepest, run)
        else:
            run = 0
    return deepest, words


def _walk(node: object) -> Iterator[CompValue]:
    if isinstance(node, CompValue):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        for value in node:  # type: ignore[attr-defined]
            yield from _walk(value)


def _service_targets(parsed: object) -> list[str]:
    targets = []
    for node in _walk(parsed):
        if node.name == "ServiceGraphPattern":
            term = node.get("term")
            targets.append("?" + str(term) if isinstance(term, Variable) else str(term))
    return targets


def _check_services(targets: list[str], allowlist: tuple[str, ...]) -> None:
    for target in targets:
        if target not in allowlist:
            allowed = ", ".join(allowlist) if allowlist else "none"
            raise ServiceRefusedError(
                f"SERVICE {target if target.startswith('?') else f'<{target}>'} refused: this endpoint makes no "
                f"outbound requests (endpoints allowed by the operator: {allowed})"
            )


def inspect_query(query: str, allowlist: tuple[str, ...] = (), *, parse: bool = False) -> Inspection:
    """Refuse updates and SERVICE calls outside the allowlist; return the query's form when it parses.

    rdflib's parser costs most of a small query's time, so it runs only where it can change the verdict: when the
    tokenizer sees an update or SERVICE keyword, when the text holds \\u escapes (which SPARQL decodes before
    parsing, and which could spell a keyword the tokenizer cannot see), or when the caller needs the parse
    (`explain`). Otherwise the query has no way to write or to call out, and the engine reports any syntax error.
    """
    depth, ordered = scan(query)
    if depth > MAX_NESTING:
        raise TooDeepError(f"the query nests {depth} levels deep; the limit is {MAX_NESTING}")
    words = set(ordered)
    first_form = next((form for word in ordered for form in FORMS if form == word), None)
    risky = bool(words & (UPDATE_KEYWORDS | {"SERVICE"})) or "\\u" in query or "\\U" in query
    if not risky and not parse:
        return Inspection(form=first_form, parsed=None, services=())
    parse_error = None
    try:
        parsed = parseQuery(query)
    except ParseException as exc:
        parsed, parse_error = None, f"line {exc.lineno}, column {exc.col}: {exc.msg}"
    except (RecursionError, ValueError) as exc:
        parsed, parse_error = None, str(exc)
    if parsed is None:
        if words & UPDATE_KEYWORDS:
            update = sorted(words & UPDATE_KEYWORDS)[0]
            raise UpdateRefusedError(
                f"{update}: this endpoint is read-only; "
                "SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, ...) is refused"
            )
        if "SERVICE" in words:
            # The parser could not say where SERVICE points; refuse rather than guess.
            _check_services(["?unknown"], ())
        return Inspection(form=first_form, parsed=None, services=(), parse_error=parse_error)
    targets = _service_targets(parsed)
    if "SERVICE" in words and not targets:
        targets = ["?unknown"]
    _check_services(targets, allowlist)
    form = PARSED_FORMS.get(parsed[1].name)
    return Inspection(form=form, parsed=parsed, services=tuple(targets))
