"""`wpsgraph validate FILE --db BUILD`: against a built graph, the same results a full validation of that graph
plus FILE gives, for every resource FILE can affect (the property of tests/test_incremental_validation.py, with
the build read from its folder instead of the shipped graph): on the shipped data's build and on a synthetic one."""

from __future__ import annotations

from collections import Counter

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


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A build of 3000 synthetic triples, its files and the same graph loaded and reasoned in memory."""
    folder = tmp_path_factory.mktemp("synthetic")
    data = folder / "synthetic-3000.ttl"
    synth.write(data, 3000, 4)
    out = folder / "build"
    files = resources.reference_files() + [data]
    build(files, out=out)
    return out, files, in_memory(files)


def test_against_a_synthetic_build(synthetic, tmp_path):
    out, files, loaded = synthetic
    results = by_focus(validate(loaded).findings)
    run_edits((results, loaded), tmp_path, 8, seed=8, run=against(out), data=files, sources=[])


def _results(results) -> Counter:
    return Counter((str(r.focus), str(r.path), str(r.value), r.component, str(r.shape.node), tuple(r.messages))
                   for r in results)


@pytest.mark.parametrize("members_at, many_values, builds_lists", [(1, 0, False), (10**9, 10**9, False),
                                                                   (10**9, 0, True)],
                         ids=["lists-and-a-query-per-node", "lookups-and-queries-of-node-sets",
                              "the-builds-own-lists"])
def test_the_view_answers_as_the_build_with_the_overlay(synthetic, tmp_path, monkeypatch, members_at, many_values,
                                                        builds_lists):
    """The small view copied from the build (what each shape reads around the focus nodes: class memberships
    asked one query per set of nodes or read from the class's list of instances, properties asked of every node
    or only of the property's listed subjects, index lookups, a query per node or per property over a VALUES block
    of nodes; lists kept in the cache folder, or those the build wrote into its folder) gives the focus nodes the results the whole graph with the
    same new statements gives, for random focus sets (and again, the lists then read back from the cache folder)."""
    from wpsgraph.validation import prepared
    from wpsgraph.validation.against import Build, _Copier
    from wpsgraph.validation.engines import compiled_shapes

    monkeypatch.setattr(_Copier, "MEMBERS_AT", members_at)
    monkeypatch.setattr(_Copier, "MANY_VALUES", many_values)
    monkeypatch.setattr(_Copier, "BATCH", 1)  # the queries each go to the threads from two on
    monkeypatch.setattr(_Copier, "VALUES_AT", 2)  # a property asked of two nodes is read over a VALUES block
    read = []
    if builds_lists:
        real = prepared.open_list
        monkeypatch.setattr(prepared, "open_list", lambda *a: read.append(a) or real(*a))
    else:
        monkeypatch.setattr(prepared, "lists_folder", lambda _folder: None)
    build_ = Build(synthetic[0])
    compared, failing = _compare_views(synthetic, build_, compiled_shapes([resources.DATA_SHAPES], build_.names),
                                       tmp_path, members_at)
    assert compared > 900 and failing > 40  # the edits break shapes: results are compared, not only absences
    if members_at == 1:
        assert list(tmp_path.glob("members-*.txt")) and list(tmp_path.glob("subjects-*.txt"))
    if builds_lists:  # every list asked for came from the build's folder: none was read from the store and kept
        assert {args[1] for args in read} == {"members", "subjects"}
        assert not list(tmp_path.glob("members-*.txt")) and not list(tmp_path.glob("subjects-*.txt"))


def _compare_views(synthetic, build_, compiled, cache, seed) -> tuple[int, int]:
    """Random edits and focus sets: the view's results equal the whole graph's; (focus nodes, results) compared."""
    import random

    import pyoxigraph as ox

    from wpsgraph.validation.against import view_of
    from wpsgraph.validation.shacl import Data, Engine

    _, _, loaded = synthetic
    names = build_.names
    ontology = list(build_.quads(None, None, None, names.ontology_graph))
    rng = random.Random(seed)
    nodes = sorted({q.subject for q in loaded.store if isinstance(q.subject, ox.NamedNode)}, key=str)
    links = sorted({q.predicate for q in loaded.store if isinstance(q.object, ox.NamedNode)}, key=str)
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    classes = sorted({q.object for q in loaded.store.quads_for_pattern(None, rdf_type, None, None)}, key=str)
    graph = ox.NamedNode("https://w3id.org/wpsgraph/graph/source/contribution")
    compared = failing = 0
    for size in (5, 60, 400, 5, 60, 400):
        new = [ox.Quad(rng.choice(nodes), rng.choice(links), rng.choice(nodes), graph) for _ in range(size)]
        new += [ox.Quad(rng.choice(nodes), rdf_type, rng.choice(classes), graph) for _ in range(size // 5)]
        overlay = ox.Store()
        overlay.extend(new)
        whole = ox.Store()
        whole.extend(loaded.store)
        whole.extend(new)
        focus = set(rng.sample(nodes, size)) | {q.subject for q in new}
        view = view_of(build_, compiled, focus, overlay, ontology, cache)
        ours = _results(Engine(compiled, Data(view)).validate(focus))
        theirs = _results(Engine(compiled, Data(whole)).validate(focus))
        assert ours == theirs, (size, set(ours.items()) ^ set(theirs.items()))
        assert len(view) < len(whole) / 2 or size == 400
        compared += len(focus)
        failing += len(theirs)
    return compared, failing


@pytest.mark.parametrize("members_at, many_values", [(1, 0), (10**9, 10**9)],
                         ids=["lists-and-a-query-per-node", "lookups-and-queries-of-node-sets"])
def test_the_view_follows_inverse_paths_as_the_build(synthetic, tmp_path, monkeypatch, members_at, many_values):
    """The same with shapes that read backwards (an inverse path, a target of the objects of a property) or reach
    themselves (walked along their reach, not read as a tree), which the data shapes do not."""
    from wpsgraph.validation import prepared
    from wpsgraph.validation.against import Build, _Copier
    from wpsgraph.validation.shacl import Compiled, ShapesGraph

    monkeypatch.setattr(prepared, "lists_folder", lambda _folder: None)  # lists read from the store, as asked
    monkeypatch.setattr(_Copier, "MEMBERS_AT", members_at)
    monkeypatch.setattr(_Copier, "MANY_VALUES", many_values)
    monkeypatch.setattr(_Copier, "VALUES_AT", 2)
    import pyoxigraph as ox

    shapes = ox.parse(b"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix wps: <https://w3id.org/wpsgraph/ontology#> .
@prefix ex: <https://example.org/> .
ex:Parents a sh:NodeShape ; sh:targetClass wps:Organisation ;
    sh:property [ sh:path [ sh:inversePath wps:subOrganisationOf ] ; sh:maxCount 1 ;
                  sh:not [ sh:class wps:Event ] ; sh:class wps:Organisation ] .
ex:Chain a sh:NodeShape ; sh:targetClass wps:Organisation ;
    sh:property [ sh:path wps:subOrganisationOf ; sh:node ex:Chain ; sh:maxCount 1 ] ;
    sh:property [ sh:path wps:country ; sh:class wps:Country ] .
ex:Participated a sh:NodeShape ; sh:targetObjectsOf wps:participatesIn ; sh:class wps:Event ;
    sh:property [ sh:path ( [ sh:inversePath wps:participatesIn ] wps:country ) ; sh:maxCount 3 ;
                  sh:class wps:Country ] .
""", format=ox.RdfFormat.TURTLE)
    from wpsgraph.validation.shacl import reach

    build_ = Build(synthetic[0])
    compiled = Compiled(ShapesGraph(list(shapes)))
    assert [reach.reads(s) is None for s in compiled.roots].count(True) == 1  # ex:Chain is walked
    compared, failing = _compare_views(synthetic, build_, compiled, tmp_path, members_at + 1)
    assert compared > 900 and failing > 40


