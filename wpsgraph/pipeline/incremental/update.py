"""The update itself: the stages of the package run in order on a staged copy of the build, swapped in at the end.

``try_update`` plans; ``update`` loads the changed files, copies the store, maintains the entailments, applies
the change and finds the focus nodes it can affect, validates them, splices the dumps and writes the manifest
and the state, each a step below.
"""

from __future__ import annotations

import contextlib
import gc
import json
import shutil
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from wpsgraph import resources
from wpsgraph.namespaces import Names
from wpsgraph.pipeline.incremental.dumps import splice_dataset, splice_inferred
from wpsgraph.pipeline.incremental.focus import NearData, affected_focus
from wpsgraph.pipeline.incremental.maintain import Delta, apply_delta, graph_triples, maintain
from wpsgraph.pipeline.incremental.patterns import Unbounded
from wpsgraph.pipeline.incremental.plan import FullBuild, Plan, inputs_record, plan
from wpsgraph.pipeline.incremental.reports import merge_reports, old_foci, summary_finding
from wpsgraph.pipeline.incremental.rules import term_rules
from wpsgraph.pipeline.incremental.state import read_state, shape_patterns, write_state
from wpsgraph.pipeline.load import Loaded, country_graph_quads, load
from wpsgraph.pipeline.reason import _schema_in_data, rules_for
from wpsgraph.validation import prepared
from wpsgraph.validation.findings import Report, term_text


def try_update(data_files: Sequence[Path] | None, out: Path, names: Names, say: Callable[[str], None],
               cache_dir: Path | None = None):
    """An incremental update of ``out`` when it can be done; None (after saying why) when a full build is needed."""
    try:
        p = plan(data_files, out, names)
        if not p.changed:
            say(f"up to date: no data file changed since {out} was built; nothing written")
            return _unchanged(out, p.manifest)
        return update(p, say, cache_dir)
    except FullBuild as e:
        if (out / "manifest.json").exists():
            say(f"full build: {e}")
        return None


def _unchanged(out: Path, manifest: dict):
    from wpsgraph.pipeline.build import OUTPUTS, BuildResult

    old = json.loads((out / OUTPUTS["findings"]).read_text(encoding="utf-8"))
    report = Report([summary_finding(r) for r in old["results"]], old["checked_triples"])
    return BuildResult(out, report, manifest["counts"], {}, manifest.get("reasoner", ""))


@contextlib.contextmanager
def _timed(timings: dict, stage: str) -> Iterator[None]:
    clock = time.perf_counter()
    yield
    timings[stage] = time.perf_counter() - clock


