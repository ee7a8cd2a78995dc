"""Issue 13, push --replace: the store ends up equal to the build under the build's graph namespace; graphs the build
no longer has are removed and named; graphs of others are left alone. A real Oxigraph server on 127.0.0.1."""

from __future__ import annotations

import json
import urllib.parse

import pytest
from click.testing import CliRunner

from wpsgraph.cli import main

from servers import built, http, oxigraph, sparql_get

OLD_SOURCE = "https://w3id.org/wpsgraph/graph/source/a-source-since-removed"
SOMEONE_ELSE = "http://example.org/graph/not-ours"
TRIPLE = b"<http://example.org/s> <http://example.org/p> \"x\" .\n"


@pytest.fixture
def store(tmp_path):
    with oxigraph(tmp_path / "store") as server:
        yield server


def put(server, graph):
    url = server.store_url + "?" + urllib.parse.urlencode({"graph": graph})
    assert http(url, TRIPLE, {"Content-Type": "application/n-triples"}, method="PUT")[0] in (200, 201, 204)


def graphs_in(server) -> set[str]:
    body = sparql_get(server.query_url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")[2]
    return {b["g"]["value"] for b in json.loads(body)["results"]["bindings"]}


def test_replace_removes_graphs_the_build_no_longer_has(store):
    first = CliRunner().invoke(main, ["push", store.store_url, "--db", str(built())])
    assert first.exit_code == 0, first.output
    pushed = graphs_in(store)
    put(store, OLD_SOURCE)
    put(store, SOMEONE_ELSE)

    refused = CliRunner().invoke(main, ["push", store.store_url, "--db", str(built())])
    assert refused.exit_code == 2 and OLD_SOURCE in refused.output and "--replace" in refused.output
    assert OLD_SOURCE in graphs_in(store)  # nothing written

    result = CliRunner().invoke(main, ["push", store.store_url, "--db", str(built()), "--replace"])
    assert result.exit_code == 0, result.output
    assert f"removed <{OLD_SOURCE}>" in result.output and "1 removed" in result.output
    assert graphs_in(store) == pushed | {SOMEONE_ELSE}  # equal to the build; another namespace untouched


def test_replace_without_a_query_endpoint_asks_for_one(store, monkeypatch):
    from wpsgraph.endpoints import push

    monkeypatch.setattr(push, "query_endpoint", lambda url: None)  # a Graph Store URL of no known layout
    result = CliRunner().invoke(main, ["push", store.store_url, "--db", str(built()), "--replace"])
    assert result.exit_code == 2 and "--sparql" in result.output
    assert not graphs_in(store)  # nothing written
    given = CliRunner().invoke(main, ["push", store.store_url, "--db", str(built()), "--replace",
                                      "--sparql", store.query_url])
    assert given.exit_code == 0, given.output
