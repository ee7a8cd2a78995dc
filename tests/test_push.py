"""`wpsgraph push`: the build into a real store (Oxigraph's server) through the SPARQL 1.1 Graph Store Protocol."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from wpsgraph.cli import main
from wpsgraph.endpoints.push import PushError, canonical, dataset_graphs, push

from servers import built, free_port, http, oxigraph, sparql_get

EXTRA = b"<http://example.org/someone> <http://example.org/else> \"put here by hand\" .\n"


@pytest.fixture
def store(tmp_path):
    with oxigraph(tmp_path / "store") as server:
        yield server


@pytest.fixture(scope="module")
def graphs():
    return dataset_graphs(built())


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def graph_url(server, graph):
    return server.store_url + "?" + urllib.parse.urlencode({"graph": graph})


def snapshot(server) -> dict[str, set[str]]:
    """Every named graph of the store, canonically (blank nodes relabelled)."""
    status, _, body = sparql_get(server.query_url, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
    names = [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]]
    out = {}
    for name in names:
        _, _, data = http(graph_url(server, name), headers={"Accept": "application/n-triples"})
        out[name] = canonical(ox.parse(data, format=ox.RdfFormat.N_TRIPLES))
    return out


def test_one_graph_per_source_plus_inferred(graphs):
    manifest = json.loads((built() / "manifest.json").read_text())
    assert {g: len(t) for g, t in graphs.items() if g != manifest["inferred_graph"]} == manifest["counts"]["graphs"]
    assert len(graphs[manifest["inferred_graph"]]) == manifest["counts"]["inferred"]
    assert any("/graph/source/" in g for g in graphs)


def test_push_uploads_every_graph_with_its_counts(store, graphs):
    result = cli("push", store.store_url, "--db", built())
    assert result.exit_code == 0, result.output
    assert "triple counts checked" in result.output
    status, _, body = sparql_get(store.query_url,
                                 "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    counts = {b["g"]["value"]: int(b["n"]["value"]) for b in json.loads(body)["results"]["bindings"]}
    assert counts == {g: len(t) for g, t in graphs.items()}


def test_pushing_twice_leaves_the_same_store(store):
    first = push(built(), store.store_url)
    before = snapshot(store)
    second = push(built(), store.store_url)
    assert snapshot(store) == before
    assert set(first.actions.values()) == {"created"} and set(second.actions.values()) == {"unchanged"}


def test_other_data_in_a_graph_needs_replace(store, graphs):
    push(built(), store.store_url)
    graph = next(g for g in graphs if "/graph/source/" in g)
    assert http(graph_url(store, graph), EXTRA, {"Content-Type": "text/turtle"}, method="POST")[0] in (200, 204)
    before = snapshot(store)

    result = cli("push", store.store_url, "--db", built())
    assert result.exit_code == 2 and "--replace" in result.output and graph in result.output
    assert snapshot(store) == before  # nothing written

    result = cli("push", store.store_url, "--db", built(), "--replace")
    assert result.exit_code == 0, result.output
    assert len(snapshot(store)[graph]) == len(graphs[graph])  # the hand-made triple is gone


class _LossyStore(BaseHTTPRequestHandler):
    """A Graph Store endpoint that accepts every PUT and silently keeps all but one triple."""

    graphs: dict = {}

    def do_PUT(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).graphs[self.path] = b"\n".join(body.splitlines()[1:])
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        if self.path not in type(self).graphs:
            self.send_error(404)
            return
        body = type(self).graphs[self.path]
        self.send_response(200)
        self.send_header("Content-Type", "application/n-triples")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_store_that_loses_triples_fails_loudly():
    _LossyStore.graphs = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), _LossyStore)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(PushError, match="does not hold what was sent"):
            push(built(), f"http://127.0.0.1:{server.server_address[1]}/store")
    finally:
        server.shutdown()
        server.server_close()


def test_unreachable_store_is_one_line_exit_2():
    result = cli("push", f"http://127.0.0.1:{free_port()}/store", "--db", built())
    assert result.exit_code == 2 and "cannot reach the store" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_query_endpoint_is_not_a_graph_store(store):
    result = cli("push", store.query_url, "--db", built())
    assert result.exit_code == 2 and "HTTP 400" in result.output


def test_no_build_is_one_line_exit_2(tmp_path):
    result = cli("push", "http://127.0.0.1:1/store", "--db", tmp_path)
    assert result.exit_code == 2 and "no build here" in result.output
