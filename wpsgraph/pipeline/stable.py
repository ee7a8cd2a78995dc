"""Outputs that are the same bytes for the same inputs: quads in a fixed order, blank nodes labelled canonically.

Oxigraph gives every parsed blank node a random label, and Python's sets keep no order from run to run (Oxigraph's
in-memory store gives a graph's quads back newest first); the dumps of a build would differ each time. Here the
quads that mention a blank node are relabelled by RDF Dataset Canonicalization (RDFC-1.0, Oxigraph's own), which
depends only on those quads, and the quads of such a graph are sorted by their N-Quads text. A graph without blank
nodes is written in an order that is already stable (``graph_quads``, ``write_stable_turtle``), at no cost.
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


def has_blank_nodes(store: ox.Store, graph: ox.NamedNode) -> bool:
    """Whether a graph of ``store`` mentions a blank node (asked of the engine: no Python loop over the quads)."""
    return bool(store.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) }} }}"))


def graph_quads(store: ox.Store, graph: ox.NamedNode, blank: bool = True) -> Iterable[ox.Quad]:
    """The quads of one graph of the in-memory store in a stable order. A graph without blank nodes keeps the
    store's own order, the order it was loaded in (the same for the same files); one with blank nodes is
    relabelled and sorted (``stable_quads``). ``blank=False``: the caller knows it has none."""
    quads = store.quads_for_pattern(None, None, None, graph)
    return stable_quads(quads) if blank and has_blank_nodes(store, graph) else quads


def write_stable_turtle(store: ox.Store, graph: ox.NamedNode, path, prefixes: dict[str, str], as_stored: bool) -> None:
    """One graph of the in-memory ``store`` as Turtle at ``path``. ``as_stored``: the store gives the graph back in
    a fixed order with no blank node (the compiled reasoner loads it so, ``reason._reason_compiled``), and it is
    dumped as it is; otherwise relabelled and sorted (``stable_quads``)."""
    if as_stored:
        store.dump(str(path), format=ox.RdfFormat.TURTLE, from_graph=graph, prefixes=prefixes)
        return
    with open(path, "wb") as f:
        ox.serialize(stable_triples(store.quads_for_pattern(None, None, None, graph)), f,
                     format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def write_turtle(triples: Iterable[ox.Triple], path, prefixes: dict[str, str]) -> None:
    """Triples already in a stable order, with no blank node (the compiled reasoner's, sorted), as Turtle."""
    with open(path, "wb") as f:
        ox.serialize(triples, f, format=ox.RdfFormat.TURTLE, prefixes=prefixes)


def stable_turtle(graph, prefixes: dict[str, str]) -> bytes:
    """An rdflib graph (the SHACL report) as Turtle that is the same bytes for the same content."""
    data = graph.serialize(format="nt", encoding="utf-8")
    quads = (ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    return ox.serialize(stable_triples(quads), format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
