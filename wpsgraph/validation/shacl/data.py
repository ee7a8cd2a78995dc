"""The data graph read set at a time, value nodes per focus node, and comparisons of literals."""

from __future__ import annotations

import pyoxigraph as ox

from wpsgraph.namespaces import XSD
from wpsgraph.validation.shacl.graph import RDF_TYPE, RDFS_SUBCLASSOF
from wpsgraph.validation.shacl.paths import path_sparql


class Data:
    """Read access to the data graph (the union of some or all graphs of an Oxigraph store), set at a time."""

    def __init__(self, store: ox.Store, graphs: list | None = None, closed: bool = False):
        """``closed``: the data is closed under OWL RL's cax-sco (every instance of a subclass is typed with the class
        too, as the reasoned graph is), so a class's instances are its direct ones: no walk down its subclasses."""
        self.store = store
        self.graphs = graphs
        self.closed = closed
        self._out: dict = {}
        self._in: dict = {}
        self._all: dict = {}
        self._multi: dict = {}
        self._instances: dict = {}

    def quads(self, s=None, p=None, o=None):
        if self.graphs is None:
            return self.store.quads_for_pattern(s, p, o, None)
        return (q for g in self.graphs for q in self.store.quads_for_pattern(s, p, o, g))

    def indexed(self, p, inverse: bool) -> bool:
        return p in (self._in if inverse else self._out)

    def _index(self, p, inverse: bool) -> dict:
        """node -> [values] along p (or its inverse) for every node that has one; built once per predicate."""
        cache = self._in if inverse else self._out
        index = cache.get(p)
        if index is None:
            index = {}
            get = index.get
            for q in self.quads(None, p, None):
                s, o = (q.object, q.subject) if inverse else (q.subject, q.object)
                values = get(s)
                if values is None:
                    index[s] = [o]
                else:
                    values.append(o)
            for s, values in index.items():  # the same triple in several graphs
                if len(values) > 1 and len(set(values)) != len(values):
                    index[s] = list(dict.fromkeys(values))
            cache[p] = index
        return index

    def all_values(self, p, inverse: bool) -> set:
        """Every value of p (or its inverse), of any node (read only)."""
        key = (p, inverse)
        if key not in self._all:
            out: set = set()
            for values in self._index(p, inverse).values():
                out.update(values)
            self._all[key] = out
        return self._all[key]

    def multi(self, p, inverse: bool, n: int) -> set:
        """The nodes with more than n values along p (or its inverse) (read only)."""
        key = (p, inverse, n)
        if key not in self._multi:
            self._multi[key] = {s for s, values in self._index(p, inverse).items() if len(values) > n}
        return self._multi[key]

    def step(self, p, nodes, inverse: bool = False) -> dict:
        """node -> [values] along predicate p (or its inverse) for every node of ``nodes``."""
        nodes = list(nodes)
        if len(nodes) > 64 or self.indexed(p, inverse):
            get = self._index(p, inverse).get
            return {n: list(get(n, ())) for n in nodes}
        out = {}
        for n in nodes:
            if inverse:
                values = list(dict.fromkeys(q.subject for q in self.quads(None, p, n)))
            elif isinstance(n, ox.Literal):
                values = []
            else:
                values = list(dict.fromkeys(q.object for q in self.quads(n, p, None)))
            out[n] = values
        return out

    def values(self, path, nodes) -> dict:
        kind, arg = path
        if kind == "pred":
            return self.step(arg, nodes)
        if kind == "inv" and arg[0] == "pred":
            return self.step(arg[1], nodes, inverse=True)
        if kind == "seq":
            current = {n: [n] for n in nodes}
            for step in arg:
                reached = {v for vs in current.values() for v in vs}
                nxt = self.values(step, reached)
                current = {n: list(dict.fromkeys(w for v in vs for w in nxt.get(v, ()))) for n, vs in current.items()}
            return current
        if kind == "alt":
            parts = [self.values(p, nodes) for p in arg]
            return {n: list(dict.fromkeys(v for part in parts for v in part.get(n, ()))) for n in nodes}
        if kind in ("star", "plus", "opt"):
            out = {}
            for n in nodes:
                seen = {n: None} if kind in ("star", "opt") else {}
                frontier = [n]
                first = True
                while frontier and (kind != "opt" or first):
                    first = False
                    nxt = self.values(arg, frontier)
                    frontier = [w for vs in nxt.values() for w in vs if w not in seen]
                    for w in frontier:
                        seen[w] = None
                out[n] = list(seen)
            return out
        # any other inverse path: through SPARQL
        rows = self.store.query(f"SELECT DISTINCT ?s ?o WHERE {{ ?s {path_sparql(path)} ?o }}",
                                use_default_graph_as_union=self.graphs is None,
                                default_graph=self.graphs if self.graphs is not None else None)
        assert isinstance(rows, ox.QuerySolutions)  # a SELECT
        out = {n: [] for n in nodes}
        for row in rows:
            if row["s"] in out:
                out[row["s"]].append(row["o"])
        return out

    def instances(self, cls) -> set:
        """Nodes of type ``cls`` or of one of its subclasses (rdf:type/rdfs:subClassOf*), in one query."""
        if cls not in self._instances:
            classes = (cls,) if self.closed else self.subclasses(cls)
            self._instances[cls] = {q.subject for c in classes for q in self.quads(None, RDF_TYPE, c)}
        return self._instances[cls]

    def subclasses(self, cls) -> set:
        """``cls`` and its subclasses (rdfs:subClassOf*)."""
        classes, todo = {cls}, [cls]
        while todo:
            c = todo.pop()
            for q in self.quads(None, RDFS_SUBCLASSOF, c):
                if q.subject not in classes:
                    classes.add(q.subject)
                    todo.append(q.subject)
        return classes

    def subjects_of(self, p) -> set:
        """The nodes with a value of p (read only)."""
        return self._keys(p, False)

    def objects_of(self, p) -> set:
        """The values of p (read only)."""
        return self._keys(p, True)

    def _keys(self, p, inverse: bool) -> set:
        key = ("keys", p, inverse)
        if key not in self._all:
            self._all[key] = set(self._index(p, inverse))
        return self._all[key]

    def query(self, text: str):
        if self.graphs is None:
            return self.store.query(text, use_default_graph_as_union=True)
        return self.store.query(text, default_graph=self.graphs)


