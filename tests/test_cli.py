"""The command line: exit codes, one-line errors naming file and line, outputs of build, a store reused by query."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from wpsgraph import resources
from wpsgraph.cli import main

from conftest import FIXTURES


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_validate_shipped_conforms():
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_validate_json_format():
    result = run("validate", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output)["conforms"] is True


def test_validate_violation_exits_1():
    fixture = next((FIXTURES / "invalid").glob("nap-missing-country*.ttl"))
    result = run("validate", fixture)
    assert result.exit_code == 1
    assert fixture.name in result.output


def test_validate_bad_syntax_exits_2_with_file_and_line(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:3:" in result.output
    assert "Traceback" not in result.output


def test_validate_invalid_utf8_exits_2(tmp_path):
    bad = tmp_path / "latin1.ttl"
    bad.write_bytes(b'@prefix ex: <http://example.org/> .\nex:a ex:b "caf\xe9" .\n')
    result = CliRunner().invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2:" in result.output and "UTF-8" in result.output


def test_validate_missing_file_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nope.ttl")])
    assert result.exit_code == 2 and "no such file" in result.output


def test_unknown_country_code_names_file_and_line(tmp_path):
    bad = tmp_path / "country.ttl"
    bad.write_text("@prefix wps: <https://w3id.org/wpsgraph/ontology#> .\n"
                   "@prefix country: <https://w3id.org/wpsgraph/id/country/> .\n\n"
                   "<https://w3id.org/wpsgraph/id/place/x> wps:inCountry country:XQ .\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:4" in result.output and "XQ" in result.output


def test_queries_lists_titles_and_parameters():
    result = run("queries")
    assert result.exit_code == 0
    assert "events-of-actor" in result.output and "--param actor=<iri>" in result.output


def test_query_unknown_name_exits_2():
    result = CliRunner().invoke(main, ["query", "no-such-question"])
    assert result.exit_code == 2 and "no canned query" in result.output


def test_query_bad_parameter_exits_2():
    result = CliRunner().invoke(main, ["query", "events-of-actor", "--param", "actor=not an iri"])
    assert result.exit_code == 2 and "actor" in result.output


def test_query_formats():
    for fmt in ("table", "csv", "tsv", "json"):
        result = run("query", "events-of-actor", "--format", fmt)
        assert result.exit_code == 0, result.output
    data = json.loads(run("query", "events-of-actor", "--format", "json").output)
    assert data["head"]["vars"] and data["results"]["bindings"]


def test_ad_hoc_query_file(tmp_path):
    rq = tmp_path / "count.rq"
    rq.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://w3id.org/wpsgraph/ontology#Event> }\n")
    result = run("query", rq, "--format", "csv")
    assert result.exit_code == 0 and int(result.output.splitlines()[1]) > 0


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("b") / "build"
    result = run("build", "--out", out, "--quiet")
    assert result.exit_code == 0, result.output
    return out


def test_build_writes_outputs(built):
    for name in ("dataset.trig", "inferred.ttl", "validation.ttl", "validation.json", "manifest.json"):
        assert (built / name).stat().st_size > 0, name
    manifest = json.loads((built / "manifest.json").read_text())
    graphs = manifest["counts"]["graphs"]
    assert sum(1 for g in graphs if "/graph/source/" in g) == len(resources.source_files())
    assert manifest["counts"]["inferred"] > 0


def test_build_trig_has_a_graph_per_source(built):
    import pyoxigraph as ox

    quads = list(ox.parse(path=str(built / "dataset.trig")))
    graphs = {q.graph_name.value for q in quads}
    assert {g for g in graphs if "/graph/source/" in g} == {
        "https://w3id.org/wpsgraph/graph/source/" + p.stem
        for p in (Path(__file__).parents[1] / "data" / "sources").glob("*.ttl")}
    assert not any(q.graph_name.value.endswith("/graph/inferred") for q in quads)


def test_query_db_reuses_store(built):
    from_db = run("query", "events-of-actor", "--db", built, "--format", "csv")
    in_memory = run("query", "events-of-actor", "--format", "csv")
    assert from_db.exit_code == 0 and from_db.output == in_memory.output


def test_query_db_missing_exits_2(tmp_path):
    result = CliRunner().invoke(main, ["query", "events-of-actor", "--db", str(tmp_path / "none")])
    assert result.exit_code == 2 and "wpsgraph build" in result.output


def test_failed_build_leaves_previous_output(built, tmp_path):
    out = tmp_path / "b2"
    shutil.copytree(built, out)
    before = (out / "manifest.json").read_text()
    bad = tmp_path / "bad.ttl"
    bad.write_text("not turtle at all", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--data", str(bad), "--out", str(out), "--quiet"])
    assert result.exit_code == 2
    assert (out / "manifest.json").read_text() == before
    assert not list(tmp_path.glob(".b2.partial-*"))


def test_installed_console_script():
    exe = Path(sys.executable).with_name("wpsgraph")
    proc = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "wpsgraph" in proc.stdout
