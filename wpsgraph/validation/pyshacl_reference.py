"""pySHACL, the reference engine, run without inference of its own (``inference='none'``): the reason stage has
already materialised the OWL RL entailments. Its results become findings like the fast engine's."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from wpsgraph.errors import require
from wpsgraph.namespaces import DEFAULT_BASE
from wpsgraph.validation.findings import SEVERITIES, Finding, default_message


def run_pyshacl(data, shapes_paths: list[Path], names=None, check: str = "shacl"):
    """pySHACL (the reference engine) on an rdflib graph; top-level results only. Returns (findings, report graph,
    shapes graph). The shapes are parsed here by rdflib, apart from the fast engine's loader, so that a fault in
    that loader cannot hide from the comparison."""
    from rdflib import SH

    pyshacl = require("pyshacl", "reference", "--engine pyshacl")

    from wpsgraph.terms import from_rdflib

    shapes = shapes_graph(shapes_paths, names)
    with _prepared_queries():
        _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True,
                                        allow_infos=True)
    findings = []
    for result in report.objects(None, SH.result):
        def one(p, result=result):
            term = report.value(result, p)
            return from_rdflib(term) if term is not None else None

        messages = [str(m) for m in report.objects(result, SH.resultMessage)]
        component = one(SH.sourceConstraintComponent)
        path = report.value(result, SH.resultPath)
        severity = one(SH.resultSeverity)
        findings.append(Finding(
            severity=SEVERITIES.get(severity.value, "violation"),
            message=messages[0] if messages else default_message(component.value.rsplit("#", 1)[-1]),
            focus_node=one(SH.focusNode), result_path=_path(report, path) if path is not None else None,
            value_node=one(SH.value), source_shape=one(SH.sourceShape), component=component, messages=messages,
            check=check, severity_iri=None if severity.value in SEVERITIES else severity))
    return findings, report, shapes


@contextmanager
def _prepared_queries():
    """pySHACL hands rdflib the text of a SPARQL constraint once per focus node, and rdflib parses it again every
    time (two thirds of pySHACL's time on the shipped data). Meanwhile each text is parsed once and run as a
    prepared query, rdflib's own way of running one query with different initial bindings."""
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query
    prepared: dict = {}

    def query(self, strOrQuery, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(strOrQuery, str):
            key = (strOrQuery, base, tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
            if key not in prepared:
                prepared[key] = processor.translateQuery(processor.parseQuery(strOrQuery), base, initNs)
            strOrQuery = prepared[key]
        return original(self, strOrQuery, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original


def shapes_graph(paths, names=None):
    """The shapes files parsed by rdflib; under a custom base their terms are rebased after parsing, by the same
    ``Names.rebase_term`` as the fast engine's shapes and the data (strings, SPARQL texts included, as written)."""
    import rdflib

    g = rdflib.Graph()
    for path in paths:
        g.parse(data=Path(path).read_text(encoding="utf-8"), format="turtle", publicID=Path(path).resolve().as_uri())
    if names is None or names.base == DEFAULT_BASE:
        return g
    from wpsgraph.terms import from_rdflib, to_rdflib

    def rebased(term):
        if isinstance(term, rdflib.URIRef) or str(getattr(term, "datatype", None) or "").startswith(DEFAULT_BASE):
            return to_rdflib(names.rebase_term(from_rdflib(term)))
        return term  # blank nodes and other literals: nothing to move, kept exactly as rdflib read them

    moved = rdflib.Graph()
    for prefix, namespace in g.namespaces():
        moved.bind(prefix, names.rebase(str(namespace)), override=True, replace=True)
    for triple in g:
        moved.add(tuple(rebased(t) for t in triple))
    return moved


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
