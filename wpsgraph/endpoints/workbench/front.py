"""The front `wpsgraph serve` listens with: the query page at `/`, every other request passed on unchanged to the
SPARQL server behind it (Oxigraph's, on a loopback port of its own).

Oxigraph's server answers `/` with its own page, so the project's page needs a front of its own. This one is the
standard library's WSGI server (threaded); the endpoint's answers are streamed through as they come, status,
media type and body unchanged, so a query the server cancels still reaches the client cut short.
"""

from __future__ import annotations

import http.client
import socket
import socketserver
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from wpsgraph.endpoints.http import relay
from wpsgraph.endpoints.workbench import Workbench

# headers that belong to one connection, not to the message (RFC 9110 §7.6.1); WSGI servers set their own
_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade"}
_PASSED = ("CONTENT_TYPE", "HTTP_ACCEPT", "HTTP_ACCEPT_LANGUAGE", "HTTP_ACCEPT_ENCODING", "HTTP_USER_AGENT")


class Front:
    """WSGI: the workbench's paths to the workbench, everything else to ``backend`` (a base URL ending in '/')."""

    def __init__(self, workbench: Workbench, backend: str, timeout: float):
        self.workbench, self.backend, self.timeout = workbench, backend, timeout

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        if self.workbench.handles(path):
            return self.workbench(environ, start_response)
        url = self.backend + urllib.parse.quote(path.lstrip("/").encode("latin-1"), safe="/;=,@:!$&'()*+~")
        if environ.get("QUERY_STRING"):
            url += "?" + environ["QUERY_STRING"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else None
        headers = {key[5:].replace("_", "-").title() if key.startswith("HTTP_") else "Content-Type": environ[key]
                   for key in _PASSED if environ.get(key)}
        try:
            reply = relay(url, environ.get("REQUEST_METHOD", "GET"), body, headers, self.timeout)
        except OSError as e:
            message = f"the SPARQL server behind this page did not answer: {e}\n".encode()
            start_response("502 Bad Gateway", [("Content-Type", "text/plain; charset=utf-8")])
            return [message]
        start_response(f"{reply.status} {reply.reason}",
                       [(k, v) for k, v in reply.headers.items() if k.lower() not in _HOP])
        return _stream(reply)


def _stream(reply) -> Iterable[bytes]:
    read = getattr(reply, "read1", reply.read)  # read1: what has arrived, so rows reach the client as they come
    try:
        while True:
            try:
                chunk = read(1 << 16)
            except (http.client.IncompleteRead, OSError):
                return  # the server cut its answer short (a cancelled query): so does the client's
            if not chunk:
                return
            yield chunk
    finally:
        reply.close()


class _ThreadedServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True  # a slow client does not keep `serve` from stopping


class _ThreadedServer6(_ThreadedServer):
    address_family = socket.AF_INET6


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the standard library's signature
        pass  # Oxigraph's server logs the queries; one line per request here would double them


class Running:
    """A front server answering in a thread of its own until ``stop``."""

    def __init__(self, server: WSGIServer):
        self.server = server
        self.thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def listen(host: str, port: int, backend: str, workbench: Workbench, timeout: float) -> Running:
    """Listen on host:port (OSError if the address is taken) and answer in a background thread."""
    server_class = _ThreadedServer6 if ":" in host else _ThreadedServer
    server = make_server(host.strip("[]"), port, Front(workbench, backend, timeout), server_class=server_class,
                         handler_class=_QuietHandler)
    return Running(server)
