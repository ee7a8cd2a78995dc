"""`wpsgraph query --endpoint`: every canned query gives the same rows at a real SPARQL endpoint as embedded.

The endpoint is a real Oxigraph server (the project's `oxigraph` dependency) loaded by `wpsgraph push`; request
details (GET/POST, User-Agent, credentials, timeouts) are checked against a recording stub.
"""

from __future__ import annotations

import http.server
import json
import threading
import time

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from wpsgraph import query as q
from wpsgraph import resources
from wpsgraph.endpoints import remote
from wpsgraph.cli import main
from wpsgraph.errors import QueryError
from wpsgraph.endpoints.push import push

from conftest import EXPECTED, ids
from servers import built, free_port, oxigraph

QUERIES = resources.query_files()


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    with oxigraph(tmp_path_factory.mktemp("remote") / "store") as server:
        push(built(), server.store_url)
        yield server.query_url


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("path", QUERIES, ids=ids(QUERIES))
def test_same_rows_at_the_endpoint_as_embedded(path, endpoint, shipped):
    query = q.read_query(path)
    embedded = q.render(q.run(query, shipped.store, names=shipped.names), "csv", shipped.names)
    remote_ = q.render(remote.run(query, endpoint, names=shipped.names), "csv", shipped.names)
    assert remote_ == embedded


def test_cli_endpoint_gives_the_expected_csv(endpoint):
    result = cli("query", "sub-organisations", "--endpoint", endpoint, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output == (EXPECTED / "sub-organisations.csv").read_text(encoding="utf-8")


def test_cli_endpoint_json_is_sparql_results(endpoint):
    result = cli("query", "wps-resolutions", "--endpoint", endpoint, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["head"]["vars"] and data["results"]["bindings"]


def test_parameters_bind_the_same_remotely(endpoint, shipped):
    query = q.find("events-of-actor")
    for value in ("organisation:usnorthcom", "<https://w3id.org/wpsgraph/id/organisation/usnorthcom>"):
        embedded = q.run(query, shipped.store, {"actor": value}, shipped.names)
        assert remote.run(query, endpoint, {"actor": value}, shipped.names).rows == embedded.rows


def test_cli_checks_an_iri_parameter_at_the_endpoint(endpoint, shipped):
    """An IRI given on the command line is checked at the endpoint (one ASK; every name only to suggest one)."""
    result = cli("query", "events-of-actor", "--endpoint", endpoint, "--param", "actor=organisation:usnorthcom",
                 "--format", "csv")
    assert result.exit_code == 0, result.output
    query = q.find("events-of-actor")
    embedded = q.run(query, shipped.store, {"actor": "organisation:usnorthcom"}, shipped.names)
    assert result.output == q.render(embedded, "csv", shipped.names)
    line = _one_line_error(cli("query", "events-of-actor", "--endpoint", endpoint, "--param",
                               "actor=organisation:usnorthcomm"))
    assert "not in the graph (did you mean organisation:usnorthcom (U.S. Northern Command)" in line


def test_hostile_string_parameter_stays_a_literal(endpoint, tmp_path, names):
    path = tmp_path / "echo.rq"
    path.write_text("# title: t\n# description: t\n# param: text string x\nSELECT ?text WHERE { }\n", encoding="utf-8")
    hostile = 'x" } ; DROP ALL ; SELECT * { ?a ?b "'
    result = remote.run(q.read_query(path), endpoint, {"text": hostile}, names)
    assert [[t.value for t in row] for row in result.rows] == [[hostile]]


def test_bad_parameter_is_refused_before_any_request(tmp_path, names):
    with pytest.raises(QueryError):
        remote.run(q.find("events-of-actor"), f"http://127.0.0.1:{free_port()}/query",
                   {"actor": "<http://a> } DROP ALL {"}, names)


# ---------------------------------------------------------------------------------------------- errors

def _one_line_error(result):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def test_unreachable_host_is_one_line_exit_2():
    line = _one_line_error(cli("query", "wps-resolutions", "--endpoint", f"http://127.0.0.1:{free_port()}/query"))
    assert "cannot reach" in line


def test_http_error_carries_the_servers_message(endpoint, tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("SELEC ?x WHERE { ?x ?p ?o }\n", encoding="utf-8")
    line = _one_line_error(cli("query", bad, "--endpoint", endpoint))
    assert "HTTP 400" in line and "error at 1:" in line  # the second part is Oxigraph's own message


def test_reply_that_is_not_sparql_results(endpoint, tmp_path):
    short = tmp_path / "short.rq"
    short.write_text("ASK { }\n", encoding="utf-8")
    page = endpoint.rsplit("/", 1)[0] + "/"  # Oxigraph's HTML query page
    line = _one_line_error(cli("query", short, "--endpoint", page))
    assert "not SPARQL results" in line and "text/html" in line


def test_not_an_http_url():
    assert "not an http(s) URL" in _one_line_error(cli("query", "wps-resolutions", "--endpoint", "ftp://example.org/"))


def test_endpoint_does_not_combine_with_db():
    _one_line_error(cli("query", "wps-resolutions", "--endpoint", "http://127.0.0.1:1/query", "--db", "build"))


# ---------------------------------------------------------------------------------------------- request details

class _Recorder(http.server.BaseHTTPRequestHandler):
    seen: list = []
    delay = 0.0

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        type(self).seen.append({"method": self.command, "path": self.path, "headers": dict(self.headers),
                                "body": body})
        time.sleep(type(self).delay)
        reply = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [
            {"x": {"type": "literal", "value": "ok"}}]}}).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_POST = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    _Recorder.seen, _Recorder.delay = [], 0.0
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


