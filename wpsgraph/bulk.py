"""One bulk loader that keeps blank nodes.

Oxigraph's loaders (``Store.load``, ``Store.bulk_load``) give every blank node read from text a fresh identity,
so a blank node written on two lines would become two. Lines naming a blank node are parsed instead (parsing
keeps the labels) and added as quads; they are few (RDF lists in the ontology). The rest goes through the loader:
``bulk_load`` (no transaction, releases the GIL) or ``load``.
"""

from __future__ import annotations

import re

import pyoxigraph as ox


def load_keeping_blank_nodes(store: ox.Store, data: bytes, format: ox.RdfFormat, to_graph=None,
                             bulk: bool = True) -> None:
    """Load N-Triples (into ``to_graph``) or N-Quads ``data`` into ``store``, blank nodes kept as written."""
    data = add_blank_lines(store, data, format, to_graph)
    if not data.strip():
        return
    load = store.bulk_load if bulk else store.load
    if to_graph is not None:
        load(data, format=format, to_graph=to_graph)
    else:
        load(data, format=format)


def add_blank_lines(store: ox.Store, data: bytes, format: ox.RdfFormat, to_graph=None) -> bytes:
    """Add the lines of N-Triples (into ``to_graph``) or N-Quads ``data`` that name a blank node to ``store``, as
    parsed quads; the other lines, left for a loader."""
    if b"_:" not in data:
        return data
    lines = data.split(b"\n")
    blank = [line for line in lines if b"_:" in line and has_blank(line.decode("utf-8"))]
    if not blank:
        return data
    blank_set = set(blank)
    parsed = ox.parse(b"\n".join(blank), format=format)
    if to_graph is not None:
        store.extend(ox.Quad(t.subject, t.predicate, t.object, to_graph) for t in parsed)
    else:
        store.extend(parsed)
    return b"\n".join(line for line in lines if line not in blank_set)


def has_blank(line: str) -> bool:
    """Whether an N-Triples or N-Quads line has a blank-node term (not merely "_:" inside a literal or an IRI)."""
    for term in (line.split(" ", 1)[0], line.rsplit(" ", 3)[-3] if not line.rstrip(" .\n").endswith('"') else ""):
        if term.startswith("_:"):
            return True
    return bool(re.search(r'(^|\s)_:[^\s]*\s', _strip_literals(line)))


def _strip_literals(line: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"(\^\^<[^>]*>|@[A-Za-z0-9-]+)?', '""', line)
