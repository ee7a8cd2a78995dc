"""The one HTTP client of the endpoint commands: who wpsgraph says it is, where credentials come from, which URLs
it accepts, how an authenticated request is opened, and how a server's error text is shortened to one line.

``remote`` sends queries through SPARQLWrapper (which takes the same agent and credentials), ``push`` sends
Graph Store Protocol requests through ``opener``, ``serve`` probes its server with ``get``.
"""

from __future__ import annotations

import os
import re
import urllib.parse
import urllib.request

from wpsgraph import __version__
from wpsgraph.errors import WpsError

AUTH_ENV = "WPSGRAPH_AUTH"
AUTH_TYPE_ENV = "WPSGRAPH_AUTH_TYPE"
USER_AGENT = f"wpsgraph/{__version__} (+https://w3id.org/wpsgraph/)"


class HttpError(WpsError):
    """A request that cannot be made, or a server that answers with an error: one line, exit 2."""


def credentials() -> tuple[str, str] | None:
    """(user, password) from $WPSGRAPH_AUTH, or None."""
    value = os.environ.get(AUTH_ENV)
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep:
        raise HttpError(f"${AUTH_ENV} must read 'user:password'")
    return user, password


def digest() -> bool:
    """Whether the server asks for digest authentication ($WPSGRAPH_AUTH_TYPE=digest); basic otherwise."""
    return os.environ.get(AUTH_TYPE_ENV, "").lower() == "digest"


def check_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise HttpError(f"{url!r} is not an http(s) URL")
    return url


def opener(url: str) -> urllib.request.OpenerDirector:
    """An opener with the credentials for ``url``, if any. Make a fresh one per request: urllib's digest handler
    counts retries across requests, and a 404 after a successful challenge never resets the count."""
    creds = credentials()
    if not creds:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
    passwords.add_password(None, url, *creds, is_authenticated=not digest())
    return urllib.request.build_opener(urllib.request.HTTPBasicAuthHandler(passwords),
                                       urllib.request.HTTPDigestAuthHandler(passwords))


def get(url: str, accept: str, timeout: float):
    """A plain GET (no credentials) naming wpsgraph; the caller reads and closes the reply."""
    return urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept, "User-Agent": USER_AGENT}),
                                  timeout=timeout)


def server_message(body) -> str:
    """The server's error text on one line, short."""
    if body is None:
        return ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
    if "<html" in text[:500].lower():  # an HTML error page: keep its text only
        text = re.sub(r"(?s)<(script|style).*?</\1>|<[^>]+>", " ", text)
    text = " ".join(text.split())
    return text if len(text) <= 300 else text[:299] + "…"
