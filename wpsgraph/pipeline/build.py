"""The whole pipeline: load → reason → validate → write, into an output folder that appears whole or not at all."""

from __future__ import annotations

import itertools
import json
import queue
import shutil
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from wpsgraph import __version__
from wpsgraph.bulk import load_keeping_blank_nodes, split_blank_lines
from wpsgraph.errors import InputError
from wpsgraph.folders import replace_folder, staging_folder
from wpsgraph.namespaces import DEFAULT_BASE, Names
from wpsgraph.pipeline.incremental import manifest_inputs, try_update, write_state
from wpsgraph.pipeline.load import Loaded, graph_for, load, read_data_file
from wpsgraph.pipeline.reason import reason
from wpsgraph.pipeline.stable import graph_quads, has_blank_nodes, stable_turtle, write_stable_turtle, write_turtle
from wpsgraph.validation import prepared
from wpsgraph.validation.engines import validate
from wpsgraph.validation.findings import Report
from wpsgraph.validation.held import entailments_read
from wpsgraph.validation.reports.jsonreport import report_dict

STORE_DIR = "store"
OUTPUTS = {
    "dataset": "dataset.trig",        # asserted triples, a named graph per source
    "inferred": "inferred.ttl",       # OWL RL entailments only
    "report": "validation.ttl",       # the SHACL validation report
    "findings": "validation.json",    # the same, as plain findings
    "manifest": "manifest.json",      # counts, timings, versions
    "incremental": "incremental.json",  # what an update needs: the compiled rules, the shapes' read patterns
}
# and prepared/ (validation/prepared.py): what a first `validate FILE --db` would otherwise work out


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
    reason(loaded, schema_checked=True)
    return loaded


