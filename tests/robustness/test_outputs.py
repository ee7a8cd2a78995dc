"""Issue 13, outputs: a folder output is switched in by one atomic step under a lock; readers never see a missing or
half-written one; leftovers of killed runs are removed; SIGTERM cleans up; single files are whole or absent; a
served store that is rebuilt is noticed. Environmental failures are exit 2 with what to do.
"""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from wpsgraph import folders
from wpsgraph.cli import main
from wpsgraph.folders import atomic_write, clean_leftovers, replace_folder, staging_folder

from servers import WPSGRAPH, Serving, built, free_port, sparql_get

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FILES = 40


def _write_version(out: str, tag: str, rounds: int) -> None:
    """A writer process: ``rounds`` times, a complete folder of FILES files all saying ``tag``, switched in."""
    out_path = Path(out)
    for i in range(rounds):
        tmp = staging_folder(out_path)
        for n in range(FILES):
            (tmp / f"f{n}.txt").write_text(f"{tag}-{i}")
        (tmp / "manifest.json").write_text("{}")
        replace_folder(tmp, out_path, lambda f: (f / "manifest.json").exists(), RuntimeError("not ours"))


def test_two_writers_and_a_reader_never_see_a_partial_folder(tmp_path, monkeypatch):
    out = tmp_path / "site"
    _write_version(str(out), "first", 1)
    seen, problems, stop = set(), [], threading.Event()

    def read():
        while not stop.is_set():
            try:
                folder = out.resolve()  # a reader that wants one version resolves the name once
                names = sorted(p.name for p in folder.iterdir())
                contents = {(folder / f"f{n}.txt").read_text() for n in range(FILES)}
            except OSError as e:  # missing folder, vanished file: what the two-rename swap gave readers
                problems.append(repr(e))
                continue
            if len(names) != FILES + 1 or len(contents) != 1:
                problems.append(f"partial: {len(names)} files, {len(contents)} versions")
            seen.update(contents)

    reader = threading.Thread(target=read)
    reader.start()
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_write_version, args=(str(out), tag, 15)) for tag in ("a", "b")]
    for w in writers:
        w.start()
    for w in writers:
        w.join(120)
    stop.set()
    reader.join()
    assert [w.exitcode for w in writers] == [0, 0]
    assert not problems, problems[:5]
    assert len(seen) > 2  # the reader did watch the switches
    assert out.is_symlink()
    # versions replaced long enough ago go at the next switch; the current one and the one before it stay
    monkeypatch.setattr(folders, "GRACE", 0.2)
    time.sleep(0.3)
    _write_version(str(out), "last", 1)
    assert len(folders.versions(out)) == 2 and out.resolve() == folders.versions(out)[-1]
    leftovers = [p.name for p in tmp_path.iterdir() if ".partial-" in p.name or ".link-" in p.name
                 or ".old-" in p.name]
    assert not leftovers


def test_leftovers_of_killed_runs_are_removed(tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()  # a process id that no longer runs
    out = tmp_path / "build"
    for kind in ("partial", "old", "link"):
        (tmp_path / f".build.{kind}-{dead.pid}").mkdir()
        (tmp_path / f".build.{kind}-{dead.pid}" / "big").write_bytes(b"x" * 1000)
    alive = tmp_path / f".build.partial-{os.getppid()}"  # another run still at work: left alone
    alive.mkdir()
    other = tmp_path / f".other.partial-{dead.pid}"  # not this output's
    other.mkdir()
    tmp = staging_folder(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, other.name, tmp.name])
    assert clean_leftovers(out) == []


def test_an_existing_folder_that_is_not_ours_is_refused(tmp_path):
    out = tmp_path / "home"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    result = CliRunner().invoke(main, ["build", "--out", str(out), "--quiet", "--data",
                                       str(FIXTURES / "valid" / "minimal.ttl")])
    assert result.exit_code == 2 and "refusing to replace it" in result.output
    assert (out / "thesis.tex").read_text() == "precious"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".home.")]


@pytest.fixture(scope="module")
def large_data(tmp_path_factory) -> Path:
    """Enough synthetic data for the large build's path (the store written by background threads while the
    build reasons and validates) and for a build long enough to be stopped at a chosen stage."""
    path = tmp_path_factory.mktemp("large") / "synthetic.ttl"
    assert subprocess.run(WPSGRAPH + ["synth", "--triples", "120000", "--out", str(path)], timeout=120,
                          capture_output=True).returncode == 0
    return path


# Progress lines of the large build: SIGTERM while it reasons, while it validates, and while it waits for the
# background writer to finish the on-disk store (the wait that, interrupted, once let the clean-up run early).
STAGES = ["reason: OWL 2 RL", "validate: ", "write: dataset, inferred graph and report written"]


