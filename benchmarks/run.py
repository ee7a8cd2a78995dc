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

Then, for the same file (issue 16):

- **peers**, each in its own process, each stage timed, stopped at ``--peer-cap`` seconds: pyoxigraph alone
  bulk-loading the file into an on-disk store; ``reasonable`` (Rust OWL 2 RL) reasoning over the ontology,
  reference data, file and generated countries; pyrudof (Rust) and pySHACL validating the reasoned graph the build
  wrote (``inference='none'``), each skipped at larger sizes once it has hit the cap;
- **incremental updates** of the build folder (``wpsgraph build`` into it again): one new source of about 300
  triples (the articles ``wpsgraph synth`` would write next, so it refers to organisations of the file), then an
  edit of that source (one ``wps:subOrganisationOf`` pointed elsewhere: a transitive chain), then its removal;
  after the removal the store, dumps and report must equal those before the addition, and at sizes up to
  ``--check-up-to`` the state after the addition is also compared with a full build of the same files.

- **``wpsgraph validate FILE --db BUILD``** (``validate_db.check_against``): a contribution of 300 synthetic triples
  of another seed checked against the build as a whole process, three times right after the first build (the
  first with an empty cache folder), and once more, again with an empty cache folder, after the updates (a build
  updated rather than rebuilt). So every target of issue 16 is measured in one run.

At sizes of ``--rounds-from`` triples or more (default 1M), ``--rounds`` (default 3) pairs of a pyoxigraph bulk
load and a full build, and as many rounds of the three updates: the targets are judged on the medians (one build in
a slow spell of a shared virtual machine can take half as long again as the next), and every run is recorded.

The machine's load average is recorded before and after each size (other work on a shared machine slows every
figure). Prints Markdown tables and writes the figures as JSON to ``benchmarks/results.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from wpsgraph.folders import remove_output  # noqa: E402

PYTHON = sys.executable

# ---------------------------------------------------------------------------------------------- workers

_BUILD_WORKER = r"""
import json, os, resource, sys, time
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
result = build(resources.reference_files() + [Path(p) for p in sys.argv[2:]], Path(sys.argv[1]), Names(), progress,
               incremental=False)
print(json.dumps({"stages": stages, "seconds": result.timings, "counts": {k: v for k, v in result.counts.items()
                  if k != "graphs"}, "conforms": result.report.conforms,
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                  "cpu_s": round(sum(os.times()[:2]), 2),
                  "wall": round(time.perf_counter() - start, 3)}))
"""

# What every worker script starts with: one JSON line per stage, with the process's peak memory so far.
_WORKER_PRELUDE = r"""
import json, resource, sys, time
def report(stage, seconds, **extra):
    print(json.dumps({"stage": stage, "seconds": round(seconds, 3),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1), **extra}),
          flush=True)
"""

_NAIVE_WORKER = _WORKER_PRELUDE + r"""
import rdflib, owlrl, pyshacl
from wpsgraph import resources
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
    return run_build_files([data], out)


def run_build_files(files: list, out: Path) -> dict:
    """A full build (``incremental=False``) of the reference data and ``files`` into ``out``."""
    proc = subprocess.run([PYTHON, "-c", _BUILD_WORKER, str(out), *map(str, files)], capture_output=True,
                          text=True, cwd=ROOT)
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
    """rdflib + owlrl + pySHACL in a worker process, under the same time and memory caps as the peers."""
    return run_worker(_NAIVE_WORKER, [data, countries], cap)


# ---------------------------------------------------------------------------------------------- peers

_PEER_WORKERS = {
    # pyoxigraph alone: the file bulk-loaded into an on-disk store (what the build's load must compare with)
    "pyoxigraph": r"""
import json, os, resource, sys, time
import pyoxigraph as ox
t = time.perf_counter()
store = ox.Store(sys.argv[2])
store.bulk_load(path=sys.argv[1], format=ox.RdfFormat.TURTLE)
store.flush()
n = len(store)
print(json.dumps({"stage": "load", "seconds": round(time.perf_counter() - t, 3), "triples": n,
                  "cpu_s": round(sum(os.times()[:2]), 2),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}), flush=True)
