"""Issue 13, the base IRI bound, never pasted: under ``--base-iri`` only the IRIs of a query (its ``<...>`` tokens,
PREFIX and BASE declarations included) move to the configured base, each written as a term; comments and strings
stay as written, on the embedded engine, rdflib, a remote endpoint and the pySHACL reference's shapes.

The graph under another base is the shipped graph with every term moved by ``Names.rebase_term``, which is what
loading under that base does (``test_data.test_rebased_load_moves_every_iri``)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from wpsgraph import query as q
from wpsgraph import resources
from wpsgraph.cli import main
from wpsgraph.endpoints import remote
from wpsgraph.namespaces import DEFAULT_BASE, Names
from wpsgraph.query.catalogue import read_query
from wpsgraph.query.lexer import mask
from wpsgraph.terms import to_rdflib
from wpsgraph.validation import qc
from wpsgraph.validation.pyshacl_reference import shapes_graph

from conftest import ids
from servers import http, oxigraph

# Legal in an IRI, and each would end or change a query pasted with it: ' closes a single-quoted string, ( ) ; =
# are SPARQL punctuation.
OTHER = Names("https://example.org/o'k(1);a=b/")
QUERIES = resources.query_files()
QC = sorted(qc.QC_DIR.glob("*.rq"))

AS_WRITTEN = '''# title: t
# description: the default base https://w3id.org/wpsgraph/ in a comment stays as written
PREFIX wps: <https://w3id.org/wpsgraph/ontology#>
SELECT ?class ('https://w3id.org/wpsgraph/ontology#' AS ?single) ("https://w3id.org/wpsgraph/" AS ?double)
       ("""<https://w3id.org/wpsgraph/id/>""" AS ?long) ?inside
