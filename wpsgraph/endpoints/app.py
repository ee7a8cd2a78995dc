"""The SPARQL 1.1 Protocol in front of the query workers: a WSGI application, served by waitress (`serve`).

- ``/query``: GET with ``query=``, POST as ``application/sparql-query`` or a URL-encoded form; the protocol's
  ``default-graph-uri`` / ``named-graph-uri`` parameters; results by content negotiation (SPARQL JSON, XML, CSV,
  TSV; Turtle, N-Triples, RDF/XML, JSON-LD for graphs). Without a dataset the default graph is the union of all
  graphs; a query's own FROM / FROM NAMED, or the protocol parameters, take its place.
- ``/update`` and ``/store``: 403, the endpoint is read-only.
- ``/``: the query page for browsers: any WSGI application with a ``handles(path)`` method, mounted beside the
  endpoint (``Endpoint(pages=...)``; `serve` mounts the project's own, ``workbench.Workbench``).

Status codes beyond the protocol's: 403 for a SERVICE clause to a host not allowed (the endpoint makes no outbound
request unless told to), 503 with Retry-After when every worker is busy and the queue is full, 504 when the query
ran past the time limit (its worker was killed: no partial result is ever sent), 500 when it outgrew the memory or
result-size limit.
"""

from __future__ import annotations

import math
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass, field

from wpsgraph.endpoints.pool import Busy, Deadline, Pool, WorkerDied
from wpsgraph.endpoints.worker import GRAPH_FORMATS, RESULT_FORMATS
from wpsgraph.publishing.conneg import negotiate
from wpsgraph.query.lexer import has_dataset, query_form, service_targets

MAX_QUERY_BYTES = 1024 * 1024  # a request body (query text) larger than this is refused with 413
BOOLEAN_FORMATS = ("application/sparql-results+json", "application/sparql-results+xml")


@dataclass
class Settings:
    timeout: float = 30.0
    allow_service: frozenset[str] = field(default_factory=frozenset)  # host names SERVICE may call


class Refused(Exception):
    def __init__(self, status: str, message: str, headers: Iterable[tuple[str, str]] = ()):
        self.status, self.message, self.headers = status, message, list(headers)
        super().__init__(message)


def service_refusal(text: str, allowed: frozenset[str]) -> str | None:
    """Why the query's SERVICE clauses may not run here, or None if they may (or it has none)."""
    for target in service_targets(text):
        parts = urllib.parse.urlsplit(target)
        if parts.scheme in ("http", "https") and parts.hostname and parts.hostname.lower() in allowed:
            continue
        if not allowed:
            return (f"SERVICE <{target}> refused: this endpoint makes no outbound requests "
                    "(start it with --allow-service HOST to let queries call HOST)")
        if not parts.scheme:
            return f"SERVICE {target} refused: write the service's IRI in full (<http://host/...>)"
        return f"SERVICE <{target}> refused: its host is not one of {', '.join(sorted(allowed))}"
    return None


class _NoPages:
    """An endpoint without a page: every path is the protocol's."""

    def handles(self, path: str) -> bool:
        return False