""",
    # reasonable: OWL 2 RL over the same triples the build reasons over
    "reasonable": _WORKER_PRELUDE + r"""
import reasonable
from wpsgraph import resources
t = time.perf_counter()
r = reasonable.PyReasoner()
for path in resources.ontology_files() + resources.reference_files() + sys.argv[1:3]:
    r.load_file(str(path))
report("load", time.perf_counter() - t)
t = time.perf_counter()
triples = r.reason()
report("reason", time.perf_counter() - t, triples=len(triples))
""",
    # pyrudof: SHACL on the reasoned graph the build wrote
    "pyrudof": _WORKER_PRELUDE + r"""
import pyrudof
from wpsgraph import resources
t = time.perf_counter()
rudof = pyrudof.Rudof(pyrudof.RudofConfig())
rudof.read_data(sys.argv[1], format=pyrudof.RDFFormat.NTriples)
rudof.read_shacl(str(resources.DATA_SHAPES))
report("load", time.perf_counter() - t)
t = time.perf_counter()
result = rudof.validate_shacl()
report("validate", time.perf_counter() - t, conforms=bool(result.conforms), results=len(result.violations))
""",
    # pySHACL: the same, on an rdflib graph
    "pyshacl": _WORKER_PRELUDE + r"""
import rdflib, pyshacl
from wpsgraph import resources
t = time.perf_counter()
g = rdflib.Graph().parse(sys.argv[1], format="nt")
shapes = rdflib.Graph().parse(resources.DATA_SHAPES, format="turtle")
report("load", time.perf_counter() - t, triples=len(g))
t = time.perf_counter()
conforms, _, _ = pyshacl.validate(g, shacl_graph=shapes, inference="none", advanced=True,
                                  allow_warnings=True, allow_infos=True)
