"""`wpsgraph validate`: the whole check of a contributor's files, as one report.

1. Syntax: every file is parsed on its own; a file that is not well-formed (bad syntax, binary bytes, invalid
   UTF-8, JSON in a .ttl, a literal too large to parse, ...) becomes one finding naming file, line and column,
   and the other files are still checked.
2. The graph: without paths, the shipped ontology, reference data and sources; with paths, the shipped graph
   with those files added (a given file replaces the shipped file of the same graph). The shipped graph,
   loaded and reasoned, is cached on disk by the content of its files, so validating one new file reuses it
   and only the new file's focus nodes (what it states, and what the reasoner infers from it) are validated.
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

from wpsgraph import __version__, resources
from wpsgraph.errors import InputError
from wpsgraph.namespaces import Names
from wpsgraph.pipeline.load import Loaded, graph_for, load, parse_file
from wpsgraph.validation.engines import validate, validate_ontology
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
    h = hashlib.sha256(f"{__version__}\n{names.base}\n".encode())
    # the code that makes the cached graph: a change to it invalidates the cache
    package = Path(__file__).resolve().parents[1]
    for code in ("pipeline/load.py", "pipeline/reason.py", "pipeline/countries.py", "namespaces.py"):
        h.update((package / code).read_bytes())
    for p in paths:
        h.update(str(Path(p).resolve()).encode() + b"\0")
        h.update(Path(p).read_bytes())
    return h.hexdigest()[:24]


def _reason(loaded: Loaded, cache: Path | None):
    from wpsgraph.pipeline.reason import reason

    return reason(loaded, cache_dir=cache)


def shipped(names: Names, cache: Path | None) -> Loaded:
    """The shipped ontology, reference data and sources, loaded and reasoned; from the cache when it is fresh."""
    files = list(resources.ontology_files()) + resources.reference_files() + resources.source_files()
    if cache is not None:
        key = _digest(files, names)
        nq, meta = cache / f"shipped-{key}.nq", cache / f"shipped-{key}.json"
        if nq.exists() and meta.exists():
            try:
                store = ox.Store()
                store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
                graphs = {ox.NamedNode(g): (Path(p) if p else None) for g, p in json.loads(meta.read_text()).items()}
                return Loaded(store, names, graphs)
            except (OSError, ValueError, SyntaxError):
                pass  # a broken cache is rebuilt, never trusted
    loaded = load(files[len(resources.ontology_files()):], names)
    _reason(loaded, cache)
    if cache is not None:
        tmp = nq.with_suffix(f".tmp{os.getpid()}")
        with open(tmp, "wb") as f:
            ox.serialize(loaded.store, f, format=ox.RdfFormat.N_QUADS)
        tmp.replace(nq)
        meta.write_text(json.dumps({g.value: (str(p) if p else None) for g, p in loaded.graphs.items()}))
    return loaded


# ---------------------------------------------------------------------------------------------- the check

def run(paths: list[Path] | None = None, names: Names | None = None, engine: str = "fast",
        use_cache: bool = True) -> Report:
    clock = time.perf_counter()
    names = names or Names()
    cache = _writable(cache_dir()) if use_cache else None
    given = [Path(p) for p in paths] if paths else []
    ontology_dir = resources.ONTOLOGY_DIR.resolve()
    full = not given or any(p.resolve().parent == ontology_dir for p in given)

    findings: list[Finding] = []
    parsed: dict[Path, list] = {}
    checked = given if given else (list(resources.ontology_files()) + resources.reference_files()
                                   + resources.source_files())
    for path in checked:
        quads, error = parse_one(path, names)
        if error is not None:
            findings.append(error)
        else:
            parsed[path] = quads

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
            _reason(loaded, cache)
        focus = None
        data_graphs = [g for g, p in loaded.graphs.items() if p is not None and g != names.ontology_graph]
    else:
        base = shipped(names, cache)
        loaded, focus, data_graphs, error = _add(base, [p for p in given if p in parsed], parsed, names, cache)
        if error is not None:
            findings.append(error)
            return _finish(Report(findings, 0, files=checked), clock)

    from wpsgraph.validation import vocabulary

    vocab = vocabulary.check(loaded.store, names, data_graphs)
    locate(vocab, loaded)
    report = validate(loaded, engine=engine, focus=focus)
    findings += vocab + report.findings
    if full:
        from wpsgraph.validation import qc

        onto = validate_ontology(loaded, engine=engine)
        qc_findings = qc.run(loaded.store, names)
        locate(qc_findings, loaded)
        findings += onto.findings + qc_findings
    return _finish(Report(findings, report.checked_triples, files=checked), clock)


def _finish(report: Report, clock: float) -> Report:
    report.sort()
    report.seconds = time.perf_counter() - clock
    return report


def _add(base: Loaded, files: list[Path], parsed: dict, names: Names, cache):
    """Add ``files`` to the cached shipped graph: (loaded, focus nodes, their graphs, error finding or None)."""
    from wpsgraph.pipeline import load as load_module

    store, graphs = base.store, dict(base.graphs)
    inferred_before = {(q.subject, q.predicate, q.object)
                       for q in store.quads_for_pattern(None, None, None, names.inferred_graph)}
    new_graphs = []
    for path in files:
        graph = graph_for(path, names)
        if graph in graphs and graph != names.ontology_graph:  # replaces the shipped file of that graph
            store.remove_graph(graph)
            del graphs[graph]
        quads = parsed[path]
        store.extend(quads)
        graphs[graph] = path
        new_graphs.append(graph)
    loaded = Loaded(store, names, graphs)
    staging = ox.Store()
    for path in files:
        staging.extend(parsed[path])
    try:
        store.extend(load_module._country_quads(staging, names, [(graph_for(p, names), p) for p in files]))
    except InputError as e:
        return loaded, None, [], syntax_error(e)
    _reason(loaded, cache)
    focus = set()
    for path in files:
        for q in parsed[path]:
            focus.add(q.subject)
            if not isinstance(q.object, ox.Literal):
                focus.add(q.object)
    for q in store.quads_for_pattern(None, None, None, names.inferred_graph):
        if (q.subject, q.predicate, q.object) not in inferred_before:
            focus.add(q.subject)
            if not isinstance(q.object, ox.Literal):
                focus.add(q.object)
    return loaded, focus, new_graphs, None
