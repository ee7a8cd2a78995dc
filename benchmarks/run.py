"""Scale benchmark: wpsgraph's pipeline against the naive stack (rdflib + owlrl + pySHACL) on synthetic data.

    .venv/bin/python benchmarks/run.py                       # 10k, 100k and 1M triples
    .venv/bin/python benchmarks/run.py --sizes 10000 100000  # some sizes
    .venv/bin/python benchmarks/run.py --no-naive            # wpsgraph only

Not collected by pytest (it lives outside tests/). For each size it writes a synthetic file
(``wpsgraph synth``, seed 1), then, each in a fresh subprocess so that time and memory figures are clean:

- ``wpsgraph build``: wall time and peak RSS of the whole process, the time of each stage (load, reason,
  validate, write) and the peak RSS reached by the end of each stage (``resource.getrusage``; the peak only
  grows, so a stage's figure includes what earlier stages still hold);
- every canned query through ``wpsgraph query NAME --db DIR`` as a whole process (wall time), three times
  (``--repeat``), the slowest run reported, with the rows it printed;
- the naive stack on the same triples: rdflib parses the ontology, reference data, the file and the country
  descriptions the build generated for it (from pycountry), owlrl computes the
  OWL RL closure, pySHACL validates it (``inference='none'``: the closure is already there), each stage timed,
  the whole run stopped after 10 minutes (``--naive-cap``). A size is skipped for the naive stack once a smaller
  size has hit the cap (its cost grows faster than linearly).

Prints a Markdown table and writes the figures as JSON to ``benchmarks/results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# ---------------------------------------------------------------------------------------------- workers

_BUILD_WORKER = r"""
import json, resource, sys, time
from pathlib import Path
from wpsgraph import resources
from wpsgraph.pipeline.build import build
from wpsgraph.namespaces import Names

stages = {}
start = time.perf_counter()
def progress(message):
    stage = message.split(":", 1)[0]
    if message.endswith(")") and "..." not in message:
        stages[stage] = {"at": round(time.perf_counter() - start, 3),
                         "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    print(message, file=sys.stderr, flush=True)
result = build(resources.reference_files() + [Path(sys.argv[1])], Path(sys.argv[2]), Names(), progress)
print(json.dumps({"stages": stages, "seconds": result.timings, "counts": {k: v for k, v in result.counts.items()
                  if k != "graphs"}, "conforms": result.report.conforms,
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "wall": round(time.perf_counter() - start, 3)}))
"""

_NAIVE_WORKER = r"""
import json, resource, sys, time
import rdflib, owlrl, pyshacl
from wpsgraph import resources

def report(stage, seconds, **extra):
    print(json.dumps({"stage": stage, "seconds": round(seconds, 3),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1), **extra}),
          flush=True)

t = time.perf_counter()
g = rdflib.Graph()
for path in resources.ontology_files() + resources.reference_files() + sys.argv[1:]:
    g.parse(path, format="turtle")
report("parse", time.perf_counter() - t, triples=len(g))
t = time.perf_counter()
owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False,
                       datatype_axioms=False, improved_datatypes=False).expand(g)
report("reason", time.perf_counter() - t, triples=len(g))
t = time.perf_counter()
shapes = rdflib.Graph().parse(resources.DATA_SHAPES, format="turtle")
conforms, _, _ = pyshacl.validate(g, shacl_graph=shapes, inference="none", advanced=True,
                                  allow_warnings=True, allow_infos=True)
