"""Rows put in order in Python (wpsgraph/query/order.py) come out exactly as Oxigraph's own ORDER BY puts them."""

from __future__ import annotations

import random

import pyoxigraph as ox
import pytest

from wpsgraph import resources
from wpsgraph.query import order
from wpsgraph import query as q

from conftest import ids

QUERIES = resources.query_files()


@pytest.mark.parametrize("data", ["shipped", "synthetic"])
@pytest.mark.parametrize("path", QUERIES, ids=ids(QUERIES))
def test_same_order_as_oxigraph(path, data, request):
    built = request.getfixturevalue(data)
    query = q.read_query(path)
    ours = q.run(query, built.store, names=built.names)
    engine = q.run(query, built.store, names=built.names, engine_sort=True)
    assert (ours.variables, ours.rows) == (engine.variables, engine.rows)


def test_the_listings_are_sorted_here():
    # the point of the module: the large listings must not fall back to the engine's sort
    lifted = [p.stem for p in QUERIES if order.plan(p.read_text(encoding="utf-8"))]
    for name in ("source-documents", "event-hosts", "persons-and-posts", "partnerships-and-co-chairs",
                 "armed-forces-connections", "event-parts", "commitments-by-status", "training-legal-coverage"):
        assert name in lifted


# ---------------------------------------------------------------------------------------------- random values

EX = "http://example.org/"
STRINGS = ["", "a", "A", "b", "Z", "é", "e\u0301", "ß", "ñandú", "Ωmega", "日本", "😀", "\U0001f600x", "a b", "a-b",
           "10", "9", "Mexico", "México", "méxico"]


def _value(rng: random.Random, kind: str):
    roll = rng.random()
    if roll < 0.15:
        return None
    if kind == "iri":
        return ox.NamedNode(EX + rng.choice(STRINGS).encode("utf-8").hex() + rng.choice(["", "/x", "#y"]))
    if kind == "int":
        return ox.Literal(str(rng.randint(-50, 50)), datatype=ox.NamedNode(order.XSD_INTEGER))
    if kind == "mixed":
        return rng.choice([ox.NamedNode(EX + rng.choice("abc")), ox.Literal(rng.choice(STRINGS))])
    return ox.Literal(rng.choice(STRINGS) + rng.choice(["", " ", "x"]))


@pytest.mark.parametrize("seed", range(12))
def test_random_rows_sorted_as_oxigraph_does(seed):
    rng = random.Random(seed)
    kinds = ["str", "iri", "int", "mixed"]
    columns = [rng.choice(kinds) for _ in range(rng.randint(1, 4))] + ["iri"]
    variables = [f"v{i}" for i in range(len(columns))]
    rows = {tuple(_value(rng, k) for k in columns) for _ in range(rng.randint(1, 300))}
    keys = []
    for v in rng.sample(variables, len(variables)):
        form = rng.choice(["?{}", "STR(?{})", 'COALESCE(STR(?{}), "")', 'COALESCE(STR(?{}), "zz")'])
        if form.startswith("STR") or columns[variables.index(v)] == "mixed":
            form = "?{}"
        key = form.format(v)
        keys.append(rng.choice([key, f"ASC({key})", f"DESC({key})", f"({key})"]))
    values = " ".join("(" + " ".join("UNDEF" if t is None else str(t) for t in row) + ")" for row in rows)
    text = f"SELECT * WHERE {{ VALUES ({' '.join('?' + v for v in variables)}) {{ {values} }} }} ORDER BY {' '.join(keys)}"

    store = ox.Store()
    answer = store.query(text)
    engine = [[s[v] for v in variables] for s in answer]
    lifted = order.plan(text)
    assert lifted is not None, text
    answer = store.query(lifted.text)
    names = [v.value for v in answer.variables]
    ours = order.sort_rows(lifted.keys, names, [[s[v] for v in names] for s in answer])
    assert ours is not None
    assert [[r[names.index(v)] for v in variables] for r in ours] == engine


# ---------------------------------------------------------------------------------------------- refusals

@pytest.mark.parametrize("text", [
    "SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x LIMIT 5",
    "SELECT ?x WHERE { ?x ?p ?o } ORDER BY LCASE(?x)",
    "SELECT ?x WHERE { ?x ?p ?o } ORDER BY COALESCE(?x, 0)",
    "SELECT ?x WHERE { { SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x } }",
    "SELECT ?x WHERE { ?x ?p ?o }",
    "SELECT ?x WHERE { ?x ?p ?o . FILTER(?o != 'ORDER BY ?x') }",
    "SELECT ?x WHERE { ?x ?p ?o } # ORDER BY ?x",
    "SELECT ?x WHERE { ?x ?p ?o } ORDER BY ASC((?x)",
    "SELECT ?x WHERE { ?x ?p ?o } ORDER BY (?x",
    "SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x VALUES ?x { 1 }",
])
def test_other_orders_are_left_to_the_engine(text):
    assert order.plan(text) is None


def test_key_forms_read():
    lifted = order.plan('SELECT ?x WHERE { ?x ?p ?o } ORDER BY ASC((?x)) DESC( STR(?y) ) (COALESCE(STR(?z), "a"))')
    assert lifted.text == "SELECT ?x WHERE { ?x ?p ?o }\n"
    assert lifted.keys == (order.Key("x", "plain"), order.Key("y", "str", descending=True),
                           order.Key("z", "coalesce", "a"))


def test_order_by_a_variable_not_projected_is_left_to_the_engine():
    lifted = order.plan("SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?o")
    assert lifted is not None
    assert order.sort_rows(lifted.keys, ["x"], [[ox.NamedNode(EX + "a")]]) is None


@pytest.mark.parametrize("term", [ox.BlankNode("b"), ox.Literal("x", language="en"),
                                  ox.Literal("2021", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"))])
def test_values_not_handled_here_are_left_to_the_engine(term):
    keys = order.plan("SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x").keys
    assert order.sort_rows(keys, ["x"], [[term], [ox.NamedNode(EX + "a")]]) is None


def test_strings_and_numbers_in_one_key_are_left_to_the_engine():
    keys = order.plan("SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x").keys
    rows = [[ox.Literal("a")], [ox.Literal("1", datatype=ox.NamedNode(order.XSD_INTEGER))]]
    assert order.sort_rows(keys, ["x"], rows) is None


def test_a_query_whose_key_is_not_projected_still_answers_in_the_engine_order(shipped, tmp_path):
    path = tmp_path / "labels.rq"
    path.write_text("SELECT ?s WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l } ORDER BY ?l ?s\n",
                    encoding="utf-8")
    query = q.read_query(path)
    ours = q.run(query, shipped.store, names=shipped.names)
    assert ours.rows == q.run(query, shipped.store, names=shipped.names, engine_sort=True).rows
    assert len(ours.rows) > 50
