"""Push — the built dataset into a triple store, through the SPARQL 1.1 Graph Store HTTP Protocol.

Every named graph of build/dataset.trig (one per source, per reference file, and the ontology) and the inferred
graph (build/inferred.ttl, named in build/manifest.json) is sent with `PUT URL?graph=<graph IRI>`, as N-Triples
labelled text/turtle (N-Triples is Turtle, the one format every Graph Store endpoint must accept).

Pushing is idempotent. Each graph is first read back: a graph the store already holds (the same triples, blank
nodes compared up to relabelling) is left alone; a graph the store does not have is created; a graph holding
something else is replaced only with `replace=True` (`--replace`) — without it nothing at all is written and the
error names the graph. After the upload every graph is read back again and its triple count compared with the
build's: any difference fails loudly.

The store is made equal to the build within the build's namespace: graphs named under ``<base>graph/`` that the
build no longer has (a source since removed) are found through the store's SPARQL query endpoint (``sparql``; for
Oxigraph's ``/store`` its ``/query`` is assumed) and deleted with ``replace=True``; without it nothing is written
and the error names them. Graphs outside that namespace are never touched.

Credentials, if the store needs them, come from $WPSGRAPH_AUTH ("user:password"; basic or digest, as the server
asks).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from wpsgraph.endpoints.http import USER_AGENT, HttpError, check_url, credentials, opener, server_message
from wpsgraph.errors import InputError
from wpsgraph.pipeline.build import OUTPUTS

DEFAULT_TIMEOUT = 120.0
SEND_AS = "text/turtle"
ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"


class PushError(HttpError):
    """The store cannot be reached, refuses the upload, holds other data, or does not hold what was sent."""


@dataclass
class PushReport:
    url: str
    counts: dict[str, int] = field(default_factory=dict)      # graph IRI → triples in the build (= in the store)
    actions: dict[str, str] = field(default_factory=dict)     # graph IRI → created | replaced | unchanged
    removed: list[str] = field(default_factory=list)          # graphs of the namespace the build no longer has

    def summary(self) -> str:
        tally = {a: list(self.actions.values()).count(a) for a in ("created", "replaced", "unchanged")}
        done = ", ".join(f"{n} {a}" for a, n in tally.items() if n)
        if self.removed:
            done += f", {len(self.removed)} removed (not in the build)"
        return (f"pushed {len(self.counts)} graphs, {sum(self.counts.values())} triples to {self.url} ({done}); "
                "triple counts checked")


def dataset_graphs(build: Path) -> dict[str, list[ox.Triple]]:
    """The build's graphs: every named graph of dataset.trig, then the inferred graph."""
    build = Path(build).resolve()  # one version of the build, even if it is rebuilt meanwhile
    manifest = build / OUTPUTS["manifest"]
    if not manifest.is_file():
        raise InputError(build, "no build here: run 'wpsgraph build --out DIR' first")
    inferred = json.loads(manifest.read_text(encoding="utf-8"))["inferred_graph"]
    graphs: dict[str, list[ox.Triple]] = {}
    try:
        for quad in ox.parse(path=str(build / OUTPUTS["dataset"]), format=ox.RdfFormat.TRIG):
            if not isinstance(quad.graph_name, ox.NamedNode):
                raise InputError(build / OUTPUTS["dataset"], "a triple outside a named graph")
            graphs.setdefault(quad.graph_name.value, []).append(ox.Triple(quad.subject, quad.predicate, quad.object))
        graphs[inferred] = list(ox.parse(path=str(build / OUTPUTS["inferred"]), format=ox.RdfFormat.TURTLE))
    except (OSError, SyntaxError) as e:
        raise InputError(build, f"cannot read the build: {e}") from None
    return graphs


def graph_namespace(build: Path) -> str:
    """Where the build's graphs are named: ``<base>graph/``."""
    from wpsgraph.namespaces import Names

    manifest = json.loads((Path(build) / OUTPUTS["manifest"]).read_text(encoding="utf-8"))
    return Names(manifest["base"]).graph


def query_endpoint(url: str) -> str | None:
    """The SPARQL query endpoint beside a Graph Store endpoint, where the usual layouts tell it."""
    parts = urllib.parse.urlsplit(url)
    for store, query in (("/store", "/query"), ("/data", "/sparql"), ("/rdf-graphs/service", "/sparql")):
        if parts.path.endswith(store):
            return urllib.parse.urlunsplit(parts._replace(path=parts.path[: -len(store)] + query, query=""))
    return None


def stored_graphs(sparql: str, namespace: str, timeout: float) -> list[str]:
    """The named graphs a store holds under ``namespace``, asked of its query endpoint."""
    from wpsgraph.endpoints.remote import parse_results, request

    text = ("SELECT DISTINCT ?g WHERE { GRAPH ?g { } FILTER(STRSTARTS(STR(?g), "
            + str(ox.Literal(namespace)) + ")) }")
    body, content_type = request(sparql, text, "SELECT", timeout)
    return sorted(row[0].value for row in parse_results(body, content_type, "SELECT", sparql).rows if row[0])


