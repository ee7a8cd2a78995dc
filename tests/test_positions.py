"""The position index finds every statement Oxigraph parses, at the line and column where it is written."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from wpsgraph import resources
from wpsgraph.validation.positions import index_file, index_text, key_of, long_token

from conftest import FIXTURES

FILES = (resources.ontology_files() + resources.reference_files() + resources.source_files()
         + sorted(FIXTURES.rglob("*.ttl")) + [resources.DATA_SHAPES, resources.ONTOLOGY_SHAPES])


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_every_statement_is_indexed(path):
    idx = index_file(path)
    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()))
    assert idx.statements == len(triples)
    for t in triples:
        if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode):
            assert (key_of(t.subject), key_of(t.predicate), key_of(t.object)) in idx.triples, t


TRICKY = '''@prefix ex: <http://example.org/> .
PREFIX x: <http://x.org/>
# a comment with "quotes" and ; , . [ ]
ex:a ex:p """long
string with "quotes" and ; . ]""" ;
     ex:q 'single \\' quote', "tab\\t" , -1.5e3 , true ;
     ex:r [ ex:s ( 1 2 ( x:n ) ) ] .
ex:b ex:p "chat"@FR-ca , "3"^^<http://www.w3.org/2001/XMLSchema#positiveInteger> ; .
[ ex:p ex:c ] ex:q ex:d .
'''


def test_tricky_turtle():
    idx = index_text(TRICKY, "t.ttl")
    ex = "http://example.org/"
    parsed = list(ox.parse(TRICKY.encode(), format=ox.RdfFormat.TURTLE))
    assert idx.statements == len(parsed)
    assert idx.triples[(ex + "a", ex + "q", ("lit", "true", "http://www.w3.org/2001/XMLSchema#boolean", None))] \
        == [(6, 49)]
    assert idx.triples[(ex + "a", ex + "q", ("lit", "single ' quote", "http://www.w3.org/2001/XMLSchema#string",
                                             None))] == [(6, 11)]
    assert idx.triples[(ex + "b", ex + "p", ("lit", "chat", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString",
                                             "fr-ca"))] == [(8, 11)]
    assert idx.subjects[ex + "a"] == (4, 1)
    assert idx.find(ex + "a", ex + "r") == (7, 11)


def test_linear_on_huge_and_deep_input():
    deep = "@prefix : <http://x/> .\n:a :p " + "[ :p " * 20000 + ":b" + " ]" * 20000 + " .\n"
    assert index_text(deep).statements == 20001
    big = '@prefix : <http://x/> .\n:a :p "' + "x" * 5_000_000 + '" .\n'
    assert long_token(big, 1_000_000) == (2, 7)
