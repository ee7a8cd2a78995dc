"""The dumps of an update: ``dataset.trig`` and ``inferred.ttl`` spliced, not written again whole.

The blocks of the changed graphs (TriG), or of the subjects whose inferred statements changed (Turtle), are cut
from the previous dump and written anew at its end; the rest is copied as it is.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from wpsgraph.namespaces import RDF_TYPE, Names
from wpsgraph.pipeline.incremental.maintain import Delta


def _key(term, prefixes: dict) -> bytes:
    """The text Oxigraph writes for ``term`` as a subject or graph name, with these prefixes."""
    text = ox.serialize([ox.Triple(term, RDF_TYPE, RDF_TYPE)], format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
    return _strip_prefixes(text).split(b" ", 1)[0]


def _strip_prefixes(text: bytes) -> bytes:
    return b"".join(line for line in text.splitlines(keepends=True) if not line.startswith(b"@prefix "))


def _keys_pattern(keys: set, terminator: bytes) -> re.Pattern:
    """A pattern for a block opened by one of ``keys``: the keys as a trie, so that each line start costs a few
    byte comparisons however many keys there are."""
    trie: dict = {}
    for key in keys:
        node = trie
        for byte in key:
            node = node.setdefault(byte, {})
        node[None] = {}

    def emit(node: dict) -> bytes:
        branches = [re.escape(bytes([b])) + emit(child) for b, child in sorted(
            (b, c) for b, c in node.items() if b is not None)]
        if not branches:
            return b""
        if len(branches) == 1 and None not in node:
            return branches[0]
        group = b"(?:" + b"|".join(branches) + b")"
        return group + b"?" if None in node else group

    return re.compile(b"\n(" + emit(trie) + b")" + re.escape(terminator))


def splice(path: Path, target: Path, keys: set, blocks: bytes, trig: bool = False) -> None:
    """Write ``target``: the dump at ``path`` (Turtle, or TriG) less its blocks opened by one of ``keys`` (a
    subject, or a graph name), then ``blocks``."""
    data = path.read_bytes()
    cuts = []
    if keys:
        wanted = _keys_pattern(keys, b" {\n" if trig else b" ")
        head = wanted.match(b"\n" + data[:4096])
        starts = ([0] if head is not None else []) + [m.start() + 1 for m in wanted.finditer(data)]
        for start in starts:
            if trig:  # a graph's block ends with a line "}"
                end = data.find(b"\n}\n", start)
                cuts.append((start, end + 3 if end >= 0 else len(data)))
            else:     # a subject's block ends where the next line that is not indented starts
                following = _TTL_START.search(data, start + 1)
                cuts.append((start, following.start() + 1 if following else len(data)))
    # One write of the kept pieces (views, not copies): a hub written line by line by earlier updates can be cut in
    # tens of thousands of places.
    view = memoryview(data)
    kept: list[bytes | memoryview] = []
    at = 0
    for start, end in cuts:
        kept.append(view[at:start])
        at = end
    kept.append(view[at:])
    if blocks:
        if not data.endswith(b"\n"):
            kept.append(b"\n")
        kept.append(blocks)
    with open(target, "wb") as f:
        f.write(b"".join(kept))


_TTL_START = re.compile(rb"\n[^\t\n@]")


def splice_dataset(old: Path, new: Path, store: ox.Store, graphs, prefixes: dict) -> None:
    """``new``: the TriG dump ``old`` with the blocks of ``graphs`` written from ``store`` as they are now."""
    fresh = [q for g in graphs for q in store.quads_for_pattern(None, None, None, g)]
    splice(old, new, {_key(g, prefixes) for g in graphs},
           _strip_prefixes(ox.serialize(fresh, format=ox.RdfFormat.TRIG, prefixes=prefixes) or b""), trig=True)


def splice_inferred(old: Path, new: Path, store: ox.Store, names: Names, delta: Delta, prefixes: dict) -> None:
    """``new``: the Turtle dump ``old`` of the inferred graph, changed by ``delta``."""
    # A subject that lost inferred statements is written anew (its blocks cut, its statements now appended);
    # one that only gained some gets them appended (Turtle lets a subject open several blocks).
    rewritten = {t[0] for t in delta.inferred_removed}
    appended = sorted((ox.Triple(*t) for t in delta.inferred_added if t[0] not in rewritten), key=str)
    text = _inferred_text(store, names.inferred_graph, rewritten)
    if appended:  # sorted: a block per subject
        text += ox.serialize(appended, format=ox.RdfFormat.TURTLE) or b""
    splice(old, new, {_key(s, prefixes) for s in rewritten} | {str(s).encode() for s in rewritten}, text)


def _inferred_text(store: ox.Store, graph: ox.NamedNode, subjects: set) -> bytes:
    """The statements of ``subjects`` in ``graph``, as Turtle without prefixes, written by Oxigraph: a subject's
    statements make one block (a line each, as N-Triples, would have a later update cut them one by one)."""
    iris = sorted((s for s in subjects if isinstance(s, ox.NamedNode)), key=lambda s: s.value)
    parts = []
    for i in range(0, len(iris), 2000):
        values = " ".join(str(iri) for iri in iris[i:i + 2000])
        result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ VALUES ?s {{ {values} }} "
                             f"?s ?p ?o }} }}")
        assert isinstance(result, ox.QueryTriples)
        parts.append(result.serialize(format=ox.RdfFormat.TURTLE) or b"")
    others = [ox.Triple(q.subject, q.predicate, q.object) for s in subjects if not isinstance(s, ox.NamedNode)
              for q in store.quads_for_pattern(s, None, None, graph)]
    if others:
        parts.append(ox.serialize(others, format=ox.RdfFormat.N_TRIPLES) or b"")
    return b"".join(parts)
