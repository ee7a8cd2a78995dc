"""Each invalid fixture breaks exactly one rule and is reported with its expected message, located on a line of
the fixture; valid ones conform. Every fixture goes through the whole check `wpsgraph validate FILE` runs
(syntax, vocabulary, SHACL against the cached shipped graph).

Adding a file to tests/fixtures/invalid/ adds a test: its first line reads
``# expect: violation|warning: <part of the expected message>``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wpsgraph import resources
from wpsgraph.validation.command import run

from conftest import FIXTURES, ids

INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
VALID = sorted((FIXTURES / "valid").glob("*.ttl"))
EXPECT = re.compile(r"^#\s*expect:\s*(violation|warning|info):\s*(.+?)\s*$")


@pytest.fixture(scope="module", autouse=True)
def _cache(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("WPSGRAPH_CACHE", str(tmp_path_factory.mktemp("cache")))
    yield
    mp.undo()


def check(path: Path):
    return run([path])


def test_enough_fixtures_collected():
    assert len(INVALID) >= 20
    assert VALID


@pytest.mark.parametrize("path", INVALID, ids=ids(INVALID))
def test_invalid_fixture_reports_its_rule(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = EXPECT.match(first)
    assert match, f"first line must read '# expect: <severity>: <message>', got {first!r}"
    severity, message = match.groups()
    findings = check(path).findings
    # A fixture that changes what a shipped resource means (retyping a status used by shipped plans) also gets
    # the results of the shipped resources it affects, in their own files, as a full validation gives them
    # (tests/test_incremental_validation.py holds that to a full validation).
    shipped = str(resources.DATA_DIR)
    assert all(f.file == str(path) or f.file.startswith(shipped) for f in findings), \
        [(f.file, f.message) for f in findings]
    findings = [f for f in findings if f.file == str(path)]
    assert findings, "the fixture is not reported at all"
    wrong = [f for f in findings if f.severity != severity or message not in f.message]
    assert not wrong, f"other rules fail too: {[(f.severity, f.message) for f in wrong]}"
    # located inside the fixture, on a line that is not the header comment, that names the focus resource
    lines = path.read_text(encoding="utf-8").splitlines()
    for f in findings:
        assert f.line and f.line > 1, (f.file, f.line)
        assert not lines[f.line - 1].lstrip().startswith("#"), (f.line, lines[f.line - 1])


@pytest.mark.parametrize("path", VALID, ids=ids(VALID))
def test_valid_fixture_conforms(path):
    report = check(path)
    assert report.conforms
    # shipped resources the fixture links to keep their own warnings (a shipped event without a date), in their files
    shipped = str(resources.DATA_DIR)
    assert [f for f in report.findings if not f.file.startswith(shipped)] == [], \
        [(f.severity, f.message) for f in report.findings]
