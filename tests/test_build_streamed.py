"""A large build writes its on-disk store while it reasons and validates (the asserted graphs in one load, the
inferred graph spooled to files as the reasoner gives it, each file loaded once full, the inferred Turtle on a
thread of its own while the store is finished); a small one writes it once at the end. Both must leave the same
build: the thresholds are lowered here so that the shipped data and a synthetic file take the large path, in many
slices and several disk loads."""

from __future__ import annotations

import signal
import threading
import time

import pyoxigraph as ox
import pytest

from wpsgraph import resources
from wpsgraph.errors import InputError
from wpsgraph.namespaces import Names
from wpsgraph.pipeline import build as build_module
from wpsgraph.pipeline import reason as reason_module
from wpsgraph.pipeline import synth
from wpsgraph.pipeline.build import STORE_DIR, build
from wpsgraph.validation import prepared

DUMPS = ("dataset.trig", "inferred.ttl", "validation.ttl", "validation.json")


def _canonical_store(folder) -> list[str]:
    store = ox.Store.read_only(str(folder / STORE_DIR))
    dataset = ox.Dataset(store.quads_for_pattern(None, None, None, None))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)  # the ontology's lists are blank nodes
    return sorted(map(str, dataset))


def _named_and_blank(nodes) -> tuple:
    return {n for n in nodes if not n.startswith("_:")}, sum(n.startswith("_:") for n in nodes)


def _build(files, out, monkeypatch, streamed: bool, direct: bool = False):
    with monkeypatch.context() as m:
        if streamed:
            m.setattr(build_module, "LARGE", 0)
            m.setattr(build_module, "_DISK_BATCH", 500)     # statements: several spool files, several disk loads
            m.setattr(reason_module, "_CHUNK", 300)         # statements: many slices
        else:
            m.setattr(build_module, "LARGE", 10**12)
        # the synthetic file (a quarter of a megabyte), not the shipped ones (a few kilobytes), loaded from its text
        m.setattr(build_module, "_DIRECT_BYTES", 100_000 if direct else 10**12)
        return build(files, out, incremental=False)


# A blank node whose entailments (its superclasses) land in the inferred graph: loaded from the file's text, the
# on-disk store would give it a label of its own, and the entailments would be about another node.
_BLANK = """
@prefix wps: <https://w3id.org/wpsgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
[] a wps:Person ; rdfs:label "someone unnamed"@en ;
   wps:statedIn <https://w3id.org/wpsgraph/id/source/synthetic-article-1> .
"""


@pytest.mark.parametrize("kind", ["shipped", "synthetic", "synthetic, loaded from its text",
                                  "synthetic with a blank node, loaded from its text"])
