"""An update tried on a scratch copy of a build and thrown away: how `validate FILE --db BUILD` checks a file that
replaces one of the build's graphs (a contributor's edit of a source the build holds).

A new file only adds statements, and ``validation/against.py`` checks it against the build read-only. A file that
replaces a graph also takes statements away, and what followed from them must be retracted: that is what an
update does (``maintain``: delete and rederive). So the build's store is copied (a RocksDB checkpoint: hard links
where the file system allows), the update's steps run on the copy up to validation, and the copy is removed. The
build itself is only read. The results are those of the focus nodes the change can affect, as for a new file, and
the property test of updates (tests/test_incremental.py) holds these steps to a full rebuild.
"""

from __future__ import annotations

import gc
import json
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from wpsgraph import resources
from wpsgraph.errors import InputError
from wpsgraph.namespaces import Names
from wpsgraph.pipeline.incremental.focus import NearData
from wpsgraph.pipeline.incremental.maintain import maintain
from wpsgraph.pipeline.incremental.patterns import Unbounded
from wpsgraph.pipeline.incremental.plan import FullBuild, Plan, updatable_inputs
from wpsgraph.pipeline.incremental.rules import term_rules
from wpsgraph.pipeline.incremental.state import read_state, shape_patterns
from wpsgraph.pipeline.incremental.update import change_store, checked_after, countries_now, graphs_now, load_changed
from wpsgraph.pipeline.load import Loaded, country_graph_quads, graph_for
from wpsgraph.pipeline.reason import rules_for


def replacing(folder: Path, files: list[Path], names: Names, cache_dir: Path | None) -> tuple | None:
    """(findings, triples checked, focus nodes) of ``files`` put into the build in ``folder`` (at least one of them
    replacing a graph it holds); None when that cannot be done this way (the build was reasoned by owlrl, another
    ontology, shapes or version, a file the loader refuses, a shape whose reading is unbounded): the caller then
    checks against a full copy."""
    from wpsgraph.pipeline.build import OUTPUTS, STORE_DIR
    from wpsgraph.validation import vocabulary
    from wpsgraph.validation.engines import run_fast
    from wpsgraph.validation.locate import locate

    try:
        manifest = json.loads((folder / OUTPUTS["manifest"]).read_text(encoding="utf-8"))
        before = updatable_inputs(manifest, names)
        changed = {graph_for(p, names): Path(p) for p in files}
        new = dict(changed)
        order = [(ox.NamedNode(g), new.pop(ox.NamedNode(g), Path(path))) for g, path, _ in before["files"]]
        order += list(new.items())  # added after the build's files, as a full build given them last would
        p = Plan(folder, names, manifest, order, changed, {})
        loaded, new_graphs = load_changed(p)
        state = read_state(folder / OUTPUTS["incremental"])
        patterns = shape_patterns(state, names, cache_dir)
    except (OSError, ValueError, KeyError, TypeError, InputError, FullBuild, Unbounded):
        return None

    scratch = _scratch(folder)
    store: ox.Store | None = None
    try:
        try:
            ox.Store.read_only(str(folder / STORE_DIR)).backup(str(scratch / STORE_DIR))
        except OSError:  # no room for a copy, say: the caller's full copy in memory needs none
            return None
        store = ox.Store(str(scratch / STORE_DIR))
        codes = countries_now(store, p, loaded)
        new_graphs[names.countries_graph] = {
            (q.subject, q.predicate, q.object) for q in country_graph_quads(codes, names)}
        compiled = rules_for(Loaded(store, names), cache_dir, offered=state.get("rules"))
        delta = maintain(store, names, term_rules(compiled), new_graphs)
        focus = change_store(store, names, folder, delta, patterns)
        # and every resource the files describe or point to, as for a new file: a contributor sees all of them
        focus |= {t for g in changed for s_, _, o in new_graphs[g] for t in (s_, o) if not isinstance(t, ox.Literal)}
        findings = vocabulary.check(store, names, list(changed))  # undeclared terms the files use
        findings += run_fast(store, [resources.DATA_SHAPES], names, focus=focus,
                             data=NearData(store, focus, patterns))
        # located in the files at hand (the build's own may be on another machine)
        graphs = {g: path for g, path in graphs_now(p).items() if path is None or Path(path).exists()}
        locate(findings, Loaded(store, names, graphs, codes))
        previous = json.loads((folder / OUTPUTS["findings"]).read_text(encoding="utf-8"))
        return findings, checked_after(previous, delta), focus
    finally:
        store = None  # the RocksDB lock is let go before the folder is removed
        gc.collect()
        shutil.rmtree(scratch, ignore_errors=True)


def _scratch(folder: Path) -> Path:
    """A staging folder beside the build, as an update's (a checkpoint there is hard links, nearly free; one a
    killed run left is removed by the next), else, when that folder cannot be written, one in the system's
    temporary folder (a copy)."""
    from wpsgraph.folders import OutputError, staging_folder

    try:
        return staging_folder(folder)
    except (OSError, OutputError):
        return Path(tempfile.mkdtemp(prefix="wpsgraph-trial-"))
