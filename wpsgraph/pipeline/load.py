"""Stage 1 — load: parse Turtle files into a quad store, one named graph per file.

Parsing is done by Oxigraph (Rust), which is ~100× faster than rdflib and reports line and column on errors.
Files go straight into the store (``Store.load`` into the file's named graph: a million triples in about 3 s);
only a non-default base needs the terms rewritten in Python.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import NamedNode, Quad, QuerySolutions, RdfFormat, Store, Triple, Variable, parse

from wpsgraph import inputs, resources
from wpsgraph.errors import InputError
from wpsgraph.namespaces import DEFAULT_BASE, OWL, RDF, RDFS, Names
from wpsgraph.pipeline import countries, regions

FORMATS = {".ttl": RdfFormat.TURTLE, ".nt": RdfFormat.N_TRIPLES, ".n3": RdfFormat.N3}


@dataclass
class Loaded:
    """A store holding the asserted graphs, with what was loaded from where."""

    store: Store
    names: Names
    graphs: dict[NamedNode, Path | None] = field(default_factory=dict)  # None: generated
    countries: list[str] = field(default_factory=list)  # the ISO codes the files mention (described by the build)

    def graph_of(self, path: Path) -> NamedNode:
        return next(g for g, p in self.graphs.items() if p == path)

    @property
    def asserted_graphs(self) -> list[NamedNode]:
        return list(self.graphs)


def graph_for(path: Path, names: Names) -> NamedNode:
    """The named graph a file loads into: ontology, reference data, or one graph per source."""
    path = Path(path).resolve()
    if path.parent == resources.ONTOLOGY_DIR.resolve():
        return names.ontology_graph
    if path.parent == (resources.DATA_DIR / "reference").resolve():
        return names.graph_iri("reference", path.stem)
    return names.graph_iri("source", _slug(path.stem))


def _slug(stem: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-") or "file"


def parse_file(path: Path, graph: NamedNode, names: Names) -> list[Quad]:
    """Parse one file into quads of ``graph``; raise InputError naming file, line and column."""
    path = Path(path)
    fmt, data = read_data_file(path)
    try:
        triples = list(parse(data, format=fmt))
    except SyntaxError as e:
        raise _syntax(path, e) from None
    _check_base(path, data, names)
    if b"<<" in data and any(isinstance(t.subject, Triple) or isinstance(t.object, Triple) for t in triples):
        raise _triple_terms(path, data)
    if names.base != DEFAULT_BASE:
        return [Quad(names.rebase_term(t.subject), names.rebase_term(t.predicate), names.rebase_term(t.object), graph)
                for t in triples]
    return [Quad(t.subject, t.predicate, t.object, graph) for t in triples]


def _check_utf8(path: Path, data: bytes) -> None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise InputError(path, f"not valid UTF-8 (byte 0x{data[e.start]:02x})", line, column) from None


def _clean(message: str) -> str:
    # Oxigraph prefixes "Parser error between line a column b and line c column d: "; we give the position ourselves.
    return re.sub(r"^Parser error (at|between) line \d+ column \d+( and line \d+ column \d+)?: ", "", message)


def _syntax(path: Path, e: SyntaxError) -> InputError:
    message = _clean(e.msg)
    if "No scheme found in an absolute IRI" in message:  # a relative IRI, and no @base to resolve it against
        message = ("a relative IRI, and the file has no @base: write the IRI with a prefix (event:..., "
                   "organisation:...) or in full; a relative IRI would name a resource after where the file is")
    return InputError(path, message, e.lineno, e.offset)


# Searched for in the lowercased text: a pattern that starts with a plain word is found by a fast scan for it,
# where one that starts with a choice of preceding characters is tried at every position (1.5 s for 50 MB).
_BASE = re.compile(rb"base\s*<([^<>\s]*)>")
_BEFORE_BASE = frozenset(b" \t\n\r\f\v.")
_RELATIVE = re.compile(rb"<([^<>\s:]*)>")


def _check_base(path: Path, data: bytes, names: Names) -> None:
    """A file's @base, and every IRI it writes relative to it, must stay under the project's namespace."""
    lowered = data.lower()
    if b"base" not in lowered:
        return
    from urllib.parse import urljoin

    allowed = (names.base, DEFAULT_BASE)
    bases = [(m.start(1), data[m.start(1):m.end(1)].decode("utf-8", "replace")) for m in _BASE.finditer(lowered)
             if _directive_starts(lowered, m.start())]
    if not bases:
        return
    for start, iri in bases:
        if not iri.startswith(allowed):
            raise InputError(path, f"@base <{iri}> is outside the project's namespace <{names.base}>: the file's "
                                   f"relative IRIs would name resources outside the graph", _line(data, start))
    for m in _RELATIVE.finditer(data):
        before = [iri for start, iri in bases if start < m.start()]
        if not before or m.start() in {start for start, _ in bases}:
            continue
        resolved = urljoin(before[-1], m.group(1).decode("utf-8", "replace"))
        if not resolved.startswith(allowed):
            raise InputError(path, f"<{m.group(1).decode('utf-8', 'replace')}> resolves to <{resolved}>, outside the "
                                   f"project's namespace <{names.base}>", _line(data, m.start()))


def _directive_starts(lowered: bytes, i: int) -> bool:
    """Whether the word "base" at ``i`` is a directive (@base or BASE, any case): at the start of the text, or
    after white space or a full stop."""
    if i and lowered[i - 1] == ord("@"):
        i -= 1
    return i == 0 or lowered[i - 1] in _BEFORE_BASE


def _line(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


_SCHEMA_PREDICATES = {RDFS + "subClassOf", RDFS + "subPropertyOf", RDFS + "domain", RDFS + "range"}
_NOT_SCHEMA = {OWL + "versionInfo", OWL + "deprecated", OWL + "NamedIndividual", OWL + "Thing"}


def schema_statement(q, names: Names) -> str | None:
    """Why a data file's statement redefines the vocabulary (a schema axiom, an identity between resources, or
    anything said about a wps: term), or None. Those belong in ontology/: in a data file they would change what
    every other file means."""
    p, o = q.predicate.value, q.object
    if p == OWL + "sameAs":
        return "owl:sameAs makes two resources one (merge them in one IRI instead)"
    if p in _SCHEMA_PREDICATES or (p.startswith(OWL) and p not in _NOT_SCHEMA):
        return f"{names.compact(p)} is a schema axiom"
    if p == RDF + "type" and isinstance(o, NamedNode) and o.value.startswith((OWL, RDFS)) \
            and o.value not in _NOT_SCHEMA:
        return f"typing a resource {names.compact(o.value)} declares vocabulary"
    if isinstance(q.subject, NamedNode) and q.subject.value.startswith((names.wps, DEFAULT_BASE + "ontology#")):
        return f"it says something about the ontology term {names.compact(q.subject.value) or q.subject.value}"
    return None


_SCHEMA_PATTERN = f"""GRAPH ?g {{ ?s ?p ?o }}
    FILTER(?g != ?onto)
    FILTER((STRSTARTS(STR(?p), "{OWL}") && ?p NOT IN (<{OWL}versionInfo>, <{OWL}deprecated>))
           || ?p IN (<{RDFS}subClassOf>, <{RDFS}subPropertyOf>, <{RDFS}domain>, <{RDFS}range>)
           || (?p = <{RDF}type> && isIRI(?o) && (STRSTARTS(STR(?o), "{OWL}") || STRSTARTS(STR(?o), "{RDFS}"))
               && ?o NOT IN (<{OWL}NamedIndividual>, <{OWL}Thing>)))"""


def first_schema_axiom(store: Store, names: Names) -> Quad | None:
    """A schema axiom or vocabulary declaration in a graph other than the ontology's (of those ``schema_statement``
    explains; one query). ``load`` refuses them; the reasoner asks again of a store changed since, and sends such a
    store to owlrl."""
    if not _schema_terms_used(store, names):
        return None
    rows = _solutions(store.query(f"SELECT ?g ?s ?p ?o ?onto WHERE {{ {_SCHEMA_PATTERN} }} LIMIT 1",
                                  substitutions=_ontology_binding(names)))
    row = next(iter(rows), None)
    return None if row is None else Quad(row["s"], row["p"], row["o"], row["g"])


def _schema_terms_used(store: Store, names: Names) -> bool:
    """Whether any graph but the ontology's uses a predicate or a type that ``_SCHEMA_PATTERN`` looks for. Two
    scans with nothing to compare but term identities (the distinct predicates; the distinct types, from the
    predicate-first index) take a third of the time of testing the text of every statement's terms, which is then
    done only when one is found."""
    def used(query: str) -> set[str]:  # the graph is compared here: a filter in the query costs a third more
        return {row[1].value for row in _solutions(store.query(query))
                if row[0] != names.ontology_graph and isinstance(row[1], NamedNode)}

    predicates = used("SELECT DISTINCT ?g ?p WHERE { GRAPH ?g { ?s ?p ?o } }")
    if any(p in _SCHEMA_PREDICATES or (p.startswith(OWL) and p not in _NOT_SCHEMA) for p in predicates):
        return True
    types = used(f"SELECT DISTINCT ?g ?o WHERE {{ GRAPH ?g {{ ?s <{RDF}type> ?o }} }}")
    return any(t.startswith((OWL, RDFS)) and t not in _NOT_SCHEMA for t in types)


def _ontology_binding(names: Names) -> dict:
    """?onto bound to the ontology graph by the engine (a substitution projects it), not pasted into the text."""
    return {Variable("onto"): names.ontology_graph}


def _solutions(result) -> QuerySolutions:
    """A SELECT query's rows (a query written here as SELECT gives nothing else)."""
    assert isinstance(result, QuerySolutions)
    return result


