"""Stage 3 — validate: SHACL on the reasoned graph, every result located to the file, line and column that
state the offending statement.

Two engines give the same results (tests/test_shacl_engine.py):

- ``fast`` (default, ``wpsgraph/validation/shacl/``): compiles the shapes into set-based evaluations on the Oxigraph
  store, one per constraint over all focus nodes (20 ms on the shipped data, where pySHACL takes 5-9 s);
- ``pyshacl``: the reference implementation, run without inference of its own (``inference='none'``): the
  reason stage has already materialised the OWL RL entailments.

Positions come from ``wpsgraph/validation/positions.py``; a result about an inferred statement points to the asserted
statement(s) it follows from (``related``).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from wpsgraph import resources
from wpsgraph.collector import paused
from wpsgraph.errors import WpsError
from wpsgraph.namespaces import SH
from wpsgraph.pipeline.load import Loaded
from wpsgraph.validation import shacl as fast
from wpsgraph.validation.findings import SEVERITIES, Finding, Report, default_message
from wpsgraph.validation.locate import locate
from wpsgraph.validation.pyshacl_reference import run_pyshacl
from wpsgraph.validation.shacl import reach

ENGINES = ("fast", "pyshacl")


_shapes_cache: dict = {}


def compiled_shapes(paths: list[Path], names=None) -> fast.Compiled:
    """The shapes files compiled (and rebased under a custom base), cached per process."""
    key = (tuple(str(p) for p in paths), tuple(Path(p).stat().st_mtime_ns for p in paths),
           names.base if names is not None else None)
    if key in _shapes_cache and not reach.CACHE_DIR:
        return _shapes_cache[key]
    marker = _well_formed_marker(paths, names)  # the note's name; kept in the cache folder, or a build's
    if key not in _shapes_cache:
        try:
            known = any(p.exists() for p in reach.memo_entries(marker))
            _shapes_cache[key] = fast.Compiled(fast.load_shapes(paths, names), meta=not known)
        except fast.Unsupported as e:
            where = ", ".join(str(p) for p in paths)
            raise WpsError(f"{where}: {e}; the fast engine refuses what it does not implement (--engine pyshacl "
                           f"runs pySHACL)") from None
    if reach.CACHE_DIR and not (reach.CACHE_DIR[0] / marker).exists():  # checked here, or noted in a build
        from wpsgraph.folders import OutputError, atomic_write

        with contextlib.suppress(OSError, OutputError):  # an unwritable cache only costs time
            atomic_write(reach.CACHE_DIR[0] / marker, b"checked against SHACL for SHACL\n")
    return _shapes_cache[key]


def _well_formed_marker(paths: list[Path], names) -> str:
    """The name of the note that these very shapes (their files' content, the base, the shapes for shapes and this
    version) passed SHACL for SHACL, so that a later command need not check them again (in the cache folder, or in
    a build's prepared folder, ``prepared.py``)."""
    import hashlib

    from wpsgraph import __version__
    from wpsgraph.validation.shacl.meta import META

    h = hashlib.sha256(f"{__version__}\0{names.base if names is not None else ''}\0".encode())
    for p in [*paths, META]:
        h.update(Path(p).read_bytes() + b"\0")
    return f"shapes-checked-{h.hexdigest()[:24]}"


def run_fast(store: ox.Store, shapes: list[Path], names=None, graphs=None, focus=None,
             check: str = "shacl", data: fast.Data | None = None, closed: bool = False) -> list[Finding]:
    """``focus``: the focus nodes to validate, or the ``Changes`` they follow from; ``data``: another view of the
    store (an incremental build's, that reads near the focus nodes only); ``closed``: the store is reasoned
    (``Data``)."""
    compiled = compiled_shapes(shapes, names)
    if isinstance(focus, Changes):
        focus = reach.restrictions(compiled, store, focus.triples, focus.mentioned)
    # Paused here as well as in ``validate``: so that the engine's indexes (millions of objects) are freed before
    # the collector is back, which would otherwise walk them all once more (close to a second at a million triples).
    with paused():
        results = fast.Engine(compiled, data or fast.Data(store, graphs, closed=closed)).validate(focus)
    return findings_of(results, check)


@dataclass
class Changes:
    """What new data changed in a validated graph: every triple added or removed (asserted or inferred), and the
    nodes the new data mentions. Validation then covers exactly the focus nodes these can affect."""

    triples: list
    mentioned: set


def findings_of(results: list, check: str = "shacl") -> list[Finding]:
    """The fast engine's results as findings."""
    return [Finding(severity=r.severity, message=r.message() or default_message(r.component), focus_node=r.focus,
                    result_path=r.path or None, value_node=r.value, source_shape=r.shape.node,
                    component=ox.NamedNode(SH + r.component), messages=list(r.messages), check=check,
                    shape_targets=r.shape.targets,
                    severity_iri=None if r.shape.severity.value in SEVERITIES else r.shape.severity)
            for r in results]


def validate(loaded: Loaded, shapes: list[Path] | None = None, engine: str = "fast",
             focus: set | Changes | None = None, triples: int | None = None) -> Report:
    """Check the reasoned store (asserted + inferred graphs) against the data shapes.

    With ``focus`` (a set of Oxigraph terms), only those focus nodes are validated; with ``Changes``, the focus
    nodes the changes can affect, per shape (incremental validation of new data against a checked graph).
    ``triples``: the size of the graph checked, when the store holds only the part of it validation reads (a
    large build's, ``reason.Hold``)."""
    shapes = shapes or [resources.DATA_SHAPES]
    if engine == "pyshacl":
        from wpsgraph.terms import store_graph

        data = store_graph(loaded.store)
        findings, graph, shapes_used = run_pyshacl(data, shapes, loaded.names)
        if isinstance(focus, Changes):
            focus = reach.restrictions(compiled_shapes(shapes, loaded.names), loaded.store, focus.triples,
                                       focus.mentioned)
        if focus is not None:
            findings = [f for f in findings if f.focus_node in focus]
        report = Report(findings, len(data), graph)
    else:
        findings = run_fast(loaded.store, shapes, loaded.names, focus=focus, closed=True)
        report = Report(findings, len(loaded.store) if triples is None else triples)
        shapes_used = compiled_shapes(shapes, loaded.names).graph
    report.shapes_graph = shapes_used
    # a graph copied for checking (validate --db) locates its findings in the graph they were copied from
    locate(report.findings, getattr(loaded, "located_in", loaded))
    report.sort()
    return report


def validate_ontology(loaded: Loaded, engine: str = "fast") -> Report:
    """Check the ontology itself: every term labelled in three languages and defined."""
    graph = loaded.names.ontology_graph
    if engine == "pyshacl":
        from wpsgraph.terms import rdflib_graph

        data = rdflib_graph(loaded.store.quads_for_pattern(None, None, None, graph))
        findings, report_graph_, shapes_used = run_pyshacl(data, [resources.ONTOLOGY_SHAPES], loaded.names,
                                                           "ontology")
        report = Report(findings, len(data), report_graph_)
    else:
        findings = run_fast(loaded.store, [resources.ONTOLOGY_SHAPES], loaded.names, graphs=[graph],
                            check="ontology")
        report = Report(findings, sum(1 for _ in loaded.store.quads_for_pattern(None, None, None, graph)))
        shapes_used = compiled_shapes([resources.ONTOLOGY_SHAPES], loaded.names).graph
    report.shapes_graph = shapes_used
    locate(report.findings, loaded)
    report.sort()
    return report


__all__ = ["Finding", "Report", "validate", "validate_ontology", "locate", "run_fast", "run_pyshacl", "ENGINES",
           "SEVERITIES"]
