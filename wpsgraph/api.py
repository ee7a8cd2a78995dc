"""The graph from Python and notebooks: open a build (or the shipped data in memory), ask a canned or ad-hoc query
with parameters, get rows or a pandas DataFrame with typed columns.

    from wpsgraph.api import Graph

    g = Graph.open()                                   # the shipped data, loaded and reasoned in memory (~1 s)
    g = Graph.open("build")                            # or a folder written by 'wpsgraph build'
    g.find("USNORTHCOM")[0].iri                        # find by name
    df = g.frame("country-timeline", country="Mexico") # a canned query; parameters by IRI or by name
    df = g.frame("SELECT ?plan ?date WHERE { ?plan a wps:NationalActionPlan ; wps:adoptionDate ?date }")
    rows = g.rows("events-of-actor", actor="organisation:usnorthcom")   # list of dicts of Python values

Columns of a DataFrame (``frame``):

- IRIs as ``prefix:name`` strings (``compact=False``: full IRIs); labels and other strings as pandas strings;
- integers, decimals and doubles as nullable numbers, booleans as nullable booleans;
- a date column keeps the form and precision the source states (``"2021-05"``, ``"--08-01"``, ``"2021"``), as
  text, with two columns beside it: ``<column>_precision`` (``day``, ``month``, ``year``, ``month-day``,
  ``datetime``) and ``<column>_date``, a sortable ``datetime64`` (the first day of the stated period; where the
  query also has ``resolved<Column>`` — ``resolvedDate`` beside ``date`` — its value is used when present, so a
  date the source gives without a year still sorts where it belongs; NaT when nothing gives a year).

Values are bound as RDF terms (``wpsgraph.query.sparql``), never pasted into the query text.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from wpsgraph import query as q
from wpsgraph.namespaces import XSD, Names
from wpsgraph.query import adhoc, lookup
from wpsgraph.query.catalogue import Query
from wpsgraph.query.run import Result

DATE_TYPES = {XSD + "date": "day", XSD + "gYearMonth": "month", XSD + "gYear": "year",
              XSD + "gMonthDay": "month-day", XSD + "dateTime": "datetime"}
_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                               "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
                               "unsignedShort", "unsignedByte")}
_FLOATS = {XSD + "decimal", XSD + "double", XSD + "float"}


class Graph:
    """A reasoned graph to ask questions of."""

    def __init__(self, store: ox.Store, names: Names | None = None):
        self.store = store
        self.names = names or Names()
        self._index: lookup.Index | None = None

    @classmethod
    def open(cls, db: str | Path | None = None, data: list[str | Path] | None = None,
             base: str | None = None) -> Graph:
        """``db``: a folder written by 'wpsgraph build' (opened read-only). Without it: the shipped ontology,
        reference data and sources (or the reference data and ``data`` files), loaded and reasoned in memory."""
        names = Names(base)
        if db is not None:
            return cls(q.open_db(db), names)
        from wpsgraph import resources
        from wpsgraph.pipeline.build import in_memory

        files = None
        if data:
            files = resources.reference_files()
            for p in map(Path, data):
                files += sorted(p.rglob("*.ttl")) if p.is_dir() else [p]
        return cls(in_memory(files, names).store, names)

    # -- what there is ---------------------------------------------------------------------------------------------

    @staticmethod
    def queries() -> dict[str, Query]:
        """The canned queries by name (each with .title, .description, .params)."""
        return q.catalogue()

    @property
    def index(self) -> lookup.Index:
        if self._index is None:
            self._index = lookup.Index.of_store(self.store, self.names)
        return self._index

    def find(self, text: str, type: str | None = None, limit: int | None = 10) -> list[lookup.Match]:
        """Resources named like ``text`` (labels in every language, acronyms, local names), best first."""
        return self.index.search(text, self.index.class_iri(type) if type else None, limit)

    def label(self, iri: str, lang: str = "en") -> str:
        return self.index.label(self.expand(iri), lang)

    def expand(self, value: str) -> str:
        """``prefix:name`` or ``<IRI>`` → the full IRI."""
        return q.expand_iri(value, self.names)

    # -- asking ------------------------------------------------------------------------------------------------

    def query(self, query: str | Query, params: dict[str, str] | None = None, lang: str | None = None,
              **kwargs: str) -> Result:
        """Answer a canned query (by name), a .rq file (by path) or SPARQL text. Parameters (``params`` or keyword
        arguments) take an IRI, ``prefix:name`` or a name ('Mexico', 'USNORTHCOM'), resolved as by the CLI.
        The project's prefixes need not be declared. ``lang``: labels in that language where the data has them."""
        query = self._query(query)
        given = {**(params or {}), **kwargs}
        if any(p.kind == "iri" for p in query.params if p.name in given):
            given, _ = lookup.resolve_params(query, given, self.index)
        result = q.run(query, self.store, given, self.names)
        return adhoc.relabel(result, self.index, lang) if lang else result

    def rows(self, query: str | Query, params: dict[str, str] | None = None, lang: str | None = None,
             compact: bool = True, **kwargs: str) -> list[dict[str, Any]]:
        """The answer as a list of dicts of Python values (IRIs as strings, numbers as numbers, dates as the
        stated text)."""
        result = self.query(query, params, lang, **kwargs)
        if result.boolean is not None:
            return [{"boolean": result.boolean}]
        return [{v: self._value(t, compact) for v, t in zip(result.variables, row)} for row in result.rows]

    def frame(self, query: str | Query, params: dict[str, str] | None = None, lang: str | None = None,
              compact: bool = True, **kwargs: str):
        """The answer as a pandas DataFrame with typed columns (see the module's documentation)."""
        return to_frame(self.query(query, params, lang, **kwargs), self.names if compact else None)

    def _query(self, query: str | Query) -> Query:
        if isinstance(query, Query):
            return query
        if re.search(r"\s", query.strip()) or "{" in query:
            return adhoc.declare_prefixes(Query("adhoc", Path("<query>"), "", "", [], query))
        found = q.find(query)
        return found if found.name in q.catalogue() else adhoc.declare_prefixes(found)

    def _value(self, term, compact: bool):
        if term is None:
            return None
        if isinstance(term, ox.NamedNode):
            return (self.names.compact(term.value) or term.value) if compact else term.value
        if isinstance(term, ox.BlankNode):
            return "_:" + term.value
        return literal_value(term)


