"""Namespaces, and the one configurable base under which every wpsgraph IRI lives."""

from __future__ import annotations

import os

from pyoxigraph import NamedNode

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
    return base


class Names:
    """The IRIs that depend on the base namespace."""

    def __init__(self, base: str | None = None):
        self.base = base_iri(base)
        self.wps = self.base + "ontology#"
        self.id = self.base + "id/"
        self.graph = self.base + "graph/"

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

    def prefixes(self) -> dict[str, str]:
        """Prefixes every canned query may use without declaring them."""
        ids = {k: self.id + k + "/" for k in (
            "source", "organisation", "person", "post", "event", "commitment", "endstate",
            "place", "country", "resolution", "instrument", "theme", "status",
            "statuschange", "group", "statement", "observation", "portfolio", "eventstatus", "unit",
            "indicator", "dateresolution", "award")}
        return {
            "wps": self.wps, "rdf": RDF, "rdfs": RDFS, "owl": OWL, "xsd": XSD, "skos": SKOS,
            "dct": DCT, "prov": PROV, "qb": QB, "org": ORG, "schema": SCHEMA, "foaf": FOAF, **ids,
        }

    def rebase(self, iri: str) -> str:
        """Rewrite an IRI written under the default base into the configured base."""
        if self.base != DEFAULT_BASE and iri.startswith(DEFAULT_BASE):
            return self.base + iri[len(DEFAULT_BASE):]
        return iri