def _refuse_schema_statements(store: Store, names: Names, files: dict) -> None:
    """The first statement of a data file that redefines the vocabulary, as an error (one query over the data, one
    lookup per ontology term)."""
    found = first_schema_axiom(store, names)
    terms = " ".join(sorted({str(q.subject) for q in store.quads_for_pattern(
        None, None, None, names.ontology_graph) if isinstance(q.subject, NamedNode)
        and q.subject.value.startswith(names.wps)}))  # each written by Oxigraph's serialiser
    if found is None and terms:
        rows = list(_solutions(store.query(f"SELECT ?g ?s ?p ?o ?onto WHERE {{ VALUES ?s {{ {terms} }} "
                                           "GRAPH ?g { ?s ?p ?o } FILTER(?g != ?onto) } LIMIT 1",
                                           substitutions=_ontology_binding(names))))
        if rows:
            found = Quad(rows[0]["s"], rows[0]["p"], rows[0]["o"], rows[0]["g"])
    if found is not None:
        why = schema_statement(found, names) or "a schema statement"
        raise InputError(files.get(found.graph_name, str(getattr(found.graph_name, "value", found.graph_name))),
                         f"a data file must not redefine the vocabulary: {why} "
                         f"({found.subject} {found.predicate} {found.object}); `wpsgraph validate` locates it")