def test_class_lists_are_kept_per_build(synthetic, tmp_path_factory, monkeypatch):
    """The cache of a class's instances is keyed by the build: another build (even into the same folder) has
    another key, and an entry that does not name its class is not read."""
    import pyoxigraph as ox

    from wpsgraph.validation import prepared

    from wpsgraph.validation.against import Build, _Copier

    out, files, _ = synthetic
    cache = tmp_path_factory.mktemp("members")
    monkeypatch.setattr(prepared, "lists_folder", lambda _folder: None)  # the build's own lists: test_prepared.py
    build_ = Build(out)
    event = ox.NamedNode("https://w3id.org/wpsgraph/ontology#Event")
    copier = _Copier(build_.store, ox.Store(), build_, cache)
    events = copier._members(event, 10**9).whole()
    assert events and all(t.startswith("<") for t in events)
    entry = next(cache.glob(f"members-{build_.key()}-*.txt"))
    again = _Copier(build_.store, ox.Store(), build_, cache)
    assert again._members(event, 0).whole() == events  # from the cache folder, however few nodes are asked about
    entry.write_text("<https://example.org/another-class>\n<https://example.org/x>", encoding="utf-8")
    assert _Copier(build_.store, ox.Store(), build_, cache)._members(event, 0) is None  # not trusted, not read
    capped = _Copier(build_.store, ox.Store(), build_, cache)
    capped.LISTED = 0  # type: ignore[misc]
    place = ox.NamedNode("https://w3id.org/wpsgraph/ontology#Place")
    assert capped._members(place, 10**9) is None  # more than it keeps: each node is asked instead
    assert _Copier(build_.store, ox.Store(), build_, cache)._members(place, 10**9) is None  # and so noted
    other = tmp_path_factory.mktemp("rebuilt") / "build"
    build(files, out=other)
    assert Build(other).key() != build_.key()


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