def literal_value(term: ox.Literal):
    dt = term.datatype.value
    try:
        if dt in _INTEGERS:
            return int(term.value)
        if dt in _FLOATS:
            return float(term.value)
        if dt == XSD + "boolean":
            return term.value in ("true", "1")
    except ValueError:
        pass
    return term.value


def precision(term) -> str | None:
    return DATE_TYPES.get(term.datatype.value) if isinstance(term, ox.Literal) else None


def first_day(text: str | None, kind: str | None):
    """The first day of a stated date's period as a pandas Timestamp (NaT without a year)."""
    import pandas as pd

    if not text or kind is None:
        return pd.NaT
    match = re.match(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text)
    if not match or kind == "month-day":
        return pd.NaT
    year, month, day = match.group(1), match.group(2) or "01", match.group(3) or "01"
    try:
        return pd.Timestamp(f"{year}-{month}-{day}")
    except (ValueError, OverflowError):
        return pd.NaT


def to_frame(result: Result, names: Names | None = None):
    """A SELECT result as a DataFrame: typed columns, dates with their precision and a sortable date beside."""
    import pandas as pd

    if result.boolean is not None:
        return pd.DataFrame({"boolean": [result.boolean]})
    if result.triples is not None:
        return pd.DataFrame([[t.subject.value, t.predicate.value, str(t.object)] for t in result.triples],
                            columns=["subject", "predicate", "object"])
    columns: dict[str, Any] = {}
    for i, var in enumerate(result.variables):
        terms = [row[i] for row in result.rows]
        kinds = {type(t) for t in terms if t is not None}
        datatypes = {t.datatype.value for t in terms if isinstance(t, ox.Literal) and not t.language}
        if kinds == {ox.NamedNode} or kinds == {ox.NamedNode, ox.BlankNode}:
            columns[var] = pd.array([None if t is None else (names.compact(t.value) or t.value) if names and
                                     isinstance(t, ox.NamedNode) else t.value for t in terms], dtype="string")
        elif kinds == {ox.Literal} and datatypes and datatypes <= _INTEGERS:
            columns[var] = pd.array([None if t is None else int(t.value) for t in terms], dtype="Int64")
        elif kinds == {ox.Literal} and datatypes and datatypes <= _INTEGERS | _FLOATS:
            columns[var] = pd.array([None if t is None else float(t.value) for t in terms], dtype="Float64")
        elif kinds == {ox.Literal} and datatypes == {XSD + "boolean"}:
            columns[var] = pd.array([None if t is None else t.value in ("true", "1") for t in terms],
                                    dtype="boolean")
        elif kinds == {ox.Literal} and datatypes and datatypes <= set(DATE_TYPES):
            columns[var] = pd.array([None if t is None else t.value for t in terms], dtype="string")
            columns[var + "_precision"] = pd.array([precision(t) for t in terms], dtype="string")
            resolved_var = "resolved" + var[:1].upper() + var[1:]
            resolved = (result.variables.index(resolved_var) if resolved_var in result.variables else None)
            dates = []
            for row, t in zip(result.rows, terms):
                r = row[resolved] if resolved is not None else None
                if r is not None and precision(r):
                    dates.append(first_day(r.value, precision(r)))
                else:
                    dates.append(first_day(t.value if t is not None else None, precision(t)))
            columns[var + "_date"] = pd.Series(dates, dtype="datetime64[ns]").array
        else:
            columns[var] = pd.array([None if t is None else ("_:" + t.value if isinstance(t, ox.BlankNode)
                                     else (names.compact(t.value) or t.value) if names and
                                     isinstance(t, ox.NamedNode) else t.value) for t in terms], dtype="string")
    return pd.DataFrame(columns, index=pd.RangeIndex(len(result.rows)))