def ill_typed(lit: ox.Literal) -> bool:
    """Whether a literal's lexical form is not valid for its (XSD) datatype, as rdflib judges it."""
    dt = lit.datatype.value
    if not dt.startswith(XSD) or dt == XSD + "string":
        return False
    key = (lit.value, dt)
    if key not in _ill_cache:
        import logging

        import rdflib  # only reached for typed literals; rdflib's converters define well-formedness here

        log = logging.getLogger("rdflib.term")
        level, log.level = log.level, logging.CRITICAL + 1
        try:
            _ill_cache[key] = bool(rdflib.Literal(lit.value, datatype=rdflib.URIRef(dt)).ill_typed)
        finally:
            log.level = level
    return _ill_cache[key]


def lang_matches(lang: str | None, ranges: list) -> bool:
    if not lang:
        return False
    lang = lang.lower()
    return any(r == "*" or lang == r or lang.startswith(r + "-") for r in ranges)


class Values:
    """The value nodes of a shape for an ordered set of focus nodes.

    For a node shape each focus node is its own value; for a predicate path (or its inverse) the values are read
    from the data's per-predicate index without copying; any other path is evaluated into a dict."""

    __slots__ = ("focus", "fset", "index", "identity", "everything", "key", "_distinct")

    def __init__(self, focus: list, fset: set | None = None, index: dict | None = None, everything: set | None = None,
                 key=None):
        self.focus = focus
        self.fset = set(focus) if fset is None else fset
        self.index = index            # node -> [values]; None: each focus node is its own value
        self.identity = index is None
        self.everything = everything  # every value of the predicate, when index is the whole predicate's
        self.key = key                # (predicate, inverse) of that index
        self._distinct: set | None = None

    def items(self):
        if self.identity:
            return ((f, (f,)) for f in self.focus)
        get = self.index.get
        return ((f, get(f, ())) for f in self.focus)

    def distinct(self) -> set:
        """The value nodes of all focus nodes (read only)."""
        if self._distinct is None:
            index = self.index  # None exactly when identity
            if index is None:
                self._distinct = self.fset
            elif self.everything is not None and index.keys() <= self.fset:
                self._distinct = self.everything
            else:
                out: set = set()
                get = index.get
                for f in self.fset:
                    values = get(f)
                    if values:
                        out.update(values)
                self._distinct = out
        return self._distinct

    def ordered(self) -> list:
        """The distinct value nodes in order of first appearance."""
        if self.identity:
            return list(self.focus)
        return list(dict.fromkeys(v for _, vs in self.items() for v in vs))

    def pairs(self, bad: set) -> list:
        """(focus, value) for every value in ``bad``, in focus order."""
        if not bad:
            return []
        if self.identity:
            return [(f, f) for f in self.focus if f in bad]
        return [(f, v) for f, vs in self.items() for v in vs if v in bad]

    def failing(self, bad: set) -> set:
        """The focus nodes with a value in ``bad``."""
        if not bad:
            return set()
        if self.identity:
            return self.fset & bad
        return {f for f, vs in self.items() if not bad.isdisjoint(vs)}


_ill_cache: dict = {}
