"""SHACL 5, SPARQL-based constraints (``sh:sparql`` with ``sh:select``)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pyoxigraph as ox

from wpsgraph.query.lexer import mask
from wpsgraph.validation.shacl.base import EngineBase
from wpsgraph.validation.shacl.graph import IllFormed, Unsupported
from wpsgraph.validation.shacl.paths import path_sparql
from wpsgraph.validation.shacl.shapes import Result, Shape


class SparqlConstraints(EngineBase):
    """SHACL 5, SPARQL-based constraints (``sh:sparql`` with ``sh:select``): one query for all focus nodes,
    ``$this`` left unbound and joined with the focus set, or bound by a VALUES block when the focus set is small."""

    def _c_sparql(self, shape, c, values, results):
        if c["deactivated"]:
            return set()
        focus = values.fset
        if c["bind"] and any(isinstance(n, ox.BlankNode) for n in focus):
            raise Unsupported(f"the SPARQL query of {c['node']} needs $this bound and a focus node is a blank node")
        text = _prepare(c, shape, focus if len(focus) <= 500 or c["bind"] else None)
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


def prepared_text(c: dict, shape: Shape) -> str:
    """The query with its prefixes declared and $PATH written out (as pySHACL and the spec do)."""
    return _prepare(c, shape, None)


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
    prefixes = "".join(f"PREFIX {p}: {ox.NamedNode(ns)}\n" for p, ns in c["prefixes"].items())  # names checked
    return prefixes + text


def _sparql_term(term) -> str:
    return str(term)


def _constant(text: str) -> Callable[[re.Match], str]:
    """A replacement that inserts ``text`` as is (a string replacement would read backslashes in it)."""
    return lambda _m: text


_FORBIDDEN = re.compile(r"(?<![?$:\w])(MINUS|SERVICE|VALUES)\b", re.IGNORECASE)
_REBOUND = re.compile(r"\b(?i:AS)\s*[?$](this|shapesGraph|currentShape)\b")
_THIS = re.compile(r"[?$]this\b")
_OPENS_SHARED = re.compile(r"(EXISTS|OPTIONAL|GRAPH\s*(\S+))\s*$", re.IGNORECASE)


def check_select(text: str, node) -> bool:
    """Refuse a SELECT query the engine cannot evaluate as SHACL says (SHACL 5.3.1); else whether $this must be
    bound by a VALUES block (it is used in the top-level group but by no triple pattern there, e.g. only in FILTERs).

    Ill-formed (the spec forbids them): MINUS, SERVICE, VALUES, and ``AS $this`` (or another pre-bound variable).
    Not implemented: $shapesGraph and $currentShape, subqueries, and $this used inside a UNION branch or a nested
    group (other than EXISTS, OPTIONAL and GRAPH, which see the outer bindings). The engine evaluates the query once
    for all focus nodes, $this bound by a VALUES block at the top of the WHERE clause or joined on ?this: for the
    queries accepted that equals binding $this beforehand (the spec's pre-binding)."""
    masked = mask(text, strings=True)
    found = _FORBIDDEN.search(masked)
    if found:
        raise IllFormed(f"the SPARQL query of {node} uses {found.group(1).upper()}, which SHACL forbids (5.3.1)")
    found = _REBOUND.search(masked)
    if found:
        raise IllFormed(f"the SPARQL query of {node} assigns ${found.group(1)} with AS, which SHACL forbids (5.3.1)")
    if re.search(r"[?$](shapesGraph|currentShape)\b", masked):
        raise Unsupported(f"the SPARQL query of {node} uses $shapesGraph or $currentShape (not implemented)")
    if len(re.findall(r"(?<![?$:\w])SELECT\b", masked, re.IGNORECASE)) > 1:
        raise Unsupported(f"the SPARQL query of {node} has a subquery (pre-binding into subqueries is not "
                          f"implemented)")
    where = re.search(r"\{", masked)
    if where is None:
        raise IllFormed(f"the SPARQL query of {node} has no WHERE clause")
    # the top-level group with nested groups and parenthesised expressions removed; nested groups that do not
    # see the outer bindings (plain groups, UNION branches) must not use $this
    depth, top, parens = 0, [], 0
    starts: list = []
    for i in range(where.start(), len(masked)):
        c = masked[i]
        if c == "{":
            depth += 1
            starts.append(i)
            continue
        if c == "}":
            start = starts.pop()
            if depth >= 2 and _THIS.search(masked[start:i]) and not _OPENS_SHARED.search(masked[:start]):
                raise Unsupported(f"the SPARQL query of {node} uses $this inside a nested group or UNION "
                                  f"(pre-binding there is not implemented)")
            depth -= 1
            if depth == 0:
                break
            continue
        if depth == 1:
            parens += (c == "(") - (c == ")")
            if parens == 0 and c not in "()":
                top.append(c)
    if not _THIS.search(masked[where.start():i]):
        raise IllFormed(f"the SPARQL query of {node} does not use $this")
    return _THIS.search("".join(top)) is None
