"""Incremental builds: bring an existing build folder up to date when only some data files changed.

A full build records, in its manifest, a content hash of every input (ontology, shapes, each data file with its
graph) and the country codes the files mention. ``update`` compares them with the files given now; when only data
files were added, edited or removed it works on a copy of the previous build (the store is copied as a RocksDB
checkpoint, hard links, so the copy is cheap) and swaps the copy in at the end, so an interrupted update leaves the
previous build as it was:

1. **asserted graphs**: each changed file is parsed by ``load`` (same checks and errors as a full build) and its
   graph replaced, by the difference of its statements (the generated countries graph is regenerated for the new
   set of country codes and replaced the same way);
2. **entailments**: maintained by delete-and-rederive (DRed) over the compiled OWL RL rules of ``reason``. Every
   statement that has a derivation through a retracted statement is first withdrawn (over-deletion), those that
   still have a one-step derivation from what is left are put back, then what follows from the put-back and the
   new statements is added (semi-naive). Properties come first, classes after them (types never feed property
   rules): the types of every node whose typing premises changed are recomputed from the domains, ranges and
   superclasses. The inferred graph keeps its meaning: entailed, not asserted (plus the entailed TBox);
3. **validation**: only the focus nodes whose results can differ are validated again. From the compiled shapes
   come the ways a shape reads the data from its focus node (the path steps to each value, then the value's types
   for ``sh:class``, nested shapes on the values, one wildcard step for SPARQL constraints); a changed statement
   is walked back along those steps, before and after the change, to the focus nodes that read it. Their old
   results are replaced by new ones; every other result stands;
4. **dumps**: ``dataset.trig`` and ``inferred.ttl`` are spliced (the blocks of changed graphs, or of subjects
   whose inferred statements changed, are written anew; the rest is copied), the reports rewritten, the manifest
   updated.

An ontology or shapes change, a different wpsgraph or base, files moved or reordered, schema statements in the
data (the owlrl fallback) or a previous build made without these records fall back to a full build, and the
build says why. ``tests/test_incremental.py`` holds the result to a full rebuild over random edits.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import shutil
import time
import traceback
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib

from wpsgraph import __version__, resources
from wpsgraph.namespaces import RDF_TYPE, SH, Names
from wpsgraph.pipeline.load import Loaded, assign_graphs, country_graph_quads, load
from wpsgraph.pipeline.reason import Rules, _schema_in_data, rules_for
from wpsgraph.terms import from_rdflib
from wpsgraph.validation.shacl.data import Data

FORMAT = 1  # of the manifest's "inputs" record


# ---------------------------------------------------------------------------------------------- inputs

def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _fixed_inputs(names: Names) -> dict:
    """What, when changed, needs a full build."""
    return {"format": FORMAT, "wpsgraph": __version__, "base": names.base,
            "ontology": {p.name: _sha(p) for p in resources.ontology_files()},
            "shapes": {p.name: _sha(p) for p in (resources.DATA_SHAPES,)}}


def manifest_inputs(loaded: Loaded) -> dict:
    """The manifest's record of what a build was made from (called by the full build)."""
    ontology = loaded.names.ontology_graph
    files = [[g.value, str(Path(p).resolve()), _sha(p)] for g, p in loaded.graphs.items()
             if p is not None and g != ontology]
    return {**_fixed_inputs(loaded.names), "files": files, "countries": list(loaded.countries)}


# ---------------------------------------------------------------------------------------------- the plan

@dataclass
class Plan:
    out: Path
    names: Names
    manifest: dict
    order: list                       # [(graph, path)] of the data files now, in load order
    changed: dict                     # graph -> new path, or None when removed
    hashes: dict                      # graph IRI -> sha of the file now


class FullBuild(Exception):
    """The update cannot be done incrementally; the message says why."""


def plan(data_files: Sequence[Path] | None, out: Path, names: Names) -> Plan:
    """What changed since the build in ``out``; FullBuild when the update cannot be incremental."""
    manifest_path = out / "manifest.json"
    if not manifest_path.exists():
        raise FullBuild("no previous build")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise FullBuild("the previous manifest cannot be read") from None
    before = manifest.get("inputs")
    if not isinstance(before, dict) or before.get("format") != FORMAT:
        raise FullBuild("the previous build has no record of its inputs")
    if manifest.get("reasoner") != "compiled":
        raise FullBuild("the previous build was reasoned by owlrl")
    now = _fixed_inputs(names)
    for key, what in (("wpsgraph", "wpsgraph version"), ("base", "base IRI"), ("ontology", "ontology"),
                      ("shapes", "shapes")):
        if before.get(key) != now[key]:
            raise FullBuild(f"the {what} changed")
    files = list(resources.ontology_files()) + list(
        resources.reference_files() + resources.source_files() if data_files is None else data_files)
    ontology = names.ontology_graph
    order = [(g, p) for g, p in assign_graphs(files, names) if g != ontology]
    old = {g: (path, sha) for g, path, sha in before["files"]}
    hashes: dict = {}
    changed: dict[ox.NamedNode, Path | None] = {}
    for g, p in order:
        hashes[g.value] = _sha(p)
        if g.value in old:
            if old[g.value][0] != str(Path(p).resolve()):
                raise FullBuild(f"{p} was {old[g.value][0]}")
            if old[g.value][1] == hashes[g.value]:
                continue
        changed[g] = p
    now_graphs = {g.value for g, _ in order}
    for g in old:
        if g not in now_graphs:
            changed[ox.NamedNode(g)] = None
    kept = [g.value for g, _ in order if g.value in old]
    if kept != [g for g in old if g in now_graphs]:
        raise FullBuild("the files are given in another order")
    return Plan(out, names, manifest, order, changed, hashes)


# ---------------------------------------------------------------------------------------------- rules as terms

