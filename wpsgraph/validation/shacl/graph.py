"""The shapes graph as read from Turtle (rebased under a custom base), and the SHACL vocabulary."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from wpsgraph.namespaces import DEFAULT_BASE, RDF, RDFS, SH, XSD, Names

_SH = SH


RDF_TYPE = ox.NamedNode(RDF + "type")


RDF_FIRST = ox.NamedNode(RDF + "first")


RDF_REST = ox.NamedNode(RDF + "rest")


RDF_NIL = ox.NamedNode(RDF + "nil")


RDF_LANGSTRING = ox.NamedNode(RDF + "langString")


XSD_STRING = ox.NamedNode(XSD + "string")


RDFS_CLASS = ox.NamedNode(RDFS + "Class")


RDFS_SUBCLASSOF = ox.NamedNode(RDFS + "subClassOf")


def sh(local: str) -> ox.NamedNode:
    return ox.NamedNode(_SH + local)


VIOLATION, WARNING, INFO = sh("Violation"), sh("Warning"), sh("Info")


class Unsupported(Exception):
    """The shapes use SHACL this engine does not implement."""


class IllFormed(Unsupported):
    """The shapes graph is not well-formed SHACL (SHACL 3.4: a shape with an invalid parameter value)."""


class ShapesGraph:
    """A small in-memory graph of the shapes: subject -> predicate -> [objects], in file order."""

    def __init__(self, triples: Iterable):
        self.spo: dict = defaultdict(lambda: defaultdict(list))
        self.pos: dict = defaultdict(list)
        for t in triples:
            self.spo[t.subject][t.predicate].append(t.object)
            self.pos[t.predicate].append((t.subject, t.object))

    def objects(self, s, p) -> list:
        return self.spo.get(s, {}).get(p, [])

    def value(self, s, p):
        values = self.objects(s, p)
        return values[0] if values else None

    def subjects(self, p, o) -> list:
        return [s for s, x in self.pos.get(p, ()) if x == o]

    def items(self, head) -> list:
        out, seen = [], set()
        while head is not None and head != RDF_NIL and head not in seen:
            seen.add(head)
            first = self.value(head, RDF_FIRST)
            if first is not None:
                out.append(first)
            head = self.value(head, RDF_REST)
        return out


def load_shapes(paths: Iterable[Path], names: Names | None = None) -> ShapesGraph:
    """Parse shapes files; under a custom base every IRI under the default base is rebased like the data."""
    triples: list[ox.Triple] = []
    for path in paths:
        triples += ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    if names is not None and names.base != DEFAULT_BASE:
        triples = [ox.Triple(names.rebase_term(t.subject), names.rebase_term(t.predicate), names.rebase_term(t.object))
                   for t in triples]
    return ShapesGraph(triples)
