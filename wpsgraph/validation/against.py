"""`wpsgraph validate FILE --db BUILD`: a contributor's file checked against a built graph of any size, with the
results a full build of that graph plus the file would give, without rebuilding or copying it.

1. The build's store is opened read-only. The file's new entailments are worked out on a small store: the build's
   statements (asserted and inferred) around the file's resources along the properties the OWL RL rules use, plus
   the file: the build is already closed, so what the file adds follows within a few steps of it (the property
   test in tests/test_against_build.py holds this to a full rebuild).
2. The changes (the file's statements, the new entailments, the new country records) give the focus nodes they
   can affect (``shacl/reach.py``); what every shape reads around them is copied into a second small store (the
   view, ``view_of``: along each shape's tree of reads, a value checked by ``sh:class`` with its memberships of the
   classes asked about, not its whole description), and only those focus nodes are validated there. What does not
   depend on the file (the build's lists of the instances of classes and the subjects of properties asked about for
   many nodes) is kept in the cache folder, keyed by the build.
3. A file that replaces a graph of the build takes statements away as well, so it is checked as an update of a
   scratch copy of the build's store instead (``pipeline/incremental/trial.py``, called by the command). Where
   neither can be bounded (a shape whose reading is unbounded, schema axioms in the file, a build the update
   cannot start from) the whole build is copied into memory and validated as ``validate FILE`` does for the
   shipped graph, and the report says so.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from wpsgraph.bulk import load_keeping_blank_nodes
from wpsgraph.errors import InputError
from wpsgraph.namespaces import Names
from wpsgraph.pipeline.load import Loaded, graph_for
from wpsgraph.validation import prepared
from wpsgraph.validation.shacl import reach
from wpsgraph.validation.shacl.data import Data
from wpsgraph.validation.shacl.engine import Engine

BASE_INFERRED = ox.NamedNode("urn:wpsgraph:build-inferred")  # the build's entailments, kept apart while reasoning
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SUBCLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")


class Build:
    """A build folder, opened read-only: its store, base IRI and the files of its graphs."""

    def __init__(self, folder: Path):
        folder = Path(folder)
        manifest = folder / "manifest.json"
        try:
            doc = json.loads(manifest.read_text(encoding="utf-8"))
            self.names = Names(doc["base"])
            self.files = {ox.NamedNode(g): (Path(p) if p != "generated" else None) for g, p in doc["files"].items()}
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise InputError(folder, f"not a wpsgraph build folder (no readable manifest.json: {e})") from None
        from wpsgraph.pipeline.build import open_store

        self.store = open_store(folder)
        self.folder = folder

    def compiled_rules(self) -> dict | None:
        """The compiled OWL RL rules the build wrote (``reason.rules_doc``), if any: ``rules_for`` takes them only
        for the key of the ontology and code it is given, so a build of another version is not trusted."""
        from wpsgraph.pipeline.build import OUTPUTS
        from wpsgraph.pipeline.incremental.state import read_state

        rules = read_state(self.folder / OUTPUTS["incremental"]).get("rules")
        return rules if isinstance(rules, dict) else None

    def key(self) -> str:
        """What identifies this build's content for caches: its folder, manifest and the files of its store (a
        rebuild or an update writes new ones)."""
        import hashlib

        h = hashlib.sha256(str(self.folder.resolve()).encode() + b"\0")
        h.update((self.folder / "manifest.json").read_bytes())
        store = (self.folder / "store").resolve()
        if store.is_dir():
            for f in sorted(store.iterdir()):
                st = f.stat()
                h.update(f"{f.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
        return h.hexdigest()[:24]

    def quads(self, s, p, o, g=None):
        return self.store.quads_for_pattern(s, p, o, g)


def _union(base: ox.Store, overlay: ox.Store):
    """quads(s, p, o) over the build and the small overlay of new statements (asked only about its own nodes)."""
    nodes = {t for q in overlay for t in (q.subject, q.object)}
    find, find_new = base.quads_for_pattern, overlay.quads_for_pattern

    def quads(s, p, o):
        found = list(find(s, p, o, None))
        if (s is None or s in nodes) and (o is None or o in nodes):
            found += find_new(s, p, o, None)
        return found
    return quads


def _triples(quads) -> set:
    return {(q.subject, q.predicate, q.object) for q in quads}


def prepare(build: Build, files: list[Path], parsed: dict, cache) -> tuple:
    """(loaded, focus, data graphs, error finding, note) for ``files`` added to the build, as command._add gives for
    the shipped graph: ``loaded`` holds what validation reads (all of the build when it fell back to a full copy)."""
    from wpsgraph.validation.command import _schema_axiom, syntax_error

    names = build.names
    graphs = [graph_for(p, names) for p in files]
    reason_for = None
    if any(g in build.files for g in graphs):
        reason_for = "a file replaces a graph of the build"
    elif any(_schema_axiom(q) for p in files for q in parsed[p]):
        reason_for = "the file states schema axioms"
    if reason_for is not None:
        return _full(build, files, parsed, cache, reason_for)

    from wpsgraph.pipeline import load as load_module

    new_quads = [q for p in files for q in parsed[p]]
    staging = ox.Store()
    staging.extend(new_quads)
    try:
        countries = [q for q in load_module._country_quads(staging, names, [(g, p) for g, p in zip(graphs, files)])
                     if not any(True for _ in build.quads(q.subject, q.predicate, q.object, q.graph_name))]
    except InputError as e:
        return None, None, [], syntax_error(e), None

    ontology_quads = list(build.quads(None, None, None, names.ontology_graph))
    inferred = entailments(build, new_quads + countries, cache, ontology_quads)
    if inferred is None:
        return _full(build, files, parsed, cache, "the file's entailments reach too far")
    mentioned = {t for q in new_quads for t in (q.subject, q.object) if not isinstance(t, ox.Literal)}

    # 2. what the changes can affect, and the statements the shapes read around it
    overlay = ox.Store()
    overlay.extend(new_quads)
    overlay.extend(countries)
    overlay.extend(inferred)
    # a statement the build already makes (a file restating a type or a label) changes nothing
    changed = {t for t in _triples(new_quads) if not any(True for _ in build.quads(*t))}
    changed |= _triples(countries) | _triples(inferred)
    from wpsgraph import resources
    from wpsgraph.validation.engines import compiled_shapes

    compiled = compiled_shapes([resources.DATA_SHAPES], names)
    quads = _union(build.store, overlay)
    focus = reach.restrictions(compiled, quads, sorted(changed, key=str), mentioned | {q.subject for q in new_quads})
    if focus is None:
        return _full(build, files, parsed, cache, "a shape's reading cannot be bounded")
    view = view_of(build, compiled, focus, overlay, ontology_quads, cache)
    files_of: dict = {g: p for g, p in build.files.items() if p is not None and p.exists()}
    files_of.update(zip(graphs, files))
    loaded = Loaded(view, names, files_of)
    loaded.located_in = Loaded(_Union(build.store, overlay), names, files_of)  # type: ignore[attr-defined,arg-type]
    return loaded, focus, graphs, None, None


def view_of(build: Build, compiled, focus: set, overlay: ox.Store, ontology_quads: list, cache) -> ox.Store:
    """A small store that answers validation of ``focus`` as the build with ``overlay`` added would: what each
    shape reads around its focus nodes, copied from the build. First what makes the focus nodes targets (their
    types, the properties shapes target), then along each shape's tree of reads (``reach.reads``: the statements
    of its paths, a value's membership of the classes a sh:class names), set at a time; a shape whose reads are not
    such a tree is walked along its reach (``_walk``)."""
    view = ox.Store()
    view.extend(ontology_quads)
    view.extend(ox.Quad(q.subject, q.predicate, q.object) for q in build.quads(None, SUBCLASS_OF, None))
    view.extend(overlay)
    copy = _Copier(build.store, view, build, cache)
    try:
        target_out, target_in = {RDF_TYPE}, set()
        for shape in compiled.roots:
            for kind, term in shape.targets:
                if kind == "targetSubjectsOf":
                    target_out.add(term)
                elif kind == "targetObjectsOf":
                    target_in.add(term)
        copy.along(focus, target_out, False)
        copy.along(focus, target_in, True)
        engine = Engine(compiled, Data(view))
        trees: dict = {}
        walked: list = []
        for shape in compiled.roots:
            mine = frozenset(engine.focus_nodes(shape, focus))
            if not mine:
                continue
            tree = reach.reads(shape)
            if tree is None:
                walked.append((shape, mine))
            elif mine in trees:
                trees[mine].merge(tree)
            else:
                trees[mine] = tree
        for mine, tree in trees.items():
            copy.fetch(tree, mine)
        copy.statements_of({n for _, mine in walked for n in mine})  # where the walk starts
        _walk(copy, walked, {})
    finally:
        copy.close()
    return view


def _walk(copy: _Copier, walked: list, memo: dict) -> None:
    """Copy what the shapes of ``walked`` ((shape, its focus nodes)) read, walking their reach step by step: shapes
    that read at most one step away are walked together (their paths merged: a step further is never taken, so
    merging adds little); each deeper shape on its own, so that a hub reached in one step is not left through another
    shape's properties."""
    groups: dict = {}
    for shape, mine in walked:
        r = reach.of(shape, memo)
        shallow = r.depth is not None and r.depth <= 1 and r.read_out in (reach.NEVER, 0, 1) \
            and r.read_in in (reach.NEVER, 0, 1) and not r.walk_any
        key = ("shallow", r.depth) if shallow else ("deep", id(shape))
        merged, nodes = groups.setdefault(key, (reach.Reach(depth=0), set()))
        merged.add(r, 0)
        nodes |= mine
    for r, mine in groups.values():
        level, seen, steps = set(mine), set(mine), 0
        while level:
            if r.read_in is None or (r.read_in != reach.NEVER and steps <= r.read_in) or r.walk_any:
                copy.statements_into(level)
            if r.depth is not None and steps >= r.depth:
                break
            nxt = copy.neighbours(level, None if r.walk_any else r.forward, None if r.walk_any else r.inverse)
            steps += 1
            level = nxt - seen
            seen |= level
            copy.statements_of(level)


