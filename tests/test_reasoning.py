"""OWL RL reasoning: the compiled rules give exactly owlrl's entailments, and answer general questions."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
import rdflib

from wpsgraph.pipeline import reason
from wpsgraph.pipeline.load import load
from wpsgraph.terms import rdflib_graph

from conftest import FIXTURES
from reasoning_reference import inferred_triples, owlrl_entailments

WPS = "https://w3id.org/wpsgraph/ontology#"
ID = "https://w3id.org/wpsgraph/id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")




def inferred_set(loaded) -> set:
    return set(rdflib_graph(inferred_triples(loaded)))


@pytest.mark.parametrize("files", ["shipped", "chains"])
def test_compiled_rules_equal_owlrl(files, shipped):
    loaded = shipped if files == "shipped" else load([FIXTURES / "reasoning" / "chains.ttl"])
    if files != "shipped":
        assert reason.reason(loaded).engine == "compiled"
    ours, reference = inferred_set(loaded), owlrl_entailments(loaded)
    assert ours, "nothing was inferred"
    assert ours - reference == set(), "inferred triples owlrl does not entail"
    assert reference - ours == set(), "owlrl entailments the compiled rules missed"


def test_no_junk_in_inferred_graph(shipped):
    thing = ox.NamedNode("http://www.w3.org/2002/07/owl#Thing")
    for q in inferred_triples(shipped):
        assert not isinstance(q.subject, ox.Literal)
        assert not (q.predicate.value.endswith("#sameAs") and q.subject == q.object)
        assert not (q.predicate == RDF_TYPE and q.object == thing), q


def test_owl_thing_typing_is_what_the_compiled_rules_leave_out(shipped):
    # owlrl types every individual owl:Thing, which is why ``is_junk`` names it: the comparison with owlrl above
    # would not see the compiled rules leave it out without that
    thing = rdflib.OWL.Thing
    typed = {s for s, p, o in owlrl_entailments(shipped, keep_junk=True) if p == rdflib.RDF.type and o == thing}
    assert len(typed) > 100
    assert not {t for t in inferred_set(shipped) if t[1] == rdflib.RDF.type and t[2] == thing}


def test_inferred_kept_apart_from_asserted(shipped):
    inferred = shipped.names.inferred_graph
    asserted = {(q.subject, q.predicate, q.object) for q in shipped.store if q.graph_name != inferred}
    for q in inferred_triples(shipped):
        assert (q.subject, q.predicate, q.object) not in asserted


@pytest.fixture(scope="module")
def chains():
    loaded = load([FIXTURES / "reasoning" / "chains.ttl"])
    reason.reason(loaded)
    return loaded


def has(loaded, s, p, o) -> bool:
    return any(True for _ in loaded.store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), ox.NamedNode(o), None))


def test_superclass_question_finds_subclass_members(chains):
    members = {q.subject.value for q in chains.store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(WPS + "Organisation"), None)}
    assert ID + "organisation/navy" in members          # a MilitaryService
    assert ID + "organisation/office" in members        # an OrganisationalUnit
    actors = {q.subject.value for q in chains.store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(WPS + "Actor"), None)}
    assert ID + "organisation/institute" in actors      # only known from the range of deliveredBy
    events = {q.subject.value for q in chains.store.quads_for_pattern(None, RDF_TYPE, ox.NamedNode(WPS + "Event"), None)}
    assert ID + "event/course" in events


def test_transitive_sub_organisation(chains):
    assert has(chains, ID + "organisation/office", WPS + "subOrganisationOf", ID + "organisation/secretariat")
    assert has(chains, ID + "organisation/secretariat", WPS + "hasSubOrganisation", ID + "organisation/office")
    assert has(chains, ID + "organisation/marines", WPS + "subOrganisationOf", ID + "organisation/secretariat")
    assert has(chains, ID + "event/panel", WPS + "partOfEvent", ID + "event/programme")


def test_inverse_and_sub_properties(chains):
    # deliveredBy (asserted on the event) gives delivers, and delivering is a kind of taking part
    assert has(chains, ID + "organisation/institute", WPS + "delivers", ID + "event/course")
    assert has(chains, ID + "organisation/institute", WPS + "participatesIn", ID + "event/course")
    # co-hosting is hosting, hosting is taking part; the inverse holds on the event
    assert has(chains, ID + "organisation/ngo", WPS + "hosts", ID + "event/workshop")
    assert has(chains, ID + "event/workshop", WPS + "hostedBy", ID + "organisation/ngo")
    assert has(chains, ID + "event/workshop", WPS + "hasParticipant", ID + "organisation/college")


def test_symmetric_and_chain(chains):
    assert has(chains, ID + "organisation/un-agency", WPS + "partnerOf", ID + "organisation/ngo")
    assert has(chains, ID + "event/course", WPS + "heldInCountry", ID + "country/MX")


def _with_functional_property():
    """The shipped ontology and a graph declaring a functional property, which the compiled rules do not cover. A
    data file may not state schema axioms (load refuses them), so the graph is given one directly."""
    text = ("@prefix owl: <http://www.w3.org/2002/07/owl#> .\n@prefix ex: <http://example.org/> .\n"
            "ex:p a owl:FunctionalProperty .\nex:a ex:p ex:b , ex:c .\n")
    loaded = load([])
    graph = loaded.names.graph_iri("source", "functional")
    loaded.store.extend(ox.Quad(t.subject, t.predicate, t.object, graph)
                        for t in ox.parse(text, format=ox.RdfFormat.TURTLE))
    loaded.graphs[graph] = None
    return loaded


def test_unsupported_construct_falls_back_to_owlrl(tmp_path):
    loaded = _with_functional_property()
    result = reason.reason(loaded)
    assert result.engine == "owlrl" and "owl" in result.note
    same = ox.NamedNode("http://www.w3.org/2002/07/owl#sameAs")
    assert any(True for _ in loaded.store.quads_for_pattern(
        ox.NamedNode("http://example.org/b"), same, ox.NamedNode("http://example.org/c"), loaded.names.inferred_graph))


def test_check_supported_rejects_restrictions():
    g = rdflib.Graph().parse(data="""
        @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix ex: <http://example.org/> .
        ex:C owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:p ; owl:someValuesFrom ex:D ] .""",
        format="turtle")
    with pytest.raises(reason.UnsupportedAxiom):
        reason.check_supported(g)


def _statements(store: ox.Store, graph: ox.NamedNode) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, graph))


@pytest.mark.parametrize("streamed", [False, True])
def test_the_count_the_reasoner_gives_is_the_inferred_graphs_size(streamed, tmp_path):
    """The build's manifest takes the inferred graph's size from the reasoner rather than counting it again: the
    number it gives must be the statements the graph holds (no line given twice, none dropped), synthetic data
    with its chains and inverses included."""
    from wpsgraph import resources
    from wpsgraph.pipeline import synth

    path = tmp_path / "synthetic.ttl"
    synth.write(path, 3_000, 11)
    loaded = load(resources.reference_files() + [path])
    given: list = []
    result = reason.reason(loaded, sink=(lambda text, marked: given.append((text, marked))) if streamed else None)
    assert result.engine == "compiled" and result.inferred > 1000
    assert result.inferred == _statements(loaded.store, loaded.names.inferred_graph)
    if streamed:
        assert given[-1] == (None, False)
        assert sum(text.count(b"\n") for text, _ in given[:-1]) == result.inferred
        assert all(marked == (b"_:" in text) for text, marked in given[:-1])  # the sink need not look again


def test_memberships_of_asserted_types_reach_the_sink_before_the_fixpoint(tmp_path, monkeypatch):
    """With a sink (the large build's store writer), the memberships that asserted types give by superclasses are
    handed over before the fixpoint runs, so that the writer can load them meanwhile; what the sink gets in all is
    still the inferred graph, each statement once."""
    from wpsgraph import resources
    from wpsgraph.pipeline import synth

    path = tmp_path / "synthetic.ttl"
    synth.write(path, 3_000, 11)
    loaded = load(resources.reference_files() + [path])
    given: list = []
    at_fixpoint: list = []
    original = reason.materialise_sets

    def spy(*args, **kwargs):
        at_fixpoint.append(len(given))
        return original(*args, **kwargs)

    monkeypatch.setattr(reason, "materialise_sets", spy)
    monkeypatch.setattr(reason, "_CHUNK", 50)  # slices small enough for a few thousand triples
    result = reason.reason(loaded, sink=lambda text, marked: given.append(text))
    early = [line for text in given[:at_fixpoint[0]] for line in text.decode().splitlines()]
    memberships = [line for line in early if line.split(" ")[1] == f"<{rdflib.RDF.type}>"]
    assert len(memberships) > 500  # (the entailed TBox goes first too)
    lines = [line for text in given[:-1] for line in text.decode().splitlines()]
    dumped = loaded.store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=loaded.names.inferred_graph).decode()
    assert len(lines) == len(set(lines)) == result.inferred
    assert set(lines) == set(dumped.splitlines())


def test_the_count_owlrl_gives_is_the_inferred_graphs_size():
    loaded = _with_functional_property()
    result = reason.reason(loaded)
    assert result.engine == "owlrl" and result.inferred > 0
    assert result.inferred == _statements(loaded.store, loaded.names.inferred_graph)
