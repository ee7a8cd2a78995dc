"""The ontology: parses, stays within what OWL 2 RL reasoning can use, every term labelled and defined."""

from __future__ import annotations

import rdflib
from rdflib import OWL, RDF, RDFS, SKOS

from wpsgraph import resources
from wpsgraph.pipeline import reason
from wpsgraph.validation.engines import validate_ontology

WPS = "https://w3id.org/wpsgraph/ontology#"
LANGS = {"en", "es", "fr"}


def ontology() -> rdflib.Graph:
    g = rdflib.Graph()
    for path in resources.ontology_files():
        g.parse(path, format="turtle")
    return g


def wps_terms(g):
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    return {s for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(WPS)}


def test_parses_and_has_metadata():
    g = ontology()
    (onto,) = list(g.subjects(RDF.type, OWL.Ontology))
    for p in (OWL.versionIRI, OWL.versionInfo, rdflib.DCTERMS.title, rdflib.DCTERMS.description,
              rdflib.DCTERMS.license, rdflib.DCTERMS.creator):
        assert g.value(onto, p) is not None, p


def test_within_the_supported_owl2_rl_subset():
    # No restrictions, unions, cardinalities, keys ...: constructs outside RL, or that the compiled reasoner
    # would have to hand to owlrl.
    reason.check_supported(ontology())


def test_every_term_labelled_in_three_languages_and_defined():
    g = ontology()
    terms = wps_terms(g)
    assert len(terms) > 60
    for term in terms:
        langs = {label.language for label in g.objects(term, RDFS.label)}
        assert LANGS <= langs, f"{term} lacks labels in {LANGS - langs}"
        assert any(d.language == "en" for d in g.objects(term, SKOS.definition)), f"{term} has no definition"


def test_properties_have_domain_or_range_once_reasoned():
    # Inherited through sub-properties and inverses counts: OWL RL entails it (scm-dom2, scm-rng2).
    g = ontology()
    closed = reason.owlrl_closure(g)
    unconstrained = {p for p in wps_terms(g) if (p, RDF.type, OWL.Class) not in g
                     and not set(closed.objects(p, RDFS.domain)) and not set(closed.objects(p, RDFS.range))}
    assert unconstrained == set()


def test_ontology_shapes_pass(shipped):
    report = validate_ontology(shipped)
    assert report.conforms, [f.message for f in report.findings]


def test_required_features():
    g = ontology()
    assert (rdflib.URIRef(WPS + "subOrganisationOf"), RDF.type, OWL.TransitiveProperty) in g
    assert (rdflib.URIRef(WPS + "partnerOf"), RDF.type, OWL.SymmetricProperty) in g
    assert (rdflib.URIRef(WPS + "organises"), OWL.inverseOf, rdflib.URIRef(WPS + "organisedBy")) in g
    assert (rdflib.URIRef(WPS + "hosts"), RDFS.subPropertyOf, rdflib.URIRef(WPS + "participatesIn")) in g
    assert (rdflib.URIRef(WPS + "delivers"), RDFS.subPropertyOf, rdflib.URIRef(WPS + "participatesIn")) in g
