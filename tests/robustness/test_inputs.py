"""Issue 13, inputs: only regular files (or - for standard input), a size limit that names the option raising it, a
byte order mark accepted. Each case is bounded in time: before, /dev/zero grew until the kernel killed the run and
a FIFO hung forever."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from wpsgraph import inputs
from wpsgraph.cli import main
from wpsgraph.errors import InputError

from servers import WPSGRAPH

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "valid" / "minimal.ttl"


def wpsgraph(*args, stdin=None, timeout=120):
    return subprocess.run(WPSGRAPH + [str(a) for a in args], input=stdin, capture_output=True, timeout=timeout)


@pytest.mark.parametrize("command", ["validate", "build"])
def test_a_device_is_refused_at_once(command, tmp_path):
    args = ["validate", "/dev/zero"] if command == "validate" else ["build", "--data", "/dev/zero", "--out",
                                                                     tmp_path / "b", "--quiet"]
    result = wpsgraph(*args, timeout=60)
    assert result.returncode == 2
    assert b"/dev/zero" in result.stderr and b"character device" in result.stderr
    assert b"Traceback" not in result.stderr


def test_a_fifo_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "data.ttl"
    os.mkfifo(fifo)
    result = wpsgraph("validate", fifo, timeout=60)  # no writer ever opens it: reading would block forever
    assert result.returncode == 2 and b"pipe (FIFO)" in result.stderr


def test_a_fifo_swapped_in_after_the_check_does_not_block(tmp_path):
    fifo = tmp_path / "late.ttl"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="pipe"):
        inputs.read_bytes(fifo)


def test_size_limit_names_the_option_and_can_be_raised(tmp_path):
    big = tmp_path / "big.ttl"
    big.write_text(MINIMAL.read_text(encoding="utf-8") + "# padding\n" * 120_000, encoding="utf-8")  # ~1.2 MB
    refused = wpsgraph("validate", big, "--max-input-mb", "1", "--no-cache")
    assert refused.returncode == 2
    assert b"big.ttl" in refused.stderr and b"--max-input-mb" in refused.stderr
    assert wpsgraph("validate", big, "--max-input-mb", "2", "--no-cache").returncode == 0
    env = {**os.environ, "WPSGRAPH_MAX_INPUT_MB": "1"}
    from_env = subprocess.run(WPSGRAPH + ["validate", str(big), "--no-cache"], capture_output=True, env=env,
                              timeout=120)
    assert from_env.returncode == 2 and b"WPSGRAPH_MAX_INPUT_MB" in from_env.stderr


def test_a_file_growing_past_the_limit_while_read_is_refused(tmp_path, monkeypatch):
    # /proc files say size 0 and then give data; read_bytes never reads more than the limit allows
    monkeypatch.setattr(inputs, "_limit_mb", 0.001)  # 1 kB
    with pytest.raises(InputError, match="larger than"):
        inputs.read_bytes("/proc/self/maps" if Path("/proc/self/maps").stat().st_size == 0 else MINIMAL)


def test_a_byte_order_mark_is_accepted(tmp_path):
    with_bom = tmp_path / "bom.ttl"
    with_bom.write_bytes(b"\xef\xbb\xbf" + MINIMAL.read_bytes())
    result = CliRunner().invoke(main, ["validate", str(with_bom), "--no-cache", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "\ufeff" not in result.output


def test_standard_input_with_a_dash():
    result = wpsgraph("validate", "-", "--no-cache", stdin=MINIMAL.read_bytes())
    assert result.returncode == 0, result.stderr
    bad = wpsgraph("validate", "-", "--no-cache", stdin=b"<a> <b> .\n")
    assert bad.returncode == 2 and b"stdin.ttl:1" in bad.stderr


def test_a_large_file_says_so_before_it_is_parsed(monkeypatch):
    said = []
    monkeypatch.setattr(inputs, "LARGE_MB", MINIMAL.stat().st_size / inputs.MB / 2)  # MINIMAL counts as large
    monkeypatch.setattr(inputs, "_progress", said.append)
    inputs.read_bytes(MINIMAL)
    assert len(said) == 1 and "minimal.ttl" in said[0] and "take a while" in said[0]


TRIPLE_TERM_HEAD = ("@prefix wps: <https://w3id.org/wpsgraph/ontology#> .\n"
                    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                    "<https://w3id.org/wpsgraph/id/organisation/x> a wps:Organisation ; rdfs:label \"X <<1>>\"@en .\n")


@pytest.mark.parametrize("statement", [
    '<< <https://w3id.org/wpsgraph/id/organisation/x> rdfs:label "X"@en >> rdfs:comment "said" .\n',
    '<https://w3id.org/wpsgraph/id/organisation/x> rdfs:comment <<( <https://w3id.org/wpsgraph/id/organisation/x> '
    'rdfs:label "X"@en )>> .\n',
])
@pytest.mark.parametrize("command", ["validate", "build"])
def test_rdf_1_2_triple_terms_are_refused_naming_file_and_line(command, statement, tmp_path):
    """Publishing them failed late (JSON-LD has no triple terms) without naming the file; they are refused when the
    file is read, at their line (a literal holding "<<" on line 3 is not mistaken for one)."""
    data = tmp_path / "triple-terms.ttl"
    data.write_text(TRIPLE_TERM_HEAD + statement, encoding="utf-8")
    args = ["validate", data] if command == "validate" else ["build", "--data", data, "--out", tmp_path / "b",
                                                             "--quiet"]
    result = wpsgraph(*args)
    assert result.returncode == 2
    assert f"{data}:4".encode() in result.stderr + result.stdout or b"4:1" in result.stdout
    assert b"triple terms" in result.stderr + result.stdout and b"Traceback" not in result.stderr
    assert not (tmp_path / "b").exists()


def test_a_literal_holding_angle_brackets_is_not_a_triple_term(tmp_path):
    data = tmp_path / "brackets.ttl"
    data.write_text(TRIPLE_TERM_HEAD, encoding="utf-8")
    result = wpsgraph("validate", data)
    assert b"triple terms" not in result.stdout + result.stderr


@pytest.mark.parametrize("written", ["country:ZZ", "<https://w3id.org/wpsgraph/id/country/ZZ>"])
def test_an_unknown_country_code_is_refused_naming_file_and_line(written, tmp_path):
    """Countries are described from pycountry: a code it does not know stops the build at the file and line that
    name it, with exit 2 and nothing written."""
    data = tmp_path / "unknown-country.ttl"
    data.write_text("@prefix wps: <https://w3id.org/wpsgraph/ontology#> .\n"
                    "@prefix country: <https://w3id.org/wpsgraph/id/country/> .\n\n"
                    f"<https://w3id.org/wpsgraph/id/organisation/x> wps:country {written} .\n", encoding="utf-8")
    result = wpsgraph("build", "--data", data, "--out", tmp_path / "b", "--quiet")
    assert result.returncode == 2
    assert f"{data}:4".encode() in result.stderr and b"'ZZ'" in result.stderr
    assert b"Traceback" not in result.stderr and not (tmp_path / "b").exists()
