"""A large build's in-memory store holds only the entailments validation and ``prepared/`` read there
(``validation/held.py``); the whole inferred graph goes to the store on disk and to ``inferred.ttl`` from the
reasoner's text. Validating the held part must give what validating all of it gives."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from wpsgraph import resources
from wpsgraph.pipeline import synth
from wpsgraph.pipeline.load import load
from wpsgraph.pipeline.reason import Hold, reason
from wpsgraph.validation.engines import validate
from wpsgraph.validation.held import entailments_read
from wpsgraph.validation.shacl.data import Data

from conftest import FIXTURES

WPS = "https://w3id.org/wpsgraph/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SUBCLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
_SCHEMA = ("http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/2002/07/owl#")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[Path]:
    """The reference data, every invalid fixture (findings of every kind) and 5k synthetic triples."""
    path = tmp_path_factory.mktemp("held") / "synthetic.ttl"
    synth.write(path, 5_000, 3)
    return resources.reference_files() + sorted((FIXTURES / "invalid").glob("*.ttl")) + [path]


def _reasoned(files, names, hold):
    loaded = load(files, names)
    triples: list = []
    reasoned = reason(loaded, sink=lambda _text, _marked: None, dump=triples.extend, hold=hold)
    return loaded, reasoned, triples


def _findings(report) -> list[str]:
    return sorted(str((f.severity, f.focus_node, f.result_path, f.value_node, f.source_shape, f.message))
                  for f in report.findings)


def test_validating_the_held_entailments_gives_the_findings_of_all_of_them(files, names):
    whole = load(files, names)
    everything = reason(whole)
    held, reasoned, dumped = _reasoned(files, names, entailments_read(names))
    assert reasoned.dumped and reasoned.inferred == everything.inferred == len(dumped)
    inferred = set(whole.store.quads_for_pattern(None, None, None, names.inferred_graph))
    assert {ox.Quad(t.subject, t.predicate, t.object, names.inferred_graph) for t in dumped} == inferred
    kept = len(held.store) - (len(whole.store) - len(inferred))
    assert 0 < kept < 0.9 * len(inferred)  # something is left out ...
    expected = _findings(validate(whole))
    assert len(expected) > 100
    assert _findings(validate(held, triples=len(whole.store))) == expected  # ... and nothing validation reads


def test_holding_less_changes_the_findings(files, names):
    """The comparison above can fail: with only the rdf:type statements held, findings change."""
    whole = load(files, names)
    reason(whole)
    held, _, _ = _reasoned(files, names, Hold())
    assert _findings(validate(held)) != _findings(validate(whole))


def test_the_validator_asks_the_store_only_for_held_predicates(synthetic, names, monkeypatch):
    """Every statement pattern the engine reads names a predicate held, the class tree, or membership of a class
    held."""
    hold = entailments_read(names)
    assert hold is not None and hold.about  # the date range shape reads every statement of its focus nodes
    allowed = hold.predicates | {RDF_TYPE, SUBCLASS_OF}
    assert RDF_TYPE not in hold.predicates  # types are held by class
    asked: list = []
    original = Data.quads

    def spy(self, s=None, p=None, o=None):
        asked.append((p, o))
        return original(self, s, p, o)

    monkeypatch.setattr(Data, "quads", spy)
    validate(synthetic)
    assert asked and {p for p, _ in asked if p is not None} <= allowed
    # membership is read of the classes held, or of their subclasses (whose instances are typed with the class)
    store = synthetic.store
    for p, o in asked:
        if p == RDF_TYPE:
            assert o is not None
            above = {q.object for q in store.quads_for_pattern(o, SUBCLASS_OF, None, None)} | {o}
            assert above & hold.classes, o


def test_the_reasoners_lists_are_the_stores(files, names):
    """The lists of prepared/ the reasoner gives are what the store of the whole graph lists."""
    hold = entailments_read(names)
    _, reasoned, _ = _reasoned(files, names, hold)
    whole = load(files, names)
    reason(whole)
    assert ("subjects", str(RDF_TYPE)) in reasoned.lists
    assert {kind for kind, _ in reasoned.lists} == {"members", "subjects"}
    for (kind, term), nodes in reasoned.lists.items():
        pattern = f"?s a {term}" if kind == "members" else f"?s {term} ?o"
        rows = whole.store.query(f"SELECT DISTINCT ?s WHERE {{ {pattern} }}", use_default_graph_as_union=True)
        assert nodes == {str(row["s"]) for row in rows}, (kind, term)
    assert sum(map(len, reasoned.lists.values())) > 1000


def test_the_focus_nodes_of_a_shape_reading_everything_keep_all_their_statements(files, names):
    hold = entailments_read(names)
    held, _, dumped = _reasoned(files, names, hold)
    assert ("targetSubjectsOf", ox.NamedNode(WPS + "endDate")) in hold.about
    # about instances, not the entailed TBox (held whole: subclasses, sub-properties)
    unheld = {t.predicate for t in dumped if not t.predicate.value.startswith(_SCHEMA)} - hold.predicates - {RDF_TYPE}
    assert unheld  # predicates left out of the store ...
    ends = {q.subject for _, p in hold.about for q in held.store.quads_for_pattern(None, p, None, None)}
    about_ends = [t for t in dumped if t.subject in ends and t.predicate in unheld]
    assert about_ends  # ... but kept for the nodes the shape reads whole
    for t in about_ends:
        assert next(held.store.quads_for_pattern(t.subject, t.predicate, t.object, names.inferred_graph), None)
    elsewhere = [t for t in dumped if t.subject not in ends and t.predicate in unheld]
    assert elsewhere and all(
        next(held.store.quads_for_pattern(t.subject, t.predicate, t.object, None), None) is None for t in elsewhere)


def test_a_blank_node_in_the_entailments_keeps_them_all_in_the_store(tmp_path, names):
    """The reasoner's text cannot name a blank node stably: the graph is then not dumped from it, and the store,
    which the build's Turtle is then written from, holds every entailment."""
    path = tmp_path / "blank.ttl"
    path.write_text(f"""@prefix wps: <{WPS}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
[] a wps:Person ; rdfs:label "someone unnamed"@en ;
   wps:statedIn <https://w3id.org/wpsgraph/id/source/synthetic-article-1> .
""", encoding="utf-8")
    held, reasoned, dumped = _reasoned(resources.reference_files() + [path], names, Hold())
    assert not reasoned.dumped and not dumped
    inferred = sum(1 for _ in held.store.quads_for_pattern(None, None, None, names.inferred_graph))
    assert inferred == reasoned.inferred
