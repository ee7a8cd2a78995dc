"""Content negotiation for a folder written by ``wpsgraph publish``: each extension-less resource IRI answers HTML,
Turtle or JSON-LD by the request's Accept header (RFC 9110 quality values), every file keeps its own URL.

``serve-site`` runs it on waitress (a kept WSGI server) for previews and tests; production sites use the Apache or
nginx configuration that ``publish`` writes beside the pages, which makes the same choices for the usual Accept
headers.
"""

from __future__ import annotations

import mimetypes
import os
import posixpath
from http import HTTPStatus
from pathlib import Path

# What an extension-less IRI can be answered with, in order of preference when the client has none.
OFFERS = (("text/html", ".html"), ("text/turtle", ".ttl"), ("application/ld+json", ".jsonld"))
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".ttl": "text/turtle; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".trig": "application/trig; charset=utf-8",
    ".nq": "application/n-quads",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
}


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an Accept header with their quality values (1.0 when absent)."""
    if not header or not header.strip():
        return [("*/*", 1.0)]
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        if media == "*":
            media = "*/*"
        q = 1.0
        for f in fields[1:]:
            key, _, value = f.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _quality(media: str, ranges: list[tuple[str, float]]) -> float:
    """The quality the client gives ``media``: that of the most specific matching range, 0 if none matches."""
    kind = media.split("/")[0]
    best, specificity = 0.0, -1
    for rng, q in ranges:
        if rng == media:
            s = 2
        elif rng == kind + "/*":
            s = 1
        elif rng == "*/*":
            s = 0
        else:
            continue
        if s > specificity:
            best, specificity = q, s
    return best


def negotiate(accept: str | None, offers: list[str]) -> str | None:
    """The offered media type the client prefers (ties go to the earlier offer), or None if none is acceptable."""
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for media in offers:
        q = _quality(media, ranges)
        if q > best_q:
            best, best_q = media, q
    return best


MAX_URI = 2048      # a longer request target is answered 414
MAX_SEGMENT = 255   # no file name is longer: a longer path segment is answered 404


def _status(code: int) -> str:
    return f"{code} {HTTPStatus(code).phrase}"


class SiteApp:
    """A WSGI application serving a published folder; extension-less paths are negotiated between .html, .ttl and
    .jsonld. It serves the version of the site that ``root`` named when it started (a snapshot: ``publish`` switches
    the folder's link, never the files under a running server), and nothing outside it: a symbolic link that leads
    out of the folder is answered 404 like a missing file."""

    def __init__(self, root: Path):
        self.root = Path(root).resolve()

    def __call__(self, environ, start_response):
        status, headers, body = self.answer(environ)
        if isinstance(body, bytes):
            headers = [*headers, ("Content-Length", str(len(body)))]
            start_response(status, headers)
            return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]
        start_response(status, headers)
        if environ.get("REQUEST_METHOD") == "HEAD":
            body.close()
            return []
        wrapper = environ.get("wsgi.file_wrapper")
        return wrapper(body, 64 * 1024) if wrapper else iter(lambda: body.read(64 * 1024), b"")

    @staticmethod
    def _text(code: int, message: str, headers=()):
        return _status(code), [("Content-Type", "text/plain; charset=utf-8"), *headers], (message + "\n").encode()

    def answer(self, environ):
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self._text(405, "Method not allowed: this site is read-only", [("Allow", "GET, HEAD")])
        uri = environ.get("REQUEST_URI") or environ.get("RAW_URI") or ""
        raw = (environ.get("PATH_INFO") or "/").encode("latin-1", "replace")  # PEP 3333: bytes as latin-1
        if len(uri) > MAX_URI or len(raw) > MAX_URI:
            return self._text(414, "URI too long")
        path = raw.decode("utf-8", "replace")
        if any(len(seg.encode("utf-8")) > MAX_SEGMENT for seg in path.split("/")):
            return self._text(404, "Not found")
        if path != "/" and path.endswith("/"):  # pages are files: their relative links need the name without '/'
            target = path.rstrip("/") or "/"
            query = environ.get("QUERY_STRING")
            return self._text(301, f"Moved to {target}", [("Location", target + (f"?{query}" if query else ""))])
        rel = posixpath.normpath(path).lstrip("/")
        if rel in ("", "."):
            rel = "index"
        if rel.startswith(("deploy/", ".")) or rel == "deploy" or "/." in rel or "\0" in rel:
            return self._text(404, "Not found")
        target = self._inside(rel)
        if target is not None and target.is_file():
            return self._file(target)
        available = [(media, ext) for media, ext in OFFERS if (f := self._inside(rel + ext)) and f.is_file()]
        if not available:
            return self._text(404, "Not found")
        links = ", ".join(f'<{posixpath.basename(rel)}{ext}>; rel="alternate"; type="{media}"'
                          for media, ext in available)
        media = negotiate(environ.get("HTTP_ACCEPT"), [m for m, _ in available])
        if media is None:
            return self._text(406, "Not acceptable: this resource is available as "
                                   + ", ".join(m for m, _ in available), [("Vary", "Accept"), ("Link", links)])
        chosen = self._inside(rel + dict(available)[media])
        assert chosen is not None
        return self._file(chosen, [("Vary", "Accept"), ("Content-Location", chosen.name), ("Link", links)])

    def _inside(self, rel: str) -> Path | None:
        """The file ``rel`` names, if it is inside the site once every link is followed."""
        try:
            real = (self.root / rel).resolve()
        except (OSError, RuntimeError, ValueError):  # a name too long, a loop of links
            return None
        return real if real.is_relative_to(self.root) else None

    def _file(self, target: Path, headers=()):
        try:
            f = open(target, "rb")  # noqa: SIM115  (closed by the server once sent)
            size = os.fstat(f.fileno()).st_size
        except OSError:
            return self._text(404, "Not found")
        media = TYPES.get(target.suffix.lower()) or mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return _status(200), [("Content-Type", media), ("Content-Length", str(size)), *headers], f


class SiteServer:
    """waitress serving a SiteApp: a real listen backlog, timeouts for slow clients, a bounded number of
    connections. ``serve_forever`` / ``shutdown`` / ``server_close`` / ``server_address`` as the standard library's
    servers name them."""

    def __init__(self, root: Path, host: str, port: int, verbose: bool = False, timeout: int = 30):
        import waitress

        self.app = SiteApp(root)
        try:
            self.server = waitress.create_server(
                self.app, host=host, port=port, threads=8, backlog=1024, connection_limit=1000,
                channel_timeout=timeout, cleanup_interval=max(1, min(30, timeout // 2)),
                max_request_header_size=64 * 1024, ident="wpsgraph-site", expose_tracebacks=False)
        except OSError as e:
            from wpsgraph.errors import WpsError
            raise WpsError(f"cannot listen on {host}:{port}: {e.strerror or e} (choose another --port)") from None
        self.server_address = (self.server.effective_host, self.server.effective_port)

    def serve_forever(self) -> None:
        try:
            self.server.run()
        except (OSError, ValueError):
            if not self.closed:
                raise

    closed = False

    def shutdown(self) -> None:
        self.closed = True
        self.server.close()

    def server_close(self) -> None:
        self.closed = True
        self.server.close()


def make_server(root: Path, host: str = "127.0.0.1", port: int = 8000, verbose: bool = False,
                timeout: int = 30) -> SiteServer:
    """A server for a published folder; ``timeout``: seconds a silent connection is kept."""
    root = Path(root).resolve()
    if not (root / "index.html").is_file():
        from wpsgraph.errors import WpsError
        raise WpsError(f"{root}: not a published site (no index.html): run 'wpsgraph publish --out {root}' first")
    return SiteServer(root, host, port, verbose, timeout)


def serve_site(root: Path, host: str = "127.0.0.1", port: int = 8000, verbose: bool = True) -> None:
    server = make_server(root, host, port, verbose)
    try:
        server.serve_forever()
    finally:
        server.server_close()


__all__ = ["negotiate", "parse_accept", "make_server", "serve_site", "SiteApp", "SiteServer"]