def build(data_files: Sequence[Path] | None = None, out: Path = Path("build"), names: Names | None = None,
          progress: Callable[[str], None] | None = None, incremental: bool = True) -> BuildResult:
    """Load, reason, validate and write ``out``.

    When ``out`` is a previous build and only data files changed, it is updated instead (``pipeline/incremental/``);
    ``incremental=False`` always builds anew.

    The work happens in an in-memory Oxigraph store; the on-disk store that ``query --db`` opens is written by a
    background thread (Oxigraph's dump and bulk loader release the GIL; the reasoner and validator are Python):
    the large data files from their own bytes while the same bytes are parsed into memory, the other asserted
    graphs while the reasoner runs, the inferred graph while the in-memory store loads it and the validator runs,
    compacted while the dumps are written.
    """
    names = names or Names()
    out = Path(out)
    say = progress or (lambda _msg: None)
    if incremental:
        updated = try_update(data_files, out, names, say, rules_cache())
        if updated is not None:
            return updated
    tmp = staging_folder(out)
    timings: dict[str, float] = {}
    writer = None
    try:
        clock = time.perf_counter()
        direct = _direct_files(data_files, names)
        writer = _StoreWriter(tmp / STORE_DIR, names.inferred_graph,
                              direct=[(graph, *read) for (graph, _), read in direct.items()])
        if direct:
            say(f"store: loading {len(direct)} large file(s) on disk in the background")
        read = {path: text for (_, path), text in direct.items()}
        direct.clear()  # the texts are held by ``read`` and the writer only, each let go once parsed or loaded
        loaded = load(data_files, names, read=read)
        del read
        store = loaded.store
        timings["load"] = time.perf_counter() - clock
        size = len(store)
        say(f"load: {size} asserted triples in {len(loaded.graphs)} graphs ({timings['load']:.2f} s)")
        large = size > LARGE or bool(writer.direct_graphs)
        writer.asserted(store, whole=not large)
        if large:
            say("store: writing the asserted graphs on disk in the background")

        clock = time.perf_counter()
        if large:
            say("reason: OWL 2 RL ...")
        # Large: the inferred graph goes to the store on disk (``sink``) and to its Turtle file (``dump``) from the
        # reasoner's text, and the in-memory store holds only what validation and ``prepared/`` read of it.
        reasoned = reason(loaded, rules_cache(), sink=writer.take if large else None, schema_checked=True,
                          dump=partial(write_turtle, path=tmp / OUTPUTS["inferred"], prefixes=names.prefixes())
                          if large else None, hold=entailments_read(names) if large else None)
        timings["reason"] = time.perf_counter() - clock
        say(f"reason: {reasoned.inferred} inferred triples, {reasoned.engine} engine ({timings['reason']:.2f} s)")
        writer.inferred_ready()
        if large:
            say("store: writing the inferred graph on disk in the background")
        # What ``validate FILE --db`` would otherwise read from the store on disk on its first run; written now, so
        # that the lists the reasoner gave are let go of before validation builds its indexes (counted as writing).
        clock = time.perf_counter()
        prepared.write(store, names, [p for p in loaded.graphs.values() if p is not None], tmp / prepared.FOLDER,
                       rules_cache(), reasoned.lists)
        reasoned.lists.clear()
        preparing = time.perf_counter() - clock

        clock = time.perf_counter()
        if large:
            say(f"validate: {size + reasoned.inferred} triples ...")
        report = validate(loaded, triples=size + reasoned.inferred if reasoned.dumped else None)
        timings["validate"] = time.perf_counter() - clock
        c = report.counts()
        say(f"validate: {c['violation']} violation(s), {c['warning']} warning(s) ({timings['validate']:.2f} s)")

        clock = time.perf_counter()
        counts = _write(loaded, report, tmp, writer.without_blank_nodes(), reasoned.inferred)
        # The inferred graph's Turtle, from the in-memory store: reading 2M statements back from the on-disk one
        # costs seven times as much.
        if not reasoned.dumped:
            write_stable_turtle(store, names.inferred_graph, tmp / OUTPUTS["inferred"], names.prefixes(),
                                reasoned.ordered)
        if large:
            say(f"write: dataset, inferred graph and report written ({time.perf_counter() - clock:.2f} s); "
                "waiting for the store on disk ...")
        manifest = _manifest(loaded, counts, reasoned)
        # Let go of the in-memory store (a second at a million triples) while the store on disk is still compacting
        # on the other core; the writer lets go of it too once it has copied what it needed.
        del store, loaded
        writer.finish()
        timings["write"] = time.perf_counter() - clock + preparing
        manifest["seconds"] = {k: round(v, 3) for k, v in timings.items()}
        (tmp / OUTPUTS["manifest"]).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        prepared.seal(tmp)
        if reasoned.rules is not None:
            write_state(tmp / OUTPUTS["incremental"], reasoned.rules)
        writer = None
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
    """Writes the on-disk store in a background thread. Small build: all of it in one load once reasoning is done.
    Large build: the large data files straight from their text while the files are parsed into memory
    (``direct``), then the other asserted graphs, then the inferred graph from the spool files the reasoner fills
    (``take``), each loaded once full, then compacted.

    Oxigraph's ``dump`` and ``bulk_load`` release the GIL, so while the validator (Python) runs on one core the
    store is written on the other (``bulk_extend`` from an iterator would wait for the GIL at every quad).
    ``asserted`` gives it the loaded store; ``finish`` waits, flushes and re-raises any error.
    """

    def __init__(self, path: Path, inferred: ox.NamedNode, direct: list | None = None):
        self.path, self.inferred = path, inferred
        self.source: ox.Store | None = None
        self.whole = False
        self.loaded = threading.Event()  # ``source`` and ``whole`` are set
        # (graph, format, bytes) of the large files, bulk-loaded from their text as the main thread parses the
        # same bytes into memory (dropped once loaded); their graphs are then left out of the dump (``_direct``).
        self.direct: list = direct or []
        self.direct_graphs = [graph for graph, _, _ in self.direct]
        # The large files' graphs found to have no blank node, asked once (in ``_direct``, while the writer waits for
        # the reasoner): the dataset's dump needs no relabelling for them either (``without_blank_nodes``).
        self.blank_free: set = set()
        self.checked = threading.Event()
        if not self.direct_graphs:
            self.checked.set()  # nothing to ask
        # The inferred graph's text as the reasoner gives it, in spool files of _DISK_BATCH statements in the
        # staging folder, each queued for a bulk load once full (None: the end); its lines naming a blank node, apart.
        self.spools: queue.Queue = queue.Queue()
        self.spool: BinaryIO | None = None
        self.spool_lines = 0  # statements in the open spool file
        self.spooled = itertools.count()
        self.spools_given = 0  # spool files queued for loading
        self.blank: list[bytes] = []
        self.streamed = False
        self.ready = threading.Event()
        self.cancelled = False
        self.error: BaseException | None = None
        self.writer = _Task(self._run, "wpsgraph-store-writer")

    def asserted(self, source: ox.Store, whole: bool) -> None:
        """The asserted graphs are loaded into ``source`` (``whole``: a small build, written in one load)."""
        self.source, self.whole = source, whole and not self.direct_graphs
        self.loaded.set()

    def _run(self):
        try:
            disk: ox.Store | None = ox.Store(str(self.path))
            try:
                if self.direct_graphs and not self._direct(disk):
                    # A large file has blank nodes, whose labels only the in-memory parse knows, or did not load:
                    # the store is made again from the dump alone.
                    disk = None
                    shutil.rmtree(self.path)
                    disk = ox.Store(str(self.path))
                    self.direct_graphs = []
                self._fill(disk)
            finally:
                disk = None  # closed here, before the thread says it is done, whatever happened
                self.checked.set()
        except BaseException as e:  # re-raised in the main thread by finish()
            traceback.clear_frames(e.__traceback__)  # the traceback must not keep the store open
            self.error = e

    def _direct(self, disk: ox.Store) -> bool:
        """Bulk-load the large files from their text; whether they may stay (no blank node, all loaded)."""
        loaded = True
        while self.direct and loaded and not self.cancelled:
            graph, fmt, data = self.direct.pop(0)
            try:
                # lenient: IRIs and language tags go unchecked here; the in-memory parse of the same bytes checks
                # them, and the build stops (the store on disk discarded) on anything it refuses
                disk.bulk_load(data, format=fmt, to_graph=graph, lenient=True)
            except (SyntaxError, ValueError, OSError):  # the in-memory parse of the same bytes reports it
                loaded = False
            del data
        self.direct.clear()
        self.loaded.wait()
        if self.cancelled or self.source is None:
            return True  # stops in _fill
        self.blank_free = {graph for graph in self.direct_graphs if not has_blank_nodes(self.source, graph)}
        self.checked.set()
        return loaded and set(self.direct_graphs) <= self.blank_free

    def _asserted_text(self) -> bytes:
        """The asserted graphs as N-Quads, but for those loaded from their files."""
        assert self.source is not None
        if not self.direct_graphs:
            # The store is dumped whole: it holds the asserted graphs only until the reasoner loads the inferred
            # one, and should the reasoner be that far already, what the dump holds of it is loaded again below
            # (a quad loaded twice is one quad).
            return self.source.dump(format=ox.RdfFormat.N_QUADS) or b""
        skip = {*self.direct_graphs, self.inferred}
        parts = [self.source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b""]
        for graph in self.source.named_graphs():
            if graph not in skip:
                # N-Triples to N-Quads: " .\n" ends every line and nothing else (a literal's line breaks are
                # escaped, an IRI has no space).
                text = self.source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""
                parts.append(text.replace(b" .\n", f" {graph} .\n".encode()))
        return b"".join(parts)

    def _fill(self, disk: ox.Store) -> None:
        self.loaded.wait()
        if self.whole:
            # Small: every bulk load costs a tenth of a second however small it is (an SST file written and
            # ingested), so the store goes in as one load once reasoning is done, not a load per graph.
            self.ready.wait()
            if self.cancelled:
                return
            assert self.source is not None
            data = self.source.dump(format=ox.RdfFormat.N_QUADS) or b""
            self.source = None  # read no more here: the build lets go of the in-memory store once done with it
            load_keeping_blank_nodes(disk, data, ox.RdfFormat.N_QUADS)
        else:
            # The asserted graphs (but the large files') in one load: a load per graph leaves small sorted runs
            # across the whole key range, which make the final compaction take twice as long.
            if self.cancelled:
                return
            data = self._asserted_text()
            if self.cancelled:
                return
            load_keeping_blank_nodes(disk, data, ox.RdfFormat.N_QUADS)
            del data
            # The inferred graph, a spool file (one bulk-loader batch, see _DISK_BATCH) at a time as the reasoner
            # fills them. Not one load of all of it: a load of several batches parses the next while it writes the
            # last, which holds two in memory (2.7 GiB at the build's peak instead of 2.2), and the main thread,
            # slowed by it, then finishes last; two loads at a time do the same.
            while (spool := self.spools.get()) is not None and not self.cancelled:
                # A spool file means the reasoner streams, so the in-memory store is read here no more: let go of it
                # now, so that freeing it (a second at a million triples) falls to the main thread, which finishes
                # first, and not to this thread between its last load and the compaction.
                self.source = None
                # lenient: the text is Oxigraph's own serialisation of terms it parsed, checked when they were read
                disk.bulk_load(path=str(spool), format=ox.RdfFormat.N_TRIPLES, to_graph=self.inferred, lenient=True)
                spool.unlink()
            if self.cancelled:
                return
            if self.blank:
                load_keeping_blank_nodes(disk, b"".join(self.blank), ox.RdfFormat.N_TRIPLES, to_graph=self.inferred)
            self.ready.wait()
            if self.cancelled:
                return
            if not self.streamed:  # owlrl reasoned: the graph is copied whole
                assert self.source is not None
                _copy_graph(self.source, disk, self.inferred)
            self.source = None
        if not self.whole:
            # The graphs went in as separate bulk loads whose key ranges overlap; compacting them into one sorted
            # run takes a second or two at a million triples and makes every later query about a third faster.
            disk.optimize()
        disk.flush()

    def without_blank_nodes(self) -> set:
        """The large files' graphs known to have no blank node (waits for the writer to have asked)."""
        self.checked.wait()
        return self.blank_free

    def take(self, text: bytes | None, marked: bool = True) -> None:
        """A slice of the inferred graph (N-Triples), for the store (None: the reasoner has given them all); ``marked``:
        whether "_:" is anywhere in it (the reasoner looked: it need not be looked for again here). Spooled
        here, in the reasoner's thread (writing a file takes it a fraction of a second in all), so that it never
        waits for the store's loads."""
        if self.writer.done.is_set() and self.error is not None:
            raise self.error
        self.streamed = True
        if text is not None:
            plain, blank = split_blank_lines(text, marked)
            if blank:
                self.blank.append(blank)
            if self.spool is None:  # open across slices; closed once full, at the end, or by abandon()
                self.spool = open(self.path.parent / f".inferred-{next(self.spooled)}.nt", "wb")  # noqa: SIM115
            self.spool.write(plain if plain.endswith(b"\n") else plain + b"\n")
            self.spool_lines += plain.count(b"\n") + (not plain.endswith(b"\n"))
        # The first file is closed at a quarter of the size, so that the writer can start on the memberships the
        # reasoner gives before its fixpoint (half a million at 1M) as soon as it is done with the large files. (Closed
        # at half the size, the builds measured 1.4-2.7 s slower.)
        full = _DISK_BATCH // 4 if self.spools_given == 0 else _DISK_BATCH
        if self.spool is not None and (text is None or self.spool_lines >= full):
            self.spool.close()
            self.spools.put(Path(self.spool.name))
            self.spools_given += 1
            self.spool, self.spool_lines = None, 0
        if text is None:
            self.spools.put(None)

    def inferred_ready(self):
        """The reasoner has written the inferred graph: copy it too (what was not given slice by slice)."""
        if not self.ready.is_set():
            self.spools.put(None)  # should the reasoner not have said so (the writer stops at the first)
        self.ready.set()

    def finish(self):
        self.inferred_ready()
        self.writer.wait()
        if self.error is not None:
            raise self.error

    def abandon(self):
        self.cancelled = True
        self.loaded.set()
        if self.spool is not None:
            self.spool.close()
        self.spools.put(None)  # a writer waiting for the next spool file stops at once
        self.ready.set()
        self.writer.wait()  # before the staging folder it writes into is removed


