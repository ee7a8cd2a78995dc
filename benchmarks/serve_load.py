"""Load and fault benchmark of `wpsgraph serve` (issue 13), all on 127.0.0.1.

    .venv/bin/python benchmarks/serve_load.py                      # builds the shipped data first
    .venv/bin/python benchmarks/serve_load.py --db build --clients 50 --seconds 30

Not collected by pytest. It starts `wpsgraph serve --timeout T` as a user would, then:

1. **pathological queries**, one at a time: for each, the HTTP status, the time until the client had its answer,
   the peak memory of the worker that ran it (the server's log line, read from /proc before the kill), and the CPU
   time the server's processes burn in the two seconds after the answer (0 when the query really stopped);
2. **load**: ``--clients`` threads asking a mix of cheap queries (a count, a canned question, an ASK) for
   ``--seconds``, each request a new connection: requests per second, statuses, latency percentiles, and whether
   every answer had the right rows;
3. **load under attack**: the same clients while ``--attackers`` threads send the pathological queries
   without pause: how much of the cheap traffic still gets through, and how it is refused when it does not.

Prints a Markdown summary and writes the figures as JSON (``--json``, default benchmarks/serve_load.json).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the test suite's helpers for servers and processes
from servers import children, cpu_seconds, free_port  # noqa: E402
WPSGRAPH = [sys.executable, "-m", "wpsgraph.cli"]

PATHOLOGICAL = {
    "ORDER BY over a cross join": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f",
    "FILTER rejecting every row of a join":
        "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f FILTER(STRLEN(STR(?c)) + STRLEN(STR(?f)) < 0) }",
    "streaming result": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f }",
    "LIMIT 1 OFFSET 4e10": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 1 OFFSET 40000000000",
    "SERVICE to a host (refused)": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
}
CHEAP = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "ASK { ?s a <https://w3id.org/wpsgraph/ontology#Organisation> }",
    "SELECT ?s ?label WHERE { ?s a <https://w3id.org/wpsgraph/ontology#Event> ; "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?label } ORDER BY ?s LIMIT 20",
]


def ask(url: str, text: str, timeout: float = 120) -> tuple[int, bytes, float]:
    start = time.monotonic()
    request = urllib.request.Request(url + "?" + urllib.parse.urlencode({"query": text}),
                                     headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, reply.read(), time.monotonic() - start
    except urllib.error.HTTPError as e:
        return e.code, e.read(), time.monotonic() - start
    except OSError as e:
        return 0, str(e).encode(), time.monotonic() - start


class Server:
    def __init__(self, db: Path, timeout: float, workers: int, queue_size: int):
        port = free_port()
        self.process = subprocess.Popen(
            WPSGRAPH + ["serve", "--db", str(db), "--port", str(port), "--timeout", str(timeout), "--workers",
                        str(workers), "--queue", str(queue_size)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.log: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self.log.put(line) for line in self.process.stderr], daemon=True).start()
        self.url = None
        for line in self.process.stdout:
            if line.startswith("SPARQL endpoint:"):
                self.url = line.split()[-1]
                break
        if not self.url:
            raise SystemExit(f"serve did not start: {self.process.stderr.read()}")

    def log_lines(self) -> list[str]:
        lines = []
        while True:
            try:
                lines.append(self.log.get_nowait())
            except queue.Empty:
                return lines

    def stop(self):
        self.process.terminate()
        self.process.wait(30)


def pathological(server: Server) -> list[dict]:
    rows = []
    for name, text in PATHOLOGICAL.items():
        server.log_lines()
        status, body, took = ask(server.url, text)
        time.sleep(0.3)  # the log line of the kill
        peak = next((float(m.group(1)) for line in server.log_lines()
                     if (m := re.search(r"peak memory (\d+) MB", line))), None)
        before = cpu_seconds(children(server.process.pid) + [server.process.pid])
        time.sleep(2)
        after = cpu_seconds(children(server.process.pid) + [server.process.pid])
        rows.append({"query": name, "status": status, "seconds": round(took, 2), "worker_peak_mb": peak,
                     "cpu_after_s": round(after - before, 2), "message": body.decode("utf-8", "replace")[:120]})
        print(f"  {name}: HTTP {status} after {took:.2f} s, worker peak {peak} MB, CPU in the 2 s after "
              f"{after - before:.2f} s", flush=True)
    return rows


def expected_answers(url: str) -> dict[str, bytes]:
    return {text: ask(url, text)[1] for text in CHEAP}


def load(server: Server, clients: int, seconds: float, attackers: int = 0) -> dict:
    expected = expected_answers(server.url)
    results: list[tuple[int, float, bool]] = []
    attacks: list[int] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(i: int):
        n = i
        while time.monotonic() < stop:
            text = CHEAP[n % len(CHEAP)]
            n += 1
            status, body, took = ask(server.url, text, timeout=60)
            with lock:
                results.append((status, took, status != 200 or body == expected[text]))

    def attacker(i: int):
        shapes = list(PATHOLOGICAL.values())[:4]
        n = i
        while time.monotonic() < stop:
            status, _, _ = ask(server.url, shapes[n % len(shapes)], timeout=120)
            n += 1
            with lock:
                attacks.append(status)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    threads += [threading.Thread(target=attacker, args=(i,)) for i in range(attackers)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    statuses: dict[str, int] = {}
    for status, _, _ in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    ok = sorted(took for status, took, _ in results if status == 200)
    q = (lambda p: round(ok[min(len(ok) - 1, int(p * len(ok)))] * 1000, 1)) if ok else (lambda p: None)
    attack_statuses: dict[str, int] = {}
    for status in attacks:
        attack_statuses[str(status)] = attack_statuses.get(str(status), 0) + 1
    figures = {
        "clients": clients, "attackers": attackers, "seconds": round(elapsed, 1), "requests": len(results),
        "per_second": round(len(results) / elapsed, 1), "ok_per_second": round(len(ok) / elapsed, 1),
        "statuses": statuses, "wrong_rows": sum(1 for *_, right in results if not right),
        "latency_ms": {"p50": q(0.50), "p95": q(0.95), "p99": q(0.99), "max": round(ok[-1] * 1000, 1) if ok else None,
                       "mean": round(statistics.mean(ok) * 1000, 1) if ok else None},
        "attack_statuses": attack_statuses,
    }
    print(f"  {clients} clients + {attackers} attackers, {elapsed:.0f} s: {figures['per_second']} requests/s "
          f"({statuses}), p50 {figures['latency_ms']['p50']} ms, p99 {figures['latency_ms']['p99']} ms, wrong rows "
          f"{figures['wrong_rows']}, attacks {attack_statuses}", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, default=None, help="a build folder (default: build the shipped data)")
    parser.add_argument("--timeout", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--queue", type=int, default=64)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--attackers", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "serve_load.json")
    args = parser.parse_args()
    temporary = None
    db = args.db
    if db is None:
        temporary = Path(tempfile.mkdtemp(prefix="wpsgraph-serve-load-"))
        db = temporary / "build"
        subprocess.run(WPSGRAPH + ["build", "--out", str(db), "--quiet"], check=True)
    server = Server(db, args.timeout, args.workers, args.queue)
    try:
        print(f"serve --timeout {args.timeout:g} --workers {args.workers} --queue {args.queue} on {db}", flush=True)
        print("pathological queries:", flush=True)
        patho = pathological(server)
        print("load:", flush=True)
        plain = load(server, args.clients, args.seconds)
        print("load under attack:", flush=True)
        attacked = load(server, args.clients, args.seconds, args.attackers)
    finally:
        server.stop()
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)
    figures = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
               "settings": vars(args) | {"db": str(db), "json": str(args.json)},
               "pathological": patho, "load": plain, "load_under_attack": attacked}
    args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
