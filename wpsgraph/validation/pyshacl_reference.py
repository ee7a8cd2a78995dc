"""pySHACL, the reference engine, run without inference of its own (``inference='none'``): the reason stage has
already materialised the OWL RL entailments. Its results become findings like the fast engine's."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from wpsgraph.errors import require
from wpsgraph.validation import shacl as fast
from wpsgraph.validation.findings import SEVERITIES, Finding, default_message


def run_pyshacl(data, shapes_paths: list[Path], names=None, check: str = "shacl"):
    """pySHACL (the reference engine) on an rdflib graph; top-level results only."""
    from rdflib import SH

    pyshacl = require("pyshacl", "reference", "--engine pyshacl")

    from wpsgraph.terms import from_rdflib, rdflib_graph

    shapes = rdflib_graph(_shape_triples(shapes_paths, names))
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                    allow_warnings=True, allow_infos=True)
    findings = []
    for result in report.objects(None, SH.result):
        def one(p, result=result):
            term = report.value(result, p)
            return from_rdflib(term) if term is not None else None

        messages = [str(m) for m in report.objects(result, SH.resultMessage)]
        component = one(SH.sourceConstraintComponent)
        path = report.value(result, SH.resultPath)
        findings.append(Finding(
            severity=SEVERITIES.get(one(SH.resultSeverity).value, "violation"),
            message=messages[0] if messages else default_message(component.value.rsplit("#", 1)[-1]),
            focus_node=one(SH.focusNode), result_path=_path(report, path) if path is not None else None,
            value_node=one(SH.value), source_shape=one(SH.sourceShape), component=component, messages=messages,
            check=check))
    return findings, report


def _shape_triples(paths, names):
    triples = []
    g = fast.load_shapes(paths, names)
    for s, po in g.spo.items():
        for p, os_ in po.items():
            triples += [ox.Triple(s, p, o) for o in os_]
    return triples


def _path(g, node):
    """A SHACL property path of pySHACL's report graph as the path expression the fast engine uses."""
    import rdflib
    from rdflib import SH
    from rdflib.collection import Collection

    if isinstance(node, rdflib.URIRef):
        return ("pred", ox.NamedNode(str(node)))
    if (node, rdflib.RDF.first, None) in g:
        return ("seq", [_path(g, x) for x in Collection(g, node)])
    for predicate, kind in ((SH.inversePath, "inv"), (SH.zeroOrMorePath, "star"), (SH.oneOrMorePath, "plus"),
                            (SH.zeroOrOnePath, "opt")):
        inner = g.value(node, predicate)
        if inner is not None:
            return (kind, _path(g, inner))
    return ("alt", [_path(g, x) for x in Collection(g, g.value(node, SH.alternativePath))])
