"""The SHACL validation report as RDF (W3C SHACL, 3.6): what ``build`` writes to validation.ttl.

Every result has its focus node (a literal stays a literal), severity, source constraint component and message;
sh:resultPath in every path form (a SHACL path expression, blank nodes and lists), sh:value and sh:sourceShape
where there are ones.
"""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from rdflib import RDF, SH
from rdflib.collection import Collection

from wpsgraph.terms import to_rdflib
from wpsgraph.validation.findings import SEVERITIES, Finding

_PATH_KINDS = {"inv": SH.inversePath, "star": SH.zeroOrMorePath, "plus": SH.oneOrMorePath,
               "opt": SH.zeroOrOnePath}


def report_graph(findings: list[Finding], conforms: bool) -> rdflib.Graph:
    """A SHACL validation report (rdflib graph) of the SHACL findings (shapes of data and of the ontology)."""
    g = rdflib.Graph()
    g.bind("sh", SH)
    report = rdflib.BNode()
    g.add((report, RDF.type, SH.ValidationReport))
    g.add((report, SH.conforms, rdflib.Literal(conforms)))
    severity = {v: k for k, v in SEVERITIES.items()}
    for f in findings:
        if f.check not in ("shacl", "ontology"):
            continue
        r = rdflib.BNode()
        g.add((report, SH.result, r))
        g.add((r, RDF.type, SH.ValidationResult))
        g.add((r, SH.resultSeverity, to_rdflib(f.severity_iri) if f.severity_iri is not None
               else rdflib.URIRef(severity.get(f.severity, SH.Violation))))
        g.add((r, SH.resultMessage, rdflib.Literal(f.message)))
        if f.focus_node is not None:
            g.add((r, SH.focusNode, to_rdflib(f.focus_node)))
        if f.result_path is not None:
            g.add((r, SH.resultPath, path_node(g, f.result_path)))
        if f.value_node is not None:
            g.add((r, SH.value, to_rdflib(f.value_node)))
        if f.component is not None:
            g.add((r, SH.sourceConstraintComponent, rdflib.URIRef(f.component.value)))
        if isinstance(f.source_shape, (ox.NamedNode, ox.BlankNode)):  # a blank node: the shapes graph's label
            g.add((r, SH.sourceShape, to_rdflib(f.source_shape)))
    return g


def path_node(g: rdflib.Graph, path) -> rdflib.term.Node:
    """A path expression written as a SHACL property path (SHACL 2.3.1) into ``g``."""
    kind, arg = path
    if kind == "pred":
        return rdflib.URIRef(arg.value)
    if kind in ("seq", "alt"):
        head = rdflib.BNode()
        Collection(g, head, [path_node(g, p) for p in arg])
        if kind == "seq":
            return head
        node = rdflib.BNode()
        g.add((node, SH.alternativePath, head))
        return node
    node = rdflib.BNode()
    g.add((node, _PATH_KINDS[kind], path_node(g, arg)))
    return node

