"""A build writes what `validate FILE --db BUILD` would otherwise work out on a first run (``prepared.py``): the
lists are those the on-disk store gives, a cold run reads them and the memos instead of the store and rdflib, its
results are those of a run without them, and lists count only beside the manifest they were written with."""

from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
import pytest

from wpsgraph import resources
from wpsgraph.pipeline import synth
from wpsgraph.pipeline.build import build, open_store
from wpsgraph.validation import command, prepared
from wpsgraph.validation.engines import compiled_shapes
from wpsgraph.validation.locate import LARGE
from wpsgraph.validation.shacl import reach

from test_incremental_validation import by_focus


@pytest.fixture(scope="module")
def large_build(tmp_path_factory):
    """A build of a synthetic file larger than ``locate.LARGE`` (its line starts are prepared), and a contribution
    that refers to its resources."""
    folder = tmp_path_factory.mktemp("prepared")
    data = folder / "synthetic.ttl"
    synth.write(data, 30_000, 2)
    assert data.stat().st_size > LARGE
    out = folder / "build"
    build(resources.reference_files() + [data], out=out)
    contribution = folder / "contribution.ttl"
    synth.write(contribution, 300, 1002)
    return out, data, contribution


def test_the_lists_are_those_the_store_on_disk_gives(large_build):
    out, _, _ = large_build
    folder = prepared.lists_folder(out)
    assert folder == out / prepared.FOLDER
    names = json.loads((out / "manifest.json").read_text())["base"]
    from wpsgraph.namespaces import Names

    classes, predicates = prepared.asked(compiled_shapes([resources.DATA_SHAPES], Names(names)), reach)
    assert len(classes) > 5 and len(predicates) > 20
    store = open_store(out)
    listed = 0
    for kind, terms, pattern in (("members", classes, "?s a {}"), ("subjects", predicates, "?s {} ?o")):
        for term in terms:
            rows = store.query(f"SELECT DISTINCT ?s WHERE {{ {pattern.format(term)} }}",
                               use_default_graph_as_union=True)
            expected = {str(row[0]) for row in rows}  # type: ignore[union-attr]
            got = prepared.read_list(folder, kind, term)
            assert got == expected, (kind, term)
            listed += bool(expected)
    assert listed > 20
    assert len(list(folder.glob("reach-*.json"))) > 5 and list(folder.glob("shapes-checked-*"))
    assert len(list(folder.glob("starts-*.txt"))) == 1


def test_a_first_run_reads_what_the_build_prepared_and_finds_the_same(large_build, monkeypatch):
    """No cache folder: the run neither parses a SPARQL query, nor checks the shapes against SHACL for SHACL, nor
    scans the large file for line starts, nor lists a class from the store; and it reports what a run without the
    prepared folder reports, findings located in the large file included."""
    from wpsgraph.pipeline import reason as reason_module
    from wpsgraph.validation import against, engines, locate
    from wpsgraph.validation.shacl import meta

    out, data, contribution = large_build

    def cold():
        monkeypatch.setattr(engines, "_shapes_cache", {})
        monkeypatch.setattr(reach, "_SPARQL", {})
        monkeypatch.setattr(locate._Starts, "_open", {})
        monkeypatch.setattr(reason_module, "_COMPILED", {})
        return command.run([contribution], db=out, use_cache=False)

    without = out.parent / "kept-aside"
    shutil.move(out / prepared.FOLDER, without)
    try:
        plain = cold()
    finally:
        shutil.move(without, out / prepared.FOLDER)

    def refuse(what):
        def refused(*_args, **_kwargs):
            raise AssertionError(f"{what} on a first run against a prepared build")
        return refused

    monkeypatch.setattr(reach, "_sparql_reach", refuse("a SPARQL query parsed"))
    monkeypatch.setattr(meta, "check", refuse("the shapes checked against SHACL for SHACL"))
    monkeypatch.setattr(locate._Starts, "_build", refuse("the large file scanned"))
    monkeypatch.setattr(against._Copier, "MEMBERS_AT", 1)  # every list is asked for: none may come from the store
    monkeypatch.setattr(against._Copier, "_entry", refuse("a list read from the store"))
    fast = cold()
    assert fast.findings and by_focus(fast.findings) == by_focus(plain.findings)

    def places(report):
        return sorted((str(f.focus_node), str(f.location), sorted(map(str, f.related))) for f in report.findings)

    assert places(fast) == places(plain)
    assert any(str(data.name) in str(loc) for f in fast.findings for loc in [f.location, *f.related])


