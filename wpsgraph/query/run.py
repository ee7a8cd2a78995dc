"""Stage 4 — query: the canned SPARQL questions, their headers, parameter binding, and result formats.

A canned query is a plain .rq file that runs on any SPARQL 1.1 engine. Its header is comment lines:

    # title: Events an actor took part in
    # description: Every event the actor took part in, in any role.
    # param: actor iri organisation:usnorthcom  -- the actor (an IRI or prefix:name)

Parameters are bound as RDF terms in a VALUES block opened at the start of the WHERE clause; each term is
written by Oxigraph's serialiser (which validates IRIs and escapes literals), never by pasting the user's text.
The same bound text runs on Oxigraph, rdflib or any remote endpoint.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from wpsgraph.query import order
from wpsgraph import resources
from wpsgraph.errors import QueryError
from wpsgraph.namespaces import DEFAULT_BASE, XSD, Names

PARAM_KINDS = ("iri", "string", "integer", "date", "year")
_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<kind>\w+)\s+(?P<default>\S+)(?:\s+--\s*(?P<doc>.*))?$")


@dataclass
class Param:
    name: str
    kind: str
    default: str
    doc: str = ""


@dataclass
class Query:
    name: str
    path: Path
    title: str
    description: str
    params: list[Param] = field(default_factory=list)
    text: str = ""

    @property
    def kind(self) -> str:
        body = re.sub(r"(?m)^\s*(#.*|PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*$", "", self.text)
        match = re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", body, re.IGNORECASE)
        return match.group(1).upper() if match else "SELECT"


def read_query(path: Path) -> Query:
    """Read a .rq file and its header; a file without a header is still a valid ad-hoc query."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise QueryError(f"{path}: cannot read query: {e}") from None
    meta = {"title": "", "description": ""}
    params: list[Param] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.group(1), match.group(2).strip()
        if key == "param":
            p = _PARAM.match(value)
            if not p or p.group("kind") not in PARAM_KINDS:
                raise QueryError(f"{path}:{number}: a parameter line reads 'param: NAME KIND DEFAULT -- doc' "
                                 f"with KIND one of {', '.join(PARAM_KINDS)}")
            params.append(Param(p.group("name"), p.group("kind"), p.group("default"), (p.group("doc") or "").strip()))
        else:
            meta[key] = (meta[key] + " " + value).strip()
    return Query(path.stem, path, meta["title"], meta["description"], params, text)


def catalogue() -> dict[str, Query]:
    """The canned queries shipped in queries/, by name."""
    return {q.name: q for q in map(read_query, resources.query_files())}


def find(name_or_path: str) -> Query:
    path = Path(name_or_path)
    if path.suffix == ".rq":
        if not path.exists():
            raise QueryError(f"{path}: no such query file")
        return read_query(path)
    queries = catalogue()
    if name_or_path not in queries:
        close = [n for n in queries if name_or_path in n or n in name_or_path]
        hint = f" (did you mean {', '.join(close)}?)" if close else " (run 'wpsgraph queries' to list them)"
        raise QueryError(f"no canned query named {name_or_path!r}{hint}")
    return queries[name_or_path]


# ---------------------------------------------------------------------------------------------- parameters

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
            return ox.Literal(value, datatype=ox.NamedNode(XSD + "date"))
        if param.kind == "year":
            if not re.fullmatch(r"\d{4}", value):
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
    """The query text to send: the project's namespace moved to the configured base, parameters bound.

    The parameters are bound by a VALUES block opened at the start of the query's WHERE clause, and again in every
    subquery that projects one of them by name (``SELECT ?country ?unit WHERE {``). A subquery is evaluated on its
    own, before its rows are joined: binding it inside gives the same rows (the outer VALUES would keep only those
    anyway) without the subquery first answering for every value."""
    text = query.text if names.base == DEFAULT_BASE else query.text.replace(DEFAULT_BASE, names.base)
    if not bound:
        return text
    masked = order.mask(text, strings=True)
    where = _WHERE.search(masked)
    if where is None:
        raise QueryError(f"{query.path}: a query with parameters needs a 'WHERE {{' clause to bind them in")
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