@dataclass
class _TermRules:
    """The compiled rules with Oxigraph terms, indexed for lookups from either side."""

    implied: dict = field(default_factory=lambda: defaultdict(list))      # p -> [(q, flipped)]
    implied_by: dict = field(default_factory=lambda: defaultdict(list))   # q -> [(p, flipped)]
    transitive: set = field(default_factory=set)
    chains_first: dict = field(default_factory=lambda: defaultdict(list))   # p1 -> [(p2, q)]
    chains_second: dict = field(default_factory=lambda: defaultdict(list))  # p2 -> [(p1, q)]
    chains_head: dict = field(default_factory=lambda: defaultdict(list))    # q -> [(p1, p2)]
    domains: dict = field(default_factory=dict)
    ranges: dict = field(default_factory=dict)
    superclasses: dict = field(default_factory=dict)
    props: set = field(default_factory=set)
    tbox: set = field(default_factory=set)                 # (s, p, o)
    tbox_types: dict = field(default_factory=lambda: defaultdict(set))


def _term_rules(rules: Rules) -> _TermRules:
    t = from_rdflib
    r = _TermRules()
    for p, qs in rules.implied.items():
        for q, flipped in qs:
            r.implied[t(p)].append((t(q), flipped))
            r.implied_by[t(q)].append((t(p), flipped))
    r.transitive = {t(p) for p in rules.transitive}
    for p1, p2, q in rules.chains:
        r.chains_first[t(p1)].append((t(p2), t(q)))
        r.chains_second[t(p2)].append((t(p1), t(q)))
        r.chains_head[t(q)].append((t(p1), t(p2)))
    r.domains = {t(p): {t(c) for c in cs} for p, cs in rules.domains.items()}
    r.ranges = {t(p): {t(c) for c in cs} for p, cs in rules.ranges.items()}
    r.superclasses = {t(c): {t(d) for d in ds} for c, ds in rules.superclasses.items()}
    r.props = {t(p) for p in rules.properties}
    for s, p, o in rules.tbox:
        triple = (t(s), t(p), t(o))
        r.tbox.add(triple)
        if triple[1] == RDF_TYPE:
            r.tbox_types[triple[0]].add(triple[2])
    return r


def _text(term) -> str:
    return str(term)  # N-Triples


def _term(text: str):
    if text.startswith("<"):
        return ox.NamedNode(text[1:-1])
    if text.startswith("_:"):
        return ox.BlankNode(text[2:])
    return next(iter(ox.parse(f"<x:s> <x:p> {text} .", format=ox.RdfFormat.N_TRIPLES))).object


def _rules_json(r: _TermRules) -> dict:
    t = _text
    return {
        "implied": [[t(p), t(q), f] for p, qs in r.implied.items() for q, f in qs],
        "transitive": sorted(t(p) for p in r.transitive),
        "chains": [[t(p1), t(p2), t(q)] for q, pairs in r.chains_head.items() for p1, p2 in pairs],
        "domains": {t(p): sorted(t(c) for c in cs) for p, cs in r.domains.items()},
        "ranges": {t(p): sorted(t(c) for c in cs) for p, cs in r.ranges.items()},
        "superclasses": {t(c): sorted(t(d) for d in ds) for c, ds in r.superclasses.items()},
        "props": sorted(t(p) for p in r.props),
        "tbox": sorted([t(s), t(p), t(o)] for s, p, o in r.tbox),
    }


def _rules_from_json(d: dict) -> _TermRules:
    t = _term
    r = _TermRules()
    for p, q, flipped in d["implied"]:
        r.implied[t(p)].append((t(q), flipped))
        r.implied_by[t(q)].append((t(p), flipped))
    r.transitive = {t(p) for p in d["transitive"]}
    for p1, p2, q in d["chains"]:
        r.chains_first[t(p1)].append((t(p2), t(q)))
        r.chains_second[t(p2)].append((t(p1), t(q)))
        r.chains_head[t(q)].append((t(p1), t(p2)))
    r.domains = {t(p): {t(c) for c in cs} for p, cs in d["domains"].items()}
    r.ranges = {t(p): {t(c) for c in cs} for p, cs in d["ranges"].items()}
    r.superclasses = {t(c): {t(x) for x in ds} for c, ds in d["superclasses"].items()}
    r.props = {t(p) for p in d["props"]}
    for s, p, o in d["tbox"]:
        triple = (t(s), t(p), t(o))
        r.tbox.add(triple)
        if triple[1] == RDF_TYPE:
            r.tbox_types[triple[0]].add(triple[2])
    return r


def _patterns_json(patterns: set) -> list:
    return sorted(([[[kind, str(term)] for kind, term in targets],
                    [[None if p is None else p.value, inverse] for p, inverse in steps]]
                   for targets, steps in patterns), key=json.dumps)


def _patterns_from_json(data: list) -> set:
    return {(tuple((kind, _term(term)) for kind, term in targets),
             tuple((None if p is None else ox.NamedNode(p), inverse) for p, inverse in steps))
            for targets, steps in data}


def write_state(path: Path, rules: Rules | _TermRules, patterns: set | None = None) -> None:
    """What an update of this build needs besides the store (the build writes it; each update rewrites it)."""
    term_rules = rules if isinstance(rules, _TermRules) else _term_rules(rules)
    state: dict = {"format": FORMAT, "rules": _rules_json(term_rules)}
    if patterns is not None:
        state["patterns"] = _patterns_json(patterns)
    path.write_text(json.dumps(state), encoding="utf-8")


def _read_state(path: Path) -> dict:
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) and state.get("format") == FORMAT else {}