def default_data_files() -> list[Path]:
    return resources.reference_files() + resources.source_files()


def read_data_file(path: Path) -> tuple[RdfFormat, bytes]:
    """A data file's format and content (InputError: an unsupported file type, an unreadable or invalid file)."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(path, f"unsupported file type {path.suffix!r} (expected one of {', '.join(FORMATS)})")
    data = inputs.read_bytes(path)  # regular files only, bounded, byte order mark dropped
    _check_utf8(path, data)
    return fmt, data


def _load_file(staging: Store, path: Path, graph: NamedNode, names: Names,
               read: tuple[RdfFormat, bytes] | None = None) -> None:
    """Parse one file straight into ``graph`` of the staging store (Oxigraph, no Python objects per triple);
    ``read``: its ``read_data_file``, done already.

    Only a non-default base needs Python-side rewriting of the terms."""
    if names.base != DEFAULT_BASE:
        staging.extend(parse_file(path, graph, names))
        return
    fmt, data = read or read_data_file(path)
    _check_base(path, data, names)
    try:
        staging.load(data, format=fmt, to_graph=graph)
    except SyntaxError as e:
        raise _syntax(path, e) from None
    if b"<<" in data and any(isinstance(q.object, Triple) for q in staging.quads_for_pattern(None, None, None, graph)):
        raise _triple_terms(path, data)


def _triple_terms(path: Path, data: bytes) -> InputError:
    """RDF 1.2 triple terms (``<< s p o >>`` reifiers, ``<<( s p o )>>``): the model, its queries and the published
    formats (JSON-LD) have no place for them; a source's provenance is the resource's wps:statedIn."""
    from wpsgraph.query.lexer import mask  # Turtle's strings, comments and IRIs are written as SPARQL's

    text = data.decode("utf-8")
    at = mask(text, strings=True).find("<<")  # not a "<<" inside a string or a comment
    return InputError(path, "RDF 1.2 triple terms (<< ... >>) are not supported: say who states a fact with "
                            "wps:statedIn on the resource it is about (docs/data-conventions.md)",
                      text.count("\n", 0, at) + 1 if at >= 0 else None)


def assign_graphs(files: Sequence[Path], names: Names) -> list[tuple[NamedNode, Path]]:
    """Each file with the named graph it loads into, in order; two files for one graph (but the ontology's) is an
    error."""
    seen: dict[NamedNode, Path] = {}
    order: list[tuple[NamedNode, Path]] = []
    for path in files:
        graph = graph_for(path, names)
        if graph in seen and graph != names.ontology_graph:
            raise InputError(path, f"two files would load into the same graph {graph.value} (also {seen[graph]})")
        seen[graph] = path
        order.append((graph, Path(path)))
    return order


def load(data_files: Sequence[Path] | None = None, names: Names | None = None,
         store: Store | None = None, read: dict | None = None) -> Loaded:
    """Load the shipped ontology plus ``data_files`` (default: the shipped reference data and sources).

    Every file is parsed before anything is written, so a bad file leaves the store untouched: files are parsed
    by Oxigraph into an in-memory staging store (the store itself when none is given), copied into ``store``
    only once all of them have parsed. ``read``: path -> its ``read_data_file``, for files the caller has read
    already (the build, which gives the same bytes to its on-disk store); each entry is taken out as it is used.
    """
    names = names or Names()
    files = list(resources.ontology_files()) + list(default_data_files() if data_files is None else data_files)
    order = assign_graphs(files, names)
    staging = Store()
    for graph, path in order:
        _load_file(staging, path, graph, names, read.pop(path, None) if read else None)  # let go once parsed
    codes = _checked(staging, names, order)
    countries_quads = country_graph_quads(codes, names)
    if store is None:
        store = staging
        store.extend(countries_quads)
    else:
        store.extend(countries_quads)
        if len(staging) > 100_000:  # large: written without holding one transaction in memory
            store.bulk_extend(staging.quads_for_pattern(None, None, None, None))
        else:
            store.extend(staging.quads_for_pattern(None, None, None, None))
        del staging
    loaded = Loaded(store, names, countries=codes)
    for graph, path in order:
        loaded.graphs.setdefault(graph, path)
    loaded.graphs[names.countries_graph] = None
    return loaded


def _checked(staging: Store, names: Names, order: list[tuple[NamedNode, Path]]) -> list[str]:
    """The checks over every parsed statement: no schema statement in a data file, no unknown country code; the
    codes mentioned. Each is a full scan, and Oxigraph runs queries without the GIL, so the schema scan has a
    thread of its own; its error still comes first, as when they ran one after the other."""
    schema_error: list[BaseException] = []

    def schema() -> None:
        try:
            _refuse_schema_statements(staging, names, dict(order))
        except BaseException as e:  # raised below, in the caller's thread
            schema_error.append(e)

    thread = threading.Thread(target=schema, name="wpsgraph-schema-check", daemon=True)
    thread.start()
    try:
        codes = _mentioned_countries(staging, names, order)
    except InputError:
        thread.join()
        if schema_error:
            raise schema_error[0] from None
        raise
    thread.join()
    if schema_error:
        raise schema_error[0]
    return codes


def _mentioned_countries(staging: Store, names: Names, order: list[tuple[NamedNode, Path]]) -> list[str]:
    """The codes of every country:XX the files mention, sorted; an unknown code is an error naming its file."""
    prefix = countries.country_prefix(names)
    rank = {graph: i for i, (graph, _) in enumerate(order)}
    first: dict[str, int] = {}   # code -> index of the first file (in load order) that mentions it
    # One pass over the statements, each kept when its subject or object is a country, then split into the two
    # positions: a fifth faster than a union of two passes.
    test = f'STRSTARTS(STR(?s), "{prefix}") || (isIRI(?o) && STRSTARTS(STR(?o), "{prefix}"))'
    query = f"""SELECT DISTINCT ?g ?c WHERE {{
        GRAPH ?g {{ ?s ?p ?o }} FILTER({test})
        VALUES ?at {{ 1 2 }} BIND(IF(?at = 1, ?s, ?o) AS ?c) FILTER(isIRI(?c) && STRSTARTS(STR(?c), "{prefix}")) }}"""
    for row in _solutions(staging.query(query)):
        code = row["c"].value[len(prefix):]
        i = rank.get(row["g"], len(order))
        if i < first.get(code, len(order) + 1):
            first[code] = i
    unknown = sorted(code for code in first if countries.lookup(code) is None)
    if unknown:
        code = unknown[0]
        path = order[first[code]][1] if first[code] < len(order) else None
        line = (_line_of(path, "country/" + code) or _line_of(path, "country:" + code)) if path is not None else None
        raise InputError(str(path), f"unknown country code {code!r}: use an ISO 3166-1 alpha-2 code such as country:MX",
                         line)
    return sorted(first)


def _country_quads(staging: Store, names: Names, order: list[tuple[NamedNode, Path]]) -> list[Quad]:
    """Describe every country:XX the files in ``staging`` mention (the generated reference graph)."""
    return country_graph_quads(_mentioned_countries(staging, names, order), names)


def country_graph_quads(codes: list[str], names: Names) -> list[Quad]:
    """The generated reference graph describing the countries ``codes`` (and their regions), from pycountry."""
    graph = names.countries_graph
    quads = countries.source_quads(names, graph) + regions.source_quads(names, graph)
    for code in sorted(codes):
        quads += countries.country_quads(code, names, graph)
    return quads + regions.region_quads(sorted(codes), names, graph)


def _line_of(path: Path, needle: str) -> int | None:
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if re.search(re.escape(needle) + r"(?![A-Za-z0-9_-])", line):
            return number
    return None


__all__ = ["Loaded", "load", "parse_file", "graph_for", "default_data_files", "read_data_file"]
