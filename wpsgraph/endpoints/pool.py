"""The query workers of `wpsgraph serve`: a fixed number of child processes (``worker``), each with the store open
read-only and its memory capped, handed one query at a time.

What the pool guarantees, whatever the query:

- a hard deadline: a worker still busy at the deadline is killed (SIGKILL) and replaced; the query is answered
  with an error, never with the part of a result that was ready;
- bounded memory: each worker's heap is capped by the kernel; a worker that dies of it is replaced;
- bounded concurrency: at most ``workers`` queries run and ``queue`` wait; any request beyond that is told at
  once to come back later (``Busy``);
- a rebuilt store is noticed: when the build folder points at a new store, idle workers are replaced by workers
  on the new one, and busy ones after their query.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from wpsgraph.errors import WpsError

START_WITHIN = 60.0  # seconds a worker may take to open the store


class PoolError(WpsError):
    """The workers cannot be started (a store they cannot open)."""


class Busy(Exception):
    """Every worker is busy and the queue is full, or no worker came free before the deadline."""


class Deadline(Exception):
    """The query ran past its deadline; its worker was killed."""

    def __init__(self, seconds: float, peak_mb: float | None):
        self.seconds, self.peak_mb = seconds, peak_mb
        super().__init__(f"the query was stopped after {seconds:g} s (the server's time limit)")


class WorkerDied(Exception):
    """The worker ended during the query (most often the memory cap)."""


@dataclass
class Reply:
    status: int
    media: str
    body: bytes
    error: str = ""


def _peak_mb(pid: int) -> float | None:
    """The process's peak resident memory (VmHWM), in MB, where /proc tells it."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


