"""Test-only helpers: the inferred graph of a store, and owlrl's own entailments to compare it with."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from wpsgraph.pipeline.load import Loaded
from wpsgraph.pipeline.reason import is_junk, owlrl_closure
from wpsgraph.terms import rdflib_graph


def owlrl_entailments(loaded: Loaded, keep_junk: bool = False) -> set:
    """The reference: what owlrl itself entails from all asserted graphs of a store, less junk (``is_junk``)."""
    inferred = loaded.names.inferred_graph
    asserted = rdflib_graph(q for q in loaded.store.quads_for_pattern(None, None, None, None)
                            if q.graph_name != inferred)
    closed = owlrl_closure(asserted)
    return {t for t in closed if t not in asserted and (keep_junk or not is_junk(*t))}


def inferred_triples(loaded: Loaded) -> Iterable[ox.Quad]:
    return loaded.store.quads_for_pattern(None, None, None, loaded.names.inferred_graph)
