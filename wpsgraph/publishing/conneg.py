"""Content negotiation for a folder written by ``wpsgraph publish``: each extension-less resource IRI answers HTML,
Turtle or JSON-LD by the request's Accept header (RFC 9110 quality values), every file keeps its own URL.

A small standard-library server (``serve_site``) for previews and tests; production sites use the Apache or nginx
configuration that ``publish`` writes beside the pages, which makes the same choices for the usual Accept headers.
"""

from __future__ import annotations

import posixpath
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

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


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves a published folder; extension-less paths are negotiated between .html, .ttl and .jsonld."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **TYPES}
    server_version = "wpsgraph-site"

    def log_message(self, format, *args):  # quiet unless asked
        if getattr(self.server, "verbose", False):
            super().log_message(format, *args)

    def list_directory(self, path):
        self.send_error(HTTPStatus.NOT_FOUND, "Not found")
        return None

    def send_head(self):
        path = unquote(urlsplit(self.path).path)
        rel = posixpath.normpath(path).lstrip("/")
        if rel in ("", "."):
            rel = "index"
        root = Path(self.directory)
        if rel.startswith(("deploy/", ".")) or rel == "deploy" or "/." in rel:
            self.send_error(HTTPStatus.NOT_FOUND, "Not found")
            return None
        target = root / rel
        if target.is_file():
            return self._send_file(target, negotiated=False)
        available = [(media, ext) for media, ext in OFFERS if (root / (rel + ext)).is_file()]
        if not available:
            self.send_error(HTTPStatus.NOT_FOUND, "Not found")
            return None
        media = negotiate(self.headers.get("Accept"), [m for m, _ in available])
        if media is None:
            self.send_response(HTTPStatus.NOT_ACCEPTABLE)
            body = ("Not acceptable: this resource is available as " +
                    ", ".join(m for m, _ in available) + "\n").encode()
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Vary", "Accept")
            self._links(rel, available)
            self.end_headers()
            import io
            return io.BytesIO(body)
        ext = dict(available)[media]
        return self._send_file(root / (rel + ext), negotiated=True, rel=rel, available=available)

    def _links(self, rel, available):
        name = posixpath.basename(rel)
        links = ", ".join(f'<{name}{ext}>; rel="alternate"; type="{media}"' for media, ext in available)
        self.send_header("Link", links)

    def _send_file(self, target: Path, negotiated: bool, rel: str = "", available=()):
        try:
            f = open(target, "rb")  # noqa: SIM115  (returned to the caller, which sends and closes it)
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND, "Not found")
            return None
        size = target.stat().st_size
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", self.guess_type(str(target)))
        self.send_header("Content-Length", str(size))
        if negotiated:
            self.send_header("Vary", "Accept")
            self.send_header("Content-Location", target.name)
            self._links(rel, available)
        self.end_headers()
        return f


def make_server(root: Path, host: str = "127.0.0.1", port: int = 8000, verbose: bool = False) -> ThreadingHTTPServer:
    root = Path(root).resolve()
    if not (root / "index.html").is_file():
        from wpsgraph.errors import WpsError
        raise WpsError(f"{root}: not a published site (no index.html): run 'wpsgraph publish --out {root}' first")
    server = ThreadingHTTPServer((host, port), partial(SiteHandler, directory=str(root)))
    server.verbose = verbose  # type: ignore[attr-defined]  # read by SiteHandler.log_message
    return server


def serve_site(root: Path, host: str = "127.0.0.1", port: int = 8000, verbose: bool = True) -> None:
    server = make_server(root, host, port, verbose)
    try:
        server.serve_forever()
    finally:
        server.server_close()


__all__ = ["negotiate", "parse_accept", "make_server", "serve_site", "SiteHandler"]