def _patterns(state: dict, names: Names, cache_dir: Path | None) -> set:
    """The shapes' read patterns: from the build's state, else the cache (keyed by the shapes' content), else
    computed (about a second: rdflib parses the SPARQL constraints)."""
    from wpsgraph.validation.engines import compiled_shapes

    if "patterns" in state:
        try:
            return _patterns_from_json(state["patterns"])
        except (TypeError, ValueError):
            pass  # written by an older wpsgraph: computed again
    key = hashlib.sha256(b"patterns 2" + json.dumps(_fixed_inputs(names)["shapes"]).encode() + names.base.encode()
                         + __version__.encode()).hexdigest()[:20]
    cache = Path(cache_dir) / f"read-patterns-{key}.json" if cache_dir is not None else None
    if cache is not None and cache.exists():
        try:
            return _patterns_from_json(json.loads(cache.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            pass
    patterns = read_patterns(compiled_shapes([resources.DATA_SHAPES], names))
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            part = cache.with_suffix(f".{os.getpid()}.tmp")
            part.write_text(json.dumps(_patterns_json(patterns)), encoding="utf-8")
            part.replace(cache)
        except OSError:
            pass  # a cache that cannot be written is only slower
    return patterns


def _literal(term) -> bool:
    return isinstance(term, ox.Literal)


# ---------------------------------------------------------------------------------------------- the update

class _Old:
    """Lookups in the previous build's store (all graphs: asserted and inferred), cached."""

    def __init__(self, store: ox.Store, inferred: ox.NamedNode):
        self.store, self.inferred = store, inferred
        self._out: dict = {}
        self._in: dict = {}
        self._has: dict = {}

    def out(self, s, p) -> set:
        key = (s, p)
        if key not in self._out:
            self._out[key] = set() if _literal(s) else {q.object for q in self.store.quads_for_pattern(s, p, None)}
        return self._out[key]

    def into(self, o, p) -> set:
        key = (o, p)
        if key not in self._in:
            self._in[key] = {q.subject for q in self.store.quads_for_pattern(None, p, o)}
        return self._in[key]

    def has(self, t) -> bool:
        if t not in self._has:
            s, p, o = t
            self._has[t] = not _literal(s) and next(iter(self.store.quads_for_pattern(s, p, o)), None) is not None
        return self._has[t]

    def graphs_of(self, t) -> set:
        s, p, o = t
        return set() if _literal(s) else {q.graph_name for q in self.store.quads_for_pattern(s, p, o)}


class _Closure:
    """The entailment closure being maintained: the old closure, less ``gone``, plus ``added``."""

    def __init__(self, old: _Old):
        self.old = old
        self.gone: set = set()
        self.added: set = set()
        self._gone_out: dict = defaultdict(set)
        self._gone_in: dict = defaultdict(set)
        self._added_out: dict = defaultdict(set)
        self._added_in: dict = defaultdict(set)

    def remove(self, t):
        self.gone.add(t)
        self._gone_out[t[0], t[1]].add(t[2])
        self._gone_in[t[2], t[1]].add(t[0])

    def add(self, t):
        self.added.add(t)
        self._added_out[t[0], t[1]].add(t[2])
        self._added_in[t[2], t[1]].add(t[0])

    def has(self, t) -> bool:
        return t in self.added or (t not in self.gone and self.old.has(t))

    def out(self, s, p) -> set:
        found = self.old.out(s, p)
        gone = self._gone_out.get((s, p))
        if gone:
            found = found - gone
        more = self._added_out.get((s, p))
        return found | more if more else found

    def any_out(self, s, p) -> bool:
        """Whether ``s`` has a ``p`` statement (without reading them all, for nodes with many)."""
        if self._added_out.get((s, p)):
            return True
        gone = self._gone_out.get((s, p), ())
        return any(q.object not in gone for q in self.old.store.quads_for_pattern(s, p, None))

    def any_into(self, o, p) -> bool:
        if self._added_in.get((o, p)):
            return True
        gone = self._gone_in.get((o, p), ())
        return any(q.subject not in gone for q in self.old.store.quads_for_pattern(None, p, o))

    def into(self, o, p) -> set:
        found = self.old.into(o, p)
        gone = self._gone_in.get((o, p))
        if gone:
            found = found - gone
        more = self._added_in.get((o, p))
        return found | more if more else found


def _consequences(t, rules: _TermRules, closure) -> list:
    """The statements one rule application derives from ``t`` with the statements of ``closure``."""
    s, p, o = t
    out = []
    for q, flipped in rules.implied.get(p, ()):
        if not flipped:
            out.append((s, q, o))
        elif not _literal(o):
            out.append((o, q, s))
    if p in rules.transitive:
        out += [(s, p, z) for z in closure.out(o, p)]
        out += [(x, p, o) for x in closure.into(s, p)]
    for p2, q in rules.chains_first.get(p, ()):
        out += [(s, q, z) for z in closure.out(o, p2)]
    for p1, q in rules.chains_second.get(p, ()):
        out += [(x, q, o) for x in closure.into(s, p1)]
    return out


def _derivable(t, rules: _TermRules, closure) -> bool:
    """Whether ``t`` follows in one rule application from the statements of ``closure``."""
    s, q, o = t
    for p, flipped in rules.implied_by.get(q, ()):
        if closure.has((o, p, s) if flipped else (s, p, o)):
            return True
    if q in rules.transitive:
        for y in closure.out(s, q):
            if closure.has((y, q, o)):
                return True
    for p1, p2 in rules.chains_head.get(q, ()):
        for y in closure.out(s, p1):
            if closure.has((y, p2, o)):
                return True
    return False


@dataclass
class Delta:
    """What an update changes."""

    asserted_removed: dict = field(default_factory=dict)    # graph -> set of (s, p, o)
    asserted_added: dict = field(default_factory=dict)
    inferred_removed: set = field(default_factory=set)
    inferred_added: set = field(default_factory=set)

    def triples(self) -> set:
        out = set(self.inferred_removed) | self.inferred_added
        for ts in list(self.asserted_removed.values()) + list(self.asserted_added.values()):
            out |= ts
        return out


def _graph_triples(store: ox.Store, graph) -> set:
    return {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)}


def maintain(store: ox.Store, names: Names, rules: _TermRules, new_graphs: dict) -> Delta:
    """The changes to bring ``store`` (the previous build) to the new asserted graphs ``new_graphs`` (graph -> set
    of triples, an empty set for a removed graph), with the inferred graph maintained. Reads ``store`` only."""
    inferred = names.inferred_graph
    old = _Old(store, inferred)
    delta = Delta()
    new_asserted: set = set()
    for g, triples in new_graphs.items():
        before = _graph_triples(store, g)
        delta.asserted_removed[g] = before - triples
        delta.asserted_added[g] = triples - before
        new_asserted |= triples
    changed = set(new_graphs) | {inferred}

    def asserted_now(t) -> bool:
        return t in new_asserted or bool(old.graphs_of(t) - changed)

    def asserted_before(t) -> bool:
        return bool(old.graphs_of(t) - {inferred})

    retracted = {t for ts in delta.asserted_removed.values() for t in ts if not asserted_now(t)}
    asserted = {t for ts in delta.asserted_added.values() for t in ts if not asserted_before(t)}

    # Properties: delete and rederive.
    closure = _Closure(old)
    base = rules.tbox
    todo = [t for t in retracted if t[1] in rules.props and t not in base]
    while todo:
        t = todo.pop()
        if t in closure.gone:
            continue
        closure.remove(t)
        for u in _consequences(t, rules, old):
            if u not in closure.gone and u not in base and not asserted_now(u):
                todo.append(u)
    todo = [t for t in closure.gone if _derivable(t, rules, closure)]
    todo += [t for t in asserted if t[1] in rules.props]
    while todo:
        t = todo.pop()
        if closure.has(t):
            continue
        closure.add(t)
        todo += [u for u in _consequences(t, rules, closure) if not closure.has(u)]
    edges_gone = closure.gone - closure.added
    edges_new = closure.added - closure.gone

    # Classes: the types of every node whose typing premises changed, recomputed.
    nodes = set()
    for s, p, o in edges_gone | edges_new:
        if p in rules.domains:
            nodes.add(s)
        if p in rules.ranges and not _literal(o):
            nodes.add(o)
    for s, p, _ in retracted | asserted:
        if p == RDF_TYPE:
            nodes.add(s)
    asserted_types = defaultdict(set)
    for s, p, o in new_asserted:
        if p == RDF_TYPE:
            asserted_types[s].add(o)
    types_gone, types_new = set(), set()
    new_types: dict = {}
    for n in nodes:
        if _literal(n):
            continue
        before = old.out(n, RDF_TYPE)
        classes = {c for c in before if asserted_now((n, RDF_TYPE, c))} | asserted_types.get(n, set())
        classes |= rules.tbox_types.get(n, set())
        for p, cs in rules.domains.items():
            if not cs <= classes and closure.any_out(n, p):
                classes |= cs
        for p, cs in rules.ranges.items():
            if not cs <= classes and closure.any_into(n, p):
                classes |= cs
        for c in list(classes):
            classes |= rules.superclasses.get(c, set())
        new_types[n] = classes
        types_gone |= {(n, RDF_TYPE, c) for c in before - classes}
        types_new |= {(n, RDF_TYPE, c) for c in classes - before}

    def entailed_now(t) -> bool:
        s, p, o = t
        if p == RDF_TYPE and s in new_types:
            return o in new_types[s]
        return closure.has(t)

    # The inferred graph: what is entailed and not asserted, and the entailed TBox.
    candidates = edges_gone | edges_new | types_gone | types_new | retracted | asserted
    for t in candidates:
        if _literal(t[0]) or (t[1] != RDF_TYPE and t[1] not in rules.props and t not in base):
            continue
        now = t in base or (entailed_now(t) and not asserted_now(t))
        was = inferred in old.graphs_of(t)
        if now and not was:
            delta.inferred_added.add(t)
        elif was and not now:
            delta.inferred_removed.add(t)
    return delta


# ---------------------------------------------------------------------------------------------- validation scope

class _Unbounded(Exception):
    """A shape reads the data in a way whose reach is not bounded by its paths: validate everything."""


_WILD = None  # any predicate
_MAX_NESTING = 8


def read_patterns(compiled) -> set:
    """Every way the shapes read the data from a focus node: (targets, steps), where ``targets`` are the targets
    of the shape the focus node is validated against (as sorted (kind, term) pairs) and ``steps`` a tuple of
    (predicate or None for any, inverse), each step read from the node the steps before it reach. Raises
    _Unbounded for what has no such bound (zero-or-more paths, deeply nested shapes, SPARQL reading past the
    focus and value nodes)."""
    patterns: set = set()
    targets: tuple = ()

    def add(steps: tuple) -> None:
        for i in range(1, len(steps) + 1):
            patterns.add((targets, steps[:i]))

    def expand(path) -> list:
        kind, arg = path
        if kind == "pred":
            return [((arg, False),)]
        if kind == "inv":
            return [tuple((p, not inv) for p, inv in reversed(seq)) for seq in expand(arg)]
        if kind == "seq":
            out = [()]
            for part in arg:
                out = [a + b for a in out for b in expand(part)]
            return out
        if kind == "alt":
            return [seq for part in arg for seq in expand(part)]
        raise _Unbounded(f"sh:{kind} path")

    def visit(shape, at: tuple, depth: int) -> None:
        if depth > _MAX_NESTING:
            raise _Unbounded("nested shapes")
        values = [at + steps for steps in expand(shape.path)] if shape.is_property else [at]
        for v in values:
            add(v)
        for component, param in shape.constraints:
            if component == "class":
                for v in values:
                    add(v + ((RDF_TYPE, False),))
            elif component in ("node", "not"):
                for v in values:
                    visit(param, v, depth + 1)
            elif component in ("and", "or", "xone"):
                for inner in param:
                    for v in values:
                        visit(inner, v, depth + 1)
            elif component in ("qualifiedMinCount", "qualifiedMaxCount"):
                for v in values:
                    visit(param[0], v, depth + 1)
            elif component in ("equals", "disjoint", "lessThan", "lessThanOrEquals"):
                add(at + ((param, False),))
            elif component == "closed":
                for v in values:
                    add(v + ((_WILD, False),))
            elif component == "sparql":
                for anchor, step in _sparql_reads(param):
                    for v in ([at] if anchor == "this" else values):
                        add(v + (step,))
        for prop in shape.properties:
            for v in values:
                visit(prop, v, depth + 1)

    for root in compiled.roots:
        targets = tuple(sorted(((kind, term) for kind, term in root.targets), key=lambda t: (t[0], str(t[1]))))
        for kind, term in root.targets:
            if kind == "targetClass":
                add(((RDF_TYPE, False),))
            elif kind == "targetSubjectsOf":
                add(((term, False),))
            elif kind == "targetObjectsOf":
                add(((term, True),))
        visit(root, (), 0)
    return patterns


def _sparql_reads(constraint: dict) -> list:
    """The steps a SPARQL constraint reads from ``$this`` and from ``?value`` (the values of ``$PATH``)."""
    from rdflib.paths import Path as RdflibPath
    from rdflib.plugins.sparql import prepareQuery

    this, value, path = rdflib.Variable("this"), rdflib.Variable("value"), rdflib.Variable("PATH")
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in constraint["prefixes"].items())
    try:
        algebra = prepareQuery(head + constraint["select"]).algebra
    except Exception as e:  # the engine runs the query with Oxigraph; rdflib may not read every form of it
        raise _Unbounded(f"SPARQL constraint {constraint['node']} ({e})") from None
    triples: list = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if getattr(node, "name", None) == "BGP":
                triples.extend(node["triples"])
            for v in node.values():
                walk(v)
        elif isinstance(node, (list, tuple)):
            for v in node:
                walk(v)

    walk(algebra)
    reads = []
    for s, p, o in triples:
        if p == path:
            if (s, o) != (this, value):
                raise _Unbounded(f"SPARQL constraint {constraint['node']} uses $PATH otherwise than $this to ?value")
            continue
        step = from_rdflib(p) if isinstance(p, rdflib.URIRef) else _WILD
        if isinstance(p, RdflibPath):
            step = _WILD
        if s in (this, value):
            reads.append(("this" if s == this else "value", (step, False)))
        elif o in (this, value):
            reads.append(("this" if o == this else "value", (step, True)))
        else:
            raise _Unbounded(f"SPARQL constraint {constraint['node']} reads past $this and ?value")
    return reads


