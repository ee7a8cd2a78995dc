"""pySHACL, the reference engine, run without inference of its own (``inference='none'``): the reason stage has
already materialised the OWL RL entailments. Its results become findings like the fast engine's."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from wpsgraph.validation import shacl as fast
from wpsgraph.validation.findings import SEVERITIES, Finding, default_message


def run_pyshacl(data, shapes_paths: list[Path], names=None, check: str = "shacl"):
    """pySHACL (the reference engine) on an rdflib graph; top-level results only."""
    import pyshacl
    from rdflib import SH as S

    from wpsgraph.terms import rdflib_graph

    shapes = rdflib_graph(_shape_triples(shapes_paths, names))
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                    allow_warnings=True, allow_infos=True)
    findings = []
    for result in report.objects(None, S.result):
        def one(p):
            return report.value(result, p)

        messages = [str(m) for m in report.objects(result, S.resultMessage)]
        component = one(S.sourceConstraintComponent)
        f = Finding(
            severity=SEVERITIES.get(str(one(S.resultSeverity)), "violation"),
            message=messages[0] if messages else default_message(str(component).rsplit("#", 1)[-1]),
            focus=_rdf_text(one(S.focusNode)),
            path=_rdflib_path(report, one(S.resultPath)),
            value=_rdf_text(one(S.value)),
            shape=_rdf_text(one(S.sourceShape)),
            check=check,
        )
        f._messages = messages
        from wpsgraph.terms import from_rdflib
        f._terms = (from_rdflib(one(S.focusNode)), _path_term(one(S.resultPath)),
                    from_rdflib(one(S.value)) if one(S.value) is not None else None)
        f._value_term = f._terms[2]
        f._targets = []
        findings.append(f)
    return findings, report


def _shape_triples(paths, names):
    triples = []
    g = fast.load_shapes(paths, names)
    for s, po in g.spo.items():
        for p, os_ in po.items():
            triples += [ox.Triple(s, p, o) for o in os_]
    return triples


def _path_term(term):
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return ("pred", ox.NamedNode(str(term)))
    return None


def _rdf_text(term) -> str | None:
    import rdflib

    if term is None:
        return None
    if isinstance(term, rdflib.BNode):
        return "_:" + str(term)
    return str(term)


def _rdflib_path(g, node) -> str | None:
    """A result path as text: the IRI of a predicate path, else the SPARQL path the fast engine writes."""
    import rdflib
    from rdflib import SH as S
    from rdflib.collection import Collection

    if node is None:
        return None
    if isinstance(node, rdflib.URIRef):
        return str(node)

    def conv(n):
        if isinstance(n, rdflib.URIRef):
            return ("pred", ox.NamedNode(str(n)))
        if (n, rdflib.RDF.first, None) in g:
            return ("seq", [conv(x) for x in Collection(g, n)])
        for local, kind in (("inversePath", "inv"), ("zeroOrMorePath", "star"), ("oneOrMorePath", "plus"),
                            ("zeroOrOnePath", "opt")):
            inner = g.value(n, S[local])
            if inner is not None:
                return (kind, conv(inner))
        alt = g.value(n, S.alternativePath)
        return ("alt", [conv(x) for x in Collection(g, alt)])

    return fast.path_text(conv(node))