def test_short_query_is_a_get_long_query_a_post(recorder):
    short = "SELECT ?x WHERE { ?x ?p ?o } LIMIT 1"
    long_ = "SELECT ?x WHERE { ?x ?p ?o }\n" + "# padding\n" * 300
    assert not remote.uses_post(short) and remote.uses_post(long_)
    remote.request(recorder, short)
    remote.request(recorder, long_)
    get, post = _Recorder.seen
    assert get["method"] == "GET" and "query=" in get["path"]
    assert post["method"] == "POST" and post["body"].startswith(b"query=")
    assert post["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    for request in (get, post):
        assert request["headers"]["User-Agent"].startswith("wpsgraph/")
        assert "application/sparql-results+json" in request["headers"]["Accept"]
        assert "format=" not in request["path"]  # content negotiation only


def test_credentials_come_from_the_environment(recorder, monkeypatch):
    remote.request(recorder, "ASK {}", "ASK")
    assert "Authorization" not in _Recorder.seen[-1]["headers"]
    monkeypatch.setenv(remote.AUTH_ENV, "reader:s3cret")
    remote.request(recorder, "ASK {}", "ASK")
    assert _Recorder.seen[-1]["headers"]["Authorization"] == "Basic cmVhZGVyOnMzY3JldA=="


def test_read_timeout_is_one_line(recorder):
    _Recorder.delay = 2.0
    start = time.monotonic()
    result = cli("query", "wps-resolutions", "--endpoint", recorder, "--timeout", "0.5")
    assert time.monotonic() - start < 2.0
    assert "no reply within 0.5 s" in _one_line_error(result)


def test_ask_and_construct_at_the_endpoint(endpoint, tmp_path, shipped):
    cases = {"yes.rq": "ASK { ?s a <https://w3id.org/wpsgraph/ontology#Organisation> }",
             "no.rq": "ASK { <http://example.org/nothing> ?p ?o }",
             "graph.rq": "CONSTRUCT { ?s ?p ?o } WHERE { ?s a <https://w3id.org/wpsgraph/ontology#Country> ; ?p ?o }"}
    for name, text in cases.items():
        (tmp_path / name).write_text(text + "\n", encoding="utf-8")
        query = q.read_query(tmp_path / name)
        embedded = q.run(query, shipped.store, names=shipped.names)
        answer = remote.run(query, endpoint, names=shipped.names)
        assert answer.boolean == embedded.boolean
        if embedded.triples is not None:
            assert answer.triples and set(map(str, answer.triples)) == set(map(str, embedded.triples))


_XML_HEAD = '<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def test_xml_results_read_as_the_json_results():
    store = ox.Store()
    store.load(b'<http://example.org/a> <http://example.org/p> "x"@fr , "2"^^<http://www.w3.org/2001/XMLSchema#int> ;'
               b' <http://example.org/q> _:b .', format=ox.RdfFormat.TURTLE)
    text = "SELECT ?s ?o ?none WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/none> ?none } } ORDER BY ?o"
    answers = {}
    for fmt, media in ((ox.QueryResultsFormat.XML, remote.XML_RESULTS),
                       (ox.QueryResultsFormat.JSON, "application/sparql-results+json")):
        answer = remote.parse_results(store.query(text).serialize(format=fmt), media, "SELECT")
        answers[media] = (answer.variables, [[str(c) if c is not None else None for c in row] for row in answer.rows])
    variables, rows = answers[remote.XML_RESULTS]
    assert variables == ["s", "o", "none"] and len(rows) == 3 and all(row[2] is None for row in rows)
    assert answers[remote.XML_RESULTS] == answers["application/sparql-results+json"]
    for truth in (True, False):
        body = store.query("ASK { ?s ?p ?o }" if truth else "ASK { ?s ?s ?s }").serialize(
            format=ox.QueryResultsFormat.XML)
        assert remote.parse_results(body, remote.XML_RESULTS, "ASK").boolean is truth


@pytest.mark.parametrize("body, says", [
    (_XML_HEAD + "<results/></sparql>", "no <head> element"),
    (_XML_HEAD + "<head><variable/></head><results/></sparql>", "a <variable> element without a name"),
    (_XML_HEAD + '<head><variable name="x"/></head><results><result><binding><uri>http://e/a</uri></binding>'
     "</result></results></sparql>", "a <binding> element without a name"),
    (_XML_HEAD + "<boolean/></sparql>", "an empty <boolean> element"),
], ids=["no-head", "nameless-variable", "nameless-binding", "empty-boolean"])
def test_malformed_xml_results_are_one_line(body, says):
    with pytest.raises(remote.RemoteError) as caught:
        remote.parse_results(body.encode("utf-8"), remote.XML_RESULTS, "SELECT", "http://e/sparql")
    message = str(caught.value)
    assert "\n" not in message and says in message
    assert message.startswith("http://e/sparql: the reply is not SPARQL results")