class _Targets:
    """Whether a node is a focus node of a shape (one of its targets), in a store's current state."""

    def __init__(self, store: ox.Store):
        self.store = store
        self._classes: dict = {}
        self._types: dict = {}
        self._memo: dict = {}

    def _subclasses(self, cls) -> set:
        if cls not in self._classes:
            classes, todo = {cls}, [cls]
            while todo:
                c = todo.pop()
                for q in self.store.quads_for_pattern(None, _SUBCLASS, c):
                    if q.subject not in classes:
                        classes.add(q.subject)
                        todo.append(q.subject)
            self._classes[cls] = classes
        return self._classes[cls]

    def __call__(self, node, targets: tuple) -> bool:
        key = (node, targets)
        if key not in self._memo:
            self._memo[key] = any(self._one(node, kind, term) for kind, term in targets)
        return self._memo[key]

    def _one(self, node, kind: str, term) -> bool:
        if kind == "targetNode":
            return node == term
        if kind == "targetObjectsOf":
            return next(iter(self.store.quads_for_pattern(None, term, node)), None) is not None
        if _literal(node):
            return False
        if kind == "targetSubjectsOf":
            return next(iter(self.store.quads_for_pattern(node, term, None)), None) is not None
        if node not in self._types:
            self._types[node] = {q.object for q in self.store.quads_for_pattern(node, RDF_TYPE, None)}
        return not self._types[node].isdisjoint(self._subclasses(term))