# Statements per bulk load of the inferred graph into the on-disk store: Oxigraph's bulk loader sorts and writes
# what it is given a million statements at a time, and every such batch costs about a second of processor time
# whatever its size (at 1M: five loads of 100 MB took 22 s, three of a million statements 19 s); no more than a
# million, as a second batch in the same load doubles the memory the load holds.
_DISK_BATCH = 1_000_000


class _Task:
    """``target`` on a daemon thread, waited for by an event set when it returns rather than by ``Thread.join``
    alone: a join that Ctrl-C or SIGTERM interrupts marks the thread as stopped while it still runs (Python 3.11),
    so the clean-up's join would return at once, with files still being written into the folder it removes."""

    def __init__(self, target: Callable[[], None], name: str):
        self.done = threading.Event()

        def run():
            try:
                target()
            finally:
                self.done.set()

        self.thread = threading.Thread(target=run, name=name, daemon=True)
        self.thread.start()

    def wait(self) -> None:
        self.done.wait()
        self.thread.join()  # it has returned: this only lets the thread end


_DIRECT_BYTES = 4_000_000  # a data file this large is bulk-loaded into the on-disk store from its own text


def _direct_files(data_files: Sequence[Path] | None, names: Names) -> dict:
    """(graph, path) -> (format, bytes) of the large data files the on-disk store can load from their text:
    Turtle or N-Triples read with the default base (another base is rewritten term by term). Their reading errors
    are left for ``load`` to report in its order."""
    if data_files is None or names.base != DEFAULT_BASE:
        return {}
    out = {}
    for path in data_files:
        path = Path(path)
        try:
            if path.stat().st_size < _DIRECT_BYTES or path.suffix.lower() not in (".ttl", ".nt"):
                continue
            graph = graph_for(path, names)
            if graph == names.ontology_graph:  # shared with the shipped ontology's files
                continue
            out[(graph, path)] = read_data_file(path)
        except (OSError, InputError):
            continue
    if len({graph for graph, _ in out}) < len(out):  # two files for one graph: ``load`` refuses them
        return {}
    return out


