"""`wpsgraph validate`: the whole check of a contributor's files, as one report.

1. Syntax: every file is parsed on its own; a file that is not well-formed (bad syntax, binary bytes, invalid
   UTF-8, JSON in a .ttl, a literal too large to parse, ...) becomes one finding naming file, line and column,
   and the other files are still checked.
2. The graph: without paths, the shipped ontology, reference data and sources; with paths, the shipped graph
   with those files added (a given file replaces the shipped file of the same graph). The shipped graph,
   loaded and reasoned, is cached on disk by the content of its files, so validating one new file reuses it
   and only the focus nodes the new file can affect are validated: what it mentions, and every resource whose
   shapes read a triple it adds or removes, or that the reasoner infers or no longer infers from it, through any
   path (``shacl/reach.py``); a file stating schema axioms is validated fully, and the report says so.
3. Vocabulary: every class and property used by the checked data files is declared.
4. SHACL: the data shapes (fast engine by default, pySHACL with ``engine='pyshacl'``); with the whole shipped
   graph, also the ontology shapes and the QC queries (``queries/qc/*.rq``).

Cache: ``$WPSGRAPH_CACHE``, else ``$XDG_CACHE_HOME/wpsgraph``, else ``~/.cache/wpsgraph``; never the source tree.
``WPSGRAPH_CACHE=off`` (or ``--no-cache``) disables it.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import pyoxigraph as ox

from wpsgraph import resources
from wpsgraph.errors import InputError
from wpsgraph.folders import OutputError, atomic_write
from wpsgraph.namespaces import Names
from wpsgraph.pipeline.load import Loaded, graph_for, load, parse_file, schema_statement
from wpsgraph.pipeline.reason import dependency_versions
from wpsgraph.validation.engines import Changes, validate, validate_ontology
from wpsgraph.validation.findings import Finding, Location, Report
from wpsgraph.validation.locate import locate

CACHE_ENV = "WPSGRAPH_CACHE"
MAX_TOKEN = 16 * 1024 * 1024 - 64 * 1024  # Oxigraph's parser buffer (16 MiB) less some slack


def cache_dir() -> Path | None:
    value = os.environ.get(CACHE_ENV)
    if value is not None:
        if value.lower() in ("", "0", "off", "no", "false"):
            return None
        return Path(value)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wpsgraph"


def _writable(folder: Path | None) -> Path | None:
    if folder is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return folder if os.access(folder, os.W_OK) else None
    except OSError:
        return None


# ---------------------------------------------------------------------------------------------- syntax

def syntax_error(err: InputError) -> Finding:
    return Finding(severity="error", message=err.detail, location=Location(err.path, err.line, err.column),
                   check="syntax", source_shape="syntax")


def parse_one(path: Path, names: Names):
    """(quads, None) or (None, finding) for one file: never raises for bad input."""
    graph = graph_for(path, names)
    try:
        return parse_file(path, graph, names), None
    except InputError as e:
        return None, syntax_error(e)
    except MemoryError:  # Oxigraph refuses a token longer than its 16 MiB buffer
        from wpsgraph.validation.positions import long_token

        text = Path(path).read_text(encoding="utf-8", errors="replace")
        where = long_token(text, MAX_TOKEN) or (None, None)
        return None, syntax_error(InputError(path, "a literal or IRI is too large to parse (over 16 MiB)", *where))
    except RecursionError:
        return None, syntax_error(InputError(path, "nested too deeply to parse"))


# ---------------------------------------------------------------------------------------------- the shipped graph

def _digest(paths, names: Names) -> str:
    h = hashlib.sha256("\n".join([*dependency_versions(), names.base, ""]).encode())
    # the code that makes the cached graph: a change to it invalidates the cache
    package = Path(__file__).resolve().parents[1]
    for code in ("pipeline/load.py", "pipeline/reason.py", "pipeline/countries.py", "namespaces.py"):
        h.update((package / code).read_bytes())
    for p in paths:
        h.update(str(Path(p).resolve()).encode() + b"\0")
        h.update(Path(p).read_bytes())
    return h.hexdigest()[:24]


def _reason(loaded: Loaded, cache: Path | None, schema_checked: bool = False):
    from wpsgraph.pipeline.reason import reason

    return reason(loaded, cache_dir=cache, schema_checked=schema_checked)


def shipped(names: Names, cache: Path | None) -> Loaded:
    """The shipped ontology, reference data and sources, loaded and reasoned; from the cache when it is fresh."""
    files = list(resources.ontology_files()) + resources.reference_files() + resources.source_files()
    if cache is not None:
        key = _digest(files, names)
        nq, meta = cache / f"shipped-{key}.nq", cache / f"shipped-{key}.json"
        if nq.exists() and meta.exists():
            try:
                doc = json.loads(meta.read_text(encoding="utf-8"))
                data = nq.read_bytes()
                if doc.get("sha256") != hashlib.sha256(data).hexdigest():
                    raise ValueError("the cached graph is not the one written")
                store = ox.Store()
                store.bulk_load(data, format=ox.RdfFormat.N_QUADS)
                graphs = {ox.NamedNode(g): (Path(p) if p else None) for g, p in doc["graphs"].items()}
                return Loaded(store, names, graphs)
            except (OSError, ValueError, SyntaxError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
                pass  # a broken cache is rebuilt, never trusted
    loaded = load(files[len(resources.ontology_files()):], names)
    _reason(loaded, cache, schema_checked=True)
    if cache is not None:
        try:  # the graph, then its description with the graph's digest: a torn pair fails the digest check
            data = ox.serialize(loaded.store, format=ox.RdfFormat.N_QUADS) or b""
            for path, content in ((nq, data), (meta, json.dumps({
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "graphs": {g.value: (str(p) if p else None) for g, p in loaded.graphs.items()}}).encode())):
                atomic_write(path, content)
        except (OSError, OutputError):
            pass  # an unwritable cache only costs time
    return loaded


# ---------------------------------------------------------------------------------------------- the check

def run(paths: list[Path] | None = None, names: Names | None = None, engine: str = "fast",
        use_cache: bool = True, db: Path | None = None) -> Report:
    """The check of ``paths`` (default: everything shipped), against the shipped graph or, with ``db``, against
    that build folder's graph (``against.py``)."""
    clock = time.perf_counter()
    names = names or Names()
    cache = _writable(cache_dir()) if use_cache else None
    from wpsgraph.validation.shacl import reach

    reach.CACHE_DIR[:] = [cache] if cache is not None else []
    reach.READ_ALSO[:] = []
    given = [Path(p) for p in paths] if paths else []
    ontology_dir = resources.ONTOLOGY_DIR.resolve()
    full = not given or any(p.resolve().parent == ontology_dir for p in given)
    build = None
    if db is not None:
        from wpsgraph.validation.against import Build

        if full:
            raise InputError(db, "--db checks data files against a build: give the files to check")
        build = Build(db)
        names = build.names
        from wpsgraph.validation.prepared import FOLDER

        reach.READ_ALSO[:] = [build.folder / FOLDER]  # what the build worked out for this check (``prepared.py``)

    findings: list[Finding] = []
    notes: list[str] = []
    parsed: dict[Path, list] = {}
    checked = given if given else (list(resources.ontology_files()) + resources.reference_files()
                                   + resources.source_files())
    for path in checked:
        quads, error = parse_one(path, names)
        if error is not None:
            findings.append(error)
        else:
            parsed[path] = quads
    if not full:  # a data file's schema statements are findings there, and are left out of the graph checked
        for path, quads in parsed.items():
            kept = []
            for q in quads:
                why = schema_statement(q, names)
                if why is None:
                    kept.append(q)
                else:
                    findings.append(Finding(
                        severity="violation", focus_node=q.subject, result_path=("pred", q.predicate),
                        value_node=q.object, source_shape="schema", check="schema", statement=q,
                        message=f"A data file must not redefine the vocabulary: {why}. Schema statements belong "
                                f"in ontology/; this one is left out of the check, so it cannot change what other "
                                f"files mean."))
            parsed[path] = kept

    if full:
        data_files = [p for p in (given or resources.reference_files() + resources.source_files())
                      if p in parsed and p.resolve().parent != ontology_dir]
        if not given and len(parsed) == len(checked):
            loaded = shipped(names, cache)
        else:
            try:
                loaded = load(resources.reference_files() + [p for p in data_files
                              if p not in resources.reference_files()] if given else data_files, names)
            except InputError as e:
                findings.append(syntax_error(e))
                return _finish(Report(findings, 0, files=checked), clock)
            _reason(loaded, cache, schema_checked=True)
        focus = None
        data_graphs = [g for g, p in loaded.graphs.items() if p is not None and g != names.ontology_graph]
    elif build is not None:
        from wpsgraph.validation.against import prepare

        files = [p for p in given if p in parsed]
        if engine == "fast" and not findings and any(graph_for(p, names) in build.files for p in files):
            # A file replacing a graph of the build: tried as an update of a scratch copy of the build's store
            from wpsgraph.pipeline.incremental.trial import replacing

            tried = replacing(build.folder, files, names, cache)
            if tried is not None:
                found, checked_triples, focus_nodes = tried
                final = Report(found, checked_triples, files=checked)
                final.notes = [f"a file replaces a graph of the build: checked as an update of a scratch copy of "
                               f"its store ({len(focus_nodes)} focus node(s) validated again)"]
                return _finish(final, clock)
        loaded, focus, data_graphs, error, note = prepare(build, files, parsed, cache)
        if note:
            notes.append(note)
        if error is not None:
            findings.append(error)
            return _finish(Report(findings, 0, files=checked), clock)
    else:
        base = shipped(names, cache)
        loaded, focus, data_graphs, error, note = _add(base, [p for p in given if p in parsed], parsed, names,
                                                       cache)
        if note:
            notes.append(note)
        if error is not None:
            findings.append(error)
            return _finish(Report(findings, 0, files=checked), clock)

    from wpsgraph.validation import vocabulary

    vocab = vocabulary.check(loaded.store, names, data_graphs)
    locate(vocab, loaded)
    _locate_in_file(findings, loaded)
    report = validate(loaded, engine=engine, focus=focus)
    findings += vocab + report.findings
    if full:
        from wpsgraph.validation import qc

        onto = validate_ontology(loaded, engine=engine)
        qc_findings = qc.run(loaded.store, names)
        locate(qc_findings, loaded)
        findings += onto.findings + qc_findings
    final = Report(findings, report.checked_triples, files=checked)
    final.notes = notes
    return _finish(final, clock)