@pytest.mark.parametrize("stage", STAGES)
def test_sigterm_during_a_build_cleans_up_and_keeps_the_old_build(stage, tmp_path, large_data):
    out = tmp_path / "build"
    small = ["--data", str(FIXTURES / "valid" / "minimal.ttl")]
    assert subprocess.run(WPSGRAPH + ["build", "--out", str(out), "--quiet"] + small, timeout=300).returncode == 0
    before = (out / "manifest.json").read_text()
    process = subprocess.Popen(WPSGRAPH + ["build", "--out", str(out), "--full", "--data", str(large_data)],
                               stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    seen = []
    for line in process.stderr:  # the progress lines, until the stage begins
        seen.append(line)
        if line.startswith(stage):
            process.send_signal(signal.SIGTERM)
            break
    errors = "".join(seen) + process.stderr.read()
    process.wait(timeout=60)
    assert any(line.startswith(stage) for line in seen), errors
    assert process.returncode == 130 and "Traceback" not in errors, errors  # Ctrl-C's exit code
    assert not [p.name for p in tmp_path.iterdir() if ".partial-" in p.name]  # the staging folder went with it
    assert (out / "manifest.json").read_text() == before


def test_two_builds_at_once_both_succeed_and_leave_one_whole_build(tmp_path):
    out = tmp_path / "build"
    command = WPSGRAPH + ["build", "--out", str(out), "--quiet", "--data", str(FIXTURES / "valid" / "minimal.ttl")]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [r.communicate(timeout=300) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], results
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["counts"]["asserted"] > 0
    result = CliRunner().invoke(main, ["query", "class-instance-counts", "--db", str(out), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert not [p for p in tmp_path.iterdir() if ".partial-" in p.name or ".link-" in p.name]


def test_serve_notices_a_rebuilt_store(tmp_path):
    out = tmp_path / "build"
    small = WPSGRAPH + ["build", "--out", str(out), "--quiet", "--data", str(FIXTURES / "valid" / "minimal.ttl")]
    assert subprocess.run(small, timeout=300).returncode == 0
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    serving = Serving("--db", out, "--port", free_port(), "--timeout", 10, "--workers", 1)
    try:
        assert serving.url
        first = json.loads(sparql_get(serving.url, count)[2])["results"]["bindings"][0]["n"]["value"]
        assert subprocess.run(WPSGRAPH + ["build", "--out", str(out), "--quiet"], timeout=300).returncode == 0
        expected = json.loads((out / "manifest.json").read_text())["counts"]
        time.sleep(1.1)
        status, _, body = sparql_get(serving.url, count)
        now = json.loads(body)["results"]["bindings"][0]["n"]["value"]
        assert status == 200 and now != first
        assert int(now) == expected["asserted"] + expected["inferred"]
    finally:
        serving.stop()


# -------------------------------------------------------------------------------------------- single files

def test_a_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    target.write_text("previous report")

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(folders.os, "fsync", full)
    with pytest.raises(folders.OutputError, match="disk is full"):
        atomic_write(target, "new report")
    assert target.read_text() == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_validate_report_on_a_full_disk_is_exit_2_and_no_empty_file(tmp_path, monkeypatch):
    report = tmp_path / "report.txt"

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(folders.os, "fsync", full)
    result = CliRunner().invoke(main, ["validate", str(FIXTURES / "valid" / "minimal.ttl"), "-o", str(report),
                                       "--no-cache"])
    assert result.exit_code == 2 and "disk is full" in result.output and "Traceback" not in result.output
    assert not report.exists()


def test_synth_into_a_read_only_place_is_exit_2(tmp_path, monkeypatch):
    real_open = open

    def refuse(path, *args, **kwargs):
        if str(path).startswith(str(tmp_path)):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refuse)
    result = CliRunner().invoke(main, ["synth", "--triples", "100", "--out", str(tmp_path / "s.ttl")])
    assert result.exit_code == 2 and "permission denied" in result.output
    assert "internal error" not in result.output


def test_synth_killed_midway_leaves_no_truncated_file(tmp_path):
    out = tmp_path / "synthetic.ttl"
    process = subprocess.Popen(WPSGRAPH + ["synth", "--triples", "5000000", "--out", str(out)],
                               stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob(".synthetic.ttl.partial-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    assert process.returncode != 0
    assert not out.exists() and not list(tmp_path.iterdir())


# ---------------------------------------------------------------------------------------- exit codes

@pytest.mark.parametrize("damage", ["manifest", "blocks"])
def test_a_damaged_store_is_exit_2(tmp_path, damage):
    import shutil

    out = tmp_path / "build"
    shutil.copytree(built(), out)
    for f in (out / "store").iterdir():
        if damage == "manifest" and f.name.startswith("MANIFEST"):
            f.write_bytes(b"\0" * 100)
        if damage == "blocks" and f.suffix == ".sst":  # opens, then fails checksums while answering
            data = bytearray(f.read_bytes())
            for i in range(0, len(data), 97):
                data[i] ^= 0xFF
            f.write_bytes(bytes(data))
    result = subprocess.run(WPSGRAPH + ["query", "class-instance-counts", "--db", str(out)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "damaged" in result.stderr and "wpsgraph build" in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("base", ["not an iri", "ftp://example.org/", "https://example.org/a>b/",
                                  "https://exa mple.org/"])
def test_an_invalid_base_iri_is_exit_2(base):
    result = CliRunner().invoke(main, ["query", "class-instance-counts", "--base-iri", base])
    assert result.exit_code == 2 and "invalid base IRI" in result.output

