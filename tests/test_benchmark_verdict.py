"""The benchmark's verdict on issue 16's targets (``benchmarks/run.py``): all four judged on one run's figures."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import run  # noqa: E402


def _record(build=36.0, bulk=6.2, peak=2100, add=2.9, edit=0.9, vdb=(1.8, 1.7), after=1.9):
    walls = [build, build + 1, build - 1]
    return {
        "size": 1_000_000,
        "build": {"wall": walls[0], "peak_rss_mb": peak, "cpu_s": 70.0},
        "queries": {"q": {"seconds": [1.0, 1.1, 1.2], "rows": 3}},
        "peers": {"pyoxigraph": {"stages": {"load": {"seconds": bulk, "cpu_s": bulk}}}},
        "rounds": {"build": walls[1:], "build_peak_rss_mb": [peak, peak], "pyoxigraph": [bulk, bulk],
                   "build_cpu_s": [70.0, 70.0], "pyoxigraph_cpu_s": [bulk, bulk]},
        "updates": {s: {"wall": w, "peak_rss_mb": 900} for s, w in (("add", add), ("edit", edit), ("remove", 3.5))}
        | {"rounds": [], "remove_vs_before_add": "same"},
        "validate_db": {"runs": list(vdb), "cpu_s": list(vdb), "findings": 50,
                        "after_updates": {"runs": [after], "cpu_s": [after], "findings": 50}},
    }


def test_all_four_targets_met_together():
    line = run.verdict([_record()])
    assert "ALL FOUR TARGETS MET IN THIS RUN" in line
    assert "validate FILE --db: first run 1.80, best later 1.70, first after the updates 1.90 s" in line


def test_each_target_missed_is_named():
    cases = {
        "build / bulk load within 6": {"build": 40.0, "bulk": 6.0},
        "peak within 2560 MiB": {"peak": 2600},
        "add or edit within 0.1 of a full build": {"add": 3.7},
        "validate --db within 2 s": {"after": 2.05},
    }
    for name, change in cases.items():
        line = run.verdict([_record(**change)])
        assert "ALL FOUR" not in line
        assert f"targets missed: {name}" in line, (name, line)


def test_no_verdict_on_the_four_without_every_figure():
    record = _record()
    del record["validate_db"]
    line = run.verdict([record])
    assert "ALL FOUR" not in line and "targets missed" not in line