def _locate_in_file(findings: list[Finding], loaded: Loaded) -> None:
    """Schema statements left out of the graph: located in the file that writes them."""
    from wpsgraph.validation.positions import index_file, key_of

    files: dict = {g: p for g, p in loaded.graphs.items() if p is not None}
    for f in findings:
        if f.check == "schema" and f.location is None and f.statement is not None:
            path = files.get(f.statement.graph_name)
            if path is not None:
                where = index_file(path).find(key_of(f.statement.subject), key_of(f.statement.predicate),
                                              key_of(f.statement.object))
                f.location = Location(str(path), *where) if where else Location(str(path))


def _finish(report: Report, clock: float) -> Report:
    report.sort()
    report.seconds = time.perf_counter() - clock
    return report


def _add(base: Loaded, files: list[Path], parsed: dict, names: Names, cache):
    """Add ``files`` to the cached shipped graph: (loaded, focus, their graphs, error finding or None, note).

    ``focus`` is the ``Changes`` the files make (every triple added or removed, asserted or inferred, and the nodes
    they mention), so that exactly the focus nodes these can affect are validated; or None (validate everything)
    when the files state schema axioms, which can change what anything means."""
    from wpsgraph.pipeline import load as load_module

    store, graphs = base.store, dict(base.graphs)
    inferred_before = {(q.subject, q.predicate, q.object)
                       for q in store.quads_for_pattern(None, None, None, names.inferred_graph)}
    changed: set = set()
    new_graphs = []
    for path in files:
        graph = graph_for(path, names)
        if graph in graphs and graph != names.ontology_graph:  # replaces the shipped file of that graph
            changed.update((q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph))
            store.remove_graph(graph)
            del graphs[graph]
        quads = parsed[path]
        store.extend(quads)
        changed.update((q.subject, q.predicate, q.object) for q in quads)
        graphs[graph] = path
        new_graphs.append(graph)
    loaded = Loaded(store, names, graphs)
    staging = ox.Store()
    for path in files:
        staging.extend(parsed[path])
    countries = names.countries_graph
    before = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, countries)}
    try:
        store.extend(load_module._country_quads(staging, names, [(graph_for(p, names), p) for p in files]))
    except InputError as e:
        return loaded, None, [], syntax_error(e), None
    changed.update((q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, countries)
                   if (q.subject, q.predicate, q.object) not in before)
    _reason(loaded, cache)
    inferred_after = {(q.subject, q.predicate, q.object)
                      for q in store.quads_for_pattern(None, None, None, names.inferred_graph)}
    changed |= inferred_after ^ inferred_before
    mentioned = set()
    for path in files:
        for q in parsed[path]:
            mentioned.add(q.subject)
            if not isinstance(q.object, ox.Literal):
                mentioned.add(q.object)
    if any(_schema_axiom(q) for path in files for q in parsed[path]):
        return loaded, None, new_graphs, None, "validated fully: the file states schema axioms"
    return loaded, Changes(sorted(changed, key=str), mentioned), new_graphs, None, None


def _schema_axiom(q) -> bool:
    """A statement that changes what terms mean (RDFS or OWL schema vocabulary), rather than describing things."""
    from wpsgraph.namespaces import OWL, RDF, RDFS

    p = q.predicate.value
    if p.startswith(OWL) and p not in (OWL + "sameAs", OWL + "differentFrom", OWL + "versionInfo", OWL + "deprecated"):
        return True
    if p in (RDFS + "subClassOf", RDFS + "subPropertyOf", RDFS + "domain", RDFS + "range"):
        return True
    return p == RDF + "type" and q.object.value.startswith(OWL) and q.object.value not in (
        OWL + "NamedIndividual", OWL + "Thing")
