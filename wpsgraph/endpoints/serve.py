"""Serve — the built store behind a SPARQL 1.1 Protocol endpoint whose limits hold whatever the query.

`wpsgraph serve` answers queries through a pool of worker processes (``pool``, ``worker``), each with the store
open read-only, behind waitress (a kept WSGI server: connection limits, a listen backlog, timeouts for slow
clients) running the protocol in ``app``:

- every named graph kept, the default graph their union unless the query names its dataset (FROM / FROM NAMED);
- read-only: updates and Graph Store writes get HTTP 403;
- a hard deadline (``--timeout``): a query still running is killed with its worker and answered 504, never with
  part of a result; each worker's memory is capped (``--max-memory-mb``), results too (``--max-result-mb``);
- at most ``--workers`` queries at once and ``--queue`` waiting; beyond that 503 with Retry-After;
- no outbound requests: SERVICE is refused unless its host is named with ``--allow-service``;
- a rebuilt build folder is noticed: queries go to the new store from then on;
- bound to 127.0.0.1 unless told otherwise; a query page for browsers at ``/``, queries at ``/query``.

Oxigraph's own server binary (``start`` below) is still what the tests of ``push`` and ``--endpoint`` run as a
writable store; it cannot stop a query that overruns its timeout, hence the pool here.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from wpsgraph.endpoints.http import get
from wpsgraph.errors import WpsError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30  # seconds a query may run
READY_WITHIN = 30.0   # seconds the server may take to open the store and listen


class ServeError(WpsError):
    """The server cannot be found or started (missing binary, port in use, no store)."""


def server_binary() -> str:
    """The `oxigraph` executable installed with this package (next to the interpreter first, then on PATH)."""
    name = "oxigraph.exe" if sys.platform == "win32" else "oxigraph"
    for folder in (Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))):
        if (folder / name).is_file():
            return str(folder / name)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise ServeError("the Oxigraph server is not installed: it comes with the 'oxigraph' package "
                     "(pip install 'oxigraph>=0.5,<0.6', a dependency of wpsgraph)")


def _authority(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


@dataclass
class Server:
    """A running Oxigraph server process and its URLs."""

    process: subprocess.Popen
    url: str  # base URL, ending with '/': the browser query page

    @property
    def query_url(self) -> str:
        """Where SPARQL 1.1 Protocol queries go."""
        return self.url + "query"

    @property
    def update_url(self) -> str:
        return self.url + "update"

    @property
    def store_url(self) -> str:
        """The SPARQL 1.1 Graph Store HTTP Protocol endpoint (writable unless read-only)."""
        return self.url + "store"

    def stop(self, grace: float = 5.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def start(store: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, timeout: int | None = DEFAULT_TIMEOUT,
          read_only: bool = True, stderr=None) -> Server:
    """Start `oxigraph serve[-read-only]` on ``store`` and return once it listens and answers a SPARQL query.

    The server's own messages are relayed to ``stderr`` (a text file; default sys.stderr). Raises ServeError, with
    the server's message, if it exits first (a port in use, a store it cannot open).
    """
    store = Path(store)
    command = [server_binary(), "serve-read-only" if read_only else "serve", "--location", str(store),
               "--bind", _authority(host, port), "--union-default-graph"]
    if timeout:
        command += ["--timeout-s", str(int(timeout))]
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, errors="replace")
    connect_host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    server = Server(process, f"http://{_authority(connect_host, port)}/")
    try:
        _wait_ready(server, stderr)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_ready(server: Server, relay) -> None:
    """Wait for the server's "Listening for requests" line (so the port is its own), then for a query answer."""
    listening, early = threading.Event(), []

    def read():  # drains the server's output for its whole life, so it never blocks on a full pipe
        for line in server.process.stdout:
            if not listening.is_set():
                early.append(line.rstrip())
                if line.startswith("Listening for requests"):
                    listening.set()
                continue
            try:
                (relay or sys.stderr).write(line)
                (relay or sys.stderr).flush()
            except (OSError, ValueError):
                pass

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + READY_WITHIN
    while not listening.wait(0.05):
        code = server.process.poll()
        if code is not None:
            message = next((line for line in early if line.strip()), "no message")
            raise ServeError(f"the Oxigraph server exited with code {code} before accepting queries: {message}")
        if time.monotonic() > deadline:
            raise ServeError(f"the Oxigraph server did not start listening within {READY_WITHIN:.0f} s")
    probe = server.query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    while True:
        try:
            with get(probe, "application/sparql-results+json", timeout=2) as reply:
                if reply.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if server.process.poll() is not None or time.monotonic() > deadline:
            raise ServeError(f"the Oxigraph server does not answer queries at {server.query_url}")
        time.sleep(0.05)


