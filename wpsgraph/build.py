"""The whole pipeline: load → reason → validate → write, into an output folder that appears whole or not at all."""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import pyoxigraph as ox

from . import __version__
from .errors import InputError
from .load import Loaded, load
from .namespaces import Names
from .reason import reason
from .validate import Report, validate

STORE_DIR = "store"
OUTPUTS = {
    "dataset": "dataset.trig",        # asserted triples, a named graph per source
    "inferred": "inferred.ttl",       # OWL RL entailments only
    "report": "validation.ttl",       # the SHACL validation report
    "findings": "validation.json",    # the same, as plain findings
    "manifest": "manifest.json",      # counts, timings, versions
}


@dataclass
class BuildResult:
    out: Path
    report: Report
    counts: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)
    engine: str = ""


def in_memory(data_files: Sequence[Path] | None = None, names: Names | None = None) -> Loaded:
    """Load and reason into an in-memory store: what `query` uses when no --db is given."""
    loaded = load(data_files, names)
    reason(loaded)
    return loaded


def build(data_files: Sequence[Path] | None = None, out: Path = Path("build"), names: Names | None = None,
          progress: Callable[[str], None] | None = None) -> BuildResult:
    names = names or Names()
    out = Path(out)
    say = progress or (lambda _msg: None)
    tmp = out.parent / f".{out.name}.partial-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    timings: dict[str, float] = {}
    try:
        clock = time.perf_counter()
        store = ox.Store(str(tmp / STORE_DIR))
        loaded = load(data_files, names, store)
        timings["load"] = time.perf_counter() - clock
        say(f"load: {len(store)} asserted triples in {len(loaded.graphs)} graphs ({timings['load']:.2f} s)")

        clock = time.perf_counter()
        reasoned = reason(loaded)
        timings["reason"] = time.perf_counter() - clock
        say(f"reason: {reasoned.inferred} inferred triples, {reasoned.engine} engine ({timings['reason']:.2f} s)")

        clock = time.perf_counter()
        report = validate(loaded)
        timings["validate"] = time.perf_counter() - clock
        c = report.counts()
        say(f"validate: {c['violation']} violation(s), {c['warning']} warning(s) ({timings['validate']:.2f} s)")

        clock = time.perf_counter()
        counts = _write(loaded, report, tmp)
        timings["write"] = time.perf_counter() - clock
        _write_manifest(tmp, loaded, counts, timings, reasoned)
        store.flush()
        del store, loaded
        _swap(tmp, out)
        say(f"write: {out} ({timings['write']:.2f} s)")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BuildResult(out, report, counts, timings, reasoned.engine)


def _write(loaded: Loaded, report: Report, folder: Path) -> dict:
    store, names = loaded.store, loaded.names
    inferred = names.inferred_graph
    prefixes = names.prefixes()
    asserted = [q for q in store.quads_for_pattern(None, None, None, None) if q.graph_name != inferred]
    with open(folder / OUTPUTS["dataset"], "wb") as f:
        ox.serialize(asserted, f, format=ox.RdfFormat.TRIG, prefixes=prefixes)
    inferred_triples = [ox.Triple(q.subject, q.predicate, q.object)
                        for q in store.quads_for_pattern(None, None, None, inferred)]
    with open(folder / OUTPUTS["inferred"], "wb") as f:
        ox.serialize(inferred_triples, f, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    report.report_graph.serialize(folder / OUTPUTS["report"], format="turtle")
    (folder / OUTPUTS["findings"]).write_text(json.dumps(report.as_dict(), indent=1), encoding="utf-8")
    per_graph: dict[str, int] = {}
    for q in asserted:
        per_graph[q.graph_name.value] = per_graph.get(q.graph_name.value, 0) + 1
    return {"asserted": len(asserted), "inferred": len(inferred_triples), "graphs": per_graph}


def _write_manifest(folder: Path, loaded: Loaded, counts: dict, timings: dict, reasoned) -> None:
    manifest = {
        "wpsgraph": __version__,
        "base": loaded.names.base,
        "files": {g.value: (str(p) if p else "generated") for g, p in loaded.graphs.items()},
        "inferred_graph": loaded.names.inferred_graph.value,
        "reasoner": reasoned.engine,
        "counts": counts,
        "seconds": {k: round(v, 3) for k, v in timings.items()},
    }
    (folder / OUTPUTS["manifest"]).write_text(json.dumps(manifest, indent=1), encoding="utf-8")


def _swap(tmp: Path, out: Path) -> None:
    """Replace ``out`` by ``tmp`` so that readers never see a half-written build."""
    if out.exists():
        if not (out / OUTPUTS["manifest"]).exists() and any(out.iterdir()):
            raise InputError(out, "exists and is not a wpsgraph build folder; refusing to replace it")
        old = out.parent / f".{out.name}.old-{os.getpid()}"
        out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(out)


def open_store(db: Path) -> ox.Store:
    """Open a built store read-only; ``db`` is the build folder or its store folder."""
    db = Path(db)
    path = db / STORE_DIR if (db / STORE_DIR).is_dir() else db
    if not path.is_dir():
        raise InputError(db, "no built store here: run 'wpsgraph build --out DIR' first")
    try:
        return ox.Store.read_only(str(path))
    except OSError as e:
        raise InputError(db, f"cannot open the store: {e}") from None


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
