"""Installed as a wheel, the package finds its ontology, shapes, data and queries inside itself."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(out), str(ROOT)], check=True, capture_output=True, timeout=300)
    (path,) = out.glob("wpsgraph-*.whl")
    return path


def test_wheel_carries_the_shipped_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("ontology", "shapes", "data", "queries"):
        shipped = {p.relative_to(ROOT).as_posix() for p in (ROOT / folder).rglob("*") if p.is_file()}
        for rel in shipped:
            assert f"wpsgraph/_shipped/{rel}" in names, rel
    assert not any(n.startswith("tests/") for n in names)
    # the query page and the editor it ships with (no network needed at run time)
    static = ROOT / "wpsgraph" / "endpoints" / "workbench" / "static"
    for path in static.rglob("*"):
        if path.is_file():
            assert path.relative_to(ROOT).as_posix() in names, path


def test_unpacked_wheel_runs_from_its_own_files(wheel, tmp_path):
    zipfile.ZipFile(wheel).extractall(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    code = ("from wpsgraph import resources, query; from wpsgraph.pipeline.build import in_memory; "
            "assert resources.ROOT.name == '_shipped', resources.ROOT; "
            "loaded = in_memory(); r = query.run(query.find('events-of-actor'), loaded.store); "
            "print(resources.ROOT, len(r.rows))")
    proc = subprocess.run([sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    root, rows = proc.stdout.split()
    assert Path(root).is_relative_to(tmp_path) and int(rows) > 0
