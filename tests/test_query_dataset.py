"""The dataset a query is answered over (wpsgraph/query/dataset.py): FROM clauses read by the lexer, the
entailments' graph IRI standing for the store's default graph, where the build keeps them."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from wpsgraph.namespaces import Names
from wpsgraph.query.dataset import query_dataset
from wpsgraph.query.lexer import dataset_clauses

INFERRED = Names().inferred_name.value
SOURCE = "https://w3id.org/wpsgraph/graph/source/a"


@pytest.mark.parametrize("text, expected", [
    ("SELECT * WHERE { ?s ?p ?o }", ([], [])),
    (f"SELECT * FROM <{INFERRED}> FROM NAMED <{SOURCE}> WHERE {{ ?s ?p ?o }}", ([INFERRED], [SOURCE])),
    ("PREFIX graph: <https://w3id.org/wpsgraph/graph/>\nSELECT * FROM graph:inferred FROM NAMED graph:source/a {}",
     ([INFERRED], [SOURCE])),
    ("select * from named<http://a/b>from<http://c\\u0064> {}", (["http://cd"], ["http://a/b"])),
    # inside a comment, a string or an IRI, FROM is not a clause; an undeclared prefix gives no IRI
    ('# FROM <http://x>\nSELECT ("FROM <http://y>" AS ?t) WHERE { ?s <http://z/FROM> ?o }', ([], [])),
    ("SELECT * FROM nope:g {}", ([], [])),
])
def test_dataset_clauses_are_read_where_they_are_sparql(text, expected):
    assert dataset_clauses(text) == expected


def test_the_union_unless_the_query_or_the_protocol_names_a_dataset():
    assert query_dataset("SELECT * { ?s ?p ?o }", INFERRED) == {"use_default_graph_as_union": True}
    # FROM clauses without the entailments' IRI: Oxigraph reads them from the query itself
    assert query_dataset(f"SELECT * FROM <{SOURCE}> {{ ?s ?p ?o }}", INFERRED) == {}


def test_the_entailments_iri_stands_for_the_default_graph():
    given = query_dataset(f"SELECT * FROM <{INFERRED}> FROM <{SOURCE}> FROM NAMED <{SOURCE}> {{}}", INFERRED)
    assert given == {"default_graph": [ox.DefaultGraph(), ox.NamedNode(SOURCE)], "named_graphs": [ox.NamedNode(SOURCE)]}
    # the protocol's parameters replace the query's clauses; among named graphs the IRI stays a name
    given = query_dataset(f"SELECT * FROM <{SOURCE}> {{}}", INFERRED, [INFERRED], [INFERRED])
    assert given == {"default_graph": [ox.DefaultGraph()], "named_graphs": [ox.NamedNode(INFERRED)]}


def test_answers_on_a_store_with_entailments_in_its_default_graph():
    store = ox.Store()
    s, p = ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p")
    store.add(ox.Quad(s, p, ox.Literal("entailed"), ox.DefaultGraph()))
    store.add(ox.Quad(s, p, ox.Literal("stated"), ox.NamedNode(SOURCE)))

    def values(text, *protocol):
        return sorted(row[0].value for row in store.query(text, **query_dataset(text, INFERRED, *protocol)))

    assert values("SELECT ?o { ?s ?p ?o }") == ["entailed", "stated"]
    assert values(f"SELECT ?o FROM <{INFERRED}> {{ ?s ?p ?o }}") == ["entailed"]
    assert values(f"SELECT ?o FROM <{SOURCE}> {{ ?s ?p ?o }}") == ["stated"]
    assert values(f"SELECT ?o FROM <{INFERRED}> {{ GRAPH ?g {{ ?s ?p ?o }} }}") == []
    assert values("SELECT ?o { ?s ?p ?o }", [INFERRED]) == ["entailed"]
    assert values("SELECT ?o { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }") == ["entailed"]
