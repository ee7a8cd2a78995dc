"""What a change can affect (wpsgraph/validation/shacl/reach.py), on small shapes: a changed statement reaches back
to the focus nodes whose shapes read it, through inverse and sequence paths, nested shapes and the triple patterns
of SPARQL constraints (those in FILTER NOT EXISTS too)."""

from __future__ import annotations

import pyoxigraph as ox

from wpsgraph.validation import shacl as fast
from wpsgraph.validation.shacl import reach

PREFIXES = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"
EX = "http://example.org/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def n(local: str) -> ox.NamedNode:
    return ox.NamedNode(EX + local)


def affected(shapes: str, data: str, changed: list) -> set | None:
    compiled = fast.Compiled(fast.ShapesGraph(ox.parse(PREFIXES + shapes, format=ox.RdfFormat.TURTLE)))
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(PREFIXES + data,
                                                                              format=ox.RdfFormat.TURTLE))
    return reach.restrictions(compiled, store, changed, set())


def test_through_an_inverse_and_sequence_path():
    shapes = "ex:S sh:targetClass ex:F ; sh:property [ sh:path ( [ sh:inversePath ex:p ] ex:q ) ; sh:class ex:C ] ."
    data = "ex:f a ex:F . ex:x ex:p ex:f . ex:x ex:q ex:v . ex:other a ex:F ."
    found = affected(shapes, data, [(n("v"), RDF_TYPE, n("C"))])
    assert n("f") in found and n("other") not in found


def test_through_a_nested_shape():
    shapes = "ex:S sh:targetClass ex:F ; sh:property [ sh:path ex:p ; sh:node ex:T ] . " \
             "ex:T sh:property [ sh:path ex:q ; sh:minCount 1 ] ."
    data = "ex:f a ex:F ; ex:p ex:v . ex:v ex:q ex:w ."
    assert n("f") in affected(shapes, data, [(n("v"), n("q"), n("w"))])


def test_through_a_filter_not_exists_pattern():
    shapes = 'ex:S sh:targetClass ex:F ; sh:sparql [ sh:select """SELECT $this ?v WHERE { $this <http://example.org/r> ?v ' \
             'FILTER NOT EXISTS { ?v <http://example.org/s> ?w } }""" ] .'
    data = "ex:f a ex:F ; ex:r ex:v . ex:v ex:s ex:w . ex:g a ex:F ."
    found = affected(shapes, data, [(n("v"), n("s"), n("w"))])
    assert n("f") in found and n("g") not in found


def test_a_pattern_apart_from_this_is_unbounded():
    shapes = 'ex:S sh:targetClass ex:F ; sh:sparql [ sh:select """SELECT $this WHERE { $this a ?c . ' \
             '?x <http://example.org/r> ?y }""" ] .'
    assert affected(shapes, "ex:f a ex:F .", [(n("x"), n("r"), n("y"))]) is None
