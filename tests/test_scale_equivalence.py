"""Same answers at scale: on synthetic data, the compiled reasoner gives owlrl's OWL RL closure exactly, and the
project's validation gives pySHACL's verdict and results.

owlrl on 5k synthetic triples takes about 9 s, so that comparison is in the default run. pySHACL is slower (about
15 s on 1k synthetic triples plus the ontology and the entailments, a minute on 5k): the default run compares
validation on 1k triples with defects; 5k, and conforming data, carry the ``slow`` marker and run in .ci/run's
own step (``pytest -m slow tests/test_scale_equivalence.py``).
"""

from __future__ import annotations

from collections import Counter

import pyshacl
import pytest
import rdflib
from rdflib import SH

from wpsgraph import resources
from wpsgraph.pipeline import reason
from wpsgraph.pipeline import synth
from wpsgraph.pipeline.build import in_memory
from wpsgraph.terms import rdflib_graph, store_graph
from wpsgraph.validation.engines import validate

from reasoning_reference import inferred_triples, owlrl_entailments
from shacl_compare import findings_multiset, report_multiset


# Mistakes a contributor makes, appended to synthetic data so that the validation comparison has results to compare.
DEFECTS = """
post:orphan-post a wps:Post ; rdfs:label "Orphan Post"@en ; wps:statedIn source:synthetic-article-1 .
event:backwards a wps:Workshop ; rdfs:label "Backwards Workshop"@en ; wps:startDate "2021-05-10"^^xsd:date ;
    wps:endDate "2021-05-01"^^xsd:date ; wps:statedIn source:synthetic-article-1 .
event:mixed-precision a wps:Course ; rdfs:label "Mixed Precision Course"@en ; wps:startDate "2021"^^xsd:gYear ;
    wps:endDate "2021-06"^^xsd:gYearMonth ; wps:statedIn source:synthetic-article-1 .
organisation:untagged a wps:CivilSocietyOrganisation ; rdfs:label "No Language Tag" ;
    wps:statedIn source:synthetic-article-1 .
organisation:untraceable a wps:Ministry ; rdfs:label "Untraceable Ministry"@en .
person:holds-an-organisation a wps:Person ; rdfs:label "Holds An Organisation"@en ;
    wps:holdsPost organisation:untraceable ; wps:statedIn source:synthetic-article-1 .
commitment:plan-without-country a wps:NationalActionPlan ; rdfs:label "Plan Without Country"@en ;
    wps:status status:published ; wps:statedIn source:synthetic-article-1 .
event:no-date a wps:Panel ; rdfs:label "Undated Panel"@en ; wps:hostedBy place:nowhere ;
    wps:statedIn source:synthetic-article-1 .
place:nowhere a wps:City ; rdfs:label "Nowhere"@en , "Another Name"@en ; wps:statedIn source:synthetic-article-1 .
"""


def synthetic(tmp_path, triples: int, seed: int, defects: bool = False):
    path = tmp_path / f"synthetic-{triples}.ttl"
    synth.write(path, triples, seed)
    if defects:
        with open(path, "a", encoding="utf-8") as f:
            f.write(DEFECTS)
    return in_memory(resources.reference_files() + [path])


# ---------------------------------------------------------------------------------------------- reasoning



def check_reasoning(loaded):
    ours = set(rdflib_graph(inferred_triples(loaded)))
    reference = owlrl_entailments(loaded)
    assert ours, "nothing was inferred"
    assert ours - reference == set(), "inferred triples owlrl does not entail"
    assert reference - ours == set(), "owlrl entailments the compiled rules missed"


def test_reasoning_equals_owlrl_on_5k_synthetic_triples(tmp_path):
    """About 9 s, most of it owlrl."""
    check_reasoning(synthetic(tmp_path, 5000, seed=1))


def test_set_engine_equals_per_triple_engine(tmp_path):
    """The set-at-a-time fixpoint (used by reason) and the per-triple one give the same closure."""
    loaded = synthetic(tmp_path, 20000, seed=9)
    rules = reason._rules_in_text(reason.rules_for(loaded))
    edges = {p: reason._read_pairs(loaded.store, p) for p in rules.implied.keys() | rules.transitive
             | rules.domains.keys() | rules.ranges.keys()}
    edges = {p: pairs for p, pairs in edges.items() if pairs}
    types, members = {}, {}
    for node, cls in reason._read_pairs(loaded.store, reason._RDF_TYPE):
        types.setdefault(node, set()).add(cls)
        members.setdefault(cls, set()).add(node)
    e1, t1 = reason.materialise({p: set(v) for p, v in edges.items()}, types, rules)
    e2, m2 = reason.materialise_sets({p: set(v) for p, v in edges.items()}, members, rules)
    assert {p: v for p, v in e1.items() if v} == {p: v for p, v in e2.items() if v}
    flat = {(n, c) for n, cs in t1.items() for c in cs}
    assert flat == {(n, c) for c, ns in m2.items() for n in ns}


# ---------------------------------------------------------------------------------------------- validation

def check_validation(loaded, expect_conforms: bool):
    """The project's validation against pySHACL (shapes parsed by rdflib, apart from the fast engine): verdict,
    results as multisets of (focus, path, value, component, severity, shape), messages, and the report graph."""
    shapes = rdflib.Graph().parse(resources.DATA_SHAPES, format="turtle")
    _, graph, _ = pyshacl.validate(store_graph(loaded.store), shacl_graph=shapes, inference="none",
                                   allow_warnings=True, allow_infos=True)
    verdict, reference = report_multiset(graph, shapes)
    report = validate(loaded)
    ours = findings_multiset(report)
    assert report.conforms == verdict == expect_conforms
    assert ours - reference == Counter(), "results pySHACL does not give"
    assert reference - ours == Counter(), "pySHACL results the project's validation missed"
    assert report_multiset(report.report_graph, report.shapes_graph) == (verdict, reference)
    their_messages = {(str(graph.value(r, SH.focusNode)), str(graph.value(r, SH.resultMessage)))
                      for r in graph.objects(None, SH.result)}
    assert {(f.focus, f.message) for f in report.findings} == their_messages
    return reference


def test_validation_equals_pyshacl_on_small_synthetic_data_with_defects(tmp_path):
    results = check_validation(synthetic(tmp_path, 1000, seed=2, defects=True), expect_conforms=False)
    assert sum(results.values()) >= 8


@pytest.mark.slow
def test_validation_equals_pyshacl_on_small_conforming_synthetic_data(tmp_path):
    check_validation(synthetic(tmp_path, 1000, seed=3), expect_conforms=True)


@pytest.mark.slow
def test_validation_equals_pyshacl_on_5k_synthetic_triples(tmp_path):
    check_validation(synthetic(tmp_path, 5000, seed=1, defects=True), expect_conforms=False)