def test_streamed_build_equals_the_whole_one(kind, tmp_path, monkeypatch):
    files = None
    if kind.startswith("synthetic"):
        files = resources.reference_files() + [tmp_path / "synthetic.ttl"]
        synth.write(files[-1], 5_000, 3)
        if "blank" in kind:
            files[-1].write_text(files[-1].read_text(encoding="utf-8") + _BLANK, encoding="utf-8")
    direct = "text" in kind
    whole = _build(files, tmp_path / "whole", monkeypatch, streamed=False)
    if direct:
        loaded_from_text = []
        original = build_module._StoreWriter._direct

        def spy(self, disk):
            kept = original(self, disk)
            loaded_from_text.append(kept)
            return kept

        monkeypatch.setattr(build_module._StoreWriter, "_direct", spy)
    streamed = _build(files, tmp_path / "streamed", monkeypatch, streamed=True, direct=direct)
    if direct:  # loaded from the text, and kept unless a blank node forced the store to be made again
        assert loaded_from_text == ["blank" not in kind]
    assert streamed.counts == whole.counts and whole.counts["inferred"] > 1000
    for name in DUMPS:
        assert (tmp_path / "streamed" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name
    # the lists of prepared/, from the store or (streamed) from the reasoner; blank nodes counted (their labels
    # differ from one parse to the next)
    lists = prepared.lists(tmp_path / "whole" / "prepared")
    assert len(lists) > 10 and prepared.lists(tmp_path / "streamed" / "prepared").keys() == lists.keys()
    for key, nodes in prepared.lists(tmp_path / "streamed" / "prepared").items():
        assert _named_and_blank(nodes) == _named_and_blank(lists[key]), key
    quads = _canonical_store(tmp_path / "whole")
    assert _canonical_store(tmp_path / "streamed") == quads
    default = ox.Store.read_only(str(tmp_path / "streamed" / STORE_DIR)).quads_for_pattern(
        None, None, None, ox.DefaultGraph())
    assert next(default, None) is None  # every statement in its named graph
    assert sorted(p.name for p in (tmp_path / "streamed").iterdir()) == sorted(
        p.name for p in (tmp_path / "whole").iterdir())  # the spooled inferred graph is not left behind


@pytest.mark.parametrize("bad", ["<urn:a> <urn:b> oops .", "<urn:a> <urn:b> <http://example.org/{x}> .",
                                 '<urn:a> <urn:b> "x"@1- .'],
                         ids=["syntax", "IRI the lenient load takes", "language tag"])
def test_an_error_in_a_file_loaded_from_its_text_is_reported_by_the_parse(bad, tmp_path, monkeypatch):
    """The on-disk store's load of a large file fails as the in-memory parse of the same bytes does, or (leniently,
    IRIs and language tags unchecked) takes what that parse refuses: either way the error is the parse's (file and
    line), the writer stops, and nothing is left behind."""
    files = resources.reference_files() + [tmp_path / "synthetic.ttl"]
    synth.write(files[-1], 5_000, 3)
    text = files[-1].read_text(encoding="utf-8")
    files[-1].write_text(text + f"\n{bad}\n", encoding="utf-8")
    entries = sorted(p.name for p in tmp_path.iterdir())
    monkeypatch.setattr(build_module, "_DIRECT_BYTES", 100_000)
    with pytest.raises(InputError) as caught:
        build(files, tmp_path / "out", incremental=False)
    assert caught.value.path == str(files[-1]) and caught.value.line == text.count("\n") + 2
    assert sorted(p.name for p in tmp_path.iterdir()) == entries
    assert not [t for t in threading.enumerate() if t.name.startswith("wpsgraph-")]


def test_a_streamed_build_that_fails_leaves_nothing(tmp_path, monkeypatch):
    """A failure after reasoning (the disk writer busy with the spooled inferred graph) stops the writer, removes
    the staging folder and leaves the previous build as it was."""
    out = tmp_path / "out"
    build(None, out, incremental=False)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    entries = sorted(p.name for p in tmp_path.iterdir())

    def fail(_loaded, **_options):
        raise RuntimeError("validation interrupted")

    monkeypatch.setattr(build_module, "LARGE", 0)
    monkeypatch.setattr(reason_module, "_CHUNK", 300)
    monkeypatch.setattr(build_module, "validate", fail)
    with pytest.raises(RuntimeError, match="interrupted"):
        build(None, out, incremental=False)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == entries  # no staging folder left behind
    assert not [t for t in threading.enumerate() if t.name.startswith("wpsgraph-")]



@pytest.mark.parametrize("large", [False, True])
def test_an_interrupted_wait_for_the_writer_still_waits_when_abandoning(large, tmp_path, monkeypatch):
    """Ctrl-C or SIGTERM (raised as KeyboardInterrupt) while the build waits for the store writer: the clean-up
    that follows must wait for the writer too, or it removes the staging folder while files are still being
    written into it, and some are left behind. (Python 3.11's ``Thread.join``, interrupted, marks a running
    thread as stopped, so a second ``join`` returns at once.)"""
    release, written = threading.Event(), threading.Event()
    original = build_module.load_keeping_blank_nodes

    def slow_load(*args, **kwargs):
        release.wait(10)  # the writer busy in the staging folder
        original(*args, **kwargs)
        written.set()

    monkeypatch.setattr(build_module, "load_keeping_blank_nodes", slow_load)
    inferred = Names().inferred_graph
    source = ox.Store()
    source.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"),
                       ox.Literal("x"), inferred))
    writer = build_module._StoreWriter(tmp_path / STORE_DIR, inferred)
    writer.asserted(source, whole=not large)
    previous = signal.signal(signal.SIGUSR1, _raise_keyboard_interrupt)
    try:
        threading.Timer(0.3, signal.pthread_kill, (threading.main_thread().ident, signal.SIGUSR1)).start()
        with pytest.raises(KeyboardInterrupt):
            writer.finish()
    finally:
        signal.signal(signal.SIGUSR1, previous)
    assert not written.is_set()
    threading.Timer(0.5, release.set).start()
    writer.abandon()
    assert written.is_set()  # abandon returned only once the writer was done with the folder