def test_lists_count_only_beside_their_manifest(large_build, tmp_path):
    """A manifest that changed (a hand edit, a copy from another build) leaves the lists unread."""
    out, _, _ = large_build
    copy = tmp_path / "build"
    shutil.copytree(out, copy)
    assert prepared.lists_folder(copy) is not None
    manifest = copy / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"counts"', '"counts" ', 1))
    assert prepared.lists_folder(copy) is None


@pytest.mark.parametrize("rewrite_after", [20_000, 0], ids=["changes-beside-the-lists", "lists-written-again"])
def test_an_update_keeps_the_lists_a_full_build_would_write(large_build, tmp_path, monkeypatch, rewrite_after):
    """Two updates in a row (an added file, then an edit that retypes and repoints) leave lists, read with their
    changes, equal to those of a full build of the same files; the memos are carried."""
    monkeypatch.setattr(prepared, "_REWRITE_AFTER", rewrite_after)
    out, data, _ = large_build
    updated = tmp_path / "updated"
    shutil.copytree(out, updated, symlinks=True)
    added = tmp_path / "added.ttl"
    synth.write(added, 300, 77)
    files = resources.reference_files() + [data, added]
    for step in ("add", "edit"):
        if step == "edit":
            text = added.read_text(encoding="utf-8")
            assert "a wps:OrganisationalUnit ;" in text and "wps:subOrganisationOf" in text
            edited = text.replace("a wps:OrganisationalUnit ;", "a wps:MilitaryService ;", 1)
            added.write_text(edited.replace("wps:subOrganisationOf", "wps:hostedBy", 1), encoding="utf-8")
        result = build(files, out=updated)
        assert "prepare" in result.timings, step  # an update, not a full build
        full = tmp_path / f"full-{step}"
        build(files, out=full, incremental=False)
        kept, expected = prepared.lists_folder(updated), prepared.lists_folder(full)
        assert kept is not None and expected is not None
        assert prepared.lists(kept) == prepared.lists(expected), step
        assert {p.name for p in kept.iterdir() if p.name.startswith(prepared._MEMOS)} == \
            {p.name for p in (out / prepared.FOLDER).iterdir() if p.name.startswith(prepared._MEMOS)}
        changes = list(kept.glob("*.changes"))
        assert bool(changes) == (rewrite_after > 0), step
    before = prepared.lists(out / prepared.FOLDER)
    assert before != prepared.lists(kept)  # the updates changed some lists: the comparison above tells
    assert prepared.lists(prepared.lists_folder(out)) == before  # and not the build they were made from


def test_a_changes_file_naming_another_term_or_garbled_leaves_the_list_unread(tmp_path):
    term = ox.NamedNode("https://w3id.org/wpsgraph/ontology#Event")
    path = tmp_path / prepared.list_name("members", term)
    path.write_text(f"{term}\n2\n<https://e.org/x>\n<https://e.org/y>")
    changes = path.with_suffix(".changes")
    changes.write_text(f"{term}\n-<https://e.org/x>\n+<https://e.org/z>")
    assert prepared.read_list(tmp_path, "members", term) == {"<https://e.org/y>", "<https://e.org/z>"}
    changes.write_text("<https://e.org/other>\n+<https://e.org/z>")
    assert prepared.read_list(tmp_path, "members", term) is prepared.ABSENT
    changes.write_text(f"{term}\n<https://e.org/z>")
    assert prepared.read_list(tmp_path, "members", term) is prepared.ABSENT


def test_a_list_not_naming_its_term_is_not_read(tmp_path):
    term = ox.NamedNode("https://w3id.org/wpsgraph/ontology#Event")
    (tmp_path / prepared.list_name("members", term)).write_text("<https://example.org/other>\n1\n<https://e.org/x>")
    assert prepared.read_list(tmp_path, "members", term) is prepared.ABSENT
    (tmp_path / prepared.list_name("members", term)).write_text(f"{term}\n2\n<https://e.org/x>\n<https://e.org/y>")
    assert prepared.read_list(tmp_path, "members", term) == {"<https://e.org/x>", "<https://e.org/y>"}
    (tmp_path / prepared.list_name("members", term)).write_text(f"{term}\n0")
    assert prepared.read_list(tmp_path, "members", term) == set()
