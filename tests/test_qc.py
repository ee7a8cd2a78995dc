"""Ontology QC queries (queries/qc/*.rq): each parses, has its header, returns no rows on the shipped ontology,
and returns a row on a copy of the ontology broken for it. A new query needs an entry in BREAK."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from wpsgraph.validation import qc

CHECKS = qc.checks()

PREFIXES = """@prefix wps: <https://w3id.org/wpsgraph/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <https://example.org/> .
"""
GOOD = ('a owl:Class ; rdfs:subClassOf wps:Event ; rdfs:label "x"@en, "x"@es, "x"@fr ; '
        'skos:definition "d"@en ')
BREAK = {
    "missing-label": 'wps:Broken a owl:Class ; rdfs:subClassOf wps:Event ; rdfs:label "broken"@es ; skos:definition "d"@en .',
    "missing-definition": f'wps:Broken {GOOD.replace("skos:definition", "rdfs:comment")} .'.replace('"x"', '"broken"'),
    "missing-language": 'wps:Broken a owl:Class ; rdfs:subClassOf wps:Event ; rdfs:label "broken"@en ; skos:definition "d"@en .',
    "duplicate-label": 'wps:Broken a owl:Class ; rdfs:subClassOf wps:Event ; rdfs:label "event"@en .',
    "class-without-parent": 'wps:Broken a owl:Class ; rdfs:label "broken"@en .',
    "property-without-domain-or-range": 'wps:broken a owl:ObjectProperty ; rdfs:label "broken"@en .',
    "deprecated-term-in-use": 'wps:oldProperty a owl:ObjectProperty ; owl:deprecated true . ex:thing wps:oldProperty ex:other .',
}


@pytest.fixture(scope="module")
def reasoned(shipped):
    return shipped


def test_every_check_has_a_header_and_a_broken_case():
    assert len(CHECKS) >= 7
    for check in CHECKS:
        assert check.title and check.description and check.severity in qc.SEVERITIES
        assert check.name in BREAK, f"add a broken ontology snippet for {check.name} to BREAK"


@pytest.mark.parametrize("check", CHECKS, ids=[c.name for c in CHECKS])
def test_no_rows_on_shipped(check, shipped):
    assert qc.run_check(check, shipped.store, shipped.names) == []


@pytest.mark.parametrize("check", CHECKS, ids=[c.name for c in CHECKS])
def test_broken_copy_returns_a_row(check, shipped):
    store = ox.Store()
    store.extend(shipped.store.quads_for_pattern(None, None, None, None))
    store.load((PREFIXES + BREAK[check.name]).encode(), format=ox.RdfFormat.TURTLE,
               to_graph=shipped.names.ontology_graph)
    rows = qc.run_check(check, store, shipped.names)
    assert rows, check.name
