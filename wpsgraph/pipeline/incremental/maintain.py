"""Entailments maintained by delete-and-rederive (DRed) over the compiled OWL RL rules of ``reason``.

Every statement that has a derivation through a retracted statement is first withdrawn (over-deletion), those
that still have a one-step derivation from what is left are put back, then what follows from the put-back and
the new statements is added (semi-naive). Properties come first, classes after them (types never feed property
rules): the types of every node whose typing premises changed are recomputed from the domains, ranges and
superclasses. The inferred graph keeps its meaning: entailed, not asserted (plus the entailed TBox).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from wpsgraph.namespaces import RDF_TYPE, Names
from wpsgraph.pipeline.incremental.rules import TermRules
from wpsgraph.pipeline.reason import is_literal


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
            self._out[key] = set() if is_literal(s) else {q.object for q in self.store.quads_for_pattern(s, p, None)}
        return self._out[key]

    def into(self, o, p) -> set:
        key = (o, p)
        if key not in self._in:
            self._in[key] = {q.subject for q in self.store.quads_for_pattern(None, p, o)}
        return self._in[key]

    def has(self, t) -> bool:
        if t not in self._has:
            s, p, o = t
            self._has[t] = not is_literal(s) and next(iter(self.store.quads_for_pattern(s, p, o)), None) is not None
        return self._has[t]

    def graphs_of(self, t) -> set:
        s, p, o = t
        return set() if is_literal(s) else {q.graph_name for q in self.store.quads_for_pattern(s, p, o)}


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
        return _less_more(self.old.out(s, p), self._gone_out.get((s, p)), self._added_out.get((s, p)))

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
        return _less_more(self.old.into(o, p), self._gone_in.get((o, p)), self._added_in.get((o, p)))


def _less_more(found: set, gone: set | None, more: set | None) -> set:
    """``found`` less ``gone`` plus ``more`` (``found`` itself, not a copy, when both are empty)."""
    if gone:
        found = found - gone
    return found | more if more else found


def _consequences(t, rules: TermRules, closure) -> list:
    """The statements one rule application derives from ``t`` with the statements of ``closure``."""
    s, p, o = t
    out = []
    for q, flipped in rules.implied.get(p, ()):
        if not flipped:
            out.append((s, q, o))
        elif not is_literal(o):
            out.append((o, q, s))
    if p in rules.transitive:
        out += [(s, p, z) for z in closure.out(o, p)]
        out += [(x, p, o) for x in closure.into(s, p)]
    for p2, q in rules.chains_first.get(p, ()):
        out += [(s, q, z) for z in closure.out(o, p2)]
    for p1, q in rules.chains_second.get(p, ()):
        out += [(x, q, o) for x in closure.into(s, p1)]
    return out


def _derivable(t, rules: TermRules, closure) -> bool:
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

    def asserted_triples(self) -> set:
        """The asserted statements removed or added (in any graph)."""
        out: set = set()
        for ts in list(self.asserted_removed.values()) + list(self.asserted_added.values()):
            out |= ts
        return out

    def triples(self) -> set:
        return set(self.inferred_removed) | self.inferred_added | self.asserted_triples()

    def asserted_change(self) -> int:
        """How many asserted statements more (fewer when negative) there are after the update."""
        return sum(len(v) for v in self.asserted_added.values()) - sum(len(v) for v in self.asserted_removed.values())

    def inferred_change(self) -> int:
        return len(self.inferred_added) - len(self.inferred_removed)


def graph_triples(store: ox.Store, graph) -> set:
    return {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)}


def maintain(store: ox.Store, names: Names, rules: TermRules, new_graphs: dict) -> Delta:
    """The changes to bring ``store`` (the previous build) to the new asserted graphs ``new_graphs`` (graph -> set
    of triples, an empty set for a removed graph), with the inferred graph maintained. Reads ``store`` only."""
    inferred = names.inferred_graph
    old = _Old(store, inferred)
    delta = Delta()
    new_asserted: set = set()
    for g, triples in new_graphs.items():
        before = graph_triples(store, g)
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
    closure = _properties(rules, old, retracted, asserted, asserted_now)
    edges_gone = closure.gone - closure.added
    edges_new = closure.added - closure.gone
    new_types, types_gone, types_new = _classes(rules, old, closure, edges_gone | edges_new, retracted | asserted,
                                                new_asserted, asserted_now)

    def entailed_now(t) -> bool:
        s, p, o = t
        if p == RDF_TYPE and s in new_types:
            return o in new_types[s]
        return closure.has(t)

    # The inferred graph: what is entailed and not asserted, and the entailed TBox.
    base = rules.tbox
    candidates = edges_gone | edges_new | types_gone | types_new | retracted | asserted
    for t in candidates:
        if is_literal(t[0]) or (t[1] != RDF_TYPE and t[1] not in rules.props and t not in base):
            continue
        now = t in base or (entailed_now(t) and not asserted_now(t))
        was = inferred in old.graphs_of(t)
        if now and not was:
            delta.inferred_added.add(t)
        elif was and not now:
            delta.inferred_removed.add(t)
    return delta


def _properties(rules: TermRules, old: _Old, retracted: set, asserted: set, asserted_now) -> _Closure:
    """The property statements' closure after the change, by delete and rederive."""
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
    return closure


def _classes(rules: TermRules, old: _Old, closure: _Closure, edges: set, statements: set, new_asserted: set,
             asserted_now) -> tuple[dict, set, set]:
    """The types of every node whose typing premises changed (``edges``: the property statements gained or lost;
    ``statements``: the asserted ones), recomputed: (node -> its classes now, types lost, types gained)."""
    nodes = set()
    for s, p, o in edges:
        if p in rules.domains:
            nodes.add(s)
        if p in rules.ranges and not is_literal(o):
            nodes.add(o)
    for s, p, _ in statements:
        if p == RDF_TYPE:
            nodes.add(s)
    asserted_types = defaultdict(set)
    for s, p, o in new_asserted:
        if p == RDF_TYPE:
            asserted_types[s].add(o)
    types_gone, types_new = set(), set()
    new_types: dict = {}
    for n in nodes:
        if is_literal(n):
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
    return new_types, types_gone, types_new


def apply_delta(store: ox.Store, names: Names, delta: Delta) -> None:
    """Make the change in ``store``."""
    inferred = names.inferred_graph
    for g, triples in delta.asserted_removed.items():
        for s, p, o in triples:
            store.remove(ox.Quad(s, p, o, g))
    for s, p, o in delta.inferred_removed:
        store.remove(ox.Quad(s, p, o, inferred))
    store.extend([ox.Quad(s, p, o, g) for g, triples in delta.asserted_added.items() for s, p, o in triples])
    store.extend([ox.Quad(s, p, o, inferred) for s, p, o in delta.inferred_added])
