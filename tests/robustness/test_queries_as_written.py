"""Issue 13, queries as written: FROM / FROM NAMED honoured (embedded, on disk, served, rdflib), parameters bound by
substitution or by a VALUES block placed by the lexer (never inside a long string), typed parameters checked."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from wpsgraph import query as q
from wpsgraph.cli import main
from wpsgraph.errors import QueryError
from wpsgraph.namespaces import Names
from wpsgraph.query.catalogue import Param, read_query
from wpsgraph.query.sparql import bind

from servers import Serving, built, free_port, http, sparql_get

INFERRED = "https://w3id.org/wpsgraph/graph/inferred"
FROM_INFERRED = f"SELECT (COUNT(*) AS ?n) FROM <{INFERRED}> WHERE {{ ?s ?p ?o }}"
FROM_NAMED = f"SELECT (COUNT(DISTINCT ?g) AS ?n) FROM NAMED <{INFERRED}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"


def inferred_count() -> int:
    return json.loads((built() / "manifest.json").read_text())["counts"]["inferred"]


def count_of(result) -> int:
    return int(result.rows[0][0].value)


@pytest.fixture
def rq(tmp_path):
    def write(text: str) -> Path:
        path = tmp_path / "adhoc.rq"
        path.write_text(text, encoding="utf-8")
        return path
    return write


def test_from_is_honoured_on_the_built_store(rq):
    store = q.open_db(built())
    total = len(store)
    assert count_of(q.run(read_query(rq(FROM_INFERRED)), store)) == inferred_count() < total
    assert count_of(q.run(read_query(rq(FROM_NAMED)), store)) == 1
    # without FROM the default graph is still the union of every graph
    assert count_of(q.run(read_query(rq("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")), store)) == total


def test_from_is_honoured_in_memory_and_on_rdflib(rq, shipped):
    import rdflib

    from wpsgraph.terms import to_rdflib

    in_memory = count_of(q.run(read_query(rq(FROM_INFERRED)), shipped.store))
    assert in_memory == len(list(shipped.store.quads_for_pattern(None, None, None, ox.NamedNode(INFERRED))))
    dataset = rdflib.Dataset(default_union=True)
    for quad in shipped.store.quads_for_pattern(None, None, None, ox.NamedNode(INFERRED)):
        dataset.graph(rdflib.URIRef(INFERRED)).add(tuple(to_rdflib(t) for t in quad.triple))
    for quad in list(shipped.store)[:50]:  # and something in another graph, which FROM must leave out
        dataset.graph(rdflib.URIRef(quad.graph_name.value)).add(tuple(to_rdflib(t) for t in quad.triple))
    assert count_of(q.run_rdflib(read_query(rq(FROM_INFERRED)), dataset)) == in_memory


def test_from_is_honoured_by_serve():
    serving = Serving("--db", built(), "--port", free_port(), "--timeout", 10, "--workers", 1)
    try:
        assert serving.url
        body = json.loads(sparql_get(serving.url, FROM_INFERRED)[2])
        assert int(body["results"]["bindings"][0]["n"]["value"]) == inferred_count()
        # the protocol's own dataset parameters too
        plain = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        status, _, raw = http(serving.url + "?" + urllib.parse.urlencode({"query": plain, "default-graph-uri": INFERRED}),
                              headers={"Accept": "application/sparql-results+json"})
        assert status == 200 and int(json.loads(raw)["results"]["bindings"][0]["n"]["value"]) == inferred_count()
    finally:
        serving.stop()


LONG_STRING = '''# param: actor iri organisation:usnorthcom
PREFIX wps: <https://w3id.org/wpsgraph/ontology#>
SELECT ?event ("""events the actor
took part in: WHERE { ... } is only words here
""" AS ?note)
WHERE {
  ?actor wps:participatesIn ?event .
}
'''


def test_values_never_lands_inside_a_long_string(rq, shipped):
    query = read_query(rq(LONG_STRING))
    assert [p.name for p in query.params] == ["actor"]
    names = Names()
    bound = q.bindings(query, {}, names)
    text = bind(query.text, bound)
    assert '"""events the actor\ntook part in: WHERE { ... } is only words here\n"""' in text  # untouched
    rows = q.run(query, shipped.store).rows
    assert rows and all(r[1].value.startswith("events the actor\n") for r in rows)
    reference = q.run(q.find("events-of-actor"), shipped.store).rows
    assert {r[0] for r in rows} == {r[0] for r in reference}


def test_substitution_and_values_give_the_same_rows(shipped):
    # events-by-theme projects its parameter (Oxigraph substitutes it); events-of-actor does not (VALUES)
    for name in ("events-by-theme", "events-of-actor", "countries-in-regional-events"):
        query = q.find(name)
        text = q.query_text(query, Names(), q.bindings(query, {}, Names()))
        by_values = [list(s) for s in shipped.store.query(text, use_default_graph_as_union=True)]
        assert sorted(map(str, q.run(query, shipped.store, engine_sort=True).rows)) == sorted(map(str, by_values))


@pytest.mark.parametrize("kind, value", [("date", "2024-13-45"), ("date", "2023-02-29"), ("date", "2024-1-5"),
                                         ("year", "24"), ("year", "0000"), ("integer", "1e3")])
def test_typed_parameters_are_checked(kind, value):
    with pytest.raises(QueryError, match="not a valid"):
        q.term_for(Param("p", kind, "x"), value, Names())


def test_a_valid_leap_day_is_accepted():
    assert q.term_for(Param("p", "date", "x"), "2024-02-29", Names()).value == "2024-02-29"


def test_a_bad_date_parameter_is_exit_2_on_the_command_line(rq):
    path = rq("# param: day date 2020-01-01\nSELECT ?day WHERE { BIND(?day AS ?d) }\n")
    result = CliRunner().invoke(main, ["query", str(path), "--param", "day=2024-13-45"])
    assert result.exit_code == 2 and "not a valid date" in result.output
