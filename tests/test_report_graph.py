"""The SHACL report graph that build writes follows the spec (W3C SHACL 3.6): every result names its source
constraint component, its path in every path form, and a literal focus node stays a literal."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib
from rdflib import SH
from rdflib.collection import Collection

from wpsgraph.namespaces import SH as SH_NS
from wpsgraph.validation.findings import Finding
from wpsgraph.validation.reports.rdf import report_graph

EX = "http://example.org/"
P, Q = ox.NamedNode(EX + "p"), ox.NamedNode(EX + "q")


def finding(path, focus=ox.NamedNode(EX + "a"), component="MinCountConstraintComponent"):
    return Finding(severity="violation", message="m", focus_node=focus, result_path=path,
                   source_shape=ox.NamedNode(EX + "Shape"), component=ox.NamedNode(SH_NS + component))


def only_result(g: rdflib.Graph):
    (result,) = g.objects(None, SH.result)
    return result


def test_every_result_names_its_constraint_component():
    g = report_graph([finding(("pred", P)), finding(None, component="ClassConstraintComponent")], False)
    results = list(g.objects(None, SH.result))
    assert len(results) == 2
    assert {g.value(r, SH.sourceConstraintComponent) for r in results} == {
        SH.MinCountConstraintComponent, SH.ClassConstraintComponent}


def test_result_path_in_every_form():
    path = ("seq", [("inv", ("pred", P)), ("alt", [("pred", P), ("star", ("pred", Q))])])
    g = report_graph([finding(path)], False)
    node = g.value(only_result(g), SH.resultPath)
    first, second = Collection(g, node)
    assert g.value(first, SH.inversePath) == rdflib.URIRef(EX + "p")
    alternatives = list(Collection(g, g.value(second, SH.alternativePath)))
    assert alternatives[0] == rdflib.URIRef(EX + "p")
    assert g.value(alternatives[1], SH.zeroOrMorePath) == rdflib.URIRef(EX + "q")


def test_literal_focus_node_stays_literal():
    focus = ox.Literal("2024", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear"))
    g = report_graph([finding(("pred", P), focus=focus)], False)
    value = g.value(only_result(g), SH.focusNode)
    assert isinstance(value, rdflib.Literal) and str(value) == "2024" and str(value.datatype).endswith("#gYear")
