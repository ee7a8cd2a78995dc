"""One query worker of `wpsgraph serve`: a child process that opens the built store read-only and answers one query
at a time on its pipes.

It runs as ``python -m wpsgraph.endpoints.worker STORE MEMORY_MB RESULT_MB``. Its memory is capped by the kernel
(``RLIMIT_DATA``: heap and anonymous mappings, not the store's mapped files), so a query that would grow without
bound fails here, alone, instead of taking the machine. The parent (``pool``) kills it at the query's deadline:
Oxigraph cannot be interrupted from inside, a process can.

Requests and replies are length-prefixed messages (``multiprocessing.connection``): a request is a JSON header; a
reply is a JSON header, then the serialised result as one message. A result is serialised whole before it is sent,
so a client never receives a truncated body presented as a success.
"""

from __future__ import annotations

import io
import json
import os
import resource
import sys
from multiprocessing.connection import Connection

import pyoxigraph as ox

RESULT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


class TooLarge(Exception):
    pass


class _Capped(io.BytesIO):
    """A buffer that refuses to grow past ``limit`` bytes (the result-size bound)."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def write(self, data) -> int:
        if self.tell() + len(data) > self.limit:
            raise TooLarge
        return super().write(data)


def limit_memory(megabytes: int) -> None:
    if megabytes > 0:
        cap = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))


def answer(store: ox.Store, request: dict, result_limit: int) -> tuple[dict, bytes]:
    """Run one query; (reply header, body). The header's status is an HTTP status."""
    kw: dict = {}
    if request.get("default_graph") or request.get("named_graphs"):
        kw["default_graph"] = [ox.NamedNode(g) for g in request.get("default_graph") or []] or None
        kw["named_graphs"] = [ox.NamedNode(g) for g in request.get("named_graphs") or []] or None
        kw = {k: v for k, v in kw.items() if v is not None}
    elif request.get("union", True):
        kw["use_default_graph_as_union"] = True
    try:
        result = store.query(request["query"], **kw)
        media = request["media"]
        sink = _Capped(result_limit)
        if isinstance(result, ox.QueryTriples):
            ox.serialize(result, sink, format=GRAPH_FORMATS[media])
        else:
            result.serialize(sink, format=RESULT_FORMATS[media])
    except SyntaxError as e:
        return {"status": 400, "error": f"the query does not parse: {e}"}, b""
    except TooLarge:
        return {"status": 500, "error": f"the result is larger than {result_limit // (1024 * 1024)} MB "
                                        "(wpsgraph serve --max-result-mb)"}, b""
    except MemoryError:
        return {"status": 500, "error": "the query needs more memory than a worker may use "
                                        "(wpsgraph serve --max-memory-mb)"}, b""
    except (OSError, RuntimeError, ValueError, KeyError) as e:
        if isinstance(e.__context__, TooLarge) or "TooLarge" in str(e):
            return {"status": 500, "error": f"the result is larger than {result_limit // (1024 * 1024)} MB "
                                            "(wpsgraph serve --max-result-mb)"}, b""
        return {"status": 500, "error": f"the query failed: {type(e).__name__}: {e}"}, b""
    return {"status": 200, "media": media}, sink.getvalue()


def die_with_parent() -> None:
    """Linux: the kernel kills this worker if `serve` itself dies (even by SIGKILL), mid-query included."""
    if sys.platform.startswith("linux"):
        import contextlib
        import ctypes
        import signal

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG


def main(argv: list[str]) -> int:
    store_path, memory_mb, result_mb = argv[0], int(argv[1]), int(argv[2])
    die_with_parent()
    # The replies go on a private copy of stdout; anything a library prints goes to stderr instead.
    reply_fd = os.dup(1)
    os.dup2(2, 1)
    requests, replies = Connection(0), Connection(reply_fd)
    try:
        store = ox.Store.read_only(store_path)
    except OSError as e:
        replies.send_bytes(json.dumps({"status": 500, "error": f"cannot open the store: {e}"}).encode())
        return 2
    limit_memory(memory_mb)
    replies.send_bytes(json.dumps({"status": 0, "ready": True}).encode())
    while True:
        try:
            request = json.loads(requests.recv_bytes())
        except (EOFError, OSError):
            return 0
        header, body = answer(store, request, result_mb * 1024 * 1024)
        replies.send_bytes(json.dumps(header).encode())
        replies.send_bytes(body)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