class Endpoint:
    """The WSGI application (see the module notes)."""

    def __init__(self, pool: Pool, settings: Settings, pages=None):
        self.pool, self.settings = pool, settings
        self.pages = pages if pages is not None else _NoPages()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO") or "/"
        if path not in ("/query", "/update", "/store") and self.pages.handles(path) \
                and environ.get("REQUEST_METHOD", "GET") in ("GET", "HEAD"):
            return self.pages(environ, start_response)
        try:
            status, headers, body = self.route(environ)
        except Refused as e:
            status, body = e.status, (e.message + "\n").encode()
            headers = [("Content-Type", "text/plain; charset=utf-8"), *e.headers]
        headers = [*headers, ("Content-Length", str(len(body))), ("Access-Control-Allow-Origin", "*")]
        start_response(status, headers)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    def route(self, environ) -> tuple[str, list[tuple[str, str]], bytes]:
        path, method = environ.get("PATH_INFO") or "/", environ.get("REQUEST_METHOD", "GET")
        if self.pages.handles(path):
            raise Refused("405 Method Not Allowed", "use GET", [("Allow", "GET, HEAD")])
        if path in ("/update", "/store"):
            raise Refused("403 Forbidden", "this endpoint is read-only: updates and Graph Store writes are refused")
        if path != "/query":
            raise Refused("404 Not Found", f"nothing at {path}: queries go to /query")
        if method == "OPTIONS":
            return "204 No Content", [("Access-Control-Allow-Methods", "GET, POST, OPTIONS"),
                                      ("Access-Control-Allow-Headers", "Content-Type, Accept")], b""
        text, default_graphs, named_graphs = self.read_query(environ, method)
        return self.answer(text, default_graphs, named_graphs, environ.get("HTTP_ACCEPT"))

    def read_query(self, environ, method: str) -> tuple[str, list[str], list[str]]:
        params = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        if method in ("GET", "HEAD"):
            pass
        elif method == "POST":
            media = (environ.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
            body = self.read_body(environ)
            if media == "application/sparql-query":
                params["query"] = [body.decode("utf-8", "replace")]
            elif media == "application/x-www-form-urlencoded":
                for key, values in urllib.parse.parse_qs(body.decode("utf-8", "replace"),
                                                         keep_blank_values=True).items():
                    params.setdefault(key, []).extend(values)
            else:
                raise Refused("415 Unsupported Media Type",
                              "POST a query as application/sparql-query or application/x-www-form-urlencoded")
        else:
            raise Refused("405 Method Not Allowed", "use GET or POST", [("Allow", "GET, POST, OPTIONS")])
        queries = params.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            raise Refused("400 Bad Request", "give exactly one non-empty 'query' parameter")
        return queries[0], params.get("default-graph-uri", []), params.get("named-graph-uri", [])

    @staticmethod
    def read_body(environ) -> bytes:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise Refused("400 Bad Request", "bad Content-Length") from None
        if length > MAX_QUERY_BYTES:
            raise Refused("413 Content Too Large", f"a query may be at most {MAX_QUERY_BYTES // 1024} KB")
        return environ["wsgi.input"].read(length) if length else b""

    def answer(self, text: str, default_graphs: list[str], named_graphs: list[str], accept: str | None):
        refusal = service_refusal(text, self.settings.allow_service)
        if refusal:
            raise Refused("403 Forbidden", refusal)
        form = query_form(text)
        offers = list(GRAPH_FORMATS) if form in ("CONSTRUCT", "DESCRIBE") else \
            list(BOOLEAN_FORMATS) if form == "ASK" else list(RESULT_FORMATS)
        media = negotiate(accept, offers)
        if media is None:
            raise Refused("406 Not Acceptable", f"this query's results are available as {', '.join(offers)}")
        request = {"query": text, "media": media, "union": not has_dataset(text),
                   "default_graph": default_graphs, "named_graphs": named_graphs}
        timeout = self.settings.timeout
        try:
            reply = self.pool.run(request, timeout)
        except Busy:
            raise Refused("503 Service Unavailable", "every query worker is busy: try again shortly",
                          [("Retry-After", str(max(1, math.ceil(timeout / 4))))]) from None
        except Deadline as e:
            raise Refused("504 Gateway Timeout", f"the query was cancelled after {e.seconds:g} s, the server's time "
                                                 f"limit ({timeout:g} s): make it more selective") from None
        except WorkerDied:
            raise Refused("500 Internal Server Error", "the query outgrew the memory a worker may use and was "
                                                       "stopped (wpsgraph serve --max-memory-mb)") from None
        if reply.status != 200:
            raise Refused(f"{reply.status} {'Bad Request' if reply.status == 400 else 'Internal Server Error'}",
                          reply.error)
        content_type = reply.media + ("; charset=utf-8" if reply.media.startswith("text/") else "")
        return "200 OK", [("Content-Type", content_type), ("Vary", "Accept")], reply.body