def entailments(build: Build, new_quads: list, cache, ontology_quads: list | None = None) -> list | None:
    """The statements that follow from ``new_quads`` added to the build and are not in it yet (OWL RL, the compiled
    rules); None if they could not be bounded. ``ontology_quads``: the build's ontology graph, if already read."""
    from wpsgraph.pipeline.reason import reason, rules_for

    names = build.names
    # 1. the file's entailments, worked out on a small store: the ontology, the file, and the build's statements
    # that rules join the new statements with. The build is closed, so only transitive properties and the steps of
    # property chains join a new statement with old ones, at its ends: those statements are copied, the small store
    # is reasoned again, and so on from the new entailments until a round copies nothing (semi-naive evaluation).
    small = ox.Store()
    small.extend(build.quads(None, None, None, names.ontology_graph) if ontology_quads is None else ontology_quads)
    ontology = Loaded(small, names, {names.ontology_graph: None})
    rules = rules_for(ontology, cache, offered=build.compiled_rules())  # the build's own: no ontology to close
    transitive = {ox.NamedNode(str(p)) for p in rules.transitive}
    second: dict = {}   # p1 -> [p2] of chains p1/p2
    first: dict = {}    # p2 -> [p1]
    for p1, p2, _ in rules.chains:
        second.setdefault(ox.NamedNode(str(p1)), []).append(ox.NamedNode(str(p2)))
        first.setdefault(ox.NamedNode(str(p2)), []).append(ox.NamedNode(str(p1)))
    small.extend(new_quads)
    copied: set = set()
    in_build: dict = {}  # statement -> whether the build makes it (asked once, whatever the round)
    joined: set = set()  # statements whose joins with the build have been copied

    def made(t) -> bool:
        if t not in in_build:
            in_build[t] = any(True for _ in build.quads(*t))
        return in_build[t]

    def reasoned() -> list:
        graphs_small: dict = dict.fromkeys(small.named_graphs())
        reason(Loaded(small, names, graphs_small), cache_dir=cache)
        return [q for q in small.quads_for_pattern(None, None, None, names.inferred_graph)
                if not made((q.subject, q.predicate, q.object))]

    inferred: list = []  # the new statements' own joins are copied before the first reasoning (a round fewer)
    for round_ in range(100):
        need: list = []
        for s_, p, o in [(q.subject, q.predicate, q.object) for q in inferred + new_quads]:
            if (s_, p, o) in joined:  # its joins were copied in an earlier round
                continue
            joined.add((s_, p, o))
            if p in transitive:
                need += build.quads(None, p, s_)
                if not isinstance(o, ox.Literal):
                    need += build.quads(o, p, None)
            if not isinstance(o, ox.Literal):
                for p2 in second.get(p, ()):
                    need += build.quads(o, p2, None)
            for p1 in first.get(p, ()):
                need += build.quads(None, p1, s_)
        fresh = [q for q in need if (q.subject, q.predicate, q.object) not in copied]
        if not fresh and round_:
            return inferred
        for q in fresh:
            copied.add((q.subject, q.predicate, q.object))
            small.add(ox.Quad(q.subject, q.predicate, q.object,
                              BASE_INFERRED if q.graph_name == names.inferred_graph else q.graph_name))
        inferred = reasoned()
    return None