def test_shapes_are_checked_against_shacl_for_shacl_once_per_content(tmp_path, monkeypatch):
    """With a cache folder, shapes that passed SHACL for SHACL are not checked again (the compiled shapes give the
    same results), and an edit to them is checked again: an ill-formed edit is refused whatever the cache holds."""
    from wpsgraph.validation import engines
    from wpsgraph.validation.shacl import meta, reach

    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setattr(reach, "CACHE_DIR", [cache])
    monkeypatch.setattr(engines, "_shapes_cache", {})
    checked = []
    real = meta.check
    monkeypatch.setattr(meta, "check", lambda graph: checked.append(1) or real(graph))
    shapes = tmp_path / "shapes.ttl"
    shapes.write_bytes(resources.DATA_SHAPES.read_bytes())
    loaded = in_memory()
    first = engines.findings_of(engines.fast.Engine(engines.compiled_shapes([shapes]),
                                                    engines.fast.Data(loaded.store)).validate())
    assert len(checked) == 1 and list(cache.glob("shapes-checked-*"))
    monkeypatch.setattr(engines, "_shapes_cache", {})
    second = engines.findings_of(engines.fast.Engine(engines.compiled_shapes([shapes]),
                                                     engines.fast.Data(loaded.store)).validate())
    assert len(checked) == 1  # not checked again
    assert sorted(map(str, first)) == sorted(map(str, second)) and first

    shapes.write_bytes(resources.DATA_SHAPES.read_bytes() + b"""
<https://example.org/BadShape> a <http://www.w3.org/ns/shacl#NodeShape> ;
    <http://www.w3.org/ns/shacl#targetClass> <https://example.org/C> ;
    <http://www.w3.org/ns/shacl#minCount> "many" .
""")
    monkeypatch.setattr(engines, "_shapes_cache", {})
    with pytest.raises(Exception, match="SHACL for SHACL"):
        engines.compiled_shapes([shapes])
    assert len(checked) == 2


def test_a_first_run_takes_the_builds_compiled_rules(shipped_build, monkeypatch):
    """With no cache at all (a contributor's first run against a downloaded build), the ontology is not closed
    again: the rules the build wrote into incremental.json are taken, and the results are those of rules
    compiled afresh. Rules written for another ontology or another version of the code are not taken."""
    from wpsgraph.pipeline import reason as reason_module

    path = _fixture_files()[0]
    compile_rules = reason_module.compile_rules
    monkeypatch.setattr(reason_module, "_COMPILED", {})
    compiled = command.run([path], db=shipped_build, use_cache=False)

    def refuse(_ontology):
        raise AssertionError("the ontology was compiled again")

    monkeypatch.setattr(reason_module, "_COMPILED", {})
    monkeypatch.setattr(reason_module, "compile_rules", refuse)
    taken = command.run([path], db=shipped_build, use_cache=False)
    assert by_focus(taken.findings) == by_focus(compiled.findings) and taken.findings

    monkeypatch.setattr(reason_module, "_COMPILED", {})
    monkeypatch.setattr(reason_module, "_tree_key", lambda _quads: "tree-another-version")
    with pytest.raises(AssertionError, match="compiled again"):
        command.run([path], db=shipped_build, use_cache=False)
    monkeypatch.setattr(reason_module, "compile_rules", compile_rules)
