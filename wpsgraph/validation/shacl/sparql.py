"""SHACL 5, SPARQL-based constraints (``sh."""

from __future__ import annotations

import re
from collections.abc import Callable

import pyoxigraph as ox

from wpsgraph.query.lexer import mask
from wpsgraph.validation.shacl.base import EngineBase
from wpsgraph.validation.shacl.graph import Unsupported
from wpsgraph.validation.shacl.paths import path_sparql
from wpsgraph.validation.shacl.shapes import Result, Shape


class SparqlConstraints(EngineBase):
    """SHACL 5, SPARQL-based constraints (``sh:sparql`` with ``sh:select``): one query for all focus nodes,
    ``$this`` left unbound and joined with the focus set, or bound by a VALUES block when the focus set is small."""

    def _c_sparql(self, shape, c, values, results):
        if c["deactivated"]:
            return set()
        focus = values.fset
        text = _prepare(c, shape, focus if len(focus) <= 500 else None)
        failed, seen = set(), set()
        solutions = self.data.query(text)
        names = [v.value for v in solutions.variables]
        if "this" not in names:
            raise Unsupported(f"SPARQL constraint {c['node']} does not select $this")
        for row in solutions:
            this = row["this"]
            if this is None or this not in focus:
                continue
            failed.add(this)
            if results is None:
                continue
            bound = {v: row[v] for v in names if row[v] is not None}
            path = bound.pop("path", None)
            value = bound.pop("value", None)
            bound.pop("failure", None)
            key = (this, path, value, tuple(sorted((k, str(v)) for k, v in bound.items() if k != "this")))
            if key in seen:
                continue
            seen.add(key)
            fmt = dict(bound)
            fmt["this"] = this
            if shape.is_property:
                fmt["path"] = path if path is not None else None
            if value is not None:
                fmt["value"] = value
            messages = [_format(m, fmt) for m in (c["messages"] or shape.messages)]
            if c["messages"]:
                messages += [_format(m, fmt) for m in shape.messages if m not in c["messages"]]
            result_value = value if value is not None else (None if shape.is_property else this)
            results.append(Result(this, shape, "SPARQLConstraintComponent", result_value,
                                  ("pred", path) if path is not None else shape.path, messages, fmt))
        return failed


def _format(message: str, bindings: dict) -> str:
    for var, val in bindings.items():
        if val is None:
            continue
        text = val.value if hasattr(val, "value") else str(val)
        message = re.sub("{[?$]" + re.escape(var) + "}", _constant(text), message)
    return message


def _prepare(c: dict, shape: Shape, focus: set | None) -> str:
    text = c["select"]
    if shape.is_property:
        text = re.sub(r"\$PATH\b", path_sparql(shape.path), text)
    text = re.sub(r"\$this\b", "?this", text)
    if focus is not None:
        values = " ".join(_sparql_term(n) for n in focus if not isinstance(n, ox.BlankNode))
        match = re.search(r"\bWHERE\s*\{", mask(text, strings=True), re.IGNORECASE)
        if match and all(not isinstance(n, ox.BlankNode) for n in focus):
            text = text[:match.end()] + f" VALUES ?this {{ {values} }} " + text[match.end():]
    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in c["prefixes"].items())
    return prefixes + text


def _sparql_term(term) -> str:
    return str(term)


def _constant(text: str) -> Callable[[re.Match], str]:
    """A replacement that inserts ``text`` as is (a string replacement would read backslashes in it)."""
    return lambda _m: text