def _full(build: Build, files: list[Path], parsed: dict, cache, why: str) -> tuple:
    """The whole build copied into memory (without its entailments, which are worked out again) and the files added
    to it as to the shipped graph."""
    from wpsgraph.validation.command import _add

    store = ox.Store()
    store.bulk_extend(q for q in build.quads(None, None, None) if q.graph_name != build.names.inferred_graph)
    graphs = dict(build.files)
    base = Loaded(store, build.names, graphs)
    from wpsgraph.pipeline.reason import reason

    reason(base, cache_dir=cache)
    loaded, focus, data_graphs, error, note = _add(base, files, parsed, build.names, cache)
    return loaded, focus, data_graphs, error, note or f"validated against a full copy of the build: {why}"






class _Copier:
    """Copies statements from the build into the view, a set of nodes at a time, each node once."""

    def __init__(self, build: ox.Store, view: ox.Store, of: Build | None = None, cache: Path | None = None):
        self.build, self.view = build, view
        self.of, self.cache = of, cache
        self.members: dict = {}  # class -> the N-Triples text of the build's instances of it, once read
        self.used: dict = {}
        self.out_done: set = set()   # nodes every statement about which is in the view
        self.in_done: set = set()    # nodes every statement into which is in the view
        self.along_done: set = set()  # (node, predicate, inverse) whose statements are in the view
        self.member_done: dict = {}  # class -> the nodes (N-Triples) whose membership of it the view answers
        self.prepared = prepared.lists_folder(of.folder) if of is not None else None  # lists the build wrote
        self.pool: Any = None  # threads for many queries (``_all_triples``), shut down by ``close``

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
            self.pool = None

    def fetch(self, tree: reach.Read, nodes) -> None:
        """Copy what ``tree`` reads from ``nodes`` and, along its predicates, from the nodes they reach."""
        nodes = {n for n in nodes if not isinstance(n, ox.Literal)}
        if not nodes:
            return
        if tree.all_out:
            self.statements_of(nodes)
        if tree.all_in:
            self.statements_into(nodes)
        self.along(nodes, set(tree.out), False)
        self.along(nodes, set(tree.into), True)
        if tree.classes:
            self.memberships(nodes, tree.classes)
        for inverse, children in ((False, tree.out), (True, tree.into)):
            for p, child in children.items():
                if child.classes or child.out or child.into or child.all_out or child.all_in:
                    reached: set = (
                        {q.subject for n in nodes for q in self.view.quads_for_pattern(None, p, n, None)} if inverse
                        else {q.object for n in nodes for q in self.view.quads_for_pattern(n, p, None, None)})
                    self.fetch(child, reached)

    def along(self, nodes, predicates: set, inverse: bool) -> None:
        """Copy the statements of ``predicates`` from ``nodes`` (into them, ``inverse``) into the view."""
        done = self.in_done if inverse else self.out_done
        predicates = {p for p in predicates if self._used(p)}
        nodes = [n for n in nodes if n not in done and not isinstance(n, ox.Literal)]
        todo: dict = {}  # node -> predicates not copied yet
        text: dict = {}
        for p in predicates:
            mine = nodes
            subjects = None if inverse else self._subjects(p, len(nodes))
            if subjects is not None:  # only the nodes that are subjects of p are asked about it
                if not text:
                    text = {n: str(n) for n in nodes}
                listed = subjects.matching(text.values())
                mine = [n for n in nodes if text[n] in listed]
            for n in mine:
                if (n, p, inverse) not in self.along_done:
                    self.along_done.add((n, p, inverse))
                    todo.setdefault(n, []).append(p)
        if not todo:
            return
        # An index lookup per node and property costs a hundredth of a query, but each value it finds is decoded
        # into Python objects, at three times what a query (whose statements are parsed into the view as text)
        # costs a value. So the first nodes are looked up, and the rest as they turned out: a query per node if
        # those had many values each (Oxigraph then decodes only the values), else, for a property asked of many
        # nodes, one query over a VALUES block of them (which decodes the nodes too: cheap for few values each).
        queries: list = []
        found: list = []
        find = self.build.quads_for_pattern

        def look(n, p) -> None:
            found.extend(find(None, p, n, None) if inverse else find(n, p, None, None))

        probe, values = self.PROBE, 0
        by_property: dict = {}
        for n, ps in todo.items():
            if probe > 0 or isinstance(n, ox.BlankNode):
                before = len(found)
                for p in ps:
                    look(n, p)
                if probe > 0:
                    probe -= 1
                    values += len(found) - before
            elif values < self.MANY_VALUES * self.PROBE:
                for p in ps:
                    by_property.setdefault(p, []).append(n)
            else:
                steps = [(f"?x{i} {p} {n}" if inverse else f"{n} {p} ?x{i}") for i, p in enumerate(ps)]
                union = " UNION ".join("{ " + x + " }" for x in steps)
                queries.append(f"CONSTRUCT {{ {' . '.join(steps)} }} WHERE {{ {union} }}")
        for p, nodes in by_property.items():
            if len(nodes) < self.VALUES_AT:
                for n in nodes:
                    look(n, p)
                continue
            pattern = f"?x {p} ?n" if inverse else f"?n {p} ?x"
            for i in range(0, len(nodes), 2000):
                queries.append(f"CONSTRUCT {{ {pattern} }} WHERE {{ VALUES ?n {{ {self._values(nodes[i:i + 2000])} }} "
                               f"{pattern} }}")
        self.view.extend([ox.Quad(q.subject, q.predicate, q.object) for q in found])
        data = b"".join(self._all_triples(queries))
        if data:
            load_keeping_blank_nodes(self.view, data, ox.RdfFormat.N_TRIPLES, bulk=False)

    PROBE = 16  # nodes looked up first, to see how many values the nodes of a call have
    MANY_VALUES = 12  # values per node from which a query per node pays
    VALUES_AT = 64  # nodes asked about a property from which a query over a VALUES block of them pays

    def _triples(self, query: str) -> bytes:
        """A CONSTRUCT query's statements from the build, as N-Triples."""
        result = self.build.query(query, use_default_graph_as_union=True)
        assert isinstance(result, ox.QueryTriples)
        return result.serialize(format=ox.RdfFormat.N_TRIPLES) or b""

    def _all_triples(self, queries: list) -> list:
        """``_triples`` of each query, in order. Oxigraph answers and serialises without the GIL, so two threads
        keep both cores busy (a third less time for hundreds of queries on two cores)."""
        if len(queries) < 2:
            return [self._triples(q) for q in queries]
        if self.pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self.pool = ThreadPoolExecutor(max_workers=min(2, os.cpu_count() or 1), thread_name_prefix="wpsgraph-view")
        return list(self.pool.map(self._triples, queries, chunksize=max(1, min(self.BATCH, len(queries) // 8))))

    BATCH = 32  # queries a thread takes at a time, at most

    def _entry(self, kind: str, what: str) -> Path | None:
        """The cache folder's file for ``what`` of this build (None without a cache folder)."""
        if self.cache is None or self.of is None:
            return None
        import hashlib

        if not hasattr(self, "_key"):
            self._key = self.of.key()
        return self.cache / f"{kind}-{self._key}-{hashlib.sha256(what.encode()).hexdigest()[:16]}.txt"

    def _used(self, p, o=None) -> bool:
        """Whether the build has a statement of ``p`` (with object ``o``): one index lookup, which spares one per
        node for the many properties shapes name that a build does not use."""
        if (p, o) not in self.used:
            self.used[(p, o)] = any(True for _ in self.build.quads_for_pattern(None, p, o, None))
        return self.used[(p, o)]

    def memberships(self, nodes, classes) -> None:
        """The nodes' types among ``classes``, so that the view answers whether each node is an instance of each
        class as the build would: the build is reasoned, so an instance of a subclass is typed with the class too
        (OWL RL cax-sco), and the file's new entailments are in the view already. Asked of the build one query per
        set of nodes, or, for a class asked about many nodes, from the list of all its instances in the build (read
        once, and kept in the cache folder: it does not depend on the file)."""
        of_text = {str(n): n for n in nodes if n not in self.out_done and not isinstance(n, ox.Literal)}
        by_set: dict = {}
        listed: list = []  # N-Triples lines: the view parses them faster than Python makes the quads
        for c in classes:
            if not self._used(RDF_TYPE, c):  # no instance in the build: the view has the file's own
                continue
            done = self.member_done.setdefault(c, set())
            todo = of_text.keys() - done  # set operations on N-Triples text: thousands of nodes at a time
            if not todo:
                continue
            done |= todo
            members = self._members(c, len(todo))
            if members is not None:
                listed += [f"{t} {RDF_TYPE} {c} .\n" for t in members.matching(todo)]
            else:
                for t in todo:
                    by_set.setdefault(of_text[t], set()).add(c)
        if listed:
            load_keeping_blank_nodes(self.view, "".join(listed).encode("utf-8"), ox.RdfFormat.N_TRIPLES, bulk=False)
        groups: dict = {}
        for n, cs in by_set.items():
            groups.setdefault(frozenset(cs), []).append(n)
        for cs, group in groups.items():
            allowed = ", ".join(str(c) for c in cs)
            named = [n for n in group if isinstance(n, ox.NamedNode)]
            for i in range(0, len(named), 2000):
                rows = self.build.query(f"SELECT ?n ?c WHERE {{ VALUES ?n {{ {self._values(named[i:i + 2000])} }} "
                                        f"?n a ?c FILTER(?c IN ({allowed})) }}", use_default_graph_as_union=True)
                self.view.extend([ox.Quad(row[0], RDF_TYPE, row[1]) for row in rows])  # type: ignore[union-attr]
            for n in group:
                if isinstance(n, ox.BlankNode):
                    self.view.extend([ox.Quad(q.subject, q.predicate, q.object) for q in
                                      self.build.quads_for_pattern(n, RDF_TYPE, None, None) if q.object in cs])

    MEMBERS_AT = 500  # asked about this many nodes, a class's instances are read whole (about as fast, and kept)
    LISTED = 20  # ... unless it has more than this many times as many instances (then each node is asked)
    MANY = "*many*"  # a kept list's second line when there were too many to keep

    def _members(self, c, asked: int) -> prepared.Listed | None:
        """The N-Triples text of every instance of ``c`` in the build: kept in the cache folder, or read when asked
        about many nodes (and then kept there); None otherwise, or when there are too many."""
        return self._listed("members", c, f"?s a {c}", asked)

    def _subjects(self, p, asked: int) -> prepared.Listed | None:
        """The N-Triples text of every subject of ``p`` in the build, as ``_members``."""
        return self._listed("subjects", p, f"?s {p} ?o", asked)

    def _listed(self, kind: str, term, pattern: str, asked: int) -> prepared.Listed | None:
        key = (kind, term)
        listed = self.members.get(key, prepared.ABSENT)
        if listed is prepared.ABSENT:
            listed = self._kept(kind, term)
            if listed is prepared.ABSENT:
                if asked < self.MEMBERS_AT:
                    return None
                listed = self._read_list(kind, term, pattern, asked)
            self.members[key] = listed
        # a line of a list costs a tenth of a lookup in the store: a list not read yet pays only if it is not
        # much longer than the nodes asked about
        if listed is not None and listed.nodes is None and listed.count > self.LISTED * asked:
            return None
        return listed

    def _kept(self, kind: str, term):
        """The list the build wrote, or one kept in the cache folder (None: too long to keep); else ABSENT."""
        if self.prepared is not None:
            kept = prepared.open_list(self.prepared, kind, term)
            if kept is not prepared.ABSENT:
                return kept
        entry = self._entry(kind, str(term))
        if entry is not None:
            try:
                lines = entry.read_text(encoding="utf-8").split("\n")
                if lines[0] == str(term):  # the term it lists, as a check
                    return None if lines[1:] == [self.MANY] else prepared.Listed.of(set(lines[1:]))
            except (OSError, UnicodeDecodeError):
                pass  # absent or unreadable: read from the build
        return prepared.ABSENT

    def _read_list(self, kind: str, term, pattern: str, asked: int) -> prepared.Listed | None:
        """The list read from the build's store, and kept in the cache folder; None if too long for ``asked``."""
        cap = self.LISTED * asked
        rows = self.build.query(f"SELECT DISTINCT ?s WHERE {{ {pattern} }} LIMIT {cap + 1}",
                                use_default_graph_as_union=True)
        found: set | None = {str(row[0]) for row in rows}  # type: ignore[union-attr]
        if len(found) > cap:  # type: ignore[arg-type]
            found = None
        entry = self._entry(kind, str(term))
        if entry is not None:
            from wpsgraph.folders import OutputError, atomic_write

            with contextlib.suppress(OSError, OutputError):  # an unwritable cache only costs time
                atomic_write(entry, "\n".join([str(term), *(sorted(found) if found is not None else [self.MANY])])
                             .encode("utf-8"))
        return None if found is None else prepared.Listed.of(found)

    @staticmethod
    def _values(nodes) -> str:
        return " ".join(str(n) for n in nodes)

    def _construct(self, pattern: str, nodes: list) -> None:
        for i in range(0, len(nodes), 2000):
            self._load(f"CONSTRUCT {{ {pattern} }} WHERE {{ VALUES ?n {{ {self._values(nodes[i:i + 2000])} }} "
                       f"{pattern} }}")

    def _load(self, query: str) -> None:
        result = self.build.query(query, use_default_graph_as_union=True)
        assert isinstance(result, ox.QueryTriples)
        data = result.serialize(format=ox.RdfFormat.N_TRIPLES)
        if data:
            load_keeping_blank_nodes(self.view, data, ox.RdfFormat.N_TRIPLES, bulk=False)

    def _todo(self, nodes, done: set) -> tuple[list, list]:
        todo = [n for n in nodes if n not in done and not isinstance(n, ox.Literal)]
        done.update(todo)
        return [n for n in todo if isinstance(n, ox.NamedNode)], [n for n in todo if isinstance(n, ox.BlankNode)]

    def statements_of(self, nodes) -> None:
        named, blank = self._todo(nodes, self.out_done)
        self._construct("?n ?p ?o", named)
        for n in blank:  # a VALUES block cannot name a blank node
            self.view.extend(ox.Quad(q.subject, q.predicate, q.object) for q in
                             self.build.quads_for_pattern(n, None, None, None))

    def statements_into(self, nodes) -> None:
        named, blank = self._todo(nodes, self.in_done)
        self._construct("?s ?p ?n", named)
        for n in blank:
            self.view.extend(ox.Quad(q.subject, q.predicate, q.object) for q in
                             self.build.quads_for_pattern(None, None, n, None))

    def neighbours(self, nodes, forward, inverse) -> set:
        """Objects of ``forward`` predicates (read from the view, which holds the nodes' statements) and subjects
        of ``inverse`` ones (read from the build, and copied); None: every predicate."""
        found: set = set()
        for n in nodes:
            if isinstance(n, ox.Literal):
                continue
            if forward is None:
                found.update(q.object for q in self.view.quads_for_pattern(n, None, None, None))
            else:
                for p in forward:
                    found.update(q.object for q in self.view.quads_for_pattern(n, p, None, None))
        if inverse is None:
            self.statements_into(nodes)
            for n in nodes:
                found.update(q.subject for q in self.view.quads_for_pattern(None, None, n, None))
        elif inverse:
            # one index lookup per node and property (a VALUES join here makes Oxigraph read the whole property)
            for n in nodes:
                if isinstance(n, ox.Literal):
                    continue
                for p in inverse:
                    into = [ox.Quad(q.subject, q.predicate, q.object) for q in
                            self.build.quads_for_pattern(None, p, n, None)]
                    self.view.extend(into)
                    found.update(q.subject for q in into)
        return {n for n in found if not isinstance(n, ox.Literal)}


class _Union:
    """The build and the file's statements, with their graphs, as far as locating findings reads a store."""

    def __init__(self, build: ox.Store, overlay: ox.Store):
        self.build, self.overlay = build, overlay

    def quads_for_pattern(self, s, p, o, g=None):
        yield from self.build.quads_for_pattern(s, p, o, g)
        yield from self.overlay.quads_for_pattern(s, p, o, g)

    def query(self, text: str, **options):
        return self.build.query(text, **options)
