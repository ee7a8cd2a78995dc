"""The one loader of text Oxigraph wrote (``wpsgraph/bulk.py``): blank nodes keep their labels, and loading
leniently (no second check of every IRI) gives the same quads as Oxigraph's strict parser, for every kind of term
the build's dumps, query results and reasoner lines hold."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from wpsgraph.bulk import load_keeping_blank_nodes, split_blank_lines

G = ox.NamedNode("http://example.org/graph")
TERMS = [
    ox.NamedNode("http://example.org/plain"),
    ox.NamedNode("https://w3id.org/wpsgraph/id/person/josé-ñúñez"),   # non-ASCII IRI
    ox.NamedNode("http://example.org/with%20escape?q=1#frag"),
    ox.Literal("text with \"quotes\", a tab\t and a\nnewline"),
    ox.Literal("Mujeres, paz y seguridad", language="es-MX"),
    ox.Literal("5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.Literal("1.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")),
    ox.Literal("2020-10-31", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
    ox.Literal("a literal that says _:b0 is not a blank node"),
    ox.BlankNode("list1"),
]


def _written() -> ox.Store:
    store = ox.Store()
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
    for o in TERMS:
        store.add(ox.Quad(s, p, o, G))
    store.add(ox.Quad(ox.BlankNode("list1"), p, ox.BlankNode("list2"), G))
    return store


@pytest.mark.parametrize("bulk", [True, False])
@pytest.mark.parametrize("fmt", ["nquads", "ntriples"])
def test_lenient_load_of_oxigraphs_own_text_equals_the_strict_parse(tmp_path, bulk, fmt):
    written = _written()
    if fmt == "nquads":
        text = written.dump(format=ox.RdfFormat.N_QUADS) or b""
        strict = set(ox.parse(text, format=ox.RdfFormat.N_QUADS))
        graph = None
    else:
        text = written.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=G) or b""
        strict = {ox.Quad(t.subject, t.predicate, t.object, G) for t in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)}
        graph = G
    into = ox.Store(str(tmp_path / "store")) if bulk else ox.Store()
    load_keeping_blank_nodes(into, text, ox.RdfFormat.N_QUADS if graph is None else ox.RdfFormat.N_TRIPLES,
                             to_graph=graph, bulk=bulk)
    loaded = set(into.quads_for_pattern(None, None, None, None))
    assert loaded == strict == set(written)  # blank nodes too: their labels are kept


def test_split_blank_lines_keeps_literals_that_only_mention_a_label():
    text = _written().dump(format=ox.RdfFormat.N_QUADS) or b""
    plain, blank = split_blank_lines(text)
    assert blank.count(b"\n") == 2                       # the object _:list1 and the statement about it
    assert b"is not a blank node" in plain               # "_:" inside a literal stays with the loader
    assert sorted(plain.split(b"\n") + blank.split(b"\n")) == sorted(text.split(b"\n") + [b""])
