"""Query results as text: an aligned table for people, CSV/TSV, SPARQL 1.1 JSON results.

The table shows IRIs whole (prefixed where a prefix is known), so any IRI it shows can be given back as a
parameter; to fit the terminal it cuts labels and other text instead, marking each cut with '…'."""

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


def render(result: Result, fmt: str, names: Names | None = None, width: int | None = None) -> str:
    """The result as text; a table fits ``width`` characters where it can by cutting labels (never IRIs)."""
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
    return _table(result, names, width)


LABEL_CAP = 60  # a label or other text is cut past this many characters, even with room to spare
MIN_CUT = 12    # and never to fewer than this (or its column's name) to make the table fit


def terminal_width() -> int | None:
    """The width the table must fit: $COLUMNS, else the terminal's, else None (not a terminal: no limit)."""
    import os
    import shutil
    import sys

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns
    return None


def _whole(term) -> bool:
    """A cell that is never cut: an IRI (or blank node, or a literal URL), so it can be pasted back as is."""
    return isinstance(term, (ox.NamedNode, ox.BlankNode)) or (
        isinstance(term, ox.Literal) and term.datatype.value == XSD + "anyURI")


def _table(result: Result, names: Names | None, width: int | None = None) -> str:
    """Columns as wide as their longest value; labels (never IRIs) cut with '…' to fit ``width`` characters.

    A column's IRIs set its least width, so a table whose IRIs alone are wider than ``width`` is wider."""
    variables = result.variables
    cells = [[term_text(t, names) for t in row] for row in result.rows]
    natural = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(variables)]
    uncut = [max([len(v)] + [len(r[i]) for r, row in zip(cells, result.rows) if _whole(row[i])])
             for i, v in enumerate(variables)]
    widths = [max(u, min(n, LABEL_CAP)) for u, n in zip(uncut, natural)]
    if width is not None:
        floor = [max(u, min(n, MIN_CUT)) for u, n in zip(uncut, natural)]
        excess = sum(widths) + 2 * (len(widths) - 1) - width
        while excess > 0:  # take a character from the widest column that may still give one
            shrinkable = [i for i, w in enumerate(widths) if w > floor[i]]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: widths[i])
            widths[widest] -= 1
            excess -= 1

    def line(values):
        return "  ".join((v if len(v) <= w else v[: w - 1] + "…").ljust(w) for v, w in zip(values, widths)).rstrip()

    out = [line(variables), line(["-" * w for w in widths])] + [line(r) for r in cells]
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