def _raise_keyboard_interrupt(_signum, _frame):
    raise KeyboardInterrupt


@pytest.mark.parametrize("given", [3, 0])
def test_abandoning_while_the_writer_is_busy_stops_it_before_the_queued_spool_files(given, tmp_path, monkeypatch):
    """The build fails while the writer is still loading the asserted graphs, after the reasoner has given
    everything (spool files and the end mark queued) or nothing: the clean-up returns once the writer has stopped
    (not waiting for a spool file that will never come), and the writer loads none of the queued files into the
    folder about to be removed."""
    busy_now, release = threading.Event(), threading.Event()
    original = build_module.load_keeping_blank_nodes

    def busy(*args, **kwargs):
        busy_now.set()
        release.wait(10)
        return original(*args, **kwargs)

    monkeypatch.setattr(build_module, "load_keeping_blank_nodes", busy)
    monkeypatch.setattr(build_module, "_DISK_BATCH", 1)  # a spool file per slice
    writer, _ = _writer_of_one_asserted_statement(tmp_path)
    assert busy_now.wait(10)
    if given:
        for i in range(given):
            writer.take(f"<http://example.org/a{i}> <http://example.org/p> <http://example.org/b> .\n".encode())
        writer.take(None)
    cleaned = threading.Thread(target=writer.abandon, daemon=True)
    cleaned.start()
    threading.Timer(0.3, release.set).start()
    cleaned.join(20)
    assert not cleaned.is_alive() and writer.writer.done.is_set() and writer.error is None
    assert len(list(tmp_path.glob(".inferred-*.nt"))) == given  # none loaded (a loaded one is removed)


def test_which_files_the_store_loads_from_their_own_text(tmp_path, monkeypatch):
    """Large Turtle or N-Triples data files under the default base, each its own graph; not the ontology's graph
    (other files share it), not a file read under another base (its terms are rewritten), not N3."""
    monkeypatch.setattr(build_module, "_DIRECT_BYTES", 1_000)
    big = tmp_path / "big.ttl"
    synth.write(big, 200, 1)
    small = tmp_path / "small.ttl"
    small.write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    n3 = tmp_path / "big.n3"
    n3.write_bytes(big.read_bytes())
    names = Names()
    found = build_module._direct_files([big, small, n3, *resources.ontology_files()], names)
    assert list(found) == [(names.graph_iri("source", "big"), big)]
    assert found[(names.graph_iri("source", "big"), big)] == (ox.RdfFormat.TURTLE, big.read_bytes())
    assert build_module._direct_files(None, names) == {}  # the shipped data: small files
    assert build_module._direct_files([big], Names("https://example.org/wps/")) == {}


@pytest.mark.parametrize("streamed", [True, False])
def test_the_writer_lets_go_of_the_in_memory_store_once_the_reasoner_streams(streamed, tmp_path):
    """Freeing the in-memory store takes a second at a million triples. The writer holds it only as long as it may
    still copy from it: once a spool file shows the reasoner streams, it lets go, so that the main thread's ``del``
    frees it there (the main thread finishes first) and not the writer between its last load and the compaction.
    Without a spool file (owlrl) the writer keeps it until it has copied the inferred graph."""
    writer, source = _writer_of_one_asserted_statement(tmp_path)
    if streamed:
        writer.take(b"<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
        writer.take(None)
        deadline = time.monotonic() + 20
        while (list(tmp_path.glob(".inferred-*.nt")) or writer.source is not None) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert writer.source is None and not writer.writer.done.is_set()  # let go before the reasoner is done
    else:
        time.sleep(0.3)
        assert writer.source is source
    writer.finish()
    assert writer.source is None
    assert len(ox.Store.read_only(str(tmp_path / STORE_DIR))) == (2 if streamed else 1)


def _writer_of_one_asserted_statement(tmp_path):
    """A store writer for a large build, handed an in-memory store of one asserted statement; the writer and that
    store."""
    source = ox.Store()
    source.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"),
                       ox.Literal("asserted"), ox.NamedNode("http://example.org/g")))
    writer = build_module._StoreWriter(tmp_path / STORE_DIR, Names().inferred_graph)
    writer.asserted(source, whole=False)
    return writer, source
