"""Remote — the canned and ad-hoc queries against any SPARQL 1.1 Protocol endpoint, through SPARQLWrapper.

The query text is exactly what the embedded engine runs (query.query_text: base moved, parameters bound as RDF
terms in a VALUES block), so the answers can be compared row for row. The request:

- GET with the query in the URL, or a URL-encoded POST once the query is longer than POST_ABOVE characters;
- pure content negotiation (SPARQL JSON results for SELECT/ASK, Turtle for CONSTRUCT/DESCRIBE), no vendor
  `format=` parameters;
- a timeout in seconds on connecting and on every read (urllib's socket timeout covers both);
- a User-Agent naming wpsgraph;
- credentials, if any, from $WPSGRAPH_AUTH ("user:password"; $WPSGRAPH_AUTH_TYPE=digest for Virtuoso's
  digest-protected endpoints, basic otherwise).

Every failure is one line (RemoteError, exit 2): an unreachable host, a timeout, an HTTP error with the server's
own message, or a reply that is not SPARQL results.
"""

from __future__ import annotations

import http.client
import json
import socket
import urllib.error
import urllib.parse
import warnings
import xml.etree.ElementTree as ET

import pyoxigraph as ox

from wpsgraph.endpoints.http import AUTH_ENV, USER_AGENT, HttpError, check_url, credentials, digest, server_message
from wpsgraph.namespaces import XSD, Names
from wpsgraph.query import Query, Result, bindings, query_text

POST_ABOVE = 1500  # characters of URL-encoded query; longer queries are POSTed (URLs past ~2 kB are unsafe)
DEFAULT_TIMEOUT = 60.0

XML_RESULTS = "application/sparql-results+xml"
_SR = "{http://www.w3.org/2005/sparql-results#}"


class RemoteError(HttpError):
    """An endpoint that cannot be reached, answers with an HTTP error, or does not answer with SPARQL results."""


def uses_post(text: str) -> bool:
    return len(urllib.parse.quote(text, safe="")) > POST_ABOVE


def run(query: Query, endpoint: str, params: dict[str, str] | None = None, names: Names | None = None,
        timeout: float = DEFAULT_TIMEOUT) -> Result:
    """Answer a query at a SPARQL 1.1 endpoint; the same Result as query.run gives for the embedded store."""
    names = names or Names()
    text = query_text(query, names, bindings(query, params or {}, names))
    body, content_type = request(endpoint, text, query.kind, timeout)
    return parse_results(body, content_type, query.kind, endpoint)


def request(endpoint: str, text: str, kind: str = "SELECT", timeout: float = DEFAULT_TIMEOUT) -> tuple[bytes, str]:
    """Send one query through SPARQLWrapper; return the raw reply and its media type."""
    from SPARQLWrapper import BASIC, DIGEST, GET, JSON, POST, TURTLE, URLENCODED, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    check_url(endpoint)
    sparql = SPARQLWrapper(endpoint, agent=USER_AGENT)
    sparql.setOnlyConneg(True)
    with warnings.catch_warnings():  # its guess of the query form; the endpoint is the judge of the query
        warnings.simplefilter("ignore", RuntimeWarning)
        sparql.setQuery(text)
    sparql.queryType = kind  # its guess reads words like DELETE in comments and strings as an update
    sparql.setReturnFormat(TURTLE if kind in ("CONSTRUCT", "DESCRIBE") else JSON)
    if uses_post(text):
        sparql.setMethod(POST)
        sparql.setRequestMethod(URLENCODED)
    else:
        sparql.setMethod(GET)
    # setTimeout() truncates to whole seconds (0.5 would mean no timeout at all); the attribute is annotated as an
    # int but goes to urlopen as it is, which takes a float
    sparql.timeout = timeout  # type: ignore[assignment]
    creds = credentials()
    if creds:
        sparql.setHTTPAuth(DIGEST if digest() else BASIC)
        sparql.setCredentials(*creds)
    try:
        reply = sparql.query().response
        body = reply.read()
        content_type = reply.headers.get("Content-Type", "")
    except SPARQLWrapperException as e:
        raise RemoteError(f"{endpoint}: {_status_of(e)}: {server_message(_response_of(e))}") from None
    except urllib.error.HTTPError as e:
        message = server_message(e.read()) or e.reason
        raise RemoteError(f"{endpoint}: HTTP {e.code}: {message}") from None
    except urllib.error.URLError as e:
        reason = e.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise RemoteError(f"{endpoint}: no connection within {timeout:g} s") from None
        raise RemoteError(f"{endpoint}: cannot reach the endpoint: {getattr(reason, 'strerror', None) or reason}") \
            from None
    except TimeoutError:
        raise RemoteError(f"{endpoint}: no reply within {timeout:g} s (--timeout)") from None
    except (http.client.HTTPException, ConnectionError) as e:
        raise RemoteError(f"{endpoint}: the connection failed: {type(e).__name__}: {e}") from None
    except ValueError as e:  # urllib: a malformed URL
        raise RemoteError(f"{endpoint}: {e}") from None
    return body, content_type.split(";")[0].strip().lower()


