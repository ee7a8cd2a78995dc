"""The caches (compiled OWL RL rules, the reasoned shipped graph for `validate FILE`): keyed by the content and the
versions of the code that makes them, in a format that cannot run code, rebuilt when damaged, and never the user's
own cache during tests."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest

from wpsgraph.pipeline import reason
from wpsgraph.pipeline.load import load
from wpsgraph.validation import command


@pytest.fixture()
def loaded():
    return load([])


@pytest.fixture()
def fresh(monkeypatch):
    """No rules compiled in this process yet, so the disk cache is read."""
    monkeypatch.setattr(reason, "_COMPILED", {})


def test_tests_use_a_temporary_cache():
    folder = command.cache_dir()
    assert folder is not None and Path.home() / ".cache" not in folder.parents
    assert os.environ["WPSGRAPH_CACHE"] == str(folder)


def test_rules_cache_is_json_and_reads_back_the_same(tmp_path, loaded, fresh):
    rules = reason.rules_for(loaded, tmp_path)
    (entry,) = tmp_path.glob("rules-*.json")
    json.loads(entry.read_text())  # JSON, not a pickle
    reason._COMPILED.clear()
    again = reason.rules_for(loaded, tmp_path)
    assert again is not rules
    for name in ("superclasses", "implied", "transitive", "domains", "ranges"):
        assert getattr(again, name) == getattr(rules, name), name
    assert sorted(again.chains) == sorted(rules.chains) and set(again.tbox) == set(rules.tbox)


@pytest.mark.parametrize("damage", ["truncate", "tamper-term", "wrong-key", "not-json"])
def test_damaged_rules_entry_is_rebuilt(tmp_path, loaded, fresh, monkeypatch, damage):
    rules = reason.rules_for(loaded, tmp_path)
    (entry,) = tmp_path.glob("rules-*.json")
    text = entry.read_text()
    doc = json.loads(text)
    if damage == "truncate":
        entry.write_text(text[: len(text) // 2])
    elif damage == "tamper-term":
        doc["transitive"][0] = doc["transitive"][0] + " <urn:x:more> <urn:x:terms"
        entry.write_text(json.dumps(doc))
    elif damage == "wrong-key":
        doc["key"] = "0" * 24
        entry.write_text(json.dumps(doc))
    else:
        entry.write_bytes(pickle.dumps(rules))
    reason._COMPILED.clear()
    compiled = []
    real = reason.compile_rules
    monkeypatch.setattr(reason, "compile_rules", lambda g: compiled.append(1) or real(g))
    again = reason.rules_for(loaded, tmp_path)
    assert compiled, "a damaged entry was trusted"
    assert again.transitive == rules.transitive
    json.loads(entry.read_text())  # rewritten whole


def test_rules_key_follows_the_versions(loaded, monkeypatch):
    import importlib.metadata

    ontology = reason.ontology_rdflib(loaded)
    before = reason._cache_key(ontology)
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda p: "99.0" if p == "owlrl" else real(p))
    assert reason._cache_key(ontology) != before
    monkeypatch.setattr(importlib.metadata, "version", lambda p: "99.0" if p == "pycountry" else real(p))
    assert reason._cache_key(ontology) != before


def test_shipped_graph_cache_damaged_is_rebuilt(tmp_path, monkeypatch):
    from wpsgraph.namespaces import Names

    names = Names()
    first = command.shipped(names, tmp_path)
    (nq,) = tmp_path.glob("shipped-*.nq")
    lines = nq.read_bytes().splitlines(keepends=True)
    nq.write_bytes(b"".join(lines[: len(lines) // 2]))  # a well-formed but partial file
    rebuilt = []
    real = command.load
    monkeypatch.setattr(command, "load", lambda *a, **k: rebuilt.append(1) or real(*a, **k))
    again = command.shipped(names, tmp_path)
    assert rebuilt, "a partial cached graph was trusted"
    assert len(again.store) == len(first.store)
    rebuilt.clear()
    assert len(command.shipped(names, tmp_path).store) == len(first.store) and not rebuilt  # rewritten whole


def test_shipped_graph_key_follows_the_versions(monkeypatch):
    import importlib.metadata

    from wpsgraph import resources
    from wpsgraph.namespaces import Names

    files = resources.reference_files()
    before = command._digest(files, Names())
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version", lambda p: "99.0" if p == "pyoxigraph" else real(p))
    assert command._digest(files, Names()) != before


def test_fast_rules_key_is_label_free_and_sees_the_wiring(loaded):
    """The key made without rdflib (blank nodes written out) is the same for two parses of the ontology, and
    changes when two property chains swap their steps (same triples once blank nodes are ignored)."""
    import pyoxigraph as ox

    graph = loaded.names.ontology_graph
    again = load([])
    quads = list(loaded.store.quads_for_pattern(None, None, None, graph))
    assert reason._tree_key(quads) is not None
    assert reason._tree_key(quads) == reason._tree_key(again.store.quads_for_pattern(None, None, None, graph))
    first = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#first")
    heads = [q for q in quads if q.predicate == first and isinstance(q.subject, ox.BlankNode)][:2]
    assert len(heads) == 2 and heads[0].object != heads[1].object
    swapped = [q for q in quads if q not in heads] + [
        ox.Quad(heads[0].subject, first, heads[1].object, graph), ox.Quad(heads[1].subject, first, heads[0].object,
                                                                         graph)]
    assert reason._tree_key(swapped) != reason._tree_key(quads)
