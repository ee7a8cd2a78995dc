"""Comparing two SHACL engines' results as multisets of (focus node, path, value, constraint component, severity,
source shape): from findings, and from SHACL report graphs.

Blank nodes of the shapes graph (inline property shapes, sh:or members) get different labels in each engine's
parse, so a blank source shape is compared by its description: its triples, with nested blank nodes described in
turn. Paths are compared as structures (a predicate, or the kind and the parts of a complex path).
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import rdflib
from rdflib import RDF, SH
from rdflib.collection import Collection

from wpsgraph.terms import from_rdflib


def _objects(shapes, node):
    """(predicate, object) pairs of a node in an rdflib graph or a ShapesGraph, as Oxigraph terms."""
    if isinstance(shapes, rdflib.Graph):
        return [(from_rdflib(p), from_rdflib(o)) for p, o in shapes.predicate_objects(rdflib.BNode(node.value)
                                                                                   if isinstance(node, ox.BlankNode)
                                                                                   else node)]
    return [(p, o) for p, os_ in shapes.spo.get(node, {}).items() for o in os_]


def describe(shapes, node, seen=frozenset()):
    """A label-free key for a shape: an IRI as itself, a blank node by its description."""
    if isinstance(node, rdflib.term.Node):
        node = from_rdflib(node)
    if not isinstance(node, ox.BlankNode):
        return str(node)
    if node in seen:
        return "(cycle)"
    seen = seen | {node}
    return "[" + "; ".join(sorted(f"{p} {describe(shapes, o, seen)}" for p, o in _objects(shapes, node))) + "]"


def path_key(path):
    """A finding's path expression as plain strings and tuples."""
    if path is None:
        return None
    kind, arg = path
    if kind == "pred":
        return arg.value
    if kind in ("seq", "alt"):
        return (kind, tuple(path_key(p) for p in arg))
    return (kind, path_key(arg))


def finding_key(f, shapes):
    severity = f.severity_iri.value if getattr(f, "severity_iri", None) is not None else f.severity
    return (str(f.focus_node), path_key(f.result_path), str(f.value_node) if f.value_node is not None else None,
            f.component.value if f.component is not None else None, severity, describe(shapes, f.source_shape))


def findings_multiset(report) -> Counter:
    return Counter(finding_key(f, report.shapes_graph) for f in report.findings)


def graph_path(g: rdflib.Graph, node):
    """A SHACL path in ``g`` as a hashable structure (blank nodes of lists and path nodes unfolded)."""
    if isinstance(node, rdflib.URIRef):
        return str(node)
    if (node, RDF.first, None) in g:
        return ("seq", tuple(graph_path(g, x) for x in Collection(g, node)))
    for p, kind in ((SH.inversePath, "inv"), (SH.zeroOrMorePath, "star"), (SH.oneOrMorePath, "plus"),
                    (SH.zeroOrOnePath, "opt")):
        inner = g.value(node, p)
        if inner is not None:
            return (kind, graph_path(g, inner))
    return ("alt", tuple(graph_path(g, x) for x in Collection(g, g.value(node, SH.alternativePath))))


_SEVERITY = {str(SH.Violation): "violation", str(SH.Warning): "warning", str(SH.Info): "info"}


def report_multiset(report: rdflib.Graph, shapes) -> tuple[bool, Counter]:
    """(sh:conforms, results) of a SHACL validation report graph."""
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    rows: Counter = Counter()
    for r in report.objects(node, SH.result):
        path, value = report.value(r, SH.resultPath), report.value(r, SH.value)
        severity = str(report.value(r, SH.resultSeverity))
        rows[(str(from_rdflib(report.value(r, SH.focusNode))),
              graph_path(report, path) if path is not None else None,
              str(from_rdflib(value)) if value is not None else None,
              str(report.value(r, SH.sourceConstraintComponent)), _SEVERITY.get(severity, severity),
              describe(shapes, report.value(r, SH.sourceShape)))] += 1
    return bool(report.value(node, SH.conforms).toPython()), rows