def affected_focus(changed: set, patterns: set, store: ox.Store) -> set:
    """The nodes whose validation can read one of the ``changed`` triples in ``store``'s current state: walked
    back from each changed triple along the steps of the read patterns that end with its predicate, kept when
    they are focus nodes of the pattern's shape."""
    by_last = defaultdict(list)
    for targets, steps in patterns:
        p, inverse = steps[-1]
        by_last[p].append((inverse, steps[:-1], targets))
    is_target = _Targets(store)
    memo: dict = {}

    def back(x, prefix: tuple) -> set:
        key = (x, prefix)
        if key in memo:
            return memo[key]
        nodes = {x}
        for q, inverse in reversed(prefix):
            step: set = set()
            for y in nodes:
                if inverse:
                    if not _literal(y):
                        step |= {t.object for t in store.quads_for_pattern(y, q, None)}
                else:
                    step |= {t.subject for t in store.quads_for_pattern(None, q, y)}
            nodes = step
        memo[key] = nodes
        return nodes

    focus = set()
    for s, p, o in changed:
        for key in (p, _WILD):
            for inverse, prefix, targets in by_last.get(key, ()):
                focus |= {f for f in back(o if inverse else s, prefix) if f not in focus and is_target(f, targets)}
    return focus


def reach(focus: set, patterns: set, store: ox.Store) -> dict:
    """Where the shapes read when validating ``focus``: (predicate, inverse) -> the nodes it is read from (the
    focus nodes that are targets of a pattern's shape, and the nodes its steps pass through)."""
    is_target = _Targets(store)
    need: dict = defaultdict(set)
    by_targets = defaultdict(set)
    for targets, steps in patterns:
        by_targets[targets].add(steps)
    for targets, all_steps in by_targets.items():
        frontier: dict = {(): {f for f in focus if is_target(f, targets)}}
        for steps in sorted(all_steps, key=len):
            start = frontier.get(steps[:-1])
            if not start:
                continue
            need[steps[-1]] |= start
            if not any(len(other) > len(steps) and other[:len(steps)] == steps for other in all_steps):
                continue
            q, inverse = steps[-1]
            found: set = set()
            for x in start:
                if inverse:
                    found.update(t.subject for t in store.quads_for_pattern(None, q, x))
                elif not _literal(x):
                    found.update(t.object for t in store.quads_for_pattern(x, q, None))
            frontier[steps] = found
    return need


def _read_many(store: ox.Store, nodes: set, p, inverse: bool) -> dict:
    """node -> its values along ``p`` (or its inverse), for the nodes that have some (a lookup per node: a query
    naming the nodes in VALUES is answered by a scan of the predicate)."""
    out: dict = {}
    for n in nodes:
        values: dict
        if inverse:
            values = dict.fromkeys(q.subject for q in store.quads_for_pattern(None, p, n))
        elif _literal(n):
            continue
        else:
            values = dict.fromkeys(q.object for q in store.quads_for_pattern(n, p, None))
        if values:
            out[n] = list(values)
    return out


class _OnDemand(dict):
    """A per-predicate index holding the nodes the shapes read it from, and read from the store for any other
    node asked about."""

    def __init__(self, store: ox.Store, p, inverse: bool, nodes: set):
        super().__init__()
        self.store, self.p, self.inverse = store, p, inverse
        self.asked: set = set(nodes)
        for n, values in _read_many(store, nodes, p, inverse).items():
            self[n] = values

    def get(self, node, default=None):
        if node not in self and node not in self.asked:
            self.asked.add(node)
            if self.inverse:
                values = [q.subject for q in self.store.quads_for_pattern(None, self.p, node)]
            elif _literal(node):
                values = []
            else:
                values = [q.object for q in self.store.quads_for_pattern(node, self.p, None)]
            if values:
                self[node] = list(dict.fromkeys(values))
        return super().get(node, default)


