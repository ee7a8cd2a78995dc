"""The set-based SHACL engine (wpsgraph/validation/shacl/) gives pySHACL's results: same verdict, and the same results
(focus, path, value, severity, source shape) with a message pySHACL also gives, on the shipped data, the
ontology, and every fixture (all loaded together, so one pySHACL pass covers them)."""

from __future__ import annotations

from collections import Counter

import pytest

from wpsgraph import resources
from wpsgraph.pipeline.load import load
from wpsgraph.namespaces import Names
from wpsgraph.pipeline.reason import reason
from wpsgraph.validation.engines import validate, validate_ontology

from conftest import FIXTURES


def key(f):
    return (f.severity, f.focus, f.path, f.value, f.shape)


def same(fast, ref):
    assert fast.conforms == ref.conforms
    assert Counter(map(key, fast.findings)) == Counter(map(key, ref.findings))
    messages = {}
    for f in ref.findings:
        messages.setdefault(key(f), set()).update(f.messages)
    for f in fast.findings:
        assert f.message in messages[key(f)], (f.message, messages[key(f)])


def test_same_results_on_shipped_data(shipped):
    same(validate(shipped), validate(shipped, engine="pyshacl"))


def test_same_results_on_the_ontology(shipped):
    same(validate_ontology(shipped), validate_ontology(shipped, engine="pyshacl"))


def test_same_results_on_every_fixture(tmp_path):
    # Each fixture is copied under its own stem so that all load together into their own graphs.
    files = []
    for folder in ("invalid", "valid"):
        for path in sorted((FIXTURES / folder).glob("*.ttl")):
            if path.stem.startswith("vocabulary-"):
                continue
            copy = tmp_path / f"{folder}-{path.name}"
            copy.write_bytes(path.read_bytes())
            files.append(copy)
    loaded = load(resources.reference_files() + files)
    reason(loaded)
    fast, ref = validate(loaded), validate(loaded, engine="pyshacl")
    assert len(fast.findings) >= 40
    same(fast, ref)


def test_custom_base_rebases_the_shapes():
    names = Names("https://example.org/kg/")
    loaded = load(resources.reference_files() + [FIXTURES / "invalid" / "held-in-not-a-place.ttl"], names)
    reason(loaded)
    report = validate(loaded)
    assert [f.path for f in report.findings] == ["https://example.org/kg/ontology#heldIn"]
    assert report.findings[0].shape == "https://example.org/kg/shapes#Event-heldIn"
