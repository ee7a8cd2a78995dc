"""Outputs that are the same bytes for the same inputs: quads in a fixed order, blank nodes labelled canonically.

Oxigraph gives every parsed blank node a random label, and neither its in-memory store nor Python's sets keep an
order from run to run; the dumps of a build would differ each time. Here the quads that mention a blank node are
relabelled by RDF Dataset Canonicalization (RDFC-1.0, Oxigraph's own), which depends only on those quads, and the
quads of each graph are sorted by their N-Quads text.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox


def _has_blank(q: ox.Quad) -> bool:
    return isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) \
        or isinstance(q.graph_name, ox.BlankNode)


def stable_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads, blank nodes canonically labelled, sorted by their N-Quads text (call it graph by graph, graphs
    in a fixed order, to keep each graph's quads together, as TriG wants)."""
    plain: list[ox.Quad] = []
    blank: list[ox.Quad] = []
    for q in quads:
        (blank if _has_blank(q) else plain).append(q)
    if blank:
        dataset = ox.Dataset(blank)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        plain += list(dataset)
    plain.sort(key=str)
    return plain


def stable_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The triples of ``quads`` (one graph), in the order of ``stable_quads``."""
    return [ox.Triple(q.subject, q.predicate, q.object) for q in stable_quads(quads)]


def write_stable_turtle(store: ox.Store, graph: ox.NamedNode, path, prefixes: dict[str, str]) -> None:
    """One graph of ``store`` as Turtle at ``path``, in the order of ``stable_quads``."""
    with open(path, "wb") as f:
        ox.serialize(stable_triples(store.quads_for_pattern(None, None, None, graph)), f,
                     format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def stable_turtle(graph, prefixes: dict[str, str]) -> bytes:
    """An rdflib graph (the SHACL report) as Turtle that is the same bytes for the same content."""
    data = graph.serialize(format="nt", encoding="utf-8")
    quads = (ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    return ox.serialize(stable_triples(quads), format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
