"""Issue 13, served queries: every query shape that overran Oxigraph's own server is stopped at the deadline, with an
HTTP error (never an empty or cut result), its worker killed so nothing keeps a core busy; memory is capped;
excess requests get 503; SERVICE makes no outbound request unless its host is allowed. All on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from servers import WPSGRAPH, Serving, built, children, cpu_seconds, free_port, sparql_get

TIMEOUT = 2
SLACK = 3  # seconds allowed past the deadline (killing the worker, a loaded machine)

PATHOLOGICAL = {
    # sorting a cross join of the whole graph with itself: 4·10^8 rows, gigabytes if left to run
    "order-by-cross-join": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f",
    # a join whose filter, on both sides, rejects every row: no row ever comes out to be sent
    "filter-rejects-every-row": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STRLEN(STR(?c)) + STRLEN(STR(?f)) < 0) }",
    # a result that streams for minutes
    "streaming-result": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
    # cancelled while skipping: came back as a well-formed empty result
    "limit-1-offset-4e10": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 1 OFFSET 40000000000",
}


@pytest.fixture(scope="module")
def served():
    serving = Serving("--db", built(), "--port", free_port(), "--timeout", TIMEOUT, "--workers", 2, "--queue", 1)
    try:
        assert serving.url, f"no endpoint URL printed: {serving.output} {serving.stop()}"
        yield serving
    finally:
        serving.stop()


@pytest.mark.parametrize("shape", PATHOLOGICAL)
def test_pathological_query_is_an_error_at_the_deadline(served, shape):
    start = time.monotonic()
    status, media, body = sparql_get(served.url, PATHOLOGICAL[shape], timeout=TIMEOUT + 60)
    took = time.monotonic() - start
    assert media == "text/plain" and took < TIMEOUT + SLACK
    if shape == "order-by-cross-join" and status == 500:
        assert b"memory" in body  # the sort outgrew the worker's memory cap first: stopped all the same
    else:
        assert status == 504, (status, body[:200])
        assert b"cancelled" in body and took > TIMEOUT - 0.5
    # the query's worker is gone: once its replacement has started, no child of the server is burning CPU
    time.sleep(1)
    before = cpu_seconds(children(served.process.pid))
    time.sleep(1)
    assert cpu_seconds(children(served.process.pid)) - before < 0.5
    status, _, body = sparql_get(served.url, "ASK { ?s ?p ?o }", timeout=30)
    assert status == 200 and json.loads(body)["boolean"] is True


def test_query_endpoint_exits_2_on_a_cancelled_query(served, tmp_path):
    query = tmp_path / "offset.rq"
    query.write_text(PATHOLOGICAL["limit-1-offset-4e10"] + "\n", encoding="utf-8")
    result = subprocess.run(WPSGRAPH + ["query", str(query), "--endpoint", served.url], capture_output=True,
                            text=True, timeout=TIMEOUT + 60)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "HTTP 504" in result.stderr and "cancelled" in result.stderr
    assert "(0 rows)" not in result.stdout and "Traceback" not in result.stderr


def test_excess_requests_get_503_with_retry_after(served):
    replies = []
    slow = [threading.Thread(target=lambda: replies.append(sparql_get(served.url, PATHOLOGICAL["streaming-result"],
                                                                      timeout=60)))
            for _ in range(3)]  # two workers busy, one request waiting: the queue is full
    for t in slow:
        t.start()
    time.sleep(0.5)
    start = time.monotonic()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(served.url + "?query=ASK%7B%7D", timeout=10)
    assert refused.value.code == 503 and time.monotonic() - start < 1
    assert int(refused.value.headers["Retry-After"]) >= 1
    for t in slow:
        t.join()
    # the two that ran were cancelled; the one that waited its whole time for a worker is told to come back
    assert sorted(status for status, _, _ in replies) == [503, 504, 504]


def test_memory_is_capped_per_worker():
    serving = Serving("--db", built(), "--port", free_port(), "--timeout", 30, "--workers", 1,
                      "--max-memory-mb", 256)
    try:
        assert serving.url
        start = time.monotonic()
        status, _, body = sparql_get(serving.url, PATHOLOGICAL["order-by-cross-join"], timeout=60)
        assert status == 500 and b"memory" in body
        assert time.monotonic() - start < 20  # the cap, not the 30 s deadline, stopped it
        assert sparql_get(serving.url, "ASK {}", timeout=30)[0] == 200  # a fresh worker took its place
    finally:
        serving.stop()


class Listener:
    """A 127.0.0.1 port that accepts connections, counts them and never answers."""

    def __init__(self):
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.accepted = 0
        self.held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.accepted += 1
            self.held.append(connection)

    def close(self):
        for c in self.held:
            c.close()
        self.socket.close()


def test_service_is_refused_and_nothing_is_fetched(served):
    target = Listener()
    try:
        for query in (f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{target.port}/sparql> {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{target.port}/> {{ ?s ?p ?o }} }}",
                      "SELECT * WHERE { BIND(<http://127.0.0.1/> AS ?x) SERVICE ?x { ?s ?p ?o } }"):
            status, _, body = sparql_get(served.url, query)
            assert status == 403 and b"SERVICE" in body and b"--allow-service" in body
        time.sleep(0.3)
        assert target.accepted == 0
    finally:
        target.close()


def test_service_to_an_allowed_slow_host_stops_at_the_deadline():
    target = Listener()
    serving = Serving("--db", built(), "--port", free_port(), "--timeout", TIMEOUT, "--workers", 1,
                      "--allow-service", "127.0.0.1")
    try:
        assert serving.url
        start = time.monotonic()
        status, _, body = sparql_get(serving.url, f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{target.port}/> "
                                                  "{ ?s ?p ?o } }", timeout=60)
        assert status == 504 and time.monotonic() - start < TIMEOUT + SLACK
        assert target.accepted == 1  # it was allowed, and asked
        other = f"SELECT * WHERE {{ SERVICE <http://localhost:{target.port}/> {{ ?s ?p ?o }} }}"
        assert sparql_get(serving.url, other)[0] == 403  # only the named host
    finally:
        serving.stop()
        target.close()


def test_workers_die_with_a_killed_server():
    serving = Serving("--db", built(), "--port", free_port(), "--timeout", 60, "--workers", 2)
    try:
        assert serving.url
        def ask():
            with contextlib.suppress(OSError):  # the server is killed under it
                sparql_get(serving.url, PATHOLOGICAL["limit-1-offset-4e10"], timeout=60)

        threading.Thread(target=ask, daemon=True).start()
        time.sleep(1)  # the query is running in a worker
        workers = children(serving.process.pid)
        assert len(workers) == 2
        serving.process.kill()  # SIGKILL: no chance to stop its workers itself
        serving.process.wait()
        deadline = time.monotonic() + 5
        while any(Path(f"/proc/{pid}").exists() for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(Path(f"/proc/{pid}").exists() for pid in workers)
    finally:
        serving.stop()


def test_a_result_over_the_size_limit_is_an_error_not_a_cut_body():
    serving = Serving("--db", built(), "--port", free_port(), "--timeout", 30, "--workers", 1,
                      "--max-result-mb", 1)
    try:
        assert serving.url
        status, media, body = sparql_get(serving.url, "SELECT * WHERE { ?s ?p ?o }", timeout=60)  # several MB
        assert status == 500 and media == "text/plain" and b"larger than 1 MB" in body
        status, _, body = sparql_get(serving.url, "SELECT * WHERE { ?s ?p ?o } LIMIT 100", timeout=60)
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 100
    finally:
        serving.stop()
