"""Ad-hoc queries that don't bite: the project's prefixes without declaring them, a syntax error as one line with
its position, labels in another language, and a word about rows repeated by the union of the sources' graphs."""

from __future__ import annotations

import dataclasses
import re

import pyoxigraph as ox

from wpsgraph.namespaces import DEFAULT_BASE, Names
from wpsgraph.query.catalogue import Query
from wpsgraph.query.run import Result

_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)


def injected(text: str) -> str:
    """PREFIX declarations, on one line, for the project's prefixes that ``text`` uses without declaring them
    (only those used: a short query stays short enough to be sent by GET)."""
    declared = {m.group(1) or "" for m in _DECLARED.finditer(text)}
    used = set(re.findall(r"(?<![\w<\"'/.#-])([A-Za-z][\w-]*):", text))
    prefixes = Names(DEFAULT_BASE).prefixes()  # under the default base: query_text moves it to the configured one
    return "".join(f"PREFIX {p}: <{ns}> " for p, ns in prefixes.items() if p in used and p not in declared)


def declare_prefixes(query: Query) -> Query:
    """The query with the project's prefixes declared. They go at the start of the first line, so a syntax error
    keeps its line number (``parse_error`` takes them off the column on line 1)."""
    return dataclasses.replace(query, text=injected(query.text) + query.text)


_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.DOTALL)


def parse_error(where: str, sent: str, error: Exception) -> str:
    """'FILE:LINE:COLUMN: the query does not parse near 'TEXT': expected ...' on one line."""
    message = " ".join(str(error).split())
    match = _POSITION.search(message)
    if not match:
        return f"{where}: the query does not parse: {message}"
    line, column, detail = int(match.group(1)), int(match.group(2)), match.group(3)
    lines = sent.splitlines() or [""]
    text_line = lines[line - 1] if 0 < line <= len(lines) else ""
    near = text_line[column - 1:column + 19].strip() if column > 0 else ""
    if line == 1:
        head = re.match(r"^(PREFIX\s+[\w.-]*:\s*<[^>]*>\s*)+", text_line)
        if head and column > len(head.group(0)):
            column -= len(head.group(0))
    if len(detail) > 100:
        detail = detail[:100].rsplit(",", 1)[0] + ", …"
    near = f" near {near!r}" if near else " at the end"
    return f"{where}:{line}:{column}: the query does not parse{near}: {detail}"


def relabel(result: Result, index, lang: str) -> Result:
    """Every ``xLabel`` column beside an IRI column ``x`` in language ``lang`` where the graph has a label in it
    (else the label the query gave): a label service, applied to the answered rows."""
    if result.boolean is not None or result.triples is not None:
        return result
    pairs = [(result.variables.index(v), result.variables.index(v[:-5])) for v in result.variables
             if v.endswith("Label") and v[:-5] in result.variables]
    if not pairs:
        return result
    rows = []
    for row in result.rows:
        row = list(row)
        for label_at, iri_at in pairs:
            iri = row[iri_at]
            if isinstance(iri, ox.NamedNode):
                text = index.labels.get(iri.value, {}).get(lang)
                if text:
                    row[label_at] = ox.Literal(text, language=lang)
        rows.append(row)
    return Result(result.variables, rows)


def duplicates(result: Result) -> int:
    """How many rows repeat an earlier one (a fact stated by several sources, seen once per source's graph)."""
    if result.boolean is not None or result.triples is not None:
        return 0
    seen, repeated = set(), 0
    for row in result.rows:
        key = tuple(row)
        repeated += key in seen
        seen.add(key)
    return repeated


DUPLICATES_NOTE = ("note: {n} row(s) repeat another: the default graph is the union of the sources' graphs, so a "
                   "fact stated by several sources is matched once per source; write SELECT DISTINCT to drop them")
