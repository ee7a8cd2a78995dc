"""`wpsgraph validate FILE --db BUILD` with a FILE that replaces one of the build's sources (a contributor's edit):
checked as an update of a scratch copy of the build's store (``pipeline/incremental/trial.py``), with the results a
full validation of the build's files with FILE in place of the source gives, for every resource whose results the
edit changes and every resource FILE mentions; the build itself left as it was."""

from __future__ import annotations

import re

import pytest

from wpsgraph import resources
from wpsgraph.pipeline import synth
from wpsgraph.pipeline.build import build, in_memory
from wpsgraph.validation import command
from wpsgraph.validation.engines import validate

from test_incremental_validation import by_focus, check


@pytest.fixture(scope="module")
def two_sources(tmp_path_factory):
    """A build of the reference data and two synthetic sources, and its own results per focus node."""
    folder = tmp_path_factory.mktemp("replacing")
    sources = [folder / "first-source.ttl", folder / "second-source.ttl"]
    synth.write(sources[0], 1500, 7)
    synth.write(sources[1], 1500, 8)
    files = resources.reference_files() + sources
    out = folder / "build"
    build(files, out=out)
    return out, files, by_focus(validate(in_memory(files)).findings)


def _retype(text: str) -> str:
    """An organisation typed as an event as well: its clash is reported where it is used."""
    return re.sub(r"(\norganisation:\S+\n    a )(wps:\w+)", r"\1wps:Event, \2", text, count=1)


def _unlabel(text: str) -> str:
    """A resource's label taken away: statements removed, not only added."""
    return re.sub(r'\n    rdfs:label "[^"\n]*"@en ;', "", text, count=1)


def _relink(text: str) -> str:
    """The first wps:subOrganisationOf pointed at another organisation the file names (a transitive chain moves)."""
    orgs = list(dict.fromkeys(re.findall(r"^(organisation:[A-Za-z0-9_-]+)\n", text, re.M)))
    m = re.search(r"wps:subOrganisationOf (organisation:[A-Za-z0-9_-]+)", text)
    assert m and len(orgs) > 1
    other = next(o for o in orgs if o != m.group(1))
    return text[:m.start(1)] + other + text[m.end(1):]


def _bad_date(text: str) -> str:
    """A date that is not one: a literal finding in the file."""
    return re.sub(r'(wps:startDate )"[^"]*"\^\^xsd:date', r'\1"sometime"^^xsd:date', text, count=1)


@pytest.mark.parametrize("edit", [_retype, _unlabel, _relink, _bad_date, lambda text: text],
                         ids=["retype", "unlabel", "relink", "bad-date", "unchanged"])
def test_an_edited_source_against_the_build_equals_a_full_validation(two_sources, tmp_path, edit):
    out, files, results = two_sources
    before = {p.relative_to(out): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    siblings = [p.name for p in out.parent.iterdir()]
    original = files[-1]
    text = original.read_text(encoding="utf-8")
    edited = edit(text)
    assert edit.__name__ == "<lambda>" or edited != text  # the edit applies to this data
    path = tmp_path / original.name  # the same name: the same graph as the build's source
    path.write_text(edited, encoding="utf-8")
    notes: list = []

    def against(p):
        report = command.run([p], db=out)
        notes.extend(report.notes)
        return report

    assert check(path, results, against, files) > 0
    assert any("scratch copy" in n for n in notes), notes
    after = {p.relative_to(out): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert after == before  # the build is only read
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(siblings)  # no scratch copy left beside it


def test_a_scratch_copy_a_killed_check_left_is_removed_by_the_next(two_sources, tmp_path):
    out, files, _ = two_sources
    left = out.parent / f".{out.name}.partial-{2 ** 22 + 17}"  # a process id no process has
    (left / "store").mkdir(parents=True)
    path = tmp_path / files[-1].name
    path.write_text(files[-1].read_text(encoding="utf-8"), encoding="utf-8")
    report = command.run([path], db=out)
    assert any("scratch copy" in n for n in report.notes)
    assert not left.exists()


def test_no_room_for_the_scratch_copy_falls_back_to_a_full_copy(two_sources, tmp_path, monkeypatch):
    """The checkpoint cannot be written (a full disk, say): the file is still checked, against a full copy of the
    build in memory, the report says so, and nothing is left beside the build."""
    import pyoxigraph as ox

    out, files, _ = two_sources
    siblings = sorted(p.name for p in out.parent.iterdir())

    def no_room(self, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ox.Store, "backup", no_room)
    path = tmp_path / files[-1].name
    path.write_text(_unlabel(files[-1].read_text(encoding="utf-8")), encoding="utf-8")
    report = command.run([path], db=out)
    assert any("full copy" in n for n in report.notes), report.notes
    assert any(f.check == "shacl" for f in report.findings)  # the label taken away is still found
    assert sorted(p.name for p in out.parent.iterdir()) == siblings
