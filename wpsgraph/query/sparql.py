"""Query text: parameters bound as RDF terms, by the engine's own substitution where it has one (Oxigraph, see
``run``) and elsewhere by a VALUES block opened at the start of the WHERE clause.

Each term is written by Oxigraph's serialiser (which validates IRIs and escapes literals), never by pasting the
user's text; so is every IRI moved under a configured base (``rebase_query``). The same text runs on Oxigraph,
rdflib or any remote endpoint.
"""

from __future__ import annotations

import datetime
import re

import pyoxigraph as ox

from wpsgraph.errors import QueryError
from wpsgraph.namespaces import DEFAULT_BASE, XSD, Names
from wpsgraph.query.catalogue import Param, Query
from wpsgraph.query.lexer import iri_tokens, mask


def term_for(param: Param, value: str, names: Names):
    """Turn a user's string into the RDF term of the parameter's kind, or raise QueryError."""
    try:
        if param.kind == "iri":
            return ox.NamedNode(expand_iri(value, names))
        if param.kind == "string":
            return ox.Literal(value)
        if param.kind == "integer":
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
        if param.kind == "date":
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError("expected YYYY-MM-DD")
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                raise ValueError("no such day (expected YYYY-MM-DD)") from None
            return ox.Literal(value, datatype=ox.NamedNode(XSD + "date"))
        if param.kind == "year":
            if not re.fullmatch(r"\d{4}", value) or value == "0000":
                raise ValueError("expected a four-digit year")
            return ox.Literal(value, datatype=ox.NamedNode(XSD + "gYear"))
    except ValueError as e:
        raise QueryError(f"parameter {param.name}={value!r} is not a valid {param.kind}: {e}") from None
    raise QueryError(f"parameter {param.name} has unknown kind {param.kind!r}")


def expand_iri(value: str, names: Names) -> str:
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    prefix, sep, local = value.partition(":")
    prefixes = names.prefixes()
    if sep and prefix in prefixes and not local.startswith("//"):
        value = prefixes[prefix] + local
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value) or re.search(r"[\s<>\"{}|\\^`]", value):
        raise ValueError("expected an absolute IRI, <IRI> or prefix:name with a known prefix")
    return names.rebase(value)


def bindings(query: Query, given: dict[str, str], names: Names) -> dict[str, object]:
    """Every declared parameter bound to a term: the given value, else the header's default."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        known = ", ".join(declared) or "none"
        raise QueryError(f"query {query.name} has no parameter {unknown[0]!r} (parameters: {known})")
    return {p.name: term_for(p, given.get(p.name, p.default), names) for p in query.params}


def query_text(query: Query, names: Names, bound: dict | None = None) -> str:
    """The query text to send: the project's namespace moved to the configured base (``rebase_query``), parameters
    bound (``bind``)."""
    text = rebase_query(query.text, names, query.path)
    return bind(text, bound, query.path) if bound else text


def rebase_query(text: str, names: Names, where_from="the query") -> str:
    """``text`` with every IRI under the default base moved to the configured base, as a term: each ``<IRI>``
    token the lexer finds (those of PREFIX and BASE declarations too, so prefixed and relative names follow) is
    replaced by the rebased IRI as Oxigraph writes it. Comments and strings stay as written: a query that compares
    with the base says ``STR(wps:)``, never the base as a string.

    No engine option does this: Oxigraph's ``prefixes=`` gives way to the query's own PREFIX declarations, and its
    ``substitutions=`` binds variables only."""
    if names.base == DEFAULT_BASE:
        return text
    parts, last = [], 0
    for start, end, iri in iri_tokens(text):
        moved = names.rebase(iri)
        if moved != iri:
            try:
                parts += [text[last:start], str(ox.NamedNode(moved))]
            except ValueError as e:  # UnicodeEncodeError (a lone surrogate) is one too
                raise QueryError(f"{where_from}: {text[start:end]} is not a valid IRI: {e}") from None
            last = end
    return "".join(parts) + text[last:]


def bind(text: str, bound: dict, where_from="the query") -> str:
    """``text`` with the parameters bound by a VALUES block opened at the start of the query's WHERE clause, and
    again in every subquery that projects one of them by name (``SELECT ?country ?unit WHERE {``). A subquery is
    evaluated on its own, before its rows are joined: binding it inside gives the same rows (the outer VALUES would
    keep only those anyway) without the subquery first answering for every value.

    Where a clause starts is found by the lexer, which skips comments, IRIs and strings (long ones over several
    lines included). The embedded engine binds by substitution instead where it can (``run``)."""
    masked = mask(text, strings=True)
    where = _WHERE.search(masked)
    if where is None:
        raise QueryError(f"{where_from}: a query with parameters needs a 'WHERE {{' clause to bind them in")
    inserts = [(where.end(), list(bound))]
    for select in _SELECT.finditer(masked, where.end()):
        inner = _WHERE.search(masked, select.end())
        if inner is None:
            break
        clause = masked[select.end():inner.start()]
        if "{" in clause:  # a subquery written without WHERE: left unbound inside (same rows, slower)
            continue
        projected = _projected(clause)
        inserts.append((inner.end(), [k for k in bound if k in projected]))
    for position, keys in sorted(inserts, reverse=True):
        if keys:
            values = f"\n  VALUES ({' '.join('?' + k for k in keys)}) {{ ({' '.join(str(bound[k]) for k in keys)}) }}"
            text = text[:position] + values + text[position:]
    return text


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
_SELECT = re.compile(r"\bSELECT\b", re.IGNORECASE)


def _projected(clause: str) -> set[str]:
    """Variables a SELECT clause projects by name (not those only used inside its (expression AS ?v) parts)."""
    depth, names = 0, set()
    for token in re.finditer(r"[()]|[?$][A-Za-z_][A-Za-z0-9_]*", clause):
        t = token.group(0)
        depth += {"(": 1, ")": -1}.get(t, 0)
        if depth == 0 and t[0] in "?$":
            names.add(t[1:])
    return names