def push(build: Path, url: str, replace: bool = False, timeout: float = DEFAULT_TIMEOUT, say=None,
         sparql: str | None = None) -> PushReport:
    """Upload a build folder to a Graph Store endpoint; see the module notes."""
    check_url(url)
    say = say or (lambda _m: None)
    build = Path(build).resolve()
    graphs = dataset_graphs(build)
    http = _Http(url, timeout)
    report = PushReport(url, {g: len(t) for g, t in graphs.items()})
    differing = []
    for graph, triples in graphs.items():
        there = http.get_graph(graph)
        if not there:
            report.actions[graph] = "unchanged" if there is not None and not triples else "created"
        elif len(there) == len(triples) and canonical(there) == canonical(triples):
            report.actions[graph] = "unchanged"
        else:
            report.actions[graph] = "replaced"
            differing.append((graph, len(there)))
    namespace = graph_namespace(build)
    stale: list[str] = []
    if sparql is not None:
        stale = [g for g in stored_graphs(check_url(sparql), namespace, timeout) if g not in graphs]
    else:
        from wpsgraph.endpoints.remote import RemoteError

        sparql = query_endpoint(url)
        try:
            if sparql is None:
                raise RemoteError("no query endpoint known")
            stale = [g for g in stored_graphs(sparql, namespace, timeout) if g not in graphs]
        except RemoteError as e:
            if replace:
                raise PushError(f"{url}: cannot tell which graphs the store holds ({e}): give its SPARQL query "
                                "endpoint with --sparql URL") from None
            say("note: graphs the build no longer has are not looked for (no query endpoint; --sparql URL)")
            sparql = None
    if stale and not replace:
        raise PushError(f"{url}: {len(stale)} graph(s) under {namespace} are not in the build (first <{stale[0]}>);"
                        " nothing written: rerun with --replace to remove them")

    if differing and not replace:
        graph, count = differing[0]
        raise PushError(f"{url}: {len(differing)} graph(s) already hold other data (first <{graph}>: {count} "
                        f"triples there, {report.counts[graph]} in the build); nothing written: rerun with "
                        "--replace to replace them")

    for graph, triples in graphs.items():
        if report.actions[graph] != "unchanged":
            http.put_graph(graph, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"")
            say(f"{report.actions[graph]} <{graph}>: {len(triples)} triples")

    for graph in stale:
        http.delete_graph(graph)
        report.removed.append(graph)
        say(f"removed <{graph}>: not in the build")

    wrong = []
    if sparql is not None:
        left = [g for g in stored_graphs(sparql, namespace, timeout) if g not in graphs]
        wrong += [f"<{g}> is still there" for g in left]
    for graph, expected in report.counts.items():
        there = http.get_graph(graph)
        got = 0 if there is None else len(there)
        if got != expected:
            wrong.append(f"<{graph}> holds {got}, expected {expected}")
    if wrong:
        raise PushError(f"{url}: the store does not hold what was sent: {'; '.join(wrong[:3])}"
                        + (f" (and {len(wrong) - 3} more graphs)" if len(wrong) > 3 else ""))
    return report


def canonical(triples) -> set[str]:
    """A graph as a set of N-Triples lines with blank nodes canonically relabelled (RDF graph isomorphism)."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(q) for q in dataset}


class _Http:
    """Graph Store Protocol requests with one-line errors."""

    def __init__(self, url: str, timeout: float):
        self.url, self.timeout = url, timeout
        self.credentials = credentials()

    def graph_url(self, graph: str) -> str:
        return self.url + ("&" if "?" in self.url else "?") + urllib.parse.urlencode({"graph": graph})

    def get_graph(self, graph: str) -> list | None:
        """The triples of a graph in the store, or None if it has no such graph."""
        body, content_type = self._call("GET", graph, headers={"Accept": ACCEPT}, missing_ok=True)
        if body is None:
            return None
        fmt = ox.RdfFormat.from_media_type(content_type) if content_type else None
        if fmt is None and not body.strip():
            return []
        if fmt is None:
            raise PushError(f"{self.url}: reading <{graph}> back gave {content_type or 'no media type'}, not RDF: "
                            "is this a Graph Store Protocol endpoint?")
        try:
            return list(ox.parse(body, format=fmt))
        except SyntaxError as e:
            raise PushError(f"{self.url}: reading <{graph}> back gave unparsable {content_type}: {e}") from None

    def put_graph(self, graph: str, data: bytes) -> None:
        self._call("PUT", graph, data, {"Content-Type": SEND_AS})

    def delete_graph(self, graph: str) -> None:
        self._call("DELETE", graph, missing_ok=True)

    def _call(self, method: str, graph: str, data: bytes | None = None, headers: dict | None = None,
              missing_ok: bool = False) -> tuple[bytes | None, str]:
        request = urllib.request.Request(self.graph_url(graph), data=data, method=method,
                                         headers={"User-Agent": USER_AGENT, **(headers or {})})
        try:
            with opener(self.url).open(request, timeout=self.timeout) as reply:
                content_type = reply.headers.get("Content-Type", "").split(";")[0].strip().lower()
                return reply.read(), content_type
        except urllib.error.HTTPError as e:
            if missing_ok and e.code == 404:
                return None, ""
            message = server_message(e.read()) or e.reason
            hint = " (set $WPSGRAPH_AUTH=user:password)" if e.code in (401, 403) and not credentials() else ""
            raise PushError(f"{self.url}: {method} <{graph}>: HTTP {e.code}: {message}{hint}") from None
        except urllib.error.URLError as e:
            reason = getattr(e.reason, "strerror", None) or e.reason
            raise PushError(f"{self.url}: cannot reach the store: {reason}") from None
        except TimeoutError:
            raise PushError(f"{self.url}: {method} <{graph}>: no reply within {self.timeout:g} s") from None
        except (ConnectionError, OSError) as e:
            raise PushError(f"{self.url}: {method} <{graph}>: the connection failed: {e}") from None