def _copy_graph(source: ox.Store, disk: ox.Store, graph: ox.NamedNode) -> None:
    """Copy one graph into the on-disk store by Oxigraph's dump and bulk loader, which run without the GIL."""
    data = source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""
    load_keeping_blank_nodes(disk, data, ox.RdfFormat.N_TRIPLES, to_graph=graph)


def _write(loaded: Loaded, report: Report, folder: Path, blank_free: set, n_inferred: int) -> dict:
    """dataset.trig, the report and its findings; the counts (``n_inferred``: as the reasoner counted them)."""
    store, names = loaded.store, loaded.names
    inferred = names.inferred_graph
    prefixes = names.prefixes()
    graphs = [g for g in loaded.graphs if g != inferred]
    # A count per graph, not one grouped by graph: a fifth of the time at a million triples (no hash of the graph
    # name per statement).
    per_graph = {g.value: _count(store, g) for g in graphs}
    per_graph = {g: n for g, n in per_graph.items() if n}
    # The same bytes for the same inputs: quads sorted, blank nodes labelled canonically (stable.py).
    with open(folder / OUTPUTS["dataset"], "wb") as f:
        quads = (graph_quads(store, g, blank=g not in blank_free) for g in sorted(graphs, key=str))
        ox.serialize(itertools.chain.from_iterable(quads), f, format=ox.RdfFormat.TRIG, prefixes=prefixes)
    (folder / OUTPUTS["report"]).write_bytes(stable_turtle(report.report_graph, {
        "sh": "http://www.w3.org/ns/shacl#", "xsd": "http://www.w3.org/2001/XMLSchema#", **prefixes}))
    (folder / OUTPUTS["findings"]).write_text(json.dumps(report_dict(report), indent=1), encoding="utf-8")
    return {"asserted": sum(per_graph.values()), "inferred": n_inferred, "graphs": per_graph}


