"""`wpsgraph validate FILE --db BUILD` on a large build: the time a contributor waits for one new source of about
300 triples to be checked against a built graph of N synthetic triples (default a million), beside the full build
of that graph.

    .venv/bin/python benchmarks/validate_db.py --triples 1000000

Steps, each timed: write the synthetic data (``wpsgraph synth``), build it (the full pipeline, into a folder), write a
contribution (300 synthetic triples of another seed: new resources, some of them referring to resources of the
build), then run ``wpsgraph validate contribution.ttl --db build`` as a whole process, three times (the first, with an
empty cache folder, fills it: the compiled rules, shape reaches, the note that the shapes passed SHACL for SHACL, the
build's lists of the instances of the classes and the subjects of the properties the shapes ask about, the line
starts of the build's large source file; as a contributor's first run does). Then the build is updated with another
source of the same size, as ``run.py`` adds one (``wpsgraph build`` into the same folder) and the contribution
checked again, once, with an empty cache folder: what a contributor's first run costs against a build that was
updated rather than rebuilt. The figures, with the processor time of the best run and the machine's load average
before and after the runs (on a shared machine the wall-clock time also counts the waits for a core), go to
standard output as a table and, with ``--json``, to a file. ``--keep DIR``
keeps the data and the build there and reuses them on a later run (the build is then not timed again).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def check_against(contribution: Path, build: Path, cache: Path, times: int) -> tuple[list, list, dict]:
    """Run ``wpsgraph validate CONTRIBUTION --db BUILD`` ``times`` times as a whole process, the first with an empty
    cache folder: the wall-clock and processor seconds (user and system) of each run, and the last report."""
    shutil.rmtree(cache, ignore_errors=True)
    env = dict(os.environ, WPSGRAPH_CACHE=str(cache))
    runs, cpu = [], []
    for _ in range(times):
        clock = time.perf_counter()
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        proc = subprocess.run([sys.executable, "-m", "wpsgraph.cli", "validate", str(contribution), "--db",
                               str(build), "--format", "json"], capture_output=True, text=True, env=env)
        runs.append(time.perf_counter() - clock)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - used.ru_utime + after.ru_stime - used.ru_stime)
        if proc.returncode not in (0, 1):
            sys.exit(f"validate --db failed ({proc.returncode}): {proc.stderr.strip()}")
    return runs, cpu, json.loads(proc.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--contribution", type=int, default=300, help="triples in the contributor's file")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    ap.add_argument("--keep", type=Path, default=None,
                    help="work in this folder and keep it; a build already there (same size and seed) is reused, "
                         "and its build time is then not measured")
    args = ap.parse_args()

    from wpsgraph import resources
    from wpsgraph.pipeline import synth
    from wpsgraph.pipeline.build import build

    figures: dict = {"triples": args.triples}
    with contextlib.ExitStack() as stack:
        if args.keep is None:
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="wpsgraph-validate-db-")))
        else:
            folder = args.keep / f"{args.triples}-{args.seed}"
            folder.mkdir(parents=True, exist_ok=True)
        data = folder / f"synthetic-{args.triples}.ttl"
        if args.keep is not None and (folder / "build" / "manifest.json").exists():
            figures["synth_s"] = figures["full_build_s"] = None
        else:
            clock = time.perf_counter()
            synth.write(data, args.triples, args.seed)
            figures["synth_s"] = time.perf_counter() - clock

            clock = time.perf_counter()
            build(resources.reference_files() + [data], out=folder / "build")
            figures["full_build_s"] = time.perf_counter() - clock

        contribution = folder / "contribution.ttl"
        figures["contribution_triples"] = synth.write(contribution, args.contribution, args.seed + 1000)

        def check(times: int) -> tuple[list, list, dict]:
            return check_against(contribution, folder / "build", folder / "cache", times)

        figures["load_average_before"] = os.getloadavg()
        runs, cpu, report = check(3)
        figures["load_average_after"] = os.getloadavg()
        figures["validate_db_first_s"] = runs[0]
        figures["validate_db_s"] = min(runs[1:])
        figures["validate_db_cpu_s"] = cpu[1 + runs[1:].index(min(runs[1:]))]
        figures["validate_db_findings"] = len(report.get("results", []))
        figures["validate_db_notes"] = report.get("notes", [])

        from run import new_source  # the source the build benchmark adds: the articles synth would write next

        added = folder / "added.ttl"
        new_source(args.triples, args.seed, added, args.contribution)
        clock = time.perf_counter()
        build(resources.reference_files() + [data, added], out=folder / "build")
        figures["update_s"] = time.perf_counter() - clock
        runs, cpu, report = check(1)
        figures["validate_db_after_update_first_s"] = runs[0]
        figures["validate_db_after_update_findings"] = len(report.get("results", []))
        if args.keep is not None:  # the kept build as it was, for the next run
            build(resources.reference_files() + [data], out=folder / "build")

    print(f"{'step':<44} {'seconds':>9}")
    for label, key in (("synthetic data", "synth_s"), ("full build", "full_build_s"),
                       ("validate FILE --db BUILD, first run", "validate_db_first_s"),
                       ("validate FILE --db BUILD (best of 2 more)", "validate_db_s"),
                       ("update: one more source", "update_s"),
                       ("validate FILE --db BUILD after it, first run", "validate_db_after_update_first_s")):
        print(f"{label:<44} {figures[key]:>9.2f}" if figures[key] is not None else f"{label:<44} {'(kept)':>9}")
    print(f"{'  its processor time (user and system)':<44} {figures['validate_db_cpu_s']:>9.2f}")
    print(f"({figures['triples']} triples, contribution of {figures['contribution_triples']} triples, "
          f"{figures['validate_db_findings']} finding(s); load average (1, 5, 15 min) before the runs "
          f"{', '.join(f'{x:.2f}' for x in figures['load_average_before'])}, after "
          f"{', '.join(f'{x:.2f}' for x in figures['load_average_after'])})")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
