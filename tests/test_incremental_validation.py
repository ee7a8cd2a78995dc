"""Incremental = full: `wpsgraph validate FILE` (the cached shipped graph with FILE added, only what FILE can affect
validated) gives exactly what a full validation of the shipped data plus FILE gives, for every resource FILE can
affect: those it mentions, and those whose results differ from the shipped data's (reached through any path).

A property test over every fixture and over generated edits of shipped resources (retype, relabel, relink, and a
shipped source rewritten without some of its statements, which replaces its graph). For every resource that FILE
mentions, whose full results change, or that the incremental check reports, both give the same multiset of
(focus, path, value, component, severity, shape, message, file, line).
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

from wpsgraph import resources
from wpsgraph.pipeline.build import in_memory
from wpsgraph.pipeline.load import load
from wpsgraph.pipeline.reason import reason
from wpsgraph.validation import command
from wpsgraph.validation.engines import validate

from conftest import FIXTURES

WPS = "https://w3id.org/wpsgraph/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
GENERATED = 12   # generated edits in the default run (seeded: the same cases every run)


def key(f):
    return (str(f.focus_node), str(f.result_path), str(f.value_node), str(f.component), f.severity, str(f.shape),
            f.message, f.file, f.line)


def by_focus(findings) -> dict:
    out: dict = defaultdict(Counter)
    for f in findings:
        if f.check == "shacl":
            out[str(f.focus_node)][key(f)] += 1
    return out


@pytest.fixture(scope="module")
def baseline():
    """The shipped data's own results, per focus node, and the shipped store to draw edits from."""
    loaded = in_memory()
    return by_focus(validate(loaded).findings), loaded


def full(path: Path, data: list | None = None) -> dict:
    """Results per focus node of a full validation of ``data`` (default: the shipped data) with ``path``."""
    data = resources.reference_files() + resources.source_files() if data is None else data
    loaded = load([p for p in data if p.stem != path.stem] + [path])
    reason(loaded)
    return by_focus(validate(loaded).findings)


def mentioned(path: Path) -> set:
    out = set()
    for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()):
        out.add(str(t.subject))
        if not isinstance(t.object, ox.Literal):
            out.add(str(t.object))
    return out


def check(path: Path, shipped_results: dict, run=None, data: list | None = None) -> int:
    """Compare incremental (``run``, default `validate FILE`) and full for one file; the number of resources
    compared."""
    incremental = by_focus((run or (lambda p: command.run([p])))(path).findings)
    reference = full(path, data)
    changed = {n for n in set(reference) | set(shipped_results) if reference.get(n) != shipped_results.get(n)}
    compared = changed | mentioned(path) | set(incremental)
    for node in compared:
        assert incremental.get(node, Counter()) == reference.get(node, Counter()), (path.name, node)
    return len(compared)


def _fixture_files():
    return [p for folder in ("invalid", "valid") for p in sorted((FIXTURES / folder).glob("*.ttl"))
            if not p.stem.startswith("vocabulary-")]


@pytest.mark.parametrize("path", _fixture_files(), ids=lambda p: p.name)
def test_fixture_incremental_equals_full(path, baseline):
    check(path, baseline[0])


def test_every_fixture_is_a_case():
    assert len(_fixture_files()) >= 70


PREFIXES = """@prefix wps: <https://w3id.org/wpsgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def _edits(store: ox.Store, n: int, seed: int = 12, sources: list | None = None):
    """Files that retype, relabel or relink shipped resources, or rewrite a shipped source without some of its
    statements; (name, text) pairs."""
    rng = random.Random(seed)
    typed = sorted({(str(q.subject), str(q.object)) for q in store.quads_for_pattern(
        None, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None, None)
        if q.object.value.startswith(WPS) and isinstance(q.subject, ox.NamedNode)})
    nodes = sorted({s for s, _ in typed})
    classes = sorted({c for _, c in typed})
    links = sorted({str(q.predicate) for q in store.quads_for_pattern(None, None, None, None)
                    if q.predicate.value.startswith(WPS) and isinstance(q.object, ox.NamedNode)})
    sources = resources.source_files() if sources is None else sources
    out = []
    for i in range(n):
        kinds = ("retype", "relabel", "relink", "rewrite") if sources else ("retype", "relabel", "relink")
        kind = kinds[i % len(kinds)]
        if kind == "retype":
            text = f"{rng.choice(nodes)} a {rng.choice(classes)} .\n"
        elif kind == "relabel":
            label = rng.choice(['"Another name"@en', '"Sin idioma"', '"Nom"@fr', '""@en'])
            text = f"{rng.choice(nodes)} rdfs:label {label} .\n"
        elif kind == "relink":
            text = f"{rng.choice(nodes)} {rng.choice(links)} {rng.choice(nodes)} .\n"
        else:
            source = rng.choice(sources)
            triples = list(ox.parse(path=str(source), format=ox.RdfFormat.TURTLE))
            kept = [t for t in triples if rng.random() > 0.15]
            out.append((source.stem, ox.serialize(kept, format=ox.RdfFormat.TURTLE).decode()))
            continue
        out.append((f"edit-{i}-{kind}", PREFIXES + text))
    return out


def run_edits(baseline, tmp_path, n: int, seed: int, run=None, data=None, sources=None) -> int:
    shipped_results, loaded = baseline
    compared = 0
    for name, text in _edits(loaded.store, n, seed, sources):
        path = tmp_path / f"{name}.ttl"
        path.write_text(text, encoding="utf-8")
        compared += check(path, shipped_results, run, data)
        path.unlink()
    assert compared >= n
    return compared


def test_generated_edits_incremental_equal_full(baseline, tmp_path):
    run_edits(baseline, tmp_path, GENERATED, seed=12)


@pytest.mark.slow
def test_more_generated_edits_incremental_equal_full(baseline, tmp_path):
    """60 more edits (about two minutes): run by .ci/run's slow step."""
    run_edits(baseline, tmp_path, 60, seed=2026)