def update(p: Plan, say: Callable[[str], None], cache_dir: Path | None = None):
    """Bring the build in ``p.out`` up to date; returns a BuildResult."""
    from wpsgraph.folders import staging_folder
    from wpsgraph.pipeline.build import OUTPUTS, STORE_DIR, BuildResult, _swap  # build imports this package

    names, out = p.names, p.out
    timings: dict[str, float] = {}
    with _timed(timings, "load"):
        loaded, new_graphs = load_changed(p)
    say(f"load: {_changed_files(p)} ({timings['load']:.2f} s)")

    tmp = staging_folder(out)
    try:
        with _timed(timings, "prepare"):
            ox.Store.read_only(str(out / STORE_DIR)).backup(str(tmp / STORE_DIR))
            store = ox.Store(str(tmp / STORE_DIR))
            codes = countries_now(store, p, loaded)
            new_graphs[names.countries_graph] = {
                (q.subject, q.predicate, q.object) for q in country_graph_quads(codes, names)}
            state = read_state(out / OUTPUTS["incremental"])
            compiled = rules_for(Loaded(store, names), cache_dir, offered=state.get("rules"))
            rules = term_rules(compiled)

        with _timed(timings, "reason"):
            delta = maintain(store, names, rules, new_graphs)
        say(f"reason: +{len(delta.inferred_added)} -{len(delta.inferred_removed)} inferred triples "
            f"({timings['reason']:.2f} s)")

        with _timed(timings, "store"):
            try:
                patterns: set | None = shape_patterns(state, names, cache_dir)
            except Unbounded as e:
                say(f"validate: every focus node ({e})")
                patterns = None
            focus = change_store(store, names, out, delta, patterns)

        graphs = graphs_now(p)
        with _timed(timings, "validate"):
            focus, merged, checked = _validate(store, p, graphs, codes, delta, focus, patterns, tmp)
        c = merged["counts"]
        say(f"validate: {len(focus)} focus node(s) again; {c['violation']} violation(s), {c['warning']} warning(s) "
            f"({timings['validate']:.2f} s)")

        with _timed(timings, "write"):
            prefixes = names.prefixes()
            splice_dataset(out / OUTPUTS["dataset"], tmp / OUTPUTS["dataset"], store, new_graphs, prefixes)
            splice_inferred(out / OUTPUTS["inferred"], tmp / OUTPUTS["inferred"], store, names, delta, prefixes)
            counts = _counts(p, graphs, new_graphs, delta)
            # what a first ``validate FILE --db`` reads, changed where the update changed the graph
            lists_kept = prepared.refresh(out, tmp, store, delta.triples())
        manifest = _manifest(p, graphs, codes, counts, timings, focus)
        (tmp / OUTPUTS["manifest"]).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        if lists_kept:
            prepared.seal(tmp)
        write_state(tmp / OUTPUTS["incremental"], compiled, patterns)
        del store
        _swap(tmp, out)
        say(f"write: {out} updated ({timings['write']:.2f} s)")
    except BaseException as e:
        # The staged store holds a RocksDB lock until it is freed: drop every reference to it (this frame's and
        # the failed calls') before removing it, so that a retry in this process can open the same path.
        store = None  # noqa: F841
        traceback.clear_frames(e.__traceback__)
        gc.collect()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    report = Report([], checked)
    report.findings = [summary_finding(r) for r in merged["results"]]
    return BuildResult(out, report, counts, timings, "compiled")


def load_changed(p: Plan) -> tuple[Loaded, dict]:
    """The changed files loaded, with the same checks as a full build, and graph -> its triples now (an empty
    set for a removed file)."""
    loaded = load([path for g, path in p.order if g in p.changed], p.names)
    if _schema_in_data(loaded):
        raise FullBuild("schema statements in the data (owlrl reasons)")
    return loaded, {g: graph_triples(loaded.store, g) if path is not None else set() for g, path in p.changed.items()}


def _changed_files(p: Plan) -> str:
    named = ", ".join(f"removed {g.value}" if path is None else Path(path).name
                      for g, path in list(p.changed.items())[:5])
    return f"{len(p.changed)} changed file(s) of {len(p.order)}: {named}" + (" ..." if len(p.changed) > 5 else "")


def countries_now(store: ox.Store, p: Plan, loaded: Loaded) -> list:
    """The country codes mentioned now, sorted: the changed files' ones, and the previous ones still mentioned in
    a graph that is not replaced."""
    names = p.names
    codes = set(loaded.countries)
    replaced = set(p.changed) | {names.countries_graph, names.inferred_graph}
    prefix = names.id + "country/"
    kept = [g for g in store.named_graphs() if g not in replaced]
    for code in p.manifest["inputs"]["countries"]:
        if code not in codes and _mentioned(store, ox.NamedNode(prefix + code), kept):
            codes.add(code)
    return sorted(codes)


def _mentioned(store: ox.Store, node: ox.NamedNode, graphs: list) -> bool:
    """Whether one of ``graphs`` has a statement about ``node`` or pointing to it: two lookups per graph, not a walk
    through every statement naming the node (at a million triples a country is named by thousands, most of them
    in the inferred graph)."""
    return any(next(store.quads_for_pattern(node, None, None, g), None) is not None
               or next(store.quads_for_pattern(None, None, node, g), None) is not None for g in graphs)


