"""Serve — the built store behind a real SPARQL 1.1 Protocol endpoint: Oxigraph's own server.

The `oxigraph` package (a dependency, same 0.5.x series as pyoxigraph, so it opens the stores `build` writes) ships
the `oxigraph` binary. `wpsgraph serve` runs `oxigraph serve-read-only` on the build's store:

- every named graph kept (a graph per source, reference file, ontology, and the inferred graph), the default graph
  their union (`--union-default-graph`);
- read-only: updates and Graph Store writes get HTTP 403;
- a query running past `--timeout-s` is cancelled by the server itself;
- bound to 127.0.0.1 unless told otherwise; the project's query page (`workbench/`) is at `/`, queries at
  `/query` (the page's front server passes them on to Oxigraph's, listening on a loopback port of its own).

Nothing here speaks HTTP for the server: this module only finds the binary, starts it, waits until it answers a
query, and stops it (the page's front is `workbench/front.py`).
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


def serve(db: Path | None, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, timeout: int = DEFAULT_TIMEOUT,
          say=print, progress=None) -> None:
    """Serve a build folder (or, without one, a fresh build of the shipped data in a temporary folder) until stopped.

    Prints the endpoint URL as soon as the server accepts queries. Returns when the server stops, or on Ctrl-C /
    SIGTERM (the server is stopped with it).
    """
    import signal
    import tempfile

    from wpsgraph.pipeline.build import STORE_DIR, build, open_store

    temporary = None
    if db is None:
        temporary = tempfile.TemporaryDirectory(prefix="wpsgraph-serve-")
        db = Path(temporary.name) / "build"
        build(None, db, progress=progress)
    try:
        db = Path(db)
        store = db / STORE_DIR if (db / STORE_DIR).is_dir() else db
        open_store(db)  # raises a clear one-line error if this is not a built store
        previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
        # the project's query page at `/`, in front of Oxigraph's server on a loopback port of its own
        server = start(store, DEFAULT_HOST, _free_port(), timeout, read_only=True)
        try:
            page = _query_page(host, port, db, server.url, timeout)
        except BaseException:
            server.stop()
            raise
        try:
            url = f"http://{_authority({'0.0.0.0': '127.0.0.1', '::': '::1'}.get(host, host), page.port)}/"
            say(f"SPARQL endpoint: {url}query")
            say(f"query page: {url}  (read-only; queries stop after {timeout} s; Ctrl-C stops the server)")
            code = server.process.wait()
            if code:
                raise ServeError(f"the Oxigraph server stopped with exit code {code}")
        except KeyboardInterrupt:
            pass
        finally:
            page.stop()
            server.stop()
            signal.signal(signal.SIGTERM, previous)
    finally:
        if temporary is not None:
            temporary.cleanup()


def _query_page(host: str, port: int, db: Path, backend: str, timeout: int):
    import json

    from wpsgraph.endpoints.workbench import Workbench, front
    from wpsgraph.namespaces import Names

    manifest = db / "manifest.json"
    base = json.loads(manifest.read_text(encoding="utf-8")).get("base") if manifest.is_file() else None
    try:
        return front.listen(host, port, backend, Workbench(Names(base)), timeout + 5)
    except OSError as e:
        raise ServeError(f"cannot listen on {_authority(host, port)}: {e.strerror or e}") from None


def _free_port() -> int:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((DEFAULT_HOST, 0))
        return s.getsockname()[1]


def _exit_on_sigterm(_signum, _frame):
    raise KeyboardInterrupt
