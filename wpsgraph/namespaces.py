"""Namespaces, and the one configurable base under which every wpsgraph IRI lives."""

from __future__ import annotations

import os

from pyoxigraph import Literal, NamedNode

DEFAULT_BASE = "https://w3id.org/wpsgraph/"
BASE_ENV = "WPSGRAPH_BASE"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
FOAF = "http://xmlns.com/foaf/0.1/"
SH = "http://www.w3.org/ns/shacl#"
QB = "http://purl.org/linked-data/cube#"

RDF_TYPE = NamedNode(RDF + "type")


def base_iri(override: str | None = None) -> str:
    """The base namespace in force: an explicit value, else $WPSGRAPH_BASE, else the default."""
    base = override or os.environ.get(BASE_ENV) or DEFAULT_BASE
    if not base.endswith(("/", "#")):
        base += "/"
    return checked_base(base)


def checked_base(base: str) -> str:
    """``base`` if it is an absolute http(s) IRI without query or fragment (the project's IRIs are the base followed
    by paths and fragments) and with nothing that would need escaping in SPARQL or Turtle (pages write it out);
    else a one-line error."""
    import re
    import urllib.parse

    from wpsgraph.errors import WpsError

    parts = urllib.parse.urlsplit(base)
    try:
        NamedNode(base + "ontology#x")  # the project's IRIs extend the base with paths and fragments
    except ValueError:
        parts = None  # type: ignore[assignment]
    if (parts is None or parts.scheme not in ("http", "https") or not parts.netloc or "?" in base or "#" in base
            or re.search(r"[\x00-\x20<>\"{}|\\^`]", base)):
        raise WpsError(f"invalid base IRI {base!r}: give an absolute http(s) IRI ending with /, with no query or "
                       f"fragment (--base-iri or ${BASE_ENV}), for example https://example.org/wps/")
    return base


class Compactor:
    """IRI → prefix:local under the longest matching namespace; the one compactor of the project.

    Every namespace ends in '/' or '#', so the namespaces matching an IRI all lie within it up to its last one:
    the candidates are remembered per such head (many IRIs share few heads)."""

    def __init__(self, prefixes: dict[str, str]):
        self.prefixes = prefixes
        self._heads: dict[str, list[tuple[str, str]]] = {}

    def __call__(self, iri: str, empty_local: bool = True) -> str | None:
        head = iri[:max(iri.rfind("/"), iri.rfind("#")) + 1]
        candidates = self._heads.get(head)
        if candidates is None:
            candidates = sorted(((p, ns) for p, ns in self.prefixes.items() if head.startswith(ns)),
                                key=lambda x: -len(x[1]))
            self._heads[head] = candidates
        for prefix, ns in candidates:
            if empty_local or iri != ns:
                return f"{prefix}:{iri[len(ns):]}"
        return None


class Names:
    """The IRIs that depend on the base namespace."""

    def __init__(self, base: str | None = None):
        self.base = base_iri(base)
        self.wps = self.base + "ontology#"
        self.id = self.base + "id/"
        self.graph = self.base + "graph/"
        self._compactor: Compactor | None = None

    def term(self, local: str) -> NamedNode:
        return NamedNode(self.wps + local)

    def graph_iri(self, kind: str, stem: str | None = None) -> NamedNode:
        return NamedNode(self.graph + kind + ("/" + stem if stem else ""))

    @property
    def ontology_graph(self) -> NamedNode:
        return self.graph_iri("ontology")

    @property
    def inferred_graph(self) -> NamedNode:
        return self.graph_iri("inferred")

    @property
    def countries_graph(self) -> NamedNode:
        """The reference graph ``load`` generates from pycountry for the countries the files mention."""
        return self.graph_iri("reference", "countries")

    def prefixes(self) -> dict[str, str]:
        """Prefixes every canned query may use without declaring them."""
        ids = {k: self.id + k + "/" for k in (
            "source", "organisation", "person", "post", "event", "commitment", "endstate",
            "place", "country", "resolution", "instrument", "theme", "status",
            "statuschange", "group", "statement", "observation", "portfolio", "eventstatus", "unit",
            "indicator", "dateresolution", "award", "region")}
        return {
            "wps": self.wps, "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "skos": SKOS,
            "dct": DCT, "prov": PROV, "qb": QB, "org": ORG, "schema": SCHEMA, "foaf": FOAF, **ids,
        }

    def compact(self, iri: str, empty_local: bool = True) -> str | None:
        """``prefix:local`` for an IRI under one of the prefixes (the longest namespace), else None; with
        ``empty_local=False`` an IRI that is a namespace itself is not shortened to ``prefix:``."""
        if self._compactor is None:
            self._compactor = Compactor(self.prefixes())
        return self._compactor(iri, empty_local)

    # The one base-IRI rewriter: files are written under the default base and moved at parse time (data, shapes,
    # queries): an IRI, and a term (query.sparql.rebase_query applies it to the IRI tokens of a query).
    def rebase(self, iri: str) -> str:
        """Rewrite an IRI written under the default base into the configured base."""
        if self.base != DEFAULT_BASE and iri.startswith(DEFAULT_BASE):
            return self.base + iri[len(DEFAULT_BASE):]
        return iri

    def rebase_term(self, term):
        """An IRI rebased, a literal with its datatype rebased; anything else as is."""
        if isinstance(term, NamedNode):
            return NamedNode(self.rebase(term.value))
        if isinstance(term, Literal) and term.datatype.value.startswith(DEFAULT_BASE):
            return Literal(term.value, datatype=NamedNode(self.rebase(term.datatype.value)))
        return term
