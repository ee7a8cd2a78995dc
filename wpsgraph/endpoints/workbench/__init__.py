"""The WPS query page `wpsgraph serve` shows at `/`: an editor (CodeMirror 5, shipped in `static/vendor/`, so no
network is needed at run time), the project's prefixes, every canned query as an example with its description and
parameters, results with labels beside IRIs and links to each resource's published page, CSV download and links
that carry the query.

The page is static: everything it asks goes to the SPARQL endpoint beside it (`query`, relative to the page).
What it needs from Python is one JSON document (``config``): the prefixes, the base IRI, and each canned query with
its parameters already bound to their defaults by the project's one binder (``query.sparql``), so the example
text in the editor is what `wpsgraph query NAME` runs (less the header comments, which the page shows as text).

``Workbench`` is a WSGI application answering the page's few paths (``handles`` says which), so any WSGI server in
front of the endpoint can mount it (`endpoints.app.Endpoint` does).
"""

from __future__ import annotations

import json
import mimetypes
from collections.abc import Callable, Iterable
from pathlib import Path

from wpsgraph import __version__
from wpsgraph.namespaces import Names
from wpsgraph.query.catalogue import catalogue
from wpsgraph.query.sparql import bindings, query_text

STATIC = Path(__file__).parent / "static"
ASSETS = "/workbench/"  # the page's own files live under this path; everything else is the endpoint's
PAGE_PATHS = ("/", "/index.html")


def config(names: Names) -> dict:
    """What the page needs to know: prefixes, base, and the canned queries as examples (parameters bound)."""
    examples = []
    for query in sorted(catalogue().values(), key=lambda q: q.name):
        bound = bindings(query, {}, names)
        examples.append({
            "name": query.name, "title": query.title or query.name, "description": query.description,
            "text": _without_header(query_text(query, names, bound)),
            "params": [{"name": p.name, "kind": p.kind, "default": p.default, "doc": p.doc,
                        "term": str(bound[p.name])} for p in query.params],
        })
    return {"version": __version__, "base": names.base, "prefixes": names.prefixes(), "examples": examples}


def _without_header(text: str) -> str:
    """The query without its header comments (the page shows title, description and parameters beside it)."""
    lines = text.splitlines(keepends=True)
    while lines and (lines[0].startswith("#") or not lines[0].strip()):
        lines.pop(0)
    return "".join(lines)


def _assets() -> dict[str, Path]:
    """Every file under static/ by its URL path: a fixed table, so no request path reaches the file system."""
    return {ASSETS + p.relative_to(STATIC).as_posix(): p for p in STATIC.rglob("*") if p.is_file()}


class Workbench:
    """The query page as a WSGI application (GET and HEAD of its own paths; 404 for anything else)."""

    def __init__(self, names: Names | None = None):
        self.names = names or Names()
        self._files = _assets()
        self._config = json.dumps(config(self.names), ensure_ascii=False).encode("utf-8")

    def handles(self, path: str) -> bool:
        return path in PAGE_PATHS or path.startswith(ASSETS)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO") or "/", environ.get("REQUEST_METHOD", "GET")
        if path in PAGE_PATHS:
            body, media = (STATIC / "index.html").read_bytes(), "text/html; charset=utf-8"
        elif path == ASSETS + "config.json":
            body, media = self._config, "application/json"
        elif path in self._files:
            body = self._files[path].read_bytes()
            media = mimetypes.guess_type(path)[0] or "application/octet-stream"
            if media.startswith("text/") or media.endswith("javascript"):
                media += "; charset=utf-8"
        else:
            return _plain(start_response, "404 Not Found", b"not found\n")
        if method not in ("GET", "HEAD"):
            return _plain(start_response, "405 Method Not Allowed", b"the query page is read with GET\n",
                          [("Allow", "GET, HEAD")])
        # the page's files change only with the package; the config with the build's base
        start_response("200 OK", [("Content-Type", media), ("Content-Length", str(len(body))),
                                  ("Cache-Control", "no-cache"), ("X-Content-Type-Options", "nosniff")])
        return [b"" if method == "HEAD" else body]


def _plain(start_response: Callable, status: str, body: bytes, extra: list | None = None) -> list[bytes]:
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body))),
                            *(extra or [])])
    return [body]
