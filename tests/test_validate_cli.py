"""`wpsgraph validate` for contributors' CI: report formats, --fail-on, broken input refused per file with exit 2,
the shipped graph reused from the cache when one file is validated."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from wpsgraph import resources
from wpsgraph.cli import main

from conftest import FIXTURES

FIXTURE = FIXTURES / "invalid" / "held-in-not-a-place.ttl"
WARNING_FIXTURE = FIXTURES / "invalid" / "date-month-day-end-before-start.ttl"


@pytest.fixture(autouse=True)
def _cache(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("WPSGRAPH_CACHE", str(tmp_path_factory.getbasetemp() / "wpsgraph-cache"))


SEED_STEMS = {"jtfcs-wps-design-workshop-2024", "usnorthcom-wps-training-mexico-2021", "osf-wps-nap-academy"}


def run(*args):
    return CliRunner().invoke(main, ["validate", *map(str, args)])


def test_text_names_file_line_property_value():
    result = run(FIXTURE)
    assert result.exit_code == 1
    assert str(FIXTURE.relative_to(os.getcwd())) in result.output if FIXTURE.is_relative_to(os.getcwd()) else True
    assert "39:16  violation: wps:heldIn must point to a place" in result.output
    assert "property wps:heldIn, value organisation:fixture-ministry" in result.output


def test_only_warnings_still_conforms():
    result = run(WARNING_FIXTURE)
    assert result.exit_code == 0 and "OK: conforms" in result.output
    assert run(WARNING_FIXTURE, "--fail-on", "warning").exit_code == 1


def test_sarif():
    result = run(FIXTURE, "--format", "sarif")
    doc = json.loads(result.output)
    assert doc["version"] == "2.1.0" and result.exit_code == 1
    # the fixture's own result; the shipped event it links to keeps its own (a warning) in its own file
    (res,) = [r for r in doc["runs"][0]["results"]
              if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("held-in-not-a-place.ttl")]
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"].endswith("held-in-not-a-place.ttl")
    assert loc["region"]["startLine"] == 39 and res["level"] == "error" and res["ruleId"] == "Event-heldIn"


def test_sarif_every_result_located_on_shipped():
    doc = json.loads(run("--format", "sarif").output)
    for res in doc["runs"][0]["results"]:
        assert res["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
        assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]


def test_junit_one_failure_per_result():
    result = run(FIXTURE, "--format", "junit")
    root = ET.fromstring(result.output)
    failures = root.findall(".//failure")
    results = json.loads(run(FIXTURE, "--format", "json").output)["results"]
    assert len(failures) == len(results) and root.get("failures") == str(len(results))
    (own,) = [f for f in failures if "held-in-not-a-place.ttl" in f.text]
    assert "39" in own.text


def test_github_annotations():
    out = run(FIXTURE, "--format", "github").output.splitlines()
    (error,) = [line for line in out if "held-in-not-a-place.ttl" in line]
    assert error.startswith("::error file=") and ",line=39," in error
    assert "::" in error[2:]
    warn = run(WARNING_FIXTURE, "--format", "github").output
    assert warn.startswith("::warning file=")


def test_json_results_have_file_and_line():
    data = json.loads(run(FIXTURE, "--format", "json").output)
    (r,) = [r for r in data["results"] if r["file"].endswith("held-in-not-a-place.ttl")]
    assert r["line"] == 39 and r["column"] == 16 and r["file"].endswith("held-in-not-a-place.ttl")


def test_pyshacl_engine_gives_the_same(monkeypatch):
    # The CLI path of --engine pyshacl, against the seed sources only: pySHACL takes minutes on the whole shipped
    # graph, which tests/test_shacl_engine.py::test_same_results_on_shipped_data already compares engine to engine.
    seeds = [p for p in resources.source_files() if p.stem in SEED_STEMS]
    assert len(seeds) == 3
    monkeypatch.setattr(resources, "source_files", lambda: seeds)
    fast = json.loads(run(FIXTURE, "--format", "json", "--no-cache").output)["results"]
    ref = json.loads(run(FIXTURE, "--format", "json", "--no-cache", "--engine", "pyshacl").output)["results"]
    assert fast
    assert [(r["line"], r["shape"], r["value"]) for r in fast] == [(r["line"], r["shape"], r["value"]) for r in ref]


def test_inferred_statement_points_to_the_asserted_one():
    fixture = FIXTURES / "invalid" / "hosted-by-not-an-actor.ttl"
    data = json.loads(run(fixture, "--format", "json").output)
    (r,) = data["results"]
    assert r["path"].endswith("#hasParticipant")   # inferred from wps:hostedBy, a sub-property
    assert r["related"] and r["related"][0].split(":")[-2] == str(r["line"])


BROKEN = {
    "syntax.ttl": (b'@prefix ex: <http://example.org/> .\nex:a ex:b "open .\n', 2),
    "binary.ttl": (b"@prefix ex: <http://example.org/> .\n\x00\x01\x02\xff\xfe", 2),
    "latin1.ttl": (b'@prefix ex: <http://example.org/> .\nex:a ex:b "caf\xe9" .\n', 2),
    "json.ttl": (b'{\n  "@context": {},\n  "name": "not turtle"\n}\n', 1),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_file_refused_others_still_checked(tmp_path, name):
    data, line = BROKEN[name]
    bad = tmp_path / name
    bad.write_bytes(data)
    start = time.perf_counter()
    result = run(bad, FIXTURE)
    assert time.perf_counter() - start < 10
    assert result.exit_code == 2, result.output
    assert f"{bad}:{line}" in result.output
    assert "Traceback" not in result.output
    assert "wps:heldIn must point to a place" in result.output  # the good file is still reported


def test_huge_literal_and_deep_nesting_refused_or_checked_quickly(tmp_path):
    big = tmp_path / "big.ttl"
    big.write_text('@prefix ex: <http://example.org/> .\n\nex:a ex:b "' + "x" * 20_000_000 + '" .\n', encoding="utf-8")
    deep = tmp_path / "deep.ttl"
    deep.write_text("@prefix ex: <http://example.org/> .\nex:a ex:p " + "[ ex:p " * 5000 + "ex:b" + " ]" * 5000
                    + " .\n", encoding="utf-8")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "wpsgraph.cli", "validate", str(big), str(deep), str(FIXTURE)],
                          capture_output=True, text=True, timeout=60)
    assert time.perf_counter() - start < 15
    assert proc.returncode == 2, proc.stderr
    assert f"{big}:3" in proc.stderr + proc.stdout and "too large" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "wps:heldIn must point to a place" in proc.stdout
    # the deep file is well-formed: its undeclared ex: vocabulary is reported, located
    assert "ex:" not in proc.stdout or str(deep) in proc.stdout


def test_one_file_reuses_the_cached_shipped_graph(tmp_path, monkeypatch):
    monkeypatch.setenv("WPSGRAPH_CACHE", str(tmp_path / "cache"))
    assert run().exit_code == 0   # fills the cache
    assert any(p.name.startswith("shipped-") for p in (tmp_path / "cache").iterdir())
    from wpsgraph.validation import command as check

    calls = []
    monkeypatch.setattr(check, "load", lambda *a, **k: calls.append(a) or pytest.fail("reloaded the shipped data"))
    report = check.run([FIXTURE])
    assert not calls and [f.line for f in report.findings if f.severity == "violation"] == [39]
