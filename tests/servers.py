"""Test helpers: one build of the shipped data per session, free ports, and real Oxigraph servers that always stop.

The server is the `oxigraph` binary installed by the project's own dependencies (pyproject.toml), found and started
exactly as `wpsgraph serve` does it.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from wpsgraph.endpoints import serve
from wpsgraph.pipeline.build import build

WPSGRAPH = [sys.executable, "-m", "wpsgraph.cli"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    """The child processes of ``pid`` (all its threads'), from /proc."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:  # a thread that ended meanwhile
            pass
    return found


def cpu_seconds(pids) -> float:
    """User and system CPU time of the processes ``pids`` (those still there), from /proc."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


@functools.cache
def built() -> Path:
    """The shipped data built once per test session (read-only: do not modify)."""
    folder = Path(tempfile.mkdtemp(prefix="wpsgraph-test-build-"))
    atexit.register(shutil.rmtree, folder, True)
    build(None, folder / "build")
    return folder / "build"


@contextlib.contextmanager
def oxigraph(store: Path, read_only: bool = False, timeout: int | None = None):
    """A real Oxigraph server on a free 127.0.0.1 port over ``store``; stopped on leaving the block."""
    log = open(Path(store).parent / f"{Path(store).name}.server.log", "w", encoding="utf-8")
    server = serve.start(store, "127.0.0.1", free_port(), timeout, read_only=read_only, stderr=log)
    try:
        yield server
    finally:
        server.stop()
        log.close()


def http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None,
         timeout: float = 30) -> tuple[int, str, bytes]:
    """(status, media type, body) of one request; HTTP errors are returned, not raised."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, reply.headers.get("Content-Type", "").split(";")[0], reply.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", "").split(";")[0], e.read()


def sparql_get(endpoint: str, query: str, accept: str = "application/sparql-results+json", **kw):
    return http(endpoint + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept}, **kw)


def port_closed(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        return s.connect_ex((parts.hostname, parts.port)) != 0


class Serving:
    """`wpsgraph serve ...` in a subprocess; .url is the endpoint URL it printed."""

    def __init__(self, *args, wait: float = 60):
        self.process = subprocess.Popen(WPSGRAPH + ["serve", *map(str, args)], stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.output = []
        self.url = None
        deadline = time.monotonic() + wait
        while self.url is None and time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.2)
            except queue.Empty:
                if self.process.poll() is not None:
                    break
                continue
            self.output.append(line)
            match = re.search(r"(http://\S+/query)\b", line)
            if match and line.startswith("SPARQL endpoint:"):
                self.url = match.group(1)

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.stderr.read()