def _count(store: ox.Store, graph: ox.NamedNode) -> int:
    """The statements in one graph, made the query's default graph by the engine (not pasted into the text): a
    third of the time of binding ?g in a GRAPH pattern, which the engine filters after the scan."""
    rows = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=graph)
    assert isinstance(rows, ox.QuerySolutions)
    row = next(rows, None)
    return int(row["n"].value) if row is not None else 0


def _manifest(loaded: Loaded, counts: dict, reasoned) -> dict:
    """The manifest, its stages' times left to fill in."""
    return {
        "wpsgraph": __version__,
        "base": loaded.names.base,
        "files": {g.value: (str(p) if p else "generated") for g, p in loaded.graphs.items()},
        "inferred_graph": loaded.names.inferred_graph.value,
        "reasoner": reasoned.engine,
        "counts": counts,
        "seconds": {},  # each stage's time, once the store on disk is written
        "inputs": manifest_inputs(loaded),  # what an incremental update compares the files with
    }


def _swap(tmp: Path, out: Path) -> None:
    replace_folder(tmp, out, lambda folder: (folder / OUTPUTS["manifest"]).exists(),
                   InputError(out, "exists and is not a wpsgraph build folder; refusing to replace it"))


def rules_cache() -> Path:
    """Where compiled OWL RL rules are kept between builds (keyed by the ontology's content):
    $WPSGRAPH_CACHE, else the user's cache folder."""
    import os

    if os.environ.get("WPSGRAPH_CACHE"):
        return Path(os.environ["WPSGRAPH_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "wpsgraph"


def open_store(db: Path) -> ox.Store:
    """Open a built store read-only; ``db`` is the build folder or its store folder."""
    from wpsgraph.query import open_db

    return open_db(db)


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