def change_store(store: ox.Store, names: Names, out: Path, delta: Delta, patterns: set | None) -> set:
    """Make the change in ``store``; returns the focus nodes whose results it can change (none when every node is
    validated again: ``patterns`` None), found before and after it."""
    changed = delta.triples()
    focus = affected_focus(changed, patterns, store) if patterns is not None else set()
    apply_delta(store, names, delta)
    if patterns is not None:
        focus |= affected_focus(changed, patterns, store)
    for s, _, o in delta.asserted_triples():
        focus |= {s, o}  # where their findings are located may change
    focus |= old_foci(out, {term_text(f) for f in focus})
    store.flush()
    return focus


def graphs_now(p: Plan) -> dict:
    """Graph -> its file (None when generated) of the build after the update, in load order."""
    graphs: dict = {p.names.ontology_graph: next(iter(resources.ontology_files()), None)}
    graphs.update(dict(p.order))
    graphs[p.names.countries_graph] = None
    return graphs


def _validate(store: ox.Store, p: Plan, graphs: dict, codes: list, delta: Delta, focus: set,
              patterns: set | None, tmp: Path) -> tuple[set, dict, int]:
    """Validate ``focus`` again (every node when ``patterns`` is None) and write the previous reports with their
    results replaced into ``tmp``: (the focus nodes validated again, the merged JSON report, triples checked)."""
    from wpsgraph.pipeline.build import OUTPUTS
    from wpsgraph.validation.engines import run_fast
    from wpsgraph.validation.locate import locate

    view = Loaded(store, p.names, graphs, codes)
    findings = run_fast(store, [resources.DATA_SHAPES], p.names, focus=None if patterns is None else focus,
                        data=None if patterns is None else NearData(store, focus, patterns))
    previous = json.loads((p.out / OUTPUTS["findings"]).read_text(encoding="utf-8"))
    if patterns is None:
        focus = {f.focus_node for f in findings} | old_foci(p.out, {r["focus"] for r in previous["results"]})
    checked = checked_after(previous, delta)
    partial = Report(findings, checked)
    locate(partial.findings, view)
    return focus, merge_reports(p.out, tmp, partial, focus, checked), checked


def checked_after(previous: dict, delta: Delta) -> int:
    """The statements validated after ``delta``: the previous report's (its JSON), changed by it."""
    return previous["checked_triples"] + delta.asserted_change() + delta.inferred_change()


def _counts(p: Plan, graphs: dict, new_graphs: dict, delta: Delta) -> dict:
    """The manifest's counts after the update: the previous ones, changed by ``delta``."""
    before = p.manifest["counts"]
    per_graph = dict(before["graphs"])
    for g in new_graphs:
        n = per_graph.get(g.value, 0) + len(delta.asserted_added[g]) - len(delta.asserted_removed[g])
        per_graph.pop(g.value, None)
        if n:
            per_graph[g.value] = n
    order = [g.value for g in graphs if g != p.names.inferred_graph]
    per_graph = {g: per_graph[g] for g in order if g in per_graph}
    return {"asserted": sum(per_graph.values()), "inferred": before["inferred"] + delta.inferred_change(),
            "graphs": per_graph}


def _manifest(p: Plan, graphs: dict, codes: list, counts: dict, timings: dict, focus: set) -> dict:
    files = [[g.value, str(Path(path).resolve()), p.hashes[g.value]] for g, path in p.order]
    return {**p.manifest,
            "files": {g.value: (str(path) if path else "generated") for g, path in graphs.items()},
            "counts": counts, "seconds": {k: round(v, 3) for k, v in timings.items()},
            "update": {"changed": {g.value: (str(path) if path else None) for g, path in p.changed.items()},
                       "focus_nodes": len(focus)},
            "inputs": inputs_record(p.names, files, codes)}