# ---------------------------------------------------------------------------------------------- running

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
    except OSError as e:
        raise InputError(db, f"cannot open the store: {e}") from None


def run(query: Query, store: ox.Store, params: dict[str, str] | None = None, names: Names | None = None,
        engine_sort: bool = False) -> Result:
    """Answer a query over the union of all graphs of an Oxigraph store.

    A final ORDER BY of the forms ``order`` handles is applied to the answered rows rather than by Oxigraph (much
    faster on the on-disk store); ``engine_sort`` leaves it to Oxigraph, as it does for any other ORDER BY."""
    names = names or Names()
    text = query_text(query, names, bindings(query, params or {}, names))
    lifted = None if engine_sort else order.plan(text)
    if lifted is not None:
        answer = _ask(query, store, lifted.text)
        if isinstance(answer, ox.QuerySolutions):
            variables = [v.value for v in answer.variables]
            rows = order.sort_rows(lifted.keys, variables, _rows(answer, variables))
            if rows is not None:
                return Result(variables, rows)
    answer = _ask(query, store, text)
    if isinstance(answer, ox.QueryBoolean):
        return Result([], [], boolean=bool(answer))
    if isinstance(answer, ox.QueryTriples):
        return Result([], [], triples=list(answer))
    variables = [v.value for v in answer.variables]
    return Result(variables, _rows(answer, variables))


def _ask(query: Query, store: ox.Store, text: str):
    try:
        return store.query(text, use_default_graph_as_union=True)
    except SyntaxError as e:
        raise QueryError(f"{query.path}: the query does not parse: {e}") from None


def _rows(answer: ox.QuerySolutions, variables: list[str]) -> list[list]:
    positions = range(len(variables))
    return [[solution[i] for i in positions] for solution in answer]


def run_rdflib(query: Query, dataset, params: dict[str, str] | None = None, names: Names | None = None) -> Result:
    """The same query on rdflib's SPARQL engine (an rdflib Dataset with default_union=True)."""
    from wpsgraph.terms import from_rdflib

    names = names or Names()
    answer = dataset.query(query_text(query, names, bindings(query, params or {}, names)))
    if answer.type == "ASK":
        return Result([], [], boolean=bool(answer.askAnswer))
    if answer.type in ("CONSTRUCT", "DESCRIBE"):
        return Result([], [], triples=list(answer.graph))
    variables = [str(v) for v in answer.vars]
    rows = [[None if row[v] is None else from_rdflib(row[v]) for v in variables] for row in answer]
    return Result(variables, rows)


# ---------------------------------------------------------------------------------------------- output

FORMATS = ("table", "csv", "tsv", "json")


def term_text(term, names: Names | None = None, compact: bool = True) -> str:
    """A term as a person reads it: prefixed IRIs, bare literal values."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return _Compactor(names)(term.value) if compact and names is not None else term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


class _Compactor:
    """prefix:local for IRIs under a known namespace (the longest one), remembered per namespace part."""

    def __init__(self, names: Names):
        self.prefixes = names.prefixes()
        self.memo: dict[str, tuple[str, str] | None] = {}

    def __call__(self, iri: str) -> str:
        # every namespace ends in '/' or '#', so the longest one matching lies within the IRI up to its last one
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        head = iri[:cut]
        if head not in self.memo:
            self.memo[head] = max(((p, ns) for p, ns in self.prefixes.items() if head.startswith(ns)),
                                  key=lambda x: len(x[1]), default=None)
        best = self.memo[head]
        return f"{best[0]}:{iri[len(best[1]):]}" if best else iri


def render(result: Result, fmt: str, names: Names | None = None) -> str:
    if result.boolean is not None:
        return json.dumps({"head": {}, "boolean": result.boolean}) if fmt == "json" else str(result.boolean).lower()
    if result.triples is not None:
        return ox.serialize(result.triples, format=ox.RdfFormat.TURTLE).decode("utf-8")
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
    compactor = _Compactor(names) if names is not None else None

    def text(t):
        return compactor(t.value) if compactor and isinstance(t, ox.NamedNode) else term_text(t)

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