_STATUS = {"QueryBadFormed": "HTTP 400 (the endpoint says the query is malformed)",
           "EndPointNotFound": "HTTP 404 (no SPARQL endpoint at this URL)",
           "Unauthorized": f"HTTP 401 (unauthorised: set ${AUTH_ENV}=user:password)",
           "URITooLong": "HTTP 414 (query too long for a GET)",
           "EndPointInternalError": "HTTP 500 (the endpoint failed)"}


def _status_of(error: Exception) -> str:
    return _STATUS.get(type(error).__name__, type(error).__name__)


def _response_of(error: Exception) -> bytes:
    """The server's reply kept in a SPARQLWrapper exception (only in its message, as a bytes repr)."""
    import ast

    _, found, text = str(error).partition("Response:\n")
    try:
        return ast.literal_eval(text) if found else b""
    except (ValueError, SyntaxError):
        return text.encode("utf-8")


# ---------------------------------------------------------------------------------------------- results

def parse_results(body: bytes, content_type: str, kind: str, endpoint: str = "the endpoint") -> Result:
    """SPARQL JSON or XML results (SELECT, ASK), or an RDF graph (CONSTRUCT, DESCRIBE), as a Result."""
    try:
        if kind in ("CONSTRUCT", "DESCRIBE"):
            fmt = ox.RdfFormat.from_media_type(content_type) if content_type else None
            if fmt is None:
                raise ValueError(f"media type {content_type or 'none'} is not an RDF format")
            return Result([], [], triples=list(ox.parse(body, format=fmt)))
        if content_type == XML_RESULTS or (content_type.endswith("xml") and body.lstrip().startswith(b"<?xml")):
            return _from_xml(body)
        return _from_json(json.loads(body.decode("utf-8")), kind)
    except (ValueError, KeyError, TypeError, AttributeError, SyntaxError, ET.ParseError) as e:
        tail = server_message(body[-200:])
        raise RemoteError(f"{endpoint}: the reply is not SPARQL results ({content_type or 'no media type'}: "
                          f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})"
                          + (f"; it ends: {tail}" if tail else "")) from None


def _from_json(data: dict, kind: str = "SELECT") -> Result:
    if "boolean" in data:
        return Result([], [], boolean=bool(data["boolean"]))
    if kind == "ASK":  # Virtuoso 7 answers ASK in JSON as one row binding ?__ASK_RETVAL to 1 or 0
        rows = data["results"]["bindings"]
        value = next(iter(rows[0].values()))["value"] if rows and rows[0] else "0"
        return Result([], [], boolean=value in ("1", "true"))
    variables = list(data["head"]["vars"])
    rows = [[_json_term(b[v]) if v in b else None for v in variables] for b in data["results"]["bindings"]]
    return Result(variables, rows)


def _json_term(cell: dict) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind, value = cell["type"], cell["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return _blank(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in cell:
            return ox.Literal(value, language=cell["xml:lang"])
        return ox.Literal(value, datatype=ox.NamedNode(cell.get("datatype", XSD + "string")))
    raise ValueError(f"unsupported term type {kind!r}")


def _from_xml(body: bytes) -> Result:
    root = ET.fromstring(body)
    boolean = root.find(_SR + "boolean")
    if boolean is not None:
        if boolean.text is None:
            raise ValueError("an empty <boolean> element")
        return Result([], [], boolean=boolean.text.strip() == "true")
    variables = [_name(v) for v in _child(root, "head").findall(_SR + "variable")]
    rows = []
    for result in _child(root, "results").findall(_SR + "result"):
        cells: dict[str, ox.NamedNode | ox.BlankNode | ox.Literal] = {}
        for binding in result.findall(_SR + "binding"):
            term = binding[0]
            tag, text = term.tag[len(_SR):], term.text or ""
            if tag == "uri":
                cells[_name(binding)] = ox.NamedNode(text)
            elif tag == "bnode":
                cells[_name(binding)] = _blank(text)
            elif tag == "literal":
                lang = term.get("{http://www.w3.org/XML/1998/namespace}lang")
                cells[_name(binding)] = ox.Literal(text, language=lang) if lang else ox.Literal(
                    text, datatype=ox.NamedNode(term.get("datatype") or XSD + "string"))
            else:
                raise ValueError(f"unsupported term type {tag!r}")
        rows.append([cells.get(v) for v in variables])
    return Result(variables, rows)


def _child(element: ET.Element, tag: str) -> ET.Element:
    found = element.find(_SR + tag)
    if found is None:
        raise ValueError(f"no <{tag}> element")
    return found


def _name(element: ET.Element) -> str:
    name = element.get("name")
    if name is None:
        raise ValueError(f"a <{element.tag[len(_SR):]}> element without a name")
    return name


def _blank(label: str) -> ox.BlankNode:
    """A blank node from an endpoint's label (some, like Virtuoso's 'nodeID://b1', are not valid identifiers)."""
    import re
    return ox.BlankNode(re.sub(r"[^A-Za-z0-9_]", "_", label) or "b")
