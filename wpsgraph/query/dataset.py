"""The dataset a query is answered over, as Oxigraph's ``Store.query`` takes it: the one place that says how the
entailments' graph IRI (``Names.inferred_name``) reaches the store's default graph, where the build keeps them.

- the protocol's ``default-graph-uri`` / ``named-graph-uri``, when given, name the dataset (SPARQL 1.1 Protocol);
- else the query's FROM / FROM NAMED, when it has any;
- else the default graph is the union of every graph.

Either way, the entailments' IRI among the default graphs stands for the store's default graph. Among the named
graphs it cannot (``GRAPH ?g`` never binds the default graph), so there it names a graph the store does not
have, and a query that must tell the entailments apart within the union writes
``FILTER NOT EXISTS { GRAPH ?g { ... } }``.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from wpsgraph.query.lexer import dataset_clauses, has_dataset


def query_dataset(text: str, inferred: str, default_graphs: Sequence[str] = (),
                  named_graphs: Sequence[str] = ()) -> dict:
    """The keyword arguments of ``Store.query`` for ``text``; ``inferred``: the entailments' graph IRI."""
    if default_graphs or named_graphs:
        return {"default_graph": [_graph(g, inferred) for g in default_graphs],
                "named_graphs": [ox.NamedNode(g) for g in named_graphs]}
    if not has_dataset(text):
        return {"use_default_graph_as_union": True}
    default, named = dataset_clauses(text)
    if inferred not in default:
        return {}  # the query's own FROM clauses, as Oxigraph reads them
    # Given here, the dataset replaces the query's FROM clauses (the protocol's rule), so all of them are given.
    return {"default_graph": [_graph(g, inferred) for g in default], "named_graphs": [ox.NamedNode(g) for g in named]}


def _graph(iri: str, inferred: str) -> ox.NamedNode | ox.DefaultGraph:
    return ox.DefaultGraph() if iri == inferred else ox.NamedNode(iri)