class Worker:
    def __init__(self, store: Path, memory_mb: int, result_mb: int, generation: int):
        self.generation = generation
        self.process = subprocess.Popen(
            [sys.executable, "-m", "wpsgraph.endpoints.worker", str(store), str(memory_mb), str(result_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=None, close_fds=True,
            env={**os.environ, "RUST_BACKTRACE": "0"})
        assert self.process.stdin is not None and self.process.stdout is not None
        self.requests = Connection(os.dup(self.process.stdin.fileno()), readable=False)
        self.replies = Connection(os.dup(self.process.stdout.fileno()), writable=False)
        self.process.stdin.close()
        self.process.stdout.close()

    def wait_ready(self, within: float = START_WITHIN) -> None:
        if not self.replies.poll(within):
            self.kill()
            raise PoolError(f"a query worker did not open the store within {within:g} s")
        try:
            header = json.loads(self.replies.recv_bytes())
        except (EOFError, OSError):
            self.kill()
            raise PoolError("a query worker exited while opening the store") from None
        if not header.get("ready"):
            self.kill()
            raise PoolError(header.get("error", "a query worker could not start"))

    def ask(self, request: dict, deadline: float) -> Reply:
        started = time.monotonic()
        try:
            self.requests.send_bytes(json.dumps(request).encode())
            if not self.replies.poll(max(0.0, deadline - time.monotonic())):
                peak = _peak_mb(self.process.pid)
                self.kill()
                raise Deadline(round(time.monotonic() - started, 1), peak)
            header = json.loads(self.replies.recv_bytes())
            body = self.replies.recv_bytes()
        except (EOFError, OSError, BrokenPipeError):
            self.kill()
            raise WorkerDied from None
        return Reply(header["status"], header.get("media", ""), body, header.get("error", ""))

    def alive(self) -> bool:
        return self.process.poll() is None

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for connection in (self.requests, self.replies):
            with contextlib.suppress(OSError):
                connection.close()


class Pool:
    """``workers`` query processes over the store of a build folder (see the module notes)."""

    def __init__(self, db: Path, store_of, workers: int = 2, queue_size: int = 16, memory_mb: int = 2048,
                 result_mb: int = 256, log=None):
        self.db, self.store_of = Path(db), store_of
        self.size, self.queue_size = workers, queue_size
        self.memory_mb, self.result_mb = memory_mb, result_mb
        self.log = log or (lambda _message: None)
        self.idle: queue.Queue[Worker | None] = queue.Queue()
        self.lock = threading.Lock()
        self.waiting = 0
        self.closed = False
        self.everyone: set[Worker] = set()
        self.identity = self._identity()
        self.generation = 0
        self.checked = time.monotonic()
        self.to_start: queue.Queue[None] = queue.Queue()
        threading.Thread(target=self._starter, name="wpsgraph-worker-starter", daemon=True).start()
        first = [self._spawn() for _ in range(workers)]  # by the thread that runs the server to its end
        try:
            for worker in first:
                worker.wait_ready()
        except BaseException:
            for worker in first:
                worker.kill()
            raise
        for worker in first:
            self.idle.put(worker)

    def _identity(self):
        """What changes when the build folder is rebuilt: the real path of its store and the manifest's time."""
        store = Path(self.store_of(self.db))
        try:
            manifest = (self.db / "manifest.json").stat().st_mtime_ns
        except OSError:
            manifest = None
        return os.path.realpath(store), manifest

    def _spawn(self) -> Worker:
        worker = Worker(self.store_of(self.db), self.memory_mb, self.result_mb, self.generation)
        with self.lock:
            self.everyone = {w for w in self.everyone if w.alive()} | {worker}
        return worker

    def _replace(self) -> None:
        """Have a worker started in the background; it joins the idle ones once it has opened the store."""
        self.to_start.put(None)

    def _starter(self) -> None:
        # One long-lived thread starts every replacement: a worker asks the kernel to kill it when the thread that
        # started it ends (PR_SET_PDEATHSIG follows the thread, not the process), so that thread must live on.
        while not self.closed:
            self.to_start.get()
            while not self.closed:
                try:
                    worker = self._spawn()
                    worker.wait_ready()
                except (PoolError, OSError) as e:
                    self.log(f"serve: a query worker failed to start ({e}); retrying")
                    time.sleep(1)
                    continue
                if self.closed:
                    worker.kill()
                else:
                    self.idle.put(worker)
                break

    def _notice_rebuild(self) -> None:
        now = time.monotonic()
        if now - self.checked < 1.0:
            return
        self.checked = now
        identity = self._identity()
        if identity != self.identity and Path(self.store_of(self.db)).is_dir():
            with self.lock:
                if identity != self.identity:
                    self.identity = identity
                    self.generation += 1
                    self.log(f"serve: {self.db} was rebuilt; queries now go to the new store")

    def run(self, request: dict, timeout: float) -> Reply:
        """Answer one request within ``timeout`` seconds from now (waiting for a worker included)."""
        deadline = time.monotonic() + timeout
        with self.lock:
            if self.waiting >= self.size + self.queue_size:
                raise Busy
            self.waiting += 1
        try:
            self._notice_rebuild()
            worker = self._take(deadline)
            try:
                reply = worker.ask(request, deadline)
            except Deadline as stopped:
                self.log(f"serve: query stopped after {stopped.seconds:g} s (time limit); worker peak memory "
                         f"{stopped.peak_mb:.0f} MB" if stopped.peak_mb else
                         f"serve: query stopped after {stopped.seconds:g} s (time limit)")
                self._replace()
                raise
            except WorkerDied:
                self.log("serve: a query worker died (memory limit?); starting another")
                self._replace()
                raise
            self.idle.put(worker)
            return reply
        finally:
            with self.lock:
                self.waiting -= 1

    def _take(self, deadline: float) -> Worker:
        while True:
            try:
                worker = self.idle.get(timeout=max(0.001, deadline - time.monotonic()))
            except queue.Empty:
                raise Busy from None
            if worker is None:
                raise Busy
            if worker.generation == self.generation and worker.alive():
                return worker
            worker.kill()  # on an old store, or gone: replaced by a fresh one
            self._replace()
            if time.monotonic() >= deadline:
                raise Busy

    def close(self) -> None:
        self.closed = True
        with self.lock:
            everyone, self.everyone = self.everyone, set()
        for worker in everyone:
            worker.kill()
