"""Issue 13, reproducible builds: the same inputs give the same bytes (dataset.trig, inferred.ttl and the reports),
whatever Python's hash seed and Oxigraph's random blank-node labels."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from wpsgraph.pipeline.stable import stable_quads

from servers import WPSGRAPH

OUTPUTS = ("dataset.trig", "inferred.ttl", "validation.ttl", "validation.json")


def test_two_builds_are_byte_identical(tmp_path):
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(WPSGRAPH + ["build", "--out", str(tmp_path / seed), "--quiet"], env=env, check=True,
                       timeout=300)
    for name in OUTPUTS:
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name
    assert b"_:" in (tmp_path / "1" / "dataset.trig").read_bytes()  # blank nodes are there, labelled stably


def test_stable_quads_keep_the_graph():
    text = b"<http://e/s> <http://e/p> [ <http://e/q> [ <http://e/r> \"x\" ] ], [ <http://e/q> \"y\" ] ."
    first = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(text, format=ox.RdfFormat.TURTLE))
    second = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(text, format=ox.RdfFormat.TURTLE))
    a, b = stable_quads(first), stable_quads(second)
    assert [str(q) for q in a] == [str(q) for q in b]
    assert {str(q) for q in first} != {str(q) for q in second}  # the parser's labels differ run to run
    canonical = ox.Dataset(first)
    canonical.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    assert sorted(map(str, canonical)) == sorted(map(str, a))  # the same graph, only relabelled


def test_inferred_graph_written_sorted_and_identical_whatever_the_hash_seed(tmp_path):
    """The compiled reasoner's entailments are dumped from the store as they are (no blank node to relabel): the
    order they were loaded in must make that dump sorted, hence the same bytes under any hash seed."""
    data = tmp_path / "synthetic.ttl"
    subprocess.run(WPSGRAPH + ["synth", "--triples", "3000", "--seed", "4", "--out", str(data)], check=True,
                   timeout=120)
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(WPSGRAPH + ["build", "--data", str(data), "--out", str(tmp_path / seed), "--quiet"],
                       env=env, check=True, timeout=300)
    first = (tmp_path / "1" / "inferred.ttl").read_bytes()
    assert first == (tmp_path / "2" / "inferred.ttl").read_bytes()
    assert json.loads((tmp_path / "1" / "manifest.json").read_text())["reasoner"] == "compiled"
    assert b"_:" not in first
    lines = [str(t) for t in ox.parse(first, format=ox.RdfFormat.TURTLE)]
    assert len(lines) > 1000
    assert lines == sorted(lines)


@pytest.mark.slow  # two whole publications, about 45 s: CI's slow step
def test_two_publications_are_byte_identical(tmp_path):
    """The published site (pages, pictures, per-resource RDF, dumps, the dataset description) is the same bytes
    for the same data, whatever the hash seed: a publisher's deploy then changes only what the data changed."""
    out = tmp_path / "site"
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(WPSGRAPH + ["publish", "--out", str(out), "--quiet"], env=env, check=True, timeout=300)
        if seed == "1":
            out.rename(tmp_path / "first")  # the same --out both times: the nginx file names its folder

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    first, second = files(tmp_path / "first"), files(out)
    assert sorted(first) == sorted(second)
    assert any(name.endswith(".svg") for name in first) and b"_:" in first["dumps/wpsgraph.nq"]
    assert [name for name in first if first[name] != second[name]] == []