class NearData(Data):
    """The validator's view of a store for validating some focus nodes only: a predicate's index holds the nodes
    the shapes read that predicate from (``reach``), a class's instances the nodes whose types they read, each
    read with one lookup per node instead of a scan of every predicate and class in the store."""

    def __init__(self, store: ox.Store, focus: set, patterns: set):
        super().__init__(store)
        self.need = reach(focus, patterns, store)
        self._types = {n: set(values) for n, values in
                       _read_many(store, self.need.get((RDF_TYPE, False), set()), RDF_TYPE, False).items()}

    def _index(self, p, inverse: bool) -> dict:
        cache = self._in if inverse else self._out
        if p not in cache:
            cache[p] = _OnDemand(self.store, p, inverse, self.need.get((p, inverse), set()))
        return cache[p]

    def instances(self, cls) -> set:
        if cls not in self._instances:
            classes, todo = {cls}, [cls]
            while todo:
                c = todo.pop()
                for q in self.quads(None, _SUBCLASS, c):
                    if q.subject not in classes:
                        classes.add(q.subject)
                        todo.append(q.subject)
            self._instances[cls] = {n for n, types in self._types.items() if not types.isdisjoint(classes)}
        return self._instances[cls]


_SUBCLASS = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")


# ---------------------------------------------------------------------------------------------- dumps

