"""Query results as text: an aligned table for people, CSV/TSV, SPARQL 1.1 JSON results."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox

from wpsgraph.namespaces import XSD, Names
from wpsgraph.query.run import Result

FORMATS = ("table", "csv", "tsv", "json")


def term_text(term, names: Names | None = None, compact: bool = True) -> str:
    """A term as a person reads it: prefixed IRIs, bare literal values."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return (names.compact(term.value) or term.value) if compact and names is not None else term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


def render(result: Result, fmt: str, names: Names | None = None) -> str:
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}) if fmt == "json" else str(result.boolean).lower()
    if result.triples is not None:
        return (ox.serialize(result.triples, format=ox.RdfFormat.TURTLE) or b"").decode("utf-8")
    if fmt == "json":
        return json.dumps(_sparql_json(result), indent=1, ensure_ascii=False)
    if fmt in ("csv", "tsv"):
        out = io.StringIO()
        writer = csv.writer(out, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([term_text(t, names, compact=False) for t in row])
        return out.getvalue()
    return _table(result, names)


def _table(result: Result, names: Names | None) -> str:
    def text(t):
        return term_text(t, names)

    cells = [[text(t) for t in row] for row in result.rows]
    widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(result.variables)]
    widths = [min(w, 60) for w in widths]

    def line(values):
        return "  ".join((v if len(v) <= w else v[: w - 1] + "…").ljust(w) for v, w in zip(values, widths)).rstrip()

    out = [line(result.variables), line(["-" * w for w in widths])] + [line(r) for r in cells]
    out.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return "\n".join(out)


def _sparql_json(result: Result) -> dict:
    def cell(t):
        if isinstance(t, ox.NamedNode):
            return {"type": "uri", "value": t.value}
        if isinstance(t, ox.BlankNode):
            return {"type": "bnode", "value": t.value}
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
        elif t.datatype.value != XSD + "string":
            out["datatype"] = t.datatype.value
        return out

    bindings_ = [{v: cell(t) for v, t in zip(result.variables, row) if t is not None} for row in result.rows]
    return {"head": {"vars": result.variables}, "results": {"bindings": bindings_}}
