"""The floor under the full build's time: what pyoxigraph alone takes to write the build's on-disk store from the
build's own finished outputs, beside the baseline the 6× target is measured against (pyoxigraph bulk-loading the
synthetic file itself).

    .venv/bin/python benchmarks/store_floor.py --work WORK --size 1000000 --json benchmarks/store-floor-1m.json

WORK is a ``benchmarks/run.py --work`` folder after a run at that size: it holds ``synthetic-N.ttl`` and the build
``build-N``. Each load runs in a fresh process into a fresh on-disk store, and is timed with its processor time:

- ``baseline``: the synthetic file, Turtle, into the default graph (as ``run.py``'s peer figure);
- ``outputs``: ``dataset.trig`` then ``inferred.ttl`` into the inferred graph, so the store holds what the build's
  store holds, in two bulk loads, then ``optimize`` (the build compacts its store too);
- ``outputs_one_load``: the same statements as one N-Quads file, in one bulk load, then ``optimize``.

No build can write its store for less than these loads, whatever it does before them; the rest of the build (load,
reason, validate, dumps) has to fit in what is left of the 6× budget.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

_WORKER = r"""
import json, resource, sys, time
import pyoxigraph as ox

def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime

store_dir, optimize, loads = sys.argv[1], sys.argv[2] == "1", json.loads(sys.argv[3])
t, c = time.perf_counter(), cpu()
store = ox.Store(store_dir)
for path, fmt, graph in loads:
    kind = {"ttl": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nq": ox.RdfFormat.N_QUADS}[fmt]
    if graph:
        store.bulk_load(path=path, format=kind, to_graph=ox.NamedNode(graph))
    else:
        store.bulk_load(path=path, format=kind)
store.flush()
figures = {"load_s": time.perf_counter() - t, "load_cpu_s": cpu() - c, "quads": len(store)}
if optimize:
    t, c = time.perf_counter(), cpu()
    store.optimize()
    store.flush()
    figures.update(optimize_s=time.perf_counter() - t, optimize_cpu_s=cpu() - c)
del store
figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(figures))
"""


def _load(loads: list, optimize: bool, scratch: Path) -> dict:
    with tempfile.TemporaryDirectory(dir=scratch) as folder:
        out = subprocess.run([sys.executable, "-c", _WORKER, str(Path(folder) / "store"), "1" if optimize else "0",
                              json.dumps(loads)], check=True, capture_output=True, text=True)
    return {k: round(v, 3) if isinstance(v, float) else v for k, v in json.loads(out.stdout).items()}


def _one_file(dataset: Path, inferred: Path, graph: str, target: Path) -> None:
    """Both outputs as one N-Quads file (an in-memory store converts them; not timed)."""
    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(dataset), format=ox.RdfFormat.TRIG)
    store.bulk_load(path=str(inferred), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(graph))
    store.dump(str(target), format=ox.RdfFormat.N_QUADS)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--work", type=Path, required=True, help="a benchmarks/run.py --work folder")
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--json", type=Path, default=None, help="also write the figures to this file")
    args = ap.parse_args()
    data = args.work / f"synthetic-{args.size}.ttl"
    build = args.work / f"build-{args.size}"
    manifest = build / "manifest.json"
    for needed in (data, manifest):
        if not needed.exists():
            sys.exit(f"{needed}: not found; run benchmarks/run.py --work {args.work} --sizes {args.size} first")
    graph = json.loads(manifest.read_text())["inferred_graph"]
    figures: dict = {"size": args.size, "load_average_before": os.getloadavg()}
    figures["baseline"] = _load([[str(data), "ttl", None]], False, args.work)
    figures["outputs"] = _load([[str(build / "dataset.trig"), "trig", None],
                                [str(build / "inferred.ttl"), "ttl", graph]], True, args.work)
    with tempfile.TemporaryDirectory(dir=args.work) as folder:
        joined = Path(folder) / "all.nq"
        _one_file(build / "dataset.trig", build / "inferred.ttl", graph, joined)
        figures["outputs_one_load"] = _load([[str(joined), "nq", None]], True, args.work)
    figures["load_average_after"] = os.getloadavg()
    base = figures["baseline"]["load_s"]
    rows = [("baseline: the synthetic file", figures["baseline"])] + [
        (f"the build's store from its outputs, {name}", figures[key])
        for name, key in (("two loads", "outputs"), ("one load", "outputs_one_load"))]
    print(f"{'':52} {'quads':>9} {'load s':>8} {'cpu s':>7} {'optimize s':>11} {'× baseline':>11}")
    for label, f in rows:
        total = f["load_s"] + f.get("optimize_s", 0.0)
        print(f"{label:52} {f['quads']:>9} {f['load_s']:>8.2f} {f['load_cpu_s']:>7.1f} "
              f"{f.get('optimize_s', 0.0):>11.2f} {total / base:>11.2f}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n")


if __name__ == "__main__":
    main()