report("validate", time.perf_counter() - t, conforms=bool(conforms))
"""


def _children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def run_build(data: Path, out: Path) -> dict:
    proc = subprocess.run([PYTHON, "-c", _BUILD_WORKER, str(data), str(out)], capture_output=True, text=True,
                          cwd=ROOT)
    if proc.returncode not in (0,):
        raise SystemExit(f"build failed ({proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# Queries whose default parameter names a resource of the shipped articles, which synthetic data does not contain,
# are also run with a busy synthetic resource, so that their figure at scale is not that of an empty answer.
SYNTHETIC_PARAMS = {
    "event-themes": "event=event:synthetic-1-0",
    "events-of-actor": "actor=organisation:un-women",
    "sources-of-resource": "resource=organisation:un-women",
    "sub-organisations": "organisation=organisation:ministry-of-defence-cl",
    "trainings-delivered": "deliverer=organisation:inter-american-court-of-human-rights",
}


def run_queries(db: Path, repeat: int) -> dict:
    """Each canned query ``repeat`` times as a whole process: every wall time, and the rows it printed."""
    runs = []
    for name in sorted(p.stem for p in (ROOT / "queries").glob("*.rq")):
        runs.append((name, []))
        if name in SYNTHETIC_PARAMS:
            runs.append((f"{name} ({SYNTHETIC_PARAMS[name]})", ["--param", SYNTHETIC_PARAMS[name]]))
    out = {}
    for label, extra in runs:
        name = label.split()[0]
        times, rows = [], None
        for _ in range(repeat):
            t = time.perf_counter()
            proc = subprocess.run([str(Path(PYTHON).parent / "wpsgraph"), "query", name, "--db", str(db), *extra],
                                  capture_output=True, text=True, cwd=ROOT)
            times.append(round(time.perf_counter() - t, 3))
            if proc.returncode != 0:
                raise SystemExit(f"query {label} failed ({proc.returncode}):\n{proc.stderr}")
            last = proc.stdout.strip().splitlines()[-1]
            rows = int(last.strip("()").split()[0]) if last.startswith("(") else None
        out[label] = {"seconds": times, "rows": rows}
    return out


def worst(query: dict) -> float:
    return max(query["seconds"])


def countries_file(data: Path, build: Path) -> Path:
    """The country descriptions wpsgraph generates from pycountry for the data, as Turtle, for the naive stack
    (it parses the same triples as the build: ontology, reference data, the file and these)."""
    import pyoxigraph as ox

    out = data.with_suffix(".countries.ttl")
    if not out.exists():
        store = ox.Store.read_only(str(build / "store"))
        graph = ox.NamedNode("https://w3id.org/wpsgraph/graph/reference/countries")
        store.dump(str(out), format=ox.RdfFormat.TURTLE, from_graph=graph)
    return out


def run_naive(data: Path, countries: Path, cap: float) -> dict:
    stages, timed_out = {}, False
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen([PYTHON, "-c", _NAIVE_WORKER, str(data), str(countries)], stdout=out,
                                stderr=subprocess.DEVNULL, cwd=ROOT)
        t = time.perf_counter()
        try:
            proc.wait(timeout=cap)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            timed_out = True
        wall = time.perf_counter() - t
        out.seek(0)
        for line in out:
            record = json.loads(line)
            stages[record.pop("stage")] = record
    return {"stages": stages, "timed_out": timed_out, "wall": round(wall, 3),
            "peak_rss_mb": max([s["peak_rss_mb"] for s in stages.values()], default=None)}


# ---------------------------------------------------------------------------------------------- report

def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    from importlib.metadata import version
    libs = {name: version(name) for name in ("pyoxigraph", "rdflib", "owlrl", "pyshacl")}
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(mem / 1024 / 1024, 1),
            "python": platform.python_version(), "system": platform.platform(), **libs}


def fmt_s(x) -> str:
    return "—" if x is None else f"{x:.2f}"


def table(results: list[dict]) -> str:
    rows = ["| triples (asserted + inferred) | stage | wpsgraph time (s) | wpsgraph peak RSS (MiB) "
            "| naive time (s) | naive peak RSS (MiB) |",
            "|---|---|---|---|---|---|"]
    for r in results:
        b, n = r["build"], r.get("naive")
        label = f"{r['size']:,} ({b['counts']['asserted']:,} + {b['counts']['inferred']:,})"
        for stage, naive_stage in (("load", "parse"), ("reason", "reason"), ("validate", "validate"),
                                   ("write", None)):
            ours = b["seconds"].get(stage)
            peak = b["stages"].get(stage, {}).get("peak_rss_mb")
            if n is None:
                naive_t, naive_m = "not run", ""
            elif naive_stage is None:
                naive_t, naive_m = "—", ""
            elif naive_stage in n["stages"]:
                naive_t = fmt_s(n["stages"][naive_stage]["seconds"])
                naive_m = f"{n['stages'][naive_stage]['peak_rss_mb']:.0f}"
            else:
                naive_t, naive_m = ("stopped at the cap" if n["timed_out"] else "—"), ""
            rows.append(f"| {label} | {stage} | {fmt_s(ours)} | {peak:.0f} | {naive_t} | {naive_m} |"
                        if peak is not None else f"| {label} | {stage} | {fmt_s(ours)} | | {naive_t} | {naive_m} |")
            label = ""
        if n is None:
            naive_total = "not run"
        elif n["timed_out"]:
            naive_total = f"> {n['wall']:.0f} (stopped)"
        else:
            naive_total = fmt_s(n["wall"])
        rows.append(f"| | **whole build (wall)** | **{b['wall']:.2f}** | **{b['peak_rss_mb']:.0f}** | {naive_total} "
                    f"| {'' if n is None or n['peak_rss_mb'] is None else round(n['peak_rss_mb'])} |")
        q = r["queries"]
        slowest = max(q, key=lambda k: worst(q[k]))
        runs = len(q[slowest]["seconds"])
        n = len({k.split()[0] for k in q})
        rows.append(f"| | queries ({n}, {len(q) - n} also with a synthetic parameter; each a whole process, "
                    f"{runs} times) | slowest run {worst(q[slowest]):.2f} "
                    f"({slowest}) | | | |")
    return "\n".join(rows)


def query_table(results: list[dict]) -> str:
    """Per query: rows and the slowest of its runs at each size."""
    head = "| query | " + " | ".join(f"rows at {r['size']:,} | s at {r['size']:,}" for r in results) + " |"
    rows = [head, "|---|" + "---:|---:|" * len(results)]
    for name in results[0]["queries"]:
        cells = []
        for r in results:
            q = r["queries"][name]
            cells += [f"{q['rows']:,}" if q["rows"] is not None else "—", f"{worst(q):.2f}"]
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def verdict(results: list[dict]) -> str:
    lines = []
    for r in results:
        b, q = r["build"], r["queries"]
        over = sorted(name for name in q if worst(q[name]) > 1.5)
        lines.append(f"{r['size']:,} triples: build {b['wall']:.1f} s (target 60), peak {b['peak_rss_mb']:.0f} MiB "
                     f"(target 4096); queries over 1.5 s in any run: {', '.join(over) or 'none'}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--naive-cap", type=float, default=600.0, help="seconds (default 600)")
    parser.add_argument("--no-naive", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each query (the slowest is reported)")
    parser.add_argument("--work", type=Path, default=None, help="folder for data and builds (default: a temp dir)")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = parser.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="wpsgraph-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results, naive_capped = [], False
    info = machine()
    print(json.dumps(info), file=sys.stderr)
    for size in args.sizes:
        data = work / f"synthetic-{size}.ttl"
        if not data.exists():
            subprocess.run([str(Path(PYTHON).parent / "wpsgraph"), "synth", "--triples", str(size), "--seed",
                            str(args.seed), "--out", str(data)], check=True, cwd=ROOT)
        out = work / f"build-{size}"
        print(f"== {size}: wpsgraph build", file=sys.stderr, flush=True)
        record = {"size": size, "build": run_build(data, out)}
        print(json.dumps(record["build"]), file=sys.stderr, flush=True)
        record["queries"] = run_queries(out, args.repeat)
        print(json.dumps(record["queries"]), file=sys.stderr, flush=True)
        if not args.no_naive and not naive_capped:
            print(f"== {size}: naive stack (cap {args.naive_cap:.0f} s)", file=sys.stderr, flush=True)
            record["naive"] = run_naive(data, countries_file(data, out), args.naive_cap)
            naive_capped = record["naive"]["timed_out"]
            print(json.dumps(record["naive"]), file=sys.stderr, flush=True)
        results.append(record)
        args.json.write_text(json.dumps({"machine": info, "results": results}, indent=1), encoding="utf-8")
    print(f"Machine: {info['nproc']} × {info['cpu']}, {info['ram_gib']} GiB RAM; Python {info['python']}, "
          f"pyoxigraph {info['pyoxigraph']}, rdflib {info['rdflib']}, owlrl {info['owlrl']}, "
          f"pyshacl {info['pyshacl']}\n")
    print(table(results))
    print()
    print(query_table(results))
    print()
    print(verdict(results))


if __name__ == "__main__":
    main()
