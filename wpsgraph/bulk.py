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
                             bulk: bool = True, marked: bool = True) -> None:
    """Load N-Triples (into ``to_graph``) or N-Quads ``data`` into ``store``, blank nodes kept as written.

    ``data`` is text Oxigraph wrote (a dump, a query's results, the reasoner's lines made of such terms), whose terms
    were checked when they were first parsed: it is loaded leniently, without checking every IRI again (a quarter
    of the time of loading 2.3 million inferred statements into the in-memory store). ``marked=False``: the
    caller knows that "_:" is nowhere in ``data``."""
    data, blank = split_blank_lines(data, marked)
    if blank:
        parsed = ox.parse(blank, format=format)
        if to_graph is not None:
            store.extend(ox.Quad(t.subject, t.predicate, t.object, to_graph) for t in parsed)
        else:
            store.extend(parsed)
    if not data.strip():
        return
    load = store.bulk_load if bulk else store.load
    if to_graph is not None:
        load(data, format=format, to_graph=to_graph, lenient=True)
    else:
        load(data, format=format, lenient=True)


# A compiled search finds "_:" three times as fast as ``in`` does in text full of "https:" (CPython's substring
# search checks every colon).
_BLANK_MARK = re.compile(rb"_:")


def holds_blank_mark(data: bytes) -> bool:
    """Whether ``data`` holds "_:" anywhere (a blank node, or those characters inside a literal or an IRI)."""
    return _BLANK_MARK.search(data) is not None


def split_blank_lines(data: bytes, marked: bool = True) -> tuple[bytes, bytes]:
    """The lines of N-Triples or N-Quads ``data`` that name no blank node, and those that do. ``marked=False``: the
    caller knows that "_:" is nowhere in ``data`` (it is not looked for again)."""
    if not marked or not holds_blank_mark(data):
        return data, b""
    lines = data.split(b"\n")
    blank = [line for line in lines if b"_:" in line and has_blank(line.decode("utf-8"))]
    if not blank:
        return data, b""
    blank_set = set(blank)
    return b"\n".join(line for line in lines if line not in blank_set), b"\n".join(blank) + b"\n"


def has_blank(line: str) -> bool:
    """Whether an N-Triples or N-Quads line has a blank-node term (not merely "_:" inside a literal or an IRI)."""
    for term in (line.split(" ", 1)[0], line.rsplit(" ", 3)[-3] if not line.rstrip(" .\n").endswith('"') else ""):
        if term.startswith("_:"):
            return True
    return bool(re.search(r'(^|\s)_:[^\s]*\s', _strip_literals(line)))


def _strip_literals(line: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"(\^\^<[^>]*>|@[A-Za-z0-9-]+)?', '""', line)