def _key(term, prefixes: dict) -> bytes:
    """The text Oxigraph writes for ``term`` as a subject or graph name, with these prefixes."""
    text = ox.serialize([ox.Triple(term, RDF_TYPE, RDF_TYPE)], format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
    return _strip_prefixes(text).split(b" ", 1)[0]


def _strip_prefixes(text: bytes) -> bytes:
    return b"".join(line for line in text.splitlines(keepends=True) if not line.startswith(b"@prefix "))


def _keys_pattern(keys: set, terminator: bytes) -> re.Pattern:
    """A pattern for a block opened by one of ``keys``: the keys as a trie, so that each line start costs a few
    byte comparisons however many keys there are."""
    trie: dict = {}
    for key in keys:
        node = trie
        for byte in key:
            node = node.setdefault(byte, {})
        node[None] = {}

    def emit(node: dict) -> bytes:
        branches = [re.escape(bytes([b])) + emit(child) for b, child in sorted(
            (b, c) for b, c in node.items() if b is not None)]
        if not branches:
            return b""
        if len(branches) == 1 and None not in node:
            return branches[0]
        group = b"(?:" + b"|".join(branches) + b")"
        return group + b"?" if None in node else group

    return re.compile(b"\n(" + emit(trie) + b")" + re.escape(terminator))


def splice(path: Path, target: Path, keys: set, blocks: bytes, trig: bool = False) -> None:
    """Write ``target``: the dump at ``path`` (Turtle, or TriG) less its blocks opened by one of ``keys`` (a
    subject, or a graph name), then ``blocks``."""
    data = path.read_bytes()
    cuts = []
    if keys:
        wanted = _keys_pattern(keys, b" {\n" if trig else b" ")
        head = wanted.match(b"\n" + data[:4096])
        starts = ([0] if head is not None else []) + [m.start() + 1 for m in wanted.finditer(data)]
        for start in starts:
            if trig:  # a graph's block ends with a line "}"
                end = data.find(b"\n}\n", start)
                cuts.append((start, end + 3 if end >= 0 else len(data)))
            else:     # a subject's block ends where the next line that is not indented starts
                following = _TTL_START.search(data, start + 1)
                cuts.append((start, following.start() + 1 if following else len(data)))
    with open(target, "wb") as f:
        at = 0
        for start, end in cuts:
            f.write(data[at:start])
            at = end
        f.write(data[at:])
        if blocks:
            if not data.endswith(b"\n"):
                f.write(b"\n")
            f.write(blocks)


_TTL_START = re.compile(rb"\n[^\t\n@]")


def _inferred_text(store: ox.Store, graph: ox.NamedNode, subjects: set) -> bytes:
    """The statements of ``subjects`` in ``graph``, as N-Triples (which is Turtle), written by Oxigraph."""
    iris = sorted(s.value for s in subjects if isinstance(s, ox.NamedNode))
    parts = []
    for i in range(0, len(iris), 2000):
        values = " ".join(f"<{iri}>" for iri in iris[i:i + 2000])
        result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph.value}> {{ VALUES ?s {{ {values} }} "
                             f"?s ?p ?o }} }}")
        assert isinstance(result, ox.QueryTriples)
        parts.append(result.serialize(format=ox.RdfFormat.N_TRIPLES) or b"")
    others = [ox.Triple(q.subject, q.predicate, q.object) for s in subjects if not isinstance(s, ox.NamedNode)
              for q in store.quads_for_pattern(s, None, None, graph)]
    if others:
        parts.append(ox.serialize(others, format=ox.RdfFormat.N_TRIPLES) or b"")
    return b"".join(parts)


# ---------------------------------------------------------------------------------------------- reports

def _merge_reports(out: Path, tmp: Path, new_report, focus: set, checked: int) -> dict:
    """validation.json and validation.ttl of the previous build, with the results about ``focus`` replaced by
    those of ``new_report``. Returns the merged JSON (for counts)."""
    from wpsgraph.validation.findings import RANK, rank, term_text
    from wpsgraph.validation.reports.jsonreport import report_dict

    texts = {term_text(f) for f in focus}
    old = json.loads((out / "validation.json").read_text(encoding="utf-8"))
    results = [r for r in old["results"] if r["focus"] not in texts] + report_dict(new_report)["results"]
    results.sort(key=lambda r: (r["file"] or "~", r["line"] or 0, r["column"] or 0, -rank(r["severity"]),
                                r["focus"] or "", r["path"] or "", r["message"]))
    counts = {"error": 0, "violation": 0, "warning": 0, "info": 0}
    for r in results:
        counts[r["severity"]] = counts.get(r["severity"], 0) + 1
    if not counts["error"]:
        del counts["error"]
    conforms = not any(rank(r["severity"]) >= RANK["violation"] for r in results)
    merged = {"conforms": conforms, "counts": counts, "checked_triples": checked, "results": results}
    (tmp / "validation.json").write_text(json.dumps(merged, indent=1), encoding="utf-8")

    graph = rdflib.Graph()
    graph.parse(out / "validation.ttl", format="turtle")
    sh = rdflib.Namespace(SH)
    report = next(graph.subjects(rdflib.RDF.type, sh.ValidationReport))
    for result in list(graph.objects(report, sh.result)):
        if term_text(from_rdflib(graph.value(result, sh.focusNode))) in texts:
            graph.remove((report, sh.result, result))
            _remove_tree(graph, result)
    fresh = new_report.report_graph
    fresh_report = next(fresh.subjects(rdflib.RDF.type, sh.ValidationReport))
    for t in fresh:
        if t[0] != fresh_report:
            graph.add(t)
    for result in fresh.objects(fresh_report, sh.result):
        graph.add((report, sh.result, result))
    graph.set((report, sh.conforms, rdflib.Literal(conforms)))
    graph.serialize(tmp / "validation.ttl", format="turtle")
    return merged


def _remove_tree(graph: rdflib.Graph, node) -> None:
    """Remove ``node``'s statements and, recursively, those of the blank nodes it points to (paths, lists)."""
    todo = [node]
    while todo:
        n = todo.pop()
        for _, p, o in list(graph.triples((n, None, None))):
            graph.remove((n, p, o))
            if isinstance(o, rdflib.BNode):
                todo.append(o)


def _old_foci(out: Path, texts: set) -> set:
    """Focus nodes of the previous report whose text is one of ``texts`` (a literal spelled like an IRI...)."""
    graph = rdflib.Graph()
    graph.parse(out / "validation.ttl", format="turtle")
    sh = rdflib.Namespace(SH)
    from wpsgraph.validation.findings import term_text

    found = {from_rdflib(f) for f in graph.objects(None, sh.focusNode)}
    return {f for f in found if term_text(f) in texts}


# ---------------------------------------------------------------------------------------------- the update

def update(p: Plan, say: Callable[[str], None], cache_dir: Path | None = None):
    """Bring the build in ``p.out`` up to date; returns a BuildResult."""
    from wpsgraph.folders import staging_folder
    from wpsgraph.pipeline.build import OUTPUTS, STORE_DIR, BuildResult, _swap
    from wpsgraph.validation.engines import run_fast
    from wpsgraph.validation.findings import Report
    from wpsgraph.validation.locate import locate

    names, out = p.names, p.out
    timings: dict[str, float] = {}
    clock = time.perf_counter()
    new_files = [path for g, path in p.order if g in p.changed]
    loaded = load(new_files, names)   # the changed files only, with the same checks as a full build
    if _schema_in_data(loaded):
        raise FullBuild("schema statements in the data (owlrl reasons)")
    ontology = names.ontology_graph
    countries_graph = names.graph_iri("reference", "countries")
    new_graphs: dict = {}
    for g in p.changed:
        new_graphs[g] = _graph_triples(loaded.store, g) if p.changed[g] is not None else set()
    timings["load"] = time.perf_counter() - clock
    say(f"load: {len(p.changed)} changed file(s) of {len(p.order)}: "
        + ", ".join(f"{'removed ' if path is None else ''}{(path or g.value).name if path else g.value}"
                    for g, path in list(p.changed.items())[:5])
        + (" ..." if len(p.changed) > 5 else "") + f" ({timings['load']:.2f} s)")

    tmp = staging_folder(out)
    try:
        clock = time.perf_counter()
        ox.Store.read_only(str(out / STORE_DIR)).backup(str(tmp / STORE_DIR))
        store = ox.Store(str(tmp / STORE_DIR))
        # The country codes mentioned now: the new files' ones, and the old ones still mentioned elsewhere.
        codes = set(loaded.countries)
        gone_graphs = set(p.changed) | {countries_graph, names.inferred_graph}
        prefix = names.id + "country/"
        for code in p.manifest["inputs"]["countries"]:
            if code not in codes and _mentioned(store, ox.NamedNode(prefix + code), gone_graphs):
                codes.add(code)
        new_graphs[countries_graph] = {(q.subject, q.predicate, q.object)
                                       for q in country_graph_quads(sorted(codes), names)}

        holder = Loaded(store, names)
        state = _read_state(out / OUTPUTS["incremental"])
        rules = _rules_from_json(state["rules"]) if "rules" in state else _term_rules(rules_for(holder, cache_dir))
        timings["prepare"] = time.perf_counter() - clock

        clock = time.perf_counter()
        delta = maintain(store, names, rules, new_graphs)
        timings["reason"] = time.perf_counter() - clock
        say(f"reason: +{len(delta.inferred_added)} -{len(delta.inferred_removed)} inferred triples "
            f"({timings['reason']:.2f} s)")

        clock = time.perf_counter()
        try:
            patterns: set | None = _patterns(state, names, cache_dir)
        except _Unbounded as e:
            say(f"validate: every focus node ({e})")
            patterns = None
        changed_triples = delta.triples()
        focus = affected_focus(changed_triples, patterns, store) if patterns is not None else set()
        _apply(store, names, delta)
        if patterns is not None:
            focus |= affected_focus(changed_triples, patterns, store)
        for s, _, o in (t for ts in list(delta.asserted_removed.values()) + list(delta.asserted_added.values())
                        for t in ts):
            focus |= {s, o}  # where their findings are located may change
        from wpsgraph.validation.findings import term_text
        focus |= _old_foci(out, {term_text(f) for f in focus})
        store.flush()
        timings["store"] = time.perf_counter() - clock

        clock = time.perf_counter()
        graphs: dict = {ontology: next(iter(resources.ontology_files()), None)}
        graphs.update(dict(p.order))
        graphs[countries_graph] = None
        view = Loaded(store, names, graphs, sorted(codes))
        findings = run_fast(store, [resources.DATA_SHAPES], names, focus=None if patterns is None else focus,
                            data=None if patterns is None else NearData(store, focus, patterns))
        if patterns is None:
            focus = {f.focus_node for f in findings} | _old_foci(out, {r["focus"] for r in json.loads(
                (out / OUTPUTS["findings"]).read_text(encoding="utf-8"))["results"]})
        old_counts = p.manifest["counts"]
        asserted_change = sum(len(v) for v in delta.asserted_added.values()) - \
            sum(len(v) for v in delta.asserted_removed.values())
        inferred_change = len(delta.inferred_added) - len(delta.inferred_removed)
        checked = json.loads((out / OUTPUTS["findings"]).read_text(encoding="utf-8"))["checked_triples"] + \
            asserted_change + inferred_change
        partial = Report(findings, checked)
        locate(partial.findings, view)
        merged = _merge_reports(out, tmp, partial, focus, checked)
        timings["validate"] = time.perf_counter() - clock
        c = merged["counts"]
        say(f"validate: {len(focus)} focus node(s) again; {c['violation']} violation(s), {c['warning']} warning(s) "
            f"({timings['validate']:.2f} s)")

        clock = time.perf_counter()
        prefixes = names.prefixes()
        per_graph = dict(old_counts["graphs"])
        for g in new_graphs:
            n = per_graph.get(g.value, 0) + len(delta.asserted_added[g]) - len(delta.asserted_removed[g])
            per_graph.pop(g.value, None)
            if n:
                per_graph[g.value] = n
        order = [g.value for g in graphs if g != names.inferred_graph]
        per_graph = {g: per_graph[g] for g in order if g in per_graph}
        trig_keys = {_key(g, prefixes) for g in new_graphs}
        fresh = [q for g in new_graphs for q in store.quads_for_pattern(None, None, None, g)]
        splice(out / OUTPUTS["dataset"], tmp / OUTPUTS["dataset"], trig_keys,
               _strip_prefixes(ox.serialize(fresh, format=ox.RdfFormat.TRIG, prefixes=prefixes) or b""), trig=True)
        # A subject that lost inferred statements is written anew (its blocks cut, its statements now appended);
        # one that only gained some gets them appended (Turtle lets a subject open several blocks).
        inferred = names.inferred_graph
        rewritten = {t[0] for t in delta.inferred_removed}
        appended = [ox.Triple(*t) for t in delta.inferred_added if t[0] not in rewritten]
        text = _inferred_text(store, inferred, rewritten)
        if appended:
            text += ox.serialize(appended, format=ox.RdfFormat.N_TRIPLES) or b""
        splice(out / OUTPUTS["inferred"], tmp / OUTPUTS["inferred"],
               {_key(s, prefixes) for s in rewritten} | {str(s).encode() for s in rewritten}, text)
        counts = {"asserted": sum(per_graph.values()), "inferred": old_counts["inferred"] + inferred_change,
                  "graphs": per_graph}
        timings["write"] = time.perf_counter() - clock
        inputs = {**_fixed_inputs(names), "files": [[g.value, str(Path(path).resolve()), p.hashes[g.value]]
                                                       for g, path in p.order],
                  "countries": sorted(codes)}
        manifest = {**p.manifest,
                    "files": {g.value: (str(path) if path else "generated") for g, path in graphs.items()},
                    "counts": counts, "seconds": {k: round(v, 3) for k, v in timings.items()},
                    "update": {"changed": {g.value: (str(path) if path else None) for g, path in p.changed.items()},
                               "focus_nodes": len(focus)},
                    "inputs": inputs}
        (tmp / OUTPUTS["manifest"]).write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        write_state(tmp / OUTPUTS["incremental"], rules, patterns)
        del store, view, holder
        _swap(tmp, out)
        say(f"write: {out} updated ({timings['write']:.2f} s)")
    except BaseException as e:
        # The staged store holds a RocksDB lock until it is freed: drop every reference to it (this frame's and
        # the failed calls') before removing it, so that a retry in this process can open the same path.
        store = view = holder = None  # type: ignore[assignment]  # noqa: F841
        traceback.clear_frames(e.__traceback__)
        gc.collect()
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    report = Report([], checked)
    report.findings = [_summary_finding(r) for r in merged["results"]]
    return BuildResult(out, report, counts, timings, "compiled")


def _summary_finding(r: dict):
    """A finding read back from validation.json, enough for counts and messages."""
    from wpsgraph.validation.findings import Finding, Location

    return Finding(severity=r["severity"], message=r["message"], check=r["check"],
                   location=Location(r["file"], r["line"], r["column"]) if r["file"] else None)


def _mentioned(store: ox.Store, node: ox.NamedNode, excluded: set) -> bool:
    graphs = " ".join(f"<{g.value}>" for g in excluded)
    return bool(store.query(f"ASK {{ GRAPH ?g {{ {{ <{node.value}> ?p ?o }} UNION {{ ?s ?p <{node.value}> }} }} "
                            f"FILTER(?g NOT IN ({graphs.replace(' ', ', ')})) }}"))


def _apply(store: ox.Store, names: Names, delta: Delta) -> None:
    inferred = names.inferred_graph
    for g, triples in delta.asserted_removed.items():
        for s, p, o in triples:
            store.remove(ox.Quad(s, p, o, g))
    for s, p, o in delta.inferred_removed:
        store.remove(ox.Quad(s, p, o, inferred))
    store.extend([ox.Quad(s, p, o, g) for g, triples in delta.asserted_added.items() for s, p, o in triples])
    store.extend([ox.Quad(s, p, o, inferred) for s, p, o in delta.inferred_added])


def try_update(data_files: Sequence[Path] | None, out: Path, names: Names, say: Callable[[str], None],
               cache_dir: Path | None = None):
    """An incremental update of ``out`` when it can be done; None (after saying why) when a full build is needed."""
    try:
        p = plan(data_files, out, names)
        if not p.changed:
            say(f"up to date: no data file changed since {out} was built; nothing written")
            return _unchanged(out, p.manifest)
        return update(p, say, cache_dir)
    except FullBuild as e:
        if (out / "manifest.json").exists():
            say(f"full build: {e}")
        return None


def _unchanged(out: Path, manifest: dict):
    from wpsgraph.pipeline.build import OUTPUTS, BuildResult
    from wpsgraph.validation.findings import Report

    old = json.loads((out / OUTPUTS["findings"]).read_text(encoding="utf-8"))
    report = Report([_summary_finding(r) for r in old["results"]], old["checked_triples"])
    return BuildResult(out, report, manifest["counts"], {}, manifest.get("reasoner", ""))
