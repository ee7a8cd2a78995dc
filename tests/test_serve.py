"""`wpsgraph serve`: a real, read-only SPARQL 1.1 Protocol endpoint over the build (worker processes behind waitress).

The command itself is run as a subprocess, exactly as a user runs it, and always stopped afterwards.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from servers import WPSGRAPH, Serving, built, free_port, http, port_closed, sparql_get

from wpsgraph.cli import main
from wpsgraph.endpoints.serve import server_binary
from wpsgraph.pipeline.build import open_store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
# ~4·10^8 rows over the shipped data: never finishes within the timeout (the pathological shapes of issue 13 are in
# tests/robustness/test_deadlines.py).
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
TIMEOUT = 1


@pytest.fixture(scope="module")
def served():
    serving = Serving("--db", built(), "--port", free_port(), "--timeout", TIMEOUT)
    try:
        assert serving.url, f"no endpoint URL printed: {serving.output} {serving.stop()}"
        yield serving
    finally:
        serving.stop()
    assert port_closed(serving.url), "the Oxigraph server outlived `wpsgraph serve`"


@pytest.fixture(scope="module")
def triples():
    store = open_store(built())
    try:
        return len(store)
    finally:
        del store


def test_the_server_comes_from_the_project_dependencies():
    assert Path(server_binary()).parent == Path(sys.executable).parent  # installed into this venv by pip
    version = subprocess.run([server_binary(), "--version"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("oxigraph 0.5.")


def test_prints_the_loopback_endpoint_url(served):
    assert served.url.startswith("http://127.0.0.1:") and served.url.endswith("/query")


def test_get_json(served, triples):
    status, media, body = sparql_get(served.url, COUNT)
    assert (status, media) == (200, "application/sparql-results+json")
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == triples


def test_get_csv(served, triples):
    status, media, body = sparql_get(served.url, COUNT, accept="text/csv")
    assert (status, media) == (200, "text/csv")
    assert list(csv.reader(io.StringIO(body.decode()))) == [["n"], [str(triples)]]


def test_get_xml(served, triples):
    status, media, body = sparql_get(served.url, COUNT, accept="application/sparql-results+xml")
    assert (status, media) == (200, "application/sparql-results+xml")
    literal = ET.fromstring(body).find(".//{http://www.w3.org/2005/sparql-results#}literal")
    assert int(literal.text) == triples


@pytest.mark.parametrize("content_type, encode", [
    ("application/sparql-query", lambda text: text.encode()),
    ("application/x-www-form-urlencoded", lambda text: urllib.parse.urlencode({"query": text}).encode()),
])
def test_post(served, triples, content_type, encode):
    status, _, body = http(served.url, encode(COUNT), {"Content-Type": content_type,
                                                       "Accept": "application/sparql-results+json"})
    assert status == 200
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == triples


def test_default_graph_is_the_union_with_named_graphs_kept(served):
    status, _, body = sparql_get(served.url, "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { } }")
    graphs = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    manifest = json.loads((built() / "manifest.json").read_text())
    assert graphs == len(manifest["counts"]["graphs"]) + 1  # every asserted graph, plus the inferred one
    ask = "ASK { ?s a <https://w3id.org/wpsgraph/ontology#Organisation> }"  # needs both asserted and inferred
    assert json.loads(sparql_get(served.url, ask)[2])["boolean"] is True


def test_query_page_for_the_browser(served):
    status, media, body = http(served.url.rsplit("/", 1)[0] + "/")
    assert (status, media) == (200, "text/html")
    assert b"WPS query page" in body  # the project's own page (tests/test_workbench.py), not a stock one


def test_updates_are_refused_and_change_nothing(served, triples):
    base = served.url.rsplit("/", 1)[0]
    insert = b"INSERT DATA { <http://example.org/a> <http://example.org/b> <http://example.org/c> }"
    assert http(base + "/update", insert, {"Content-Type": "application/sparql-update"})[0] == 403
    assert http(base + "/store?default", b"<http://example.org/a> <http://example.org/b> <http://example.org/c> .",
                {"Content-Type": "text/turtle"}, method="PUT")[0] == 403
    status, _, body = sparql_get(served.url, COUNT)
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) == triples


def test_a_query_past_the_timeout_is_stopped(served, triples):
    start = time.monotonic()
    status, _, body = sparql_get(served.url, SLOW, timeout=TIMEOUT + 20)
    assert time.monotonic() - start < TIMEOUT + 5
    assert status == 504 and b"cancelled" in body  # an error, never a truncated or empty result
    assert sparql_get(served.url, COUNT)[0] == 200  # and the server goes on answering


def test_without_db_it_builds_the_shipped_data_first():
    serving = Serving("--port", free_port())
    try:
        assert serving.url, f"no endpoint URL printed: {serving.output}"
        status, _, body = sparql_get(serving.url, COUNT)
        assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 0
    finally:
        errors = serving.stop()
    assert "load:" in errors  # the build's progress
    assert port_closed(serving.url)


def test_port_in_use_is_one_line_exit_2(served):
    port = urllib.parse.urlsplit(served.url).port
    result = subprocess.run(WPSGRAPH + ["serve", "--db", str(built()), "--port", str(port)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "error: cannot listen on" in result.stderr and "Traceback" not in result.stderr


def test_not_a_build_is_one_line_exit_2(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "nothing")])
    assert result.exit_code == 2 and "no built store here" in result.output
