"""`wpsgraph validate FILE --db BUILD`: a contributor's file checked against a built graph of any size, with the
results a full build of that graph plus the file would give, without rebuilding or copying it.

1. The build's store is opened read-only. The file's new entailments are worked out on a small store: the build's
   statements (asserted and inferred) around the file's resources along the properties the OWL RL rules use, plus
   the file: the build is already closed, so what the file adds follows within a few steps of it (the property
   test in tests/test_against_build.py holds this to a full rebuild).
2. The changes (the file's statements, the new entailments, the new country records) give the focus nodes they
   can affect (``shacl/reach.py``); the statements every shape reads around them are copied into a second small
   store, and only those focus nodes are validated there.
3. Where that cannot be bounded (a file replacing a graph of the build, a shape whose reading is unbounded, schema
   axioms in the file) the whole build is copied into memory and validated as ``validate FILE`` does for the
   shipped graph, and the report says so.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox

from wpsgraph.errors import InputError
from wpsgraph.namespaces import Names
from wpsgraph.pipeline.load import Loaded, graph_for
from wpsgraph.validation.shacl import reach
from wpsgraph.validation.shacl.graph import RDF_TYPE

BASE_INFERRED = ox.NamedNode("urn:wpsgraph:build-inferred")  # the build's entailments, kept apart while reasoning


class Build:
    """A build folder, opened read-only: its store, base IRI and the files of its graphs."""

    def __init__(self, folder: Path):
        folder = Path(folder)
        manifest = folder / "manifest.json"
        try:
            doc = json.loads(manifest.read_text(encoding="utf-8"))
            self.names = Names(doc["base"])
            self.files = {ox.NamedNode(g): (Path(p) if p != "generated" else None) for g, p in doc["files"].items()}
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise InputError(folder, f"not a wpsgraph build folder (no readable manifest.json: {e})") from None
        from wpsgraph.pipeline.build import open_store

        self.store = open_store(folder)

    def quads(self, s, p, o, g=None):
        return self.store.quads_for_pattern(s, p, o, g)


def _union(*stores):
    def quads(s, p, o):
        for store in stores:
            yield from store.quads_for_pattern(s, p, o, None)
    return quads


def _triples(quads) -> set:
    return {(q.subject, q.predicate, q.object) for q in quads}


def prepare(build: Build, files: list[Path], parsed: dict, cache) -> tuple:
    """(loaded, focus, data graphs, error finding, note) for ``files`` added to the build, as command._add gives for
    the shipped graph: ``loaded`` holds what validation reads (all of the build when it fell back to a full copy)."""
    from wpsgraph.validation.command import _schema_axiom, syntax_error

    names = build.names
    graphs = [graph_for(p, names) for p in files]
    reason_for = None
    if any(g in build.files for g in graphs):
        reason_for = "a file replaces a graph of the build"
    elif any(_schema_axiom(q) for p in files for q in parsed[p]):
        reason_for = "the file states schema axioms"
    if reason_for is not None:
        return _full(build, files, parsed, cache, reason_for)

    from wpsgraph.pipeline import load as load_module
    from wpsgraph.pipeline.reason import reason, rules_for

    new_quads = [q for p in files for q in parsed[p]]
    staging = ox.Store()
    staging.extend(new_quads)
    try:
        countries = [q for q in load_module._country_quads(staging, names, [(g, p) for g, p in zip(graphs, files)])
                     if not any(True for _ in build.quads(q.subject, q.predicate, q.object, q.graph_name))]
    except InputError as e:
        return None, None, [], syntax_error(e), None

    # 1. the file's entailments, on the build's statements around it
    small = ox.Store()
    small.extend(build.quads(None, None, None, names.ontology_graph))
    ontology = Loaded(small, names, {names.ontology_graph: None})
    rules = rules_for(ontology, cache)
    properties = {ox.NamedNode(str(p)) for p in rules.properties} | {RDF_TYPE}
    mentioned = {t for q in new_quads for t in (q.subject, q.object) if not isinstance(t, ox.Literal)}
    region, frontier = set(mentioned), set(mentioned)
    for _ in range(3):
        nxt: set = set()
        for n in frontier:
            for q in build.quads(n, None, None):
                if q.predicate in properties and q.predicate != RDF_TYPE and not isinstance(q.object, ox.Literal):
                    nxt.add(q.object)
            for q in build.quads(None, None, n):
                if q.predicate in properties and q.predicate != RDF_TYPE:
                    nxt.add(q.subject)
        frontier = nxt - region
        region |= frontier
    for n in region:
        for q in build.quads(n, None, None):
            if q.predicate in properties and q.graph_name != names.ontology_graph and not _schema(q.predicate):
                small.add(ox.Quad(q.subject, q.predicate, q.object,
                                  BASE_INFERRED if q.graph_name == names.inferred_graph else q.graph_name))
    small.extend(new_quads)
    small.extend(countries)
    graphs_small: dict = dict.fromkeys(small.named_graphs())
    reason(Loaded(small, names, graphs_small), cache_dir=cache)
    inferred = [q for q in small.quads_for_pattern(None, None, None, names.inferred_graph)
                if not any(True for _ in build.quads(q.subject, q.predicate, q.object))]
    del small

    # 2. what the changes can affect, and the statements the shapes read around it
    overlay = ox.Store()
    overlay.extend(new_quads)
    overlay.extend(countries)
    overlay.extend(inferred)
    changed = _triples(new_quads) | _triples(countries) | _triples(inferred)
    from wpsgraph import resources
    from wpsgraph.validation.engines import compiled_shapes

    compiled = compiled_shapes([resources.DATA_SHAPES], names)
    quads = _union(build.store, overlay)
    focus = reach.restrictions(compiled, quads, sorted(changed, key=str), mentioned | {q.subject for q in new_quads})
    if focus is None:
        return _full(build, files, parsed, cache, "a shape's reading cannot be bounded")
    memo: dict = {}
    total = reach.Reach()
    for shape in compiled.roots:
        total.add(reach.of(shape, memo), 0)
    view = ox.Store()
    view.extend(build.quads(None, None, None, names.ontology_graph))
    view.extend(overlay)
    seen: set = set()
    frontier = set(focus)
    steps = 0
    while frontier:
        nxt = set()
        for n in frontier:
            seen.add(n)
            if isinstance(n, ox.Literal):
                continue
            for q in quads(n, None, None):
                view.add(q)
                if total.any_forward or q.predicate in total.forward:
                    nxt.add(q.object)
            for q in quads(None, None, n):
                if total.any_inverse or q.predicate in total.inverse:
                    view.add(q)
                    nxt.add(q.subject)
        steps += 1
        if total.depth is not None and steps > total.depth:
            break
        frontier = nxt - seen
    files_of: dict = {g: p for g, p in build.files.items() if p is not None and p.exists()}
    files_of.update(zip(graphs, files))
    return Loaded(view, names, files_of), focus, graphs, None, None


def _full(build: Build, files: list[Path], parsed: dict, cache, why: str) -> tuple:
    """The whole build copied into memory (without its entailments, which are worked out again) and the files added
    to it as to the shipped graph."""
    from wpsgraph.validation.command import _add

    store = ox.Store()
    store.bulk_extend(q for q in build.quads(None, None, None) if q.graph_name != build.names.inferred_graph)
    graphs = dict(build.files)
    base = Loaded(store, build.names, graphs)
    from wpsgraph.pipeline.reason import reason

    reason(base, cache_dir=cache)
    loaded, focus, data_graphs, error, note = _add(base, files, parsed, build.names, cache)
    return loaded, focus, data_graphs, error, note or f"validated against a full copy of the build: {why}"


def _schema(p: ox.NamedNode) -> bool:
    from wpsgraph.namespaces import OWL, RDFS

    return p.value.startswith((OWL, RDFS)) and p.value != RDFS + "label"
