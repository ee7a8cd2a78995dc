"""The set-based SHACL engine (wpsgraph/validation/shacl/) gives pySHACL's results on the shipped data, the ontology
and every fixture: the same verdict, the same multiset of (focus, path, value, constraint component, severity,
source shape), with a message pySHACL also gives; and the same SHACL report graph read back the same way.

pySHACL reads the shapes with rdflib on its own (``pyshacl_reference.shapes_graph``), its paths are read from
its own report graph, and blank source shapes are compared by their description (tests/shacl_compare.py), so
nothing of the fast engine's loader or printers is shared with the reference.
"""

from __future__ import annotations

from collections import Counter

import pytest

from wpsgraph import resources
from wpsgraph.namespaces import Names
from wpsgraph.pipeline.load import load
from wpsgraph.pipeline.reason import reason
from wpsgraph.validation.engines import validate, validate_ontology

from conftest import FIXTURES
from shacl_compare import describe, finding_key, findings_multiset, report_multiset


def same(fast, ref):
    assert fast.conforms == ref.conforms
    ours, theirs = findings_multiset(fast), findings_multiset(ref)
    assert ours - theirs == Counter(), "results pySHACL does not give"
    assert theirs - ours == Counter(), "pySHACL results the fast engine misses"
    messages: dict = {}
    for f in ref.findings:
        messages.setdefault(finding_key(f, ref.shapes_graph), set()).update(f.messages)
    for f in fast.findings:
        assert f.message in messages[finding_key(f, fast.shapes_graph)], f.message
    # the report graphs (the fast engine's written by reports/rdf.py), read back the same way
    assert report_multiset(fast.report_graph, fast.shapes_graph) == report_multiset(ref.report_graph,
                                                                                     ref.shapes_graph)


@pytest.fixture(scope="module")
def fixtures_loaded(tmp_path_factory):
    # Each fixture is copied under its own stem so that all load together into their own graphs.
    folder = tmp_path_factory.mktemp("fixtures")
    files = []
    for kind in ("invalid", "valid"):
        for path in sorted((FIXTURES / kind).glob("*.ttl")):
            if path.stem.startswith("vocabulary-"):
                continue
            copy = folder / f"{kind}-{path.name}"
            copy.write_bytes(path.read_bytes())
            files.append(copy)
    loaded = load(resources.reference_files() + files)
    reason(loaded)
    return loaded


def test_same_results_on_shipped_data(shipped):
    same(validate(shipped), validate(shipped, engine="pyshacl"))


def test_same_results_on_the_ontology(shipped):
    same(validate_ontology(shipped), validate_ontology(shipped, engine="pyshacl"))


def test_same_results_on_every_fixture(fixtures_loaded):
    fast, ref = validate(fixtures_loaded), validate(fixtures_loaded, engine="pyshacl")
    assert len(fast.findings) >= 40
    assert len({f.component for f in fast.findings}) >= 8  # many kinds of constraint are compared
    same(fast, ref)


def test_comparison_sees_a_changed_component(fixtures_loaded):
    """The comparison itself can fail: one result with another constraint component differs."""
    import copy

    fast = validate(fixtures_loaded)
    changed = copy.copy(fast)
    changed.findings = [copy.copy(f) for f in fast.findings]
    other = next(f.component for f in fast.findings if f.component != fast.findings[0].component)
    changed.findings[0].component = other
    assert findings_multiset(changed) != findings_multiset(fast)


def test_blank_shapes_compare_by_description_across_parsers():
    import pyoxigraph as ox
    import rdflib

    from wpsgraph.validation.shacl import ShapesGraph

    text = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S sh:property [ sh:path ex:p ; sh:minCount 1 ] , [ sh:path ex:q ; sh:or ( [ sh:class ex:C ] ) ] ."""
    g = rdflib.Graph().parse(data=text, format="turtle")
    sg = ShapesGraph(ox.parse(text, format=ox.RdfFormat.TURTLE))
    from_rdflib = sorted(describe(g, o) for o in g.objects(None, rdflib.SH.property))
    from_oxigraph = sorted(describe(sg, o) for o in sg.objects(ox.NamedNode("http://example.org/S"),
                                                                 ox.NamedNode(rdflib.SH.property)))
    assert from_rdflib == from_oxigraph and from_rdflib[0] != from_rdflib[1]
    assert "http://example.org/C" in from_rdflib[1]  # nested blank nodes are described too


def test_custom_base_rebases_the_shapes():
    names = Names("https://example.org/kg/")
    loaded = load(resources.reference_files() + [FIXTURES / "invalid" / "held-in-not-a-place.ttl"], names)
    reason(loaded)
    report = validate(loaded)
    assert [f.path for f in report.findings] == ["https://example.org/kg/ontology#heldIn"]
    assert report.findings[0].shape == "https://example.org/kg/shapes#Event-heldIn"
    same(report, validate(loaded, engine="pyshacl"))


def test_closed_data_reads_a_class_s_direct_instances_only():
    """``Data(closed=True)`` is for reasoned data, where a subclass's instances are typed with the class too: it
    then reads the class's own instances. On data that is not closed it would miss the subclass's, which the walk
    down rdfs:subClassOf finds (so the flag is what makes the difference)."""
    import pyoxigraph as ox

    from wpsgraph.validation.shacl.data import Data

    ex = "https://example.org/"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    sub_class_of = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    x, y, sub, cls = (ox.NamedNode(ex + n) for n in ("x", "y", "Sub", "Class"))
    store = ox.Store()
    store.extend([ox.Quad(sub, sub_class_of, cls), ox.Quad(x, rdf_type, sub), ox.Quad(y, rdf_type, cls)])
    assert Data(store).instances(cls) == {x, y}
    assert Data(store, closed=True).instances(cls) == {y}
    store.add(ox.Quad(x, rdf_type, cls))  # closed, as the reasoner leaves it: the same instances either way
    assert Data(store, closed=True).instances(cls) == Data(store).instances(cls) == {x, y}
