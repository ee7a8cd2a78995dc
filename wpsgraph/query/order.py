"""ORDER BY for the embedded store, done on the answered rows instead of inside Oxigraph.

Why: Oxigraph 0.5 reads both terms back from RocksDB at every comparison of its sort, so ordering 10k–20k rows
cost one to four seconds at a million triples, more than answering the query. Oxigraph still answers the query
(without its final ORDER BY); only the rows it returns are put in order here, with SPARQL 1.1's ordering
(section 15.1) for the few key forms canned queries use:

    ?var    STR(?var)    COALESCE(STR(?var), "text")    each optionally in ASC(...) or DESC(...)

over variables the query projects, holding unbound values, IRIs, xsd:string literals or xsd:integer literals (one
kind of literal per key). Anything else -- another expression, a key over a variable that is not projected, LIMIT
or OFFSET after the ORDER BY, a blank node or another datatype among the values -- makes ``plan`` or ``sort_rows``
answer None, and the caller lets Oxigraph sort. tests/test_order.py holds the result to Oxigraph's own ORDER BY.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from wpsgraph.query.lexer import mask

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"

_VAR = r"[?$](?P<{}>[A-Za-z_][A-Za-z0-9_]*)"
_KEY = re.compile(
    r"\s*(?:(?P<dir>ASC|DESC)\s*\(\s*)?(?P<paren>\(\s*)?"
    r"(?:" + _VAR.format("plain") +
    r"|STR\s*\(\s*" + _VAR.format("str") + r"\s*\)"
    r"|COALESCE\s*\(\s*STR\s*\(\s*" + _VAR.format("coalesce") + r"\s*\)\s*,\s*\"(?P<default>[^\"\\\n]*)\"\s*\))",
    re.IGNORECASE)
_ORDER_BY = re.compile(r"\bORDER\s+BY\b", re.IGNORECASE)


@dataclass(frozen=True)
class Key:
    variable: str
    form: str            # "plain", "str" or "coalesce"
    default: str = ""    # the COALESCE fallback
    descending: bool = False


@dataclass(frozen=True)
class Plan:
    text: str            # the query without its ORDER BY clause
    keys: tuple[Key, ...]


def plan(text: str) -> Plan | None:
    """Split a query into its text without the final ORDER BY and the keys of that clause, when they are all of
    the forms sorted here; None when the engine should sort."""
    masked = mask(text, strings=True)
    matches = [m for m in _ORDER_BY.finditer(masked) if _depth(masked, m.start()) == 0]
    if not matches:
        return None
    start = matches[-1].start()
    clause, position, keys = mask(text, strings=False)[matches[-1].end():], 0, []
    while clause[position:].strip():
        match = _KEY.match(clause, position)
        if not match:
            return None
        position = match.end()
        for opened in ("paren", "dir"):  # the inner parenthesis closes first
            if match.group(opened):
                position = _close(clause, position)
                if not position:
                    return None
        form = next(f for f in ("plain", "str", "coalesce") if match.group(f))
        keys.append(Key(match.group(form), form, match.group("default") or "",
                        (match.group("dir") or "").upper() == "DESC"))
    return Plan(text[:start].rstrip() + "\n", tuple(keys)) if keys else None


def sort_rows(keys: tuple[Key, ...], variables: list[str], rows: list[list]) -> list[list] | None:
    """The rows in ORDER BY order, or None when a key names a variable the query does not project or meets a
    value this module does not order as Oxigraph does."""
    index = {v: i for i, v in enumerate(variables)}
    if any(k.variable not in index for k in keys):
        return None
    columns = []
    for key in keys:
        column = [_sort_value(key, row[index[key.variable]]) for row in rows]
        kinds = {c[1] for c in column if c is not None and c[0] == 3}
        if None in column or len(kinds) > 1:
            return None
        columns.append(column)
    # Keys in runs of one direction, each run sorted at once; stable sorts from the last run to the first give the
    # lexicographic order of all keys.
    runs: list[tuple[bool, list]] = []
    for key, column in zip(keys, columns):
        if runs and runs[-1][0] == key.descending:
            runs[-1][1].append(column)
        else:
            runs.append((key.descending, [column]))
    order = list(range(len(rows)))
    for descending, run in reversed(runs):
        combined = list(zip(*run))
        order.sort(key=combined.__getitem__, reverse=descending)
    return [rows[i] for i in order]


def _sort_value(key: Key, term):
    """A tuple whose Python order is SPARQL's order among the values handled here, or None if not handled."""
    if key.form != "plain":
        if isinstance(term, ox.BlankNode) or (term is None and key.form == "str"):
            return None
        text = key.default if term is None else term.value
        return (3, "s", text)
    if term is None:
        return (0,)
    if isinstance(term, ox.NamedNode):
        return (2, "", term.value)
    if isinstance(term, ox.Literal) and not term.language:
        if term.datatype.value == XSD_STRING:
            return (3, "s", term.value)
        if term.datatype.value == XSD_INTEGER and re.fullmatch(r"[+-]?\d+", term.value):
            return (3, "i", int(term.value))
    return None


def _depth(masked: str, position: int) -> int:
    head = masked[:position]
    return head.count("{") - head.count("}")


def _close(clause: str, position: int) -> int:
    """The position after the ')' closing a parenthesis opened before ``position``, or 0."""
    match = re.compile(r"\s*\)").match(clause, position)
    return match.end() if match else 0
