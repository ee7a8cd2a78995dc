"""Answering a query over the union of all graphs: on Oxigraph (embedded, or a built store opened read-only) or
on rdflib's engine."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from wpsgraph.errors import QueryError
from wpsgraph.namespaces import Names
from wpsgraph.query import order
from wpsgraph.query.catalogue import Query
from wpsgraph.query.lexer import has_dataset
from wpsgraph.query.sparql import bind, bindings, query_text


@dataclass
class Result:
    """A SELECT result (variables and rows of terms), an ASK boolean, or CONSTRUCT triples."""

    variables: list[str]
    rows: list[list]
    boolean: bool | None = None
    triples: list | None = None


def open_db(db) -> ox.Store:
    """Open a folder written by 'wpsgraph build' (or its store/ folder) read-only, without importing the build
    pipeline (rdflib, owlrl, pySHACL): 'query --db' needs only Oxigraph."""
    from wpsgraph.errors import InputError

    db = Path(db)
    path = db / "store" if (db / "store").is_dir() else db
    if not path.is_dir():
        raise InputError(db, "no built store here: run 'wpsgraph build --out DIR' first")
    try:
        return ox.Store.read_only(str(path))
    except (OSError, RuntimeError) as e:  # RocksDB reports a damaged store as a RuntimeError
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        if "Corruption" in first or "corrupt" in first:
            raise InputError(db, f"the store is damaged ({first[:160]}): rebuild it with 'wpsgraph build'") \
                from None
        raise InputError(db, f"cannot open the store: {first}") from None


def run(query: Query, store: ox.Store, params: dict[str, str] | None = None, names: Names | None = None,
        engine_sort: bool = False) -> Result:
    """Answer a query over the union of all graphs of an Oxigraph store (or over the dataset its FROM / FROM NAMED
    clauses name).

    Parameters are bound by Oxigraph's substitution where the query projects them, by a VALUES block otherwise. A
    final ORDER BY of the forms ``order`` handles is applied to the answered rows rather than by Oxigraph (much
    faster on the on-disk store); ``engine_sort`` leaves it to Oxigraph, as it does for any other ORDER BY."""
    names = names or Names()
    bound = bindings(query, params or {}, names)
    text = query_text(query, names)
    lifted = None if engine_sort else order.plan(text)
    if lifted is not None:
        answer = _ask(query, store, lifted.text, bound)
        if isinstance(answer, ox.QuerySolutions):
            variables = [v.value for v in answer.variables]
            rows = order.sort_rows(lifted.keys, variables, _rows(answer, variables))
            if rows is not None:
                return Result(variables, rows)
    answer = _ask(query, store, text, bound)
    if isinstance(answer, ox.QueryBoolean):
        return Result([], [], boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        return Result([], [], triples=list(answer))
    variables = [v.value for v in answer.variables]
    return Result(variables, _rows(answer, variables))


def _ask(query: Query, store: ox.Store, text: str, bound: dict | None = None):
    union = not has_dataset(text)  # a query naming its dataset (FROM, FROM NAMED) is answered over it
    try:
        if bound:
            try:
                return store.query(text, use_default_graph_as_union=union,
                                   substitutions={ox.Variable(k): v for k, v in bound.items()})
            except RuntimeError as e:  # Oxigraph substitutes only variables the query projects
                if "projection" not in str(e):
                    raise
            text = bind(text, bound, str(query.path))
        return store.query(text, use_default_graph_as_union=union)
    except SyntaxError as e:
        from wpsgraph.query.adhoc import parse_error

        raise QueryError(parse_error(str(query.path), text, e)) from None


def _rows(answer: ox.QuerySolutions, variables: list[str]) -> list[list]:
    positions = range(len(variables))
    return [[solution[i] for i in positions] for solution in answer]


def run_rdflib(query: Query, dataset, params: dict[str, str] | None = None, names: Names | None = None) -> Result:
    """The same query on rdflib's SPARQL engine (an rdflib Dataset with default_union=True)."""
    import rdflib.plugins.sparql

    from wpsgraph.terms import from_rdflib

    rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False  # FROM names a graph of the dataset; never fetch it
    names = names or Names()
    answer = dataset.query(query_text(query, names, bindings(query, params or {}, names)))
    if answer.type == "ASK":
        return Result([], [], boolean=bool(answer.askAnswer))
    if answer.type in ("CONSTRUCT", "DESCRIBE"):
        return Result([], [], triples=list(answer.graph))
    variables = [str(v) for v in answer.vars]
    rows = [[None if row[v] is None else from_rdflib(row[v]) for v in variables] for row in answer]
    return Result(variables, rows)
