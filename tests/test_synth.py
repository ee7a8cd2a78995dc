"""Synthetic data (`wpsgraph synth`): deterministic, about the size asked for, traceable, conforming to the shapes,
and shaped like the real data (every kind of resource, deep sub-organisation chains)."""

from __future__ import annotations

import io
from collections import Counter

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from wpsgraph import resources
from wpsgraph.pipeline import synth
from wpsgraph.pipeline.build import in_memory
from wpsgraph.cli import main
from wpsgraph.validation.engines import validate

WPS = "https://w3id.org/wpsgraph/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
STATED_IN = ox.NamedNode(WPS + "statedIn")
SUB_ORG = ox.NamedNode(WPS + "subOrganisationOf")


def text(n: int, seed: int) -> str:
    out = io.StringIO()
    synth.write(out, n, seed)
    return out.getvalue()


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = tmp_path_factory.mktemp("synth") / "synthetic.ttl"
    written = synth.write(path, 5000, seed=11)
    return path, written


def test_deterministic_for_a_seed():
    assert text(3000, 1) == text(3000, 1)
    assert text(3000, 1) != text(3000, 2)


def test_size_is_about_what_was_asked(small):
    path, written = small
    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    assert len(triples) == written          # the count returned is the count in the file
    assert 5000 <= written < 5000 + 400     # at most one article over


def test_every_typed_resource_is_traceable_to_a_source_in_the_file(small):
    path, _ = small
    triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    typed = {t.subject: t.object for t in triples if t.predicate == RDF_TYPE}
    sources = {s for s, c in typed.items() if c.value == WPS + "NewsArticle"}
    stated = {}
    for t in triples:
        if t.predicate == STATED_IN:
            stated.setdefault(t.subject, set()).add(t.object)
    assert sources
    for subject in typed:
        if subject in sources:
            continue
        assert stated.get(subject), f"{subject} has no wps:statedIn"
        assert stated[subject] <= sources, f"{subject} is stated in a source the file does not describe"
    assert not any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples)


def test_kinds_and_proportions_like_real_data(small):
    path, _ = small
    classes = Counter(t.object.value.rsplit("#", 1)[-1] for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
                      if t.predicate == RDF_TYPE)
    for kind in ("NewsArticle", "Post", "Person", "City", "OrganisationalUnit", "Course", "Training", "Workshop"):
        assert classes[kind] > 0, kind
    assert any(classes[k] for k in ("NationalActionPlan", "Strategy", "StrategicFramework", "MinisterialAgreement"))
    events = sum(classes[k] for k in ("Course", "Training", "Academy", "Workshop", "RegionalConvening",
                                      "MinisterialMeeting", "Forum", "Panel"))
    assert classes["NewsArticle"] <= events <= 3 * classes["NewsArticle"]


def test_conforms_to_the_shapes_and_has_deep_sub_organisation_chains(small):
    path, _ = small
    loaded = in_memory(resources.reference_files() + [path])
    report = validate(loaded)
    assert report.conforms, [f.message for f in report.findings[:3]]
    assert report.counts() == {"violation": 0, "warning": 0, "info": 0}
    ancestors = Counter(q.subject for q in loaded.store.quads_for_pattern(None, SUB_ORG, None, None))
    assert max(ancestors.values()) >= 5   # reasoning follows chains at least five levels deep


def test_cli_synth(tmp_path):
    out = tmp_path / "s.ttl"
    result = CliRunner().invoke(main, ["synth", "--triples", "2000", "--seed", "3", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == text(2000, 3)
