"""Moving RDF terms between Oxigraph (fast store) and rdflib (owlrl, pySHACL)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
import rdflib


def to_rdflib(term):
    if isinstance(term, ox.NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return rdflib.BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == "http://www.w3.org/2001/XMLSchema#string":
            return rdflib.Literal(term.value)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(dt))
    raise TypeError(f"unsupported term {term!r}")


def from_rdflib(term):
    if isinstance(term, rdflib.URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, rdflib.BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, rdflib.Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")


def rdflib_graph(triples: Iterable) -> rdflib.Graph:
    """An rdflib graph of Oxigraph triples or quads (graph names dropped)."""
    g = rdflib.Graph()
    add = g.add
    for t in triples:
        add((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)))
    return g


def store_graph(store: ox.Store, graphs=None) -> rdflib.Graph:
    """The union of some (default: all) named graphs of a store, as one rdflib graph."""
    if graphs is None:
        return rdflib_graph(store.quads_for_pattern(None, None, None, None))
    g = rdflib.Graph()
    for name in graphs:
        g += rdflib_graph(store.quads_for_pattern(None, None, None, name))
    return g
