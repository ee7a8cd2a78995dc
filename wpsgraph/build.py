"""The whole pipeline: load → reason → validate → write, into an output folder that appears whole or not at all."""

from __future__ import annotations

import json
import os
import shutil
import itertools
import sys
import threading
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
    """Load, reason, validate and write ``out``.

    The work happens in an in-memory Oxigraph store; the on-disk store that ``query --db`` opens is written by a
    background thread (Oxigraph's bulk loader releases the GIL): the asserted graphs while the reasoner runs,
    the inferred graph while the validator runs. So on two cores writing the store costs little extra time.
    """
    names = names or Names()
    out = Path(out)
    say = progress or (lambda _msg: None)
    tmp = out.parent / f".{out.name}.partial-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    timings: dict[str, float] = {}
    writer = None
    try:
        clock = time.perf_counter()
        loaded = load(data_files, names)
        store = loaded.store
        timings["load"] = time.perf_counter() - clock
        size = len(store)
        say(f"load: {size} asserted triples in {len(loaded.graphs)} graphs ({timings['load']:.2f} s)")
        large = size > LARGE
        writer = _StoreWriter(tmp / STORE_DIR, store, list(loaded.graphs), names.inferred_graph)
        if large:
            say("store: writing the asserted graphs on disk in the background")

        clock = time.perf_counter()
        if large:
            say("reason: OWL 2 RL ...")
        reasoned = reason(loaded)
        timings["reason"] = time.perf_counter() - clock
        say(f"reason: {reasoned.inferred} inferred triples, {reasoned.engine} engine ({timings['reason']:.2f} s)")
        writer.inferred_ready()

        clock = time.perf_counter()
        if large:
            say(f"validate: {size + reasoned.inferred} triples ...")
        report = validate(loaded)
        timings["validate"] = time.perf_counter() - clock
        c = report.counts()
        say(f"validate: {c['violation']} violation(s), {c['warning']} warning(s) ({timings['validate']:.2f} s)")

        clock = time.perf_counter()
        counts = _write(loaded, report, tmp)
        if large:
            say(f"write: dumps written ({time.perf_counter() - clock:.2f} s); waiting for the store on disk ...")
        writer.finish()
        timings["write"] = time.perf_counter() - clock
        _write_manifest(tmp, loaded, counts, timings, reasoned)
        writer = None
        del store, loaded
        _swap(tmp, out)
        say(f"write: {out} ({timings['write']:.2f} s)")
    except BaseException:
        if writer is not None:
            writer.abandon()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BuildResult(out, report, counts, timings, reasoned.engine)


LARGE = 100_000  # asserted triples from which a build prints what it is doing before each long stage


class _StoreWriter:
    """Copies the in-memory store into the on-disk store in a background thread.

    Oxigraph's ``bulk_extend`` releases the GIL, and reads Quad objects (unlike re-parsing a dump, which would
    give blank nodes new identities). The asserted graphs are copied at once; the inferred graph once the
    reasoner has written it (``inferred_ready``). ``finish`` waits for both and flushes.
    """

    def __init__(self, path: Path, source: ox.Store, asserted: list, inferred: ox.NamedNode):
        self.path, self.source, self.asserted, self.inferred = path, source, asserted, inferred
        self.ready = threading.Event()
        self.cancelled = False
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="wpsgraph-store-writer", daemon=True)
        self.thread.start()

    def _run(self):
        try:
            disk = ox.Store(str(self.path))
            for graph in self.asserted:
                if self.cancelled:
                    return
                disk.bulk_extend(self.source.quads_for_pattern(None, None, None, graph))
            self.ready.wait()
            if self.cancelled:
                return
            disk.bulk_extend(self.source.quads_for_pattern(None, None, None, self.inferred))
            disk.flush()
            del disk
        except BaseException as e:  # re-raised in the main thread by finish()
            self.error = e

    def inferred_ready(self):
        self.ready.set()

    def finish(self):
        self.ready.set()
        self.thread.join()
        if self.error is not None:
            raise self.error

    def abandon(self):
        self.cancelled = True
        self.ready.set()
        self.thread.join()


def _write(loaded: Loaded, report: Report, folder: Path) -> dict:
    store, names = loaded.store, loaded.names
    inferred = names.inferred_graph
    prefixes = names.prefixes()
    graphs = [g for g in loaded.graphs if g != inferred]
    per_graph = {g.value: 0 for g in graphs}
    for row in store.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
        per_graph[row["g"].value] = int(row["n"].value)
    n_inferred = per_graph.pop(inferred.value, 0)
    per_graph = {g: n for g, n in per_graph.items() if n}
    # Streamed by Oxigraph's serialisers: the asserted graphs as TriG, the inferred graph as Turtle.
    with open(folder / OUTPUTS["dataset"], "wb") as f:
        ox.serialize(itertools.chain.from_iterable(store.quads_for_pattern(None, None, None, g) for g in graphs),
                     f, format=ox.RdfFormat.TRIG, prefixes=prefixes)
    with open(folder / OUTPUTS["inferred"], "wb") as f:
        store.dump(f, format=ox.RdfFormat.TURTLE, from_graph=inferred, prefixes=prefixes)
    report.report_graph.serialize(folder / OUTPUTS["report"], format="turtle")
    (folder / OUTPUTS["findings"]).write_text(json.dumps(report.as_dict(), indent=1), encoding="utf-8")
    return {"asserted": sum(per_graph.values()), "inferred": n_inferred, "graphs": per_graph}


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
