"""The focus nodes a change can affect, and the validator's view of the store near them.

``affected_focus`` walks each changed statement back along the shapes' read patterns (``patterns``) to the focus
nodes that read it, in the store's current state (it is called before and after the change). ``NearData`` lets
the validator read, for those focus nodes only, what the patterns reach from them (``reach``), a lookup per
node instead of a scan of each predicate in the store.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from wpsgraph.namespaces import RDF_TYPE
from wpsgraph.pipeline.incremental.patterns import WILD
from wpsgraph.pipeline.reason import is_literal
from wpsgraph.validation.shacl.data import Data


class _Targets:
    """Whether a node is a focus node of a shape (one of its targets), in a store's current state."""

    def __init__(self, store: ox.Store):
        self.store = store
        self._classes: dict = {}
        self._types: dict = {}
        self._memo: dict = {}

    def _below(self, cls) -> set:
        if cls not in self._classes:
            self._classes[cls] = Data(self.store).subclasses(cls)
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
        if is_literal(node):
            return False
        if kind == "targetSubjectsOf":
            return next(iter(self.store.quads_for_pattern(node, term, None)), None) is not None
        if node not in self._types:
            self._types[node] = {q.object for q in self.store.quads_for_pattern(node, RDF_TYPE, None)}
        return not self._types[node].isdisjoint(self._below(term))


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
                    if not is_literal(y):
                        step |= {t.object for t in store.quads_for_pattern(y, q, None)}
                else:
                    step |= {t.subject for t in store.quads_for_pattern(None, q, y)}
            nodes = step
        memo[key] = nodes
        return nodes

    focus = set()
    for s, p, o in changed:
        for key in (p, WILD):
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
                elif not is_literal(x):
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
        elif is_literal(n):
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
            elif is_literal(node):
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
            classes = Data(self.store).subclasses(cls)
            self._instances[cls] = {n for n, types in self._types.items() if not types.isdisjoint(classes)}
        return self._instances[cls]
