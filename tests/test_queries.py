"""Every canned query: a header, valid SPARQL, exactly its expected rows, the same on Oxigraph and rdflib."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from wpsgraph import query as q
from wpsgraph import resources
from wpsgraph.errors import QueryError
from wpsgraph.pipeline.build import in_memory
from wpsgraph.terms import to_rdflib

from conftest import EXPECTED, FIXTURES, TESTS, ids

QUERIES = resources.query_files()


def test_enough_queries_collected():
    # guards against a filter or a moved folder quietly shrinking coverage
    assert len(QUERIES) >= 15


@pytest.mark.parametrize("path", QUERIES, ids=ids(QUERIES))
def test_header(path):
    query = q.read_query(path)
    assert query.title, "no '# title:' line"
    assert query.description, "no '# description:' line"
    for param in query.params:
        assert param.default, f"parameter {param.name} has no default"


@pytest.mark.parametrize("path", QUERIES, ids=ids(QUERIES))
def test_expected_rows(path, shipped):
    expected = EXPECTED / f"{path.stem}.csv"
    assert expected.exists(), f"no expectation: write {expected.relative_to(EXPECTED.parent.parent)}"
    result = q.run(q.read_query(path), shipped.store, names=shipped.names)
    assert result.rows, "the query answers nothing with its defaults"
    assert q.render(result, "csv", shipped.names) == expected.read_text(encoding="utf-8")


def test_no_orphan_expectations():
    names = {p.stem for p in QUERIES}
    orphans = [p.name for p in EXPECTED.glob("*.csv") if p.stem not in names]
    assert not orphans


@pytest.fixture(scope="module")
def rdflib_dataset(shipped):
    ds = rdflib.Dataset(default_union=True)
    for quad in shipped.store:
        ds.graph(rdflib.URIRef(quad.graph_name.value)).add(
            (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return ds


@pytest.mark.parametrize("path", QUERIES, ids=ids(QUERIES))
def test_same_rows_on_rdflib(path, shipped, rdflib_dataset):
    query = q.read_query(path)
    ours = q.render(q.run(query, shipped.store, names=shipped.names), "csv", shipped.names)
    theirs = q.render(q.run_rdflib(query, rdflib_dataset, names=shipped.names), "csv", shipped.names)
    assert theirs == ours


# ---------------------------------------------------------------------------------------------- binding

@pytest.fixture
def with_param(tmp_path):
    path = tmp_path / "labels.rq"
    path.write_text(
        "# title: Label of a resource\n# description: test\n# param: thing iri organisation:usnorthcom\n"
        "# param: text string x\n"
        "SELECT ?label WHERE { ?thing <http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?label\n",
        encoding="utf-8")
    return q.read_query(path)


def test_parameter_is_bound_as_a_term_not_pasted(with_param, names):
    hostile = 'x" } ; DROP ALL ; SELECT * { ?a ?b "'
    text = q.query_text(with_param, names, q.bindings(with_param, {"text": hostile}, names))
    assert "DROP ALL" in text  # present only inside an escaped literal:
    assert ox.Literal(hostile).__str__() in text
    rdflib.plugins.sparql.prepareQuery(text)  # still one well-formed query


@pytest.mark.parametrize("value", ["<http://a> } DROP ALL {", "not an iri", "http://exa mple.org", "organisation:a b"])
def test_bad_iri_parameter_is_refused(with_param, names, value):
    with pytest.raises(QueryError):
        q.bindings(with_param, {"thing": value}, names)


def test_unknown_parameter_is_refused(with_param, names):
    with pytest.raises(QueryError, match="no parameter"):
        q.bindings(with_param, {"colour": "red"}, names)


def test_curie_and_full_iri_bind_the_same(with_param, shipped):
    a = q.run(with_param, shipped.store, {"thing": "organisation:usnorthcom"}, shipped.names)
    b = q.run(with_param, shipped.store, {"thing": "<https://w3id.org/wpsgraph/id/organisation/usnorthcom>"},
              shipped.names)
    assert a.rows and a.rows == b.rows


# ---------------------------------------------------------------------------------------------- subqueries

SUBQUERIES = """# title: t
# description: t
# param: country iri country:MX
PREFIX wps: <https://w3id.org/wpsgraph/ontology#>
SELECT ?thing ?n
WHERE {
  { SELECT ?country ?thing WHERE { ?thing wps:country ?country } }
  { SELECT ?thing (COUNT(?country) AS ?n) WHERE { ?thing ?p ?country } GROUP BY ?thing }
  { SELECT * { ?thing a ?class } }
}
"""


def test_parameter_bound_inside_subqueries_that_project_it(tmp_path, names):
    path = tmp_path / "sub.rq"
    path.write_text(SUBQUERIES, encoding="utf-8")
    query = q.read_query(path)
    text = q.query_text(query, names, q.bindings(query, {}, names))
    values = "VALUES (?country) { (<https://w3id.org/wpsgraph/id/country/MX>) }"
    # the outer WHERE and the first subquery (projects ?country); not the one that only counts it, nor SELECT *
    assert text.count(values) == 2
    assert text.index(values) < text.index("SELECT ?country ?thing") < text.rindex(values) < text.index("COUNT")
    from rdflib.plugins.sparql import prepareQuery
    prepareQuery(text)


def test_binding_inside_subqueries_keeps_the_rows(shipped):
    # the same rows as when only the outer WHERE is bound
    query = q.find("armed-forces-connections")
    for country in ("country:MX", "country:US", "country:CA"):
        bound = q.bindings(query, {"country": country}, shipped.names)
        text = q.query_text(query, shipped.names, bound)
        line = f"\n  VALUES (?country) {{ ({bound['country']}) }}"
        assert text.count(line) == 3
        first = text.index(line) + len(line)
        outer_only = text[:first] + text[first:].replace(line, "")

        def rows(t):
            return sorted(tuple(map(str, s)) for s in shipped.store.query(t, use_default_graph_as_union=True))
        assert rows(text) == rows(outer_only)
        if country == "country:MX":
            assert rows(text)


# ---------------------------------------------------------------------------------------------- rewritten forms
# Canned queries rewritten for Oxigraph's planner (docs/scale.md, "Queries at a million triples") answer exactly as
# the plain forms they replaced (tests/plain_queries/): on the shipped graph, on synthetic data, on edge cases.

PLAIN = sorted((TESTS / "plain_queries").glob("*.rq"))


@pytest.fixture(scope="module")
def edges():
    return in_memory(resources.reference_files() + sorted((FIXTURES / "rewritten").glob("*.ttl")))


def test_plain_forms_collected():
    assert [p.stem for p in PLAIN] == ["action-plans", "armed-forces-connections", "disagreements", "event-hosts",
                                       "training-legal-coverage"]


@pytest.mark.parametrize("data", ["shipped", "synthetic", "edges"])
@pytest.mark.parametrize("path", PLAIN, ids=ids(PLAIN))
def test_rewritten_query_answers_as_its_plain_form(path, data, request):
    built = request.getfixturevalue(data)

    def lines(query):
        result = q.run(query, built.store, names=built.names)
        return sorted(q.render(result, "csv", built.names).splitlines())

    assert lines(q.find(path.stem)) == lines(q.read_query(path))


def test_the_edge_cases_are_met(edges):
    """What the edge fixtures were written for is in the answers (so the comparison above is not of empty ones)."""
    def rows(name):
        result = q.run(q.find(name), edges.store, names=edges.names)
        return {tuple(edges.names.compact(t.value) or t.value if t is not None else "" for t in row)
                for row in result.rows}

    disagreements = {(r[0], r[4], r[6]) for r in rows("disagreements")}
    assert disagreements == {("commitment:edge-plan", "source:edge-a", "source:edge-b"),
                             ("commitment:edge-plan", "source:edge-b", "source:edge-c")}
    hosts = {(r[2], r[4]) for r in rows("event-hosts") if r[0] == "event:edge-training"}
    assert hosts == {("organisation:edge-institute", "host"), ("organisation:edge-unit", "co-host")}
    classes = {r[5] for r in rows("training-legal-coverage") if r[3] == "organisation:edge-court"}
    assert classes == {"wps:Court", "wps:Ministry"}
    units = {r[0] for r in rows("armed-forces-connections") if r[3] == "event:edge-training"}
    assert {"organisation:edge-unit", "organisation:edge-command"} <= units

