"""`wpsgraph validate FILE --db BUILD`: against a built graph, the same results a full validation of that graph
plus FILE gives, for every resource FILE can affect (the property of tests/test_incremental_validation.py, with
the build read from its folder instead of the shipped graph): on the shipped data's build and on a synthetic one."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from wpsgraph import resources
from wpsgraph.cli import main
from wpsgraph.pipeline import synth
from wpsgraph.pipeline.build import build, in_memory
from wpsgraph.validation import command
from wpsgraph.validation.engines import validate

from conftest import FIXTURES
from test_incremental_validation import _fixture_files, by_focus, check, run_edits


@pytest.fixture(scope="module")
def shipped_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("db") / "build"
    build(out=out)
    return out


@pytest.fixture(scope="module")
def baseline():
    loaded = in_memory()
    return by_focus(validate(loaded).findings), loaded


def against(db):
    return lambda path: command.run([path], db=db)


# every tenth fixture, for time (tests/test_incremental_validation.py takes all of them against the shipped graph)
@pytest.mark.parametrize("path", _fixture_files()[::10], ids=lambda p: p.name)
def test_fixture_against_build_equals_full(path, shipped_build, baseline):
    check(path, baseline[0], against(shipped_build))


def test_generated_edits_against_build_equal_full(shipped_build, baseline, tmp_path):
    run_edits(baseline, tmp_path, 8, seed=5, run=against(shipped_build))


def test_against_a_synthetic_build(tmp_path_factory, tmp_path):
    folder = tmp_path_factory.mktemp("synthetic")
    data = folder / "synthetic-3000.ttl"
    synth.write(data, 3000, 4)
    out = folder / "build"
    files = resources.reference_files() + [data]
    build(files, out=out)
    loaded = in_memory(files)
    results = by_focus(validate(loaded).findings)
    run_edits((results, loaded), tmp_path, 8, seed=8, run=against(out), data=files, sources=[])


def test_cli_names_the_build_and_refuses_a_folder_that_is_not_one(tmp_path, shipped_build):
    fixture = FIXTURES / "invalid" / "held-in-not-a-place.ttl"
    result = CliRunner().invoke(main, ["validate", str(fixture), "--db", str(shipped_build)])
    assert result.exit_code == 1 and "wps:heldIn must point to a place" in result.output
    result = CliRunner().invoke(main, ["validate", str(fixture), "--db", str(tmp_path)])
    assert result.exit_code == 2 and "not a wpsgraph build folder" in result.output
    assert "Traceback" not in result.output


def test_entailments_of_a_file_equal_a_full_rebuild(shipped_build, baseline, tmp_path):
    """What follows from the file, worked out on the build's statements it joins with, is what a full rebuild
    infers beyond the build (relinks that feed transitive properties and property chains)."""
    import random

    import pyoxigraph as ox

    from wpsgraph.pipeline.load import graph_for, parse_file
    from wpsgraph.validation.against import Build, entailments

    build_ = Build(shipped_build)
    store = baseline[1].store
    before = {(q.subject, q.predicate, q.object) for q in store}
    wps = "https://w3id.org/wpsgraph/ontology#"
    links = ["subOrganisationOf", "memberOf", "holdsPost", "postIn", "country", "hostedBy", "partOfEvent",
             "nationality", "heldIn"]
    typed = sorted({str(q.subject) for q in store.quads_for_pattern(None, ox.NamedNode(
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None, None)
        if q.object.value.startswith(wps) and isinstance(q.subject, ox.NamedNode)})
    rng = random.Random(3)
    checked = 0
    for i in range(12):
        path = tmp_path / f"link-{i}.ttl"
        path.write_text(f"{rng.choice(typed)} <{wps}{rng.choice(links)}> {rng.choice(typed)} .\n", encoding="utf-8")
        quads = parse_file(path, graph_for(path, build_.names), build_.names)
        ours = {(q.subject, q.predicate, q.object) for q in entailments(build_, quads, None)}
        full = in_memory(resources.reference_files() + resources.source_files() + [path])
        theirs = {(q.subject, q.predicate, q.object) for q in full.store.quads_for_pattern(
            None, None, None, full.names.inferred_graph)} - before
        assert ours == theirs, path.read_text()
        checked += bool(theirs)
    assert checked >= 6  # most of the links entail something new