WHERE {
  BIND(wps:Country AS ?class)  # https://w3id.org/wpsgraph/ontology#Country
  BIND(STRSTARTS(STR(?class), STR(wps:)) AS ?inside)
}
'''


@pytest.fixture
def as_written(tmp_path):
    path = tmp_path / "as-written.rq"
    path.write_text(AS_WRITTEN, encoding="utf-8")
    return read_query(path)


def moved(rows):
    return [[None if t is None else OTHER.rebase_term(t) for t in row] for row in rows]


@pytest.mark.parametrize("base", ["https://example.org/kg#", "https://example.org/kg#x/", "https://example.org/?/",
                                  "https://example.org/%zz/"])
def test_a_base_the_projects_iris_cannot_extend_is_exit_2(base):
    # the project's IRIs are the base followed by ontology#..., id/...: a base with a fragment (or a query, or a bad
    # escape) makes every one of them invalid
    result = CliRunner().invoke(main, ["query", "wps-resolutions", "--base-iri", base])
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: invalid base IRI") and len(result.output.strip().splitlines()) == 1


def test_only_iri_tokens_move(as_written):
    text = q.query_text(as_written, OTHER)
    assert text.count(DEFAULT_BASE) == AS_WRITTEN.count(DEFAULT_BASE) - 1  # the PREFIX declaration only
    assert f"PREFIX wps: <{OTHER.wps}>" in text
    for kept in ("# description: the default base https://w3id.org/wpsgraph/ in a comment stays as written",
                 "('https://w3id.org/wpsgraph/ontology#' AS ?single)", '("https://w3id.org/wpsgraph/" AS ?double)',
                 '("""<https://w3id.org/wpsgraph/id/>""" AS ?long)', "# https://w3id.org/wpsgraph/ontology#Country"):
        assert kept in text
    assert q.query_text(as_written, Names()) == AS_WRITTEN


EXPECTED_ROW = [OTHER.wps + "Country", DEFAULT_BASE + "ontology#", DEFAULT_BASE, f"<{DEFAULT_BASE}id/>", "true"]


def test_strings_stay_as_written_embedded_and_on_rdflib(as_written):
    for result in (q.run(as_written, ox.Store(), names=OTHER),
                   q.run_rdflib(as_written, rdflib.Dataset(default_union=True), names=OTHER)):
        assert [[t.value for t in row] for row in result.rows] == [EXPECTED_ROW]


def test_iris_in_every_position_move():
    text = ("BASE <https://w3id.org/wpsgraph/>\nPREFIX id: <https://w3id.org/wpsgraph/id/>\n"
            "SELECT * WHERE { VALUES (?a ?b ?c ?d) { (<https://w3id.org/wpsgraph/x> <id/y> id:z <http://other/>) } }")
    query = q.Query("t", Path("t.rq"), "", "", [], text)
    row = q.run(query, ox.Store(), names=OTHER).rows[0]
    assert [t.value for t in row] == [OTHER.base + "x", OTHER.base + "id/y", OTHER.id + "z", "http://other/"]


def test_escaped_iris_move_too():
    text = (r"SELECT ?a ?b WHERE { BIND(<https\u003A//w3id.org/wpsgraph/x> AS ?a) "
            r"BIND(<https://w3id.org/wpsgraph/\u0079> AS ?b) }")
    query = q.Query("t", Path("t.rq"), "", "", [], text)
    assert [t.value for t in q.run(query, ox.Store(), names=OTHER).rows[0]] == [OTHER.base + "x", OTHER.base + "y"]


def test_an_invalid_iri_under_the_base_is_a_one_line_error(tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text("SELECT * WHERE { <https://w3id.org/wpsgraph/%zz> ?p ?o }\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["query", str(path), "--base-iri", OTHER.base])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"error: {path}: <https://w3id.org/wpsgraph/%zz> is not a valid IRI")
    assert len(result.output.strip().splitlines()) == 1


def test_an_adhoc_query_on_the_command_line(tmp_path):
    # its undeclared prefixes are declared under the default base, then moved with the rest of its IRIs
    path = tmp_path / "adhoc.rq"
    path.write_text("SELECT ?c ?s WHERE { BIND(wps:Country AS ?c) BIND('https://w3id.org/wpsgraph/' AS ?s) }\n",
                    encoding="utf-8")
    minimal = Path(__file__).resolve().parents[1] / "fixtures" / "valid" / "minimal.ttl"
    result = CliRunner().invoke(main, ["query", str(path), "--data", str(minimal), "--base-iri", OTHER.base,
                                       "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["c,s", f"{OTHER.wps}Country,{DEFAULT_BASE}"]


# ---------------------------------------------------------------------------------------------- canned queries

@pytest.mark.parametrize("path", QUERIES + QC, ids=ids(QUERIES + QC))
def test_no_query_holds_the_base_in_a_string(path):
    # a string is never moved: a comparison with the base is written with a term, STR(wps:)
    assert DEFAULT_BASE not in mask(path.read_text(encoding="utf-8"), strings=False)


@pytest.fixture(scope="module")
def other_store(shipped):
    store = ox.Store()
    store.bulk_extend(ox.Quad(*(OTHER.rebase_term(t) for t in (quad.subject, quad.predicate, quad.object,
                                                               quad.graph_name))) for quad in shipped.store)
    return store


@pytest.fixture(scope="module")
def default_rows(shipped):
    return {path.stem: q.run(read_query(path), shipped.store, names=shipped.names) for path in QUERIES}


def same_moved(result, default):
    """The rows under the other base are the default base's rows with their IRIs moved, in the same order (no
    canned query orders an IRI under the base against one outside it, which a base could flip)."""
    assert result.variables == default.variables
    assert result.rows and result.rows == moved(default.rows)


@pytest.mark.parametrize("path", QUERIES, ids=ids(QUERIES))
def test_canned_query_follows_the_base_embedded(path, other_store, default_rows):
    same_moved(q.run(read_query(path), other_store, names=OTHER), default_rows[path.stem])


SEVERAL = ["class-instance-counts", "training-legal-coverage", "events-of-actor", "armed-forces-connections",
           "country-timeline"]


@pytest.fixture(scope="module")
def other_dataset(other_store):
    dataset = rdflib.Dataset(default_union=True)
    for quad in other_store:
        dataset.graph(rdflib.URIRef(quad.graph_name.value)).add(tuple(to_rdflib(t) for t in quad.triple))
    return dataset


@pytest.mark.parametrize("name", SEVERAL)
def test_canned_query_follows_the_base_on_rdflib(name, other_dataset, default_rows):
    same_moved(q.run_rdflib(q.find(name), other_dataset, names=OTHER), default_rows[name])


@pytest.fixture(scope="module")
def other_endpoint(tmp_path_factory, other_store):
    with oxigraph(tmp_path_factory.mktemp("other-base") / "store") as server:
        status, _, body = http(server.store_url, data=other_store.dump(format=ox.RdfFormat.N_QUADS),
                               headers={"Content-Type": "application/n-quads"}, method="POST")
        assert status in (200, 201, 204), body
        yield server.query_url


def test_the_remote_text_follows_the_base(other_endpoint, default_rows, as_written):
    for name in SEVERAL:
        same_moved(remote.run(q.find(name), other_endpoint, names=OTHER), default_rows[name])
    result = remote.run(as_written, other_endpoint, names=OTHER)
    assert [[t.value for t in row] for row in result.rows] == [EXPECTED_ROW]


# ---------------------------------------------------------------------------------------------- ontology QC checks

def test_qc_checks_follow_the_base(other_store):
    from test_qc import BREAK, CHECKS, PREFIXES

    for check in CHECKS:
        assert qc.run_check(check, other_store, OTHER) == []
    # a class without parent, written under the default base and moved, is found under the other base
    broken = ox.Store()
    broken.extend(other_store)
    broken.extend(ox.Quad(*(OTHER.rebase_term(t) for t in (triple.subject, triple.predicate, triple.object)),
                          OTHER.ontology_graph)
                  for triple in ox.parse((PREFIXES + BREAK["class-without-parent"]).encode(),
                                         format=ox.RdfFormat.TURTLE))
    check = next(c for c in CHECKS if c.name == "class-without-parent")
    assert qc.run_check(check, broken, OTHER) == [{"focus": ox.NamedNode(OTHER.wps + "Broken")}]


# ---------------------------------------------------------------------------------------------- shapes (pySHACL)

SHAPES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix wps: <https://w3id.org/wpsgraph/ontology#> .
@prefix wpssh: <https://w3id.org/wpsgraph/shapes#> .
wpssh:S a sh:NodeShape ; sh:targetClass wps:Country ;
    sh:message 'see https://w3id.org/wpsgraph/ontology#Country' ;
    sh:hasValue "7"^^<https://w3id.org/wpsgraph/ontology#code> ;
    sh:property [ sh:path wps:name ; sh:minCount 1 ] .
"""


def test_reference_shapes_move_their_terms_not_their_strings(tmp_path):
    path = tmp_path / "shapes.ttl"
    path.write_text(SHAPES, encoding="utf-8")
    g = shapes_graph([path], OTHER)
    shape = rdflib.URIRef(OTHER.base + "shapes#S")
    sh = rdflib.SH
    assert g.value(shape, sh.targetClass) == rdflib.URIRef(OTHER.wps + "Country")
    assert str(g.value(shape, sh.message)) == "see https://w3id.org/wpsgraph/ontology#Country"
    assert g.value(shape, sh.hasValue) == rdflib.Literal("7", datatype=rdflib.URIRef(OTHER.wps + "code"))
    assert g.value(g.value(shape, sh.property), sh.path) == rdflib.URIRef(OTHER.wps + "name")
    assert not [t for triple in g for t in triple if isinstance(t, rdflib.URIRef) and t.startswith(DEFAULT_BASE)]
    assert len(g) == len(shapes_graph([path]))