report("validate", time.perf_counter() - t, conforms=bool(conforms))
""",
}


PEER_MEMORY = 10 << 30  # address space a peer may take (pyrudof needs 3 GiB at 100k; the machine has 24)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (PEER_MEMORY, PEER_MEMORY))


def run_worker(code: str, args: list, cap: float) -> dict:
    """A worker process printing one JSON line per stage; stopped at ``cap`` seconds or when it asks for more
    than PEER_MEMORY (so that a peer cannot take the machine's memory from everything else on it)."""
    stages, timed_out, error = {}, False, None
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen([PYTHON, "-c", code, *map(str, args)], stdout=out, stderr=err, cwd=ROOT,
                                preexec_fn=_limit_memory)
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
        if proc.returncode not in (0, None) and not timed_out:
            err.seek(0)
            lines = err.read().strip().splitlines()
            error = (lines[-1] if lines else f"exit {proc.returncode}")
            if proc.returncode < 0 or "memory" in error.lower():
                error = f"stopped: over {PEER_MEMORY >> 30} GiB of memory ({error})"
    return {"stages": stages, "timed_out": timed_out, "wall": round(wall, 3), "error": error,
            "peak_rss_mb": max([st["peak_rss_mb"] for st in stages.values()], default=None)}


def reasoned_ntriples(build: Path, out: Path) -> Path:
    """The reasoned graph the build wrote (every graph of its store, as one graph), as N-Triples."""
    import pyoxigraph as ox

    if not out.exists():
        store = ox.Store.read_only(str(build / "store"))
        with open(out, "wb") as f:
            ox.serialize((ox.Triple(q.subject, q.predicate, q.object)
                          for q in store.quads_for_pattern(None, None, None, None)), f,
                         format=ox.RdfFormat.N_TRIPLES)
    return out


def run_peers(data: Path, build: Path, work: Path, cap: float, skip: set) -> dict:
    peers = {}
    for name in ("pyoxigraph", "reasonable", "pyrudof", "pyshacl"):
        if name in skip:
            peers[name] = {"skipped": "hit the cap at a smaller size"}
            continue
        print(f"   peer {name}", file=sys.stderr, flush=True)
        if name == "pyoxigraph":
            target = Path(tempfile.mkdtemp(prefix="peer-store-", dir=work))
            peers[name] = run_worker(_PEER_WORKERS[name], [data, target], cap)
            shutil.rmtree(target, ignore_errors=True)
        elif name == "reasonable":
            peers[name] = run_worker(_PEER_WORKERS[name], [data, countries_file(data, build)], cap)
        else:
            peers[name] = run_worker(_PEER_WORKERS[name], [reasoned_ntriples(build, data.with_suffix(".reasoned.nt"))],
                                     cap)
        print(json.dumps(peers[name]), file=sys.stderr, flush=True)
    return peers


def run_rounds(data: Path, work: Path, rounds: int, cap: float) -> dict:
    """More full builds, each right after a bulk load of the same file by pyoxigraph alone, so that the ratio of
    the two is taken from several pairs run side by side: on a shared machine one build in a slow minute can take
    half as long again as the next (37 to 60 s for the same code), and a single pair says more about the minute
    than the code. The first pair is the build and the peer run above; these are the others."""
    out: dict = {"build": [], "build_peak_rss_mb": [], "pyoxigraph": [], "build_cpu_s": [], "pyoxigraph_cpu_s": []}
    for i in range(rounds):
        target = Path(tempfile.mkdtemp(prefix="peer-store-", dir=work))
        peer = run_worker(_PEER_WORKERS["pyoxigraph"], [data, target], cap)
        shutil.rmtree(target, ignore_errors=True)
        scratch = work / "build-round"
        remove_output(scratch)  # the link and its versions (a build folder is a link to its latest version)
        built = run_build(data, scratch)
        remove_output(scratch)
        out["pyoxigraph"].append(peer["stages"].get("load", {}).get("seconds"))
        out["build"].append(built["wall"])
        out["build_peak_rss_mb"].append(built["peak_rss_mb"])
        out["build_cpu_s"].append(built.get("cpu_s"))
        out["pyoxigraph_cpu_s"].append(peer["stages"].get("load", {}).get("cpu_s"))
        print(f"   round {i + 2}: pyoxigraph bulk load {out['pyoxigraph'][-1]} s, build {built['wall']:.2f} s",
              file=sys.stderr, flush=True)
    return out


def run_validate_db(size: int, seed: int, build: Path, work: Path, times: int) -> dict:
    """``wpsgraph validate FILE --db BUILD`` for a contribution of 300 triples, ``times`` runs, the first with an empty
    cache folder (as ``benchmarks/validate_db.py`` runs it)."""
    from validate_db import check_against

    from wpsgraph.pipeline import synth

    contribution = work / f"contribution-{size}.ttl"
    n = synth.write(contribution, 300, seed + 1000)
    runs, cpu, report = check_against(contribution, build, work / "validate-db-cache", times)
    print(f"   validate --db: {', '.join(f'{x:.2f}' for x in runs)} s", file=sys.stderr, flush=True)
    return {"contribution_triples": n, "runs": runs, "cpu_s": cpu, "findings": len(report.get("results", []))}


def validate_db_figures(r: dict) -> dict | None:
    """The first run, the best of the later ones, and the first after the updates (None where not run)."""
    v = r.get("validate_db")
    if not v:
        return None
    after = v.get("after_updates")
    return {"first": v["runs"][0], "best_later": min(v["runs"][1:]) if len(v["runs"]) > 1 else None,
            "after_updates_first": after["runs"][0] if after else None}


def median(values: list) -> float:
    ordered = sorted(v for v in values if v is not None)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def build_walls(r: dict) -> list:
    """Every full build's wall time at this size: the first (whose stages the tables give) and the rounds'."""
    return [r["build"]["wall"], *(r.get("rounds") or {}).get("build", [])]


def bulk_loads(r: dict) -> list:
    """Every bulk load of the file by pyoxigraph alone at this size, in the same order as ``build_walls``."""
    first = (r.get("peers") or {}).get("pyoxigraph", {}).get("stages", {}).get("load")
    return [x for x in [first["seconds"] if first else None, *(r.get("rounds") or {}).get("pyoxigraph", [])]
            if x is not None]


def update_walls(u: dict, step: str) -> list:
    return [u[step]["wall"], *(round_[step] for round_ in u.get("rounds", []))]


# ---------------------------------------------------------------------------------------------- updates

_UPDATE_WORKER = r"""
import json, resource, sys, time
from pathlib import Path
from wpsgraph import resources
from wpsgraph.pipeline.build import build
from wpsgraph.namespaces import Names

said = []
def progress(message):
    said.append(message)
    print(message, file=sys.stderr, flush=True)
start = time.perf_counter()
result = build(resources.reference_files() + [Path(p) for p in sys.argv[2:]], Path(sys.argv[1]), Names(), progress)
# VmHWM, not ru_maxrss: the benchmark forks this process from a parent that may hold a lot, and ru_maxrss keeps
# the parent's size across the fork and exec.
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM"))
print(json.dumps({"seconds": result.timings, "said": said, "conforms": result.report.conforms,
                  "peak_rss_mb": round(hwm / 1024, 1),
                  "wall": round(time.perf_counter() - start, 3)}))
"""


def new_source(size: int, seed: int, out: Path, triples: int = 300) -> int:
    """The articles ``wpsgraph synth --triples SIZE`` would write next, about ``triples`` of them, as one file."""
    from wpsgraph.pipeline.synth import PREFIXES, Generator

    gen = Generator(seed)
    written = 0
    while written < size:
        written += gen.article_text()[1]
    parts, n = [], 0
    while n < triples:
        text, k = gen.article_text()
        parts.append(text)
        n += k
    out.write_text(PREFIXES + "".join(parts), encoding="utf-8")
    return n


def edit_chain(path: Path, data: Path) -> str:
    """Point the new source's first wps:subOrganisationOf at another organisation of the file (a transitive
    chain moves), or failing that its first wps:hostedBy (an inverse)."""
    text = path.read_text(encoding="utf-8")
    for predicate in ("subOrganisationOf", "hostedBy"):
        m = re.search(rf"wps:{predicate} (organisation:[A-Za-z0-9_-]+)", text)
        if m:
            with open(data, encoding="utf-8") as f:
                head = f.read(200_000)
            others = [o for o in dict.fromkeys(re.findall(r"^(organisation:[A-Za-z0-9_-]+)\n", head, re.M))
                      if o != m.group(1)]
            path.write_text(text[:m.start(1)] + others[0] + text[m.end(1):], encoding="utf-8")
            return f"wps:{predicate} {m.group(1)} -> {others[0]}"
    raise SystemExit(f"{path}: nothing to edit")


def _digest(lines: list, blank_ok: bool) -> str:
    """A digest of a set of N-Quads lines (without the lines naming a blank node when ``blank_ok``: a full build
    gives blank nodes other labels)."""
    kept = sorted({line for line in lines if not (blank_ok and b"_:" in line)})
    return hashlib.sha256(b"\n".join(kept)).hexdigest()


def _state(build: Path, blank_ok: bool = False) -> dict:
    """What a build holds, as digests comparable across builds: the store's quads and the dumps' statements (as
    sets), the findings (as a set), the counts. Digests, so that the benchmark does not hold millions of lines
    while it measures the next step."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(build / "store"))
    out = {"store": _digest((store.dump(format=ox.RdfFormat.N_QUADS) or b"").splitlines(), blank_ok)}
    del store
    for key, name, fmt in (("dataset", "dataset.trig", ox.RdfFormat.TRIG),
                           ("inferred", "inferred.ttl", ox.RdfFormat.TURTLE)):
        text = ox.serialize(ox.parse(path=str(build / name), format=fmt), format=ox.RdfFormat.N_QUADS) or b""
        out[key] = _digest(text.splitlines(), blank_ok)
    findings = json.loads((build / "validation.json").read_text(encoding="utf-8"))
    out["findings"] = sorted(json.dumps(r, sort_keys=True) for r in findings["results"])
    out["counts"] = json.loads((build / "manifest.json").read_text(encoding="utf-8"))["counts"]
    return out


def _differences(a: dict, b: dict) -> list:
    return [key for key in a if a[key] != b[key]]


def run_updates(size: int, seed: int, data: Path, build: Path, work: Path, check: bool, rounds: int = 0) -> dict:
    """Add a ~300-triple source to the build, edit it, remove it; each an update in its own process. Then the
    same three ``rounds`` more times (each removal brings the build back to where it was), for their wall times."""
    source = work / f"new-source-{size}.ttl"
    n = new_source(size, seed, source)
    before = _state(build)
    steps: dict = {"rounds": []}
    for round_ in range(rounds + 1):
        walls = {}
        if round_:
            new_source(size, seed, source)  # as first added (the edit changed it)
        for step in ("add", "edit", "remove"):
            files = [data] if step == "remove" else [data, source]
            if step == "edit":
                steps["edit_what"] = edit_chain(source, data)
            proc = subprocess.run([PYTHON, "-c", _UPDATE_WORKER, str(build), *map(str, files)],
                                  capture_output=True, text=True, cwd=ROOT)
            if proc.returncode not in (0, 1):
                raise SystemExit(f"update ({step}) failed ({proc.returncode}):\n{proc.stderr}")
            done = json.loads(proc.stdout.strip().splitlines()[-1])
            walls[step] = done["wall"]
            if round_ == 0:
                steps[step] = done
            print(f"   update {step}: {done['wall']:.2f} s", file=sys.stderr, flush=True)
            if step == "add" and check and round_ == 0:
                full = work / f"build-{size}-full-check"
                run_build_files([data, source], full)
                steps["add_vs_full_build"] = _differences(_state(build, True), _state(full, True)) or "same"
                remove_output(full)
        same = _differences(_state(build), before) or "same"
        if round_ == 0:
            steps["remove_vs_before_add"] = same
        else:
            steps["rounds"].append({**walls, "remove_vs_before_add": same})
    steps["source_triples"] = n
    return steps


# ---------------------------------------------------------------------------------------------- report

def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    from importlib.metadata import PackageNotFoundError, version

    libs = {}
    for name in ("pyoxigraph", "rdflib", "owlrl", "pyshacl", "reasonable", "pyrudof"):
        try:
            libs[name] = version(name)
        except PackageNotFoundError:
            libs[name] = None
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


def _stage(run: dict | None, stage: str) -> str:
    if run is None or "skipped" in run:
        return "not run"
    if run.get("error"):
        return f"failed ({run['error'][:60]})"
    if stage in run["stages"]:
        return fmt_s(run["stages"][stage]["seconds"])
    return f"stopped at {run['wall']:.0f} s" if run["timed_out"] else "—"


def peer_table(results: list[dict]) -> str:
    """Each stage beside the peers that do it, in the same run."""
    rows = ["| triples | stage | wpsgraph (s) | peer | peer (s) | peer peak RSS (MiB) | note |",
            "|---|---|---:|---|---:|---:|---|"]
    for r in results:
        peers, b = r.get("peers") or {}, r["build"]
        for stage, ours, peer, peer_stage in (("load", "load", "pyoxigraph", "load"),
                                              ("whole build", None, "pyoxigraph", "load"),
                                              ("reason", "reason", "reasonable", "reason"),
                                              ("validate", "validate", "pyrudof", "validate"),
                                              ("validate", "validate", "pyshacl", "validate")):
            run = peers.get(peer)
            mine = b["wall"] if ours is None else b["seconds"].get(ours)
            note = ""
            if run and "stages" in run and peer_stage in run["stages"]:
                extra = run["stages"][peer_stage]
                if "triples" in extra:
                    note = f"{extra['triples']:,} triples"
                if "conforms" in extra:
                    note = f"conforms: {extra['conforms']}" + (f", {extra['results']} results"
                                                               if "results" in extra else "")
            if ours is None and run and peer_stage in run.get("stages", {}):
                note = f"build / bulk load = {b['wall'] / run['stages'][peer_stage]['seconds']:.1f}"
            peak = run.get("peak_rss_mb") if run else None
            rows.append(f"| {r['size']:,} | {stage} | {fmt_s(mine)} | {peer} | {_stage(run, peer_stage)} "
                        f"| {'' if peak is None else round(peak)} | {note} |")
    return "\n".join(rows)


def update_table(results: list[dict]) -> str:
    rows = ["| triples | full build, median (s) | add a source (s) | edit it (s) | remove it (s) "
            "| slower of add and edit / full; removal / full | peak RSS of an update (MiB) | checks |",
            "|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        u = r.get("updates")
        if not u:
            continue
        full = median(build_walls(r))
        step = {s: median(update_walls(u, s)) for s in ("add", "edit", "remove")}
        peak = max(u[s]["peak_rss_mb"] for s in ("add", "edit", "remove"))
        checks = [f"after removal = before addition: {u['remove_vs_before_add']}"]
        checks += [f"round {i + 2}: {x['remove_vs_before_add']}" for i, x in enumerate(u.get("rounds", []))]
        if "add_vs_full_build" in u:
            checks.append(f"after addition = full build: {u['add_vs_full_build']}")
        rows.append(f"| {r['size']:,} | {full:.2f} | {step['add']:.2f} | {step['edit']:.2f} | {step['remove']:.2f} "
                    f"| {max(step['add'], step['edit']) / full:.3f} / {step['remove'] / full:.3f} | {peak:.0f} "
                    f"| {'; '.join(checks)} |")
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
        walls, loads = build_walls(r), bulk_loads(r)
        peak = max([b["peak_rss_mb"], *(r.get("rounds") or {}).get("build_peak_rss_mb", [])])
        line = (f"{r['size']:,} triples: build {median(walls):.1f} s (median of {len(walls)}: "
                f"{', '.join(f'{w:.1f}' for w in walls)}), peak {peak:.0f} MiB (target 2560); "
                f"queries over 1.5 s in any run: {', '.join(over) or 'none'}")
        ratio = median(walls) / median(loads) if loads else None
        if ratio is not None:
            line += (f"; build / pyoxigraph bulk load {ratio:.2f} (target 6; medians; "
                     f"bulk loads {', '.join(f'{x:.2f}' for x in loads)} s)")
        rounds = r.get("rounds") or {}
        first_peer = (r.get("peers") or {}).get("pyoxigraph", {}).get("stages", {}).get("load", {})
        cpu = [c for c in [b.get("cpu_s"), *rounds.get("build_cpu_s", [])] if c is not None]
        peer_cpu = [c for c in [first_peer.get("cpu_s"), *rounds.get("pyoxigraph_cpu_s", [])] if c is not None]
        if cpu and peer_cpu:  # the processor time varies less than the wall time on a shared machine
            line += (f"; processor time: build {median(cpu):.1f} s, bulk load {median(peer_cpu):.1f} s "
                     f"(medians; not a target)")
        u = r.get("updates")
        update_ratio = None
        if u:
            step = {s: median(update_walls(u, s)) for s in ("add", "edit", "remove")}
            update_ratio = max(step["add"], step["edit"]) / median(walls)
            line += (f"; add or edit / full build {update_ratio:.3f} (target 0.1), "
                     f"removal / full build {step['remove'] / median(walls):.3f} (medians)")
        vdb = validate_db_figures(r)
        if vdb:
            labels = {"first": "first run", "best_later": "best later",
                      "after_updates_first": "first after the updates"}
            shown = ", ".join(f"{labels[key]} {x:.2f}" for key, x in vdb.items() if x is not None)
            line += f"; validate FILE --db: {shown} s (target 2)"
        if ratio is not None and update_ratio is not None and vdb:
            met = {
                "build / bulk load within 6": ratio <= 6,
                "peak within 2560 MiB": peak <= 2560,
                "add or edit within 0.1 of a full build": update_ratio <= 0.1,
                "validate --db within 2 s": all(x <= 2 for x in vdb.values() if x is not None),
            }
            missed = [name for name, ok in met.items() if not ok]
            line += ("; ALL FOUR TARGETS MET IN THIS RUN" if not missed else f"; targets missed: {', '.join(missed)}")
        la, lb = r.get("load_average_before"), r.get("load_average_after")
        if la and lb:
            line += f"; load average {la[0]:.1f} before, {lb[0]:.1f} after"
        lines.append(line)
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--naive-cap", type=float, default=600.0, help="seconds (default 600)")
    parser.add_argument("--no-naive", action="store_true")
    parser.add_argument("--naive-up-to", type=int, default=10_000,
                        help="largest size for the naive stack (default 10000: it hit the cap at 100k before)")
    parser.add_argument("--no-peers", action="store_true")
    parser.add_argument("--peer-cap", type=float, default=300.0, help="seconds per peer run (default 300)")
    parser.add_argument("--no-updates", action="store_true")
    parser.add_argument("--check-up-to", type=int, default=100_000,
                        help="largest size at which an update is also compared with a full build (default 100000)")
    parser.add_argument("--no-validate-db", action="store_true", help="skip ``validate FILE --db BUILD``")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each query (the slowest is reported)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="full builds and pyoxigraph bulk loads run in pairs, and update rounds, at sizes of "
                             "--rounds-from triples or more; the targets are judged on their medians (default 3)")
    parser.add_argument("--rounds-from", type=int, default=1_000_000)
    parser.add_argument("--work", type=Path, default=None, help="folder for data and builds (default: a temp dir)")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results.json")
    args = parser.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="wpsgraph-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results, naive_capped, peers_capped = [], False, set()
    info = machine()
    print(json.dumps(info), file=sys.stderr)
    for size in args.sizes:
        data = work / f"synthetic-{size}.ttl"
        if not data.exists():
            subprocess.run([str(Path(PYTHON).parent / "wpsgraph"), "synth", "--triples", str(size), "--seed",
                            str(args.seed), "--out", str(data)], check=True, cwd=ROOT)
        out = work / f"build-{size}"
        print(f"== {size}: wpsgraph build", file=sys.stderr, flush=True)
        record = {"size": size, "load_average_before": os.getloadavg(), "build": run_build(data, out)}
        print(json.dumps(record["build"]), file=sys.stderr, flush=True)
        record["queries"] = run_queries(out, args.repeat)
        print(json.dumps(record["queries"]), file=sys.stderr, flush=True)
        if not args.no_validate_db:
            print(f"== {size}: validate FILE --db BUILD", file=sys.stderr, flush=True)
            record["validate_db"] = run_validate_db(size, args.seed, out, work, 3)
        if not args.no_peers:
            print(f"== {size}: peers (cap {args.peer_cap:.0f} s)", file=sys.stderr, flush=True)
            record["peers"] = run_peers(data, out, work, args.peer_cap, peers_capped)
            peers_capped |= {name for name, r in record["peers"].items() if r.get("timed_out")}
        extra_rounds = max(args.rounds - 1, 0) if size >= args.rounds_from else 0
        if not args.no_peers and extra_rounds:
            print(f"== {size}: {extra_rounds} more pairs of a bulk load and a build", file=sys.stderr, flush=True)
            record["rounds"] = run_rounds(data, work, extra_rounds, args.peer_cap)
        if not args.no_updates:
            print(f"== {size}: incremental updates", file=sys.stderr, flush=True)
            record["updates"] = run_updates(size, args.seed, data, out, work, size <= args.check_up_to,
                                            extra_rounds)
            if "validate_db" in record:  # against the build the updates leave (updated, not rebuilt)
                record["validate_db"]["after_updates"] = run_validate_db(size, args.seed, out, work, 1)
        if not args.no_naive and not naive_capped and size <= args.naive_up_to:
            print(f"== {size}: naive stack (cap {args.naive_cap:.0f} s)", file=sys.stderr, flush=True)
            record["naive"] = run_naive(data, countries_file(data, out), args.naive_cap)
            naive_capped = record["naive"]["timed_out"]
            print(json.dumps(record["naive"]), file=sys.stderr, flush=True)
        record["load_average_after"] = os.getloadavg()
        results.append(record)
        args.json.write_text(json.dumps({"machine": info, "results": results}, indent=1), encoding="utf-8")
    print(f"Machine: {info['nproc']} × {info['cpu']}, {info['ram_gib']} GiB RAM; Python {info['python']}, "
          f"pyoxigraph {info['pyoxigraph']}, rdflib {info['rdflib']}, owlrl {info['owlrl']}, "
          f"pyshacl {info['pyshacl']}, reasonable {info['reasonable']}, pyrudof {info['pyrudof']}\n")
    print(table(results))
    print()
    print(peer_table(results))
    print()
    print(update_table(results))
    print()
    print(query_table(results))
    print()
    print(verdict(results))


if __name__ == "__main__":
    main()