DEFAULT_WORKERS = 2
DEFAULT_QUEUE = 64
DEFAULT_MEMORY_MB = 2048
DEFAULT_RESULT_MB = 256


@dataclass
class Limits:
    """What `serve` lets one query, and all of them together, take."""

    timeout: float = DEFAULT_TIMEOUT
    workers: int = DEFAULT_WORKERS
    queue: int = DEFAULT_QUEUE
    memory_mb: int = DEFAULT_MEMORY_MB
    result_mb: int = DEFAULT_RESULT_MB
    allow_service: tuple[str, ...] = ()


def store_folder(db: Path) -> Path:
    from wpsgraph.pipeline.build import STORE_DIR

    return db / STORE_DIR if (db / STORE_DIR).is_dir() else db


def query_page(db: Path):
    """The page served at ``/`` beside the endpoint: the project's query page (``workbench``), its prefixes
    following the base IRI the build was made with (its manifest says)."""
    import json

    from wpsgraph.endpoints.workbench import Workbench
    from wpsgraph.namespaces import Names

    manifest = Path(db) / "manifest.json"
    base = json.loads(manifest.read_text(encoding="utf-8")).get("base") if manifest.is_file() else None
    return Workbench(Names(base))


def endpoint(db: Path, limits: Limits, log=None):
    """The WSGI application over ``db`` and its pool (close the pool when done)."""
    from wpsgraph.endpoints.app import Endpoint, Settings
    from wpsgraph.endpoints.pool import Pool

    pool = Pool(Path(db), store_folder, limits.workers, limits.queue, limits.memory_mb, limits.result_mb, log=log)
    settings = Settings(limits.timeout, frozenset(h.lower() for h in limits.allow_service))
    return Endpoint(pool, settings, pages=query_page(Path(db))), pool


def serve(db: Path | None, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, timeout: int = DEFAULT_TIMEOUT,
          say=print, progress=None, limits: Limits | None = None) -> None:
    """Serve a build folder (or, without one, a fresh build of the shipped data in a temporary folder) until stopped.

    Prints the endpoint URL as soon as it accepts queries. Returns on Ctrl-C / SIGTERM (the workers are stopped
    with it).
    """
    import signal
    import tempfile

    import waitress

    from wpsgraph.pipeline.build import build, open_store

    limits = limits or Limits(timeout=timeout)
    log = lambda message: print(message, file=sys.stderr, flush=True)
    temporary = None
    if db is None:
        temporary = tempfile.TemporaryDirectory(prefix="wpsgraph-serve-")
        db = Path(temporary.name) / "build"
        build(None, db, progress=progress)
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    pool = None
    try:
        db = Path(db)
        open_store(db)  # raises a clear one-line error if this is not a built store
        app, pool = endpoint(db, limits, log)
        # More threads than workers and queue together, so that the pool (not waitress's own queue, which has no
        # bound) decides who waits and who is told to come back later.
        try:
            server = waitress.create_server(
                app, host=host, port=port, threads=limits.workers + limits.queue + 8, backlog=1024,
                connection_limit=limits.workers + limits.queue + 100, channel_timeout=max(60, int(limits.timeout) + 30),
                max_request_body_size=4 * 1024 * 1024, ident="wpsgraph", expose_tracebacks=False,
                clear_untrusted_proxy_headers=True)
        except OSError as e:
            raise ServeError(f"cannot listen on {_authority(host, port)}: {e.strerror or e} "
                             "(choose another --port)") from None
        connect_host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
        url = f"http://{_authority(connect_host, port)}/"
        say(f"SPARQL endpoint: {url}query")
        say(f"query page: {url}  (read-only; queries stop after {limits.timeout:g} s; at most {limits.workers} at "
            f"once; Ctrl-C stops the server)")
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
    finally:
        if pool is not None:
            pool.close()
        signal.signal(signal.SIGTERM, previous)
        if temporary is not None:
            temporary.cleanup()


def _exit_on_sigterm(_signum, _frame):
    raise KeyboardInterrupt
