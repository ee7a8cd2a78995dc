"""A set-based SHACL engine on the Oxigraph store.

pySHACL evaluates every constraint once per focus node in Python over an rdflib graph: about 5 s for the
3.5k triples of the shipped data, hours for a million. This engine evaluates each constraint once for ALL its
focus (or value) nodes: the value nodes of a path come from one scan of the store per predicate, the instances
of a class from one SPARQL query, a nested shape (``sh:or``, ``sh:not``, ``sh:node``, qualified value shapes) is
evaluated to the set of nodes that fail it, memoised per shape (a shape made only of sh:class and logical
components is one set expression over class instances), results are created only for failing values, and a
SHACL-SPARQL constraint is one query over all focus nodes (``$this`` left unbound and joined with the focus set, or
bound by a ``VALUES`` block when the focus set is small).

It implements the SHACL Core components the shapes use (and most others): targets (class, subjectsOf,
objectsOf, node, implicit class targets), paths (predicate, inverse, sequence, alternative, zero/one-or-more),
class, datatype, nodeKind, min/maxCount, min/maxLength, pattern, languageIn, uniqueLang, in, hasValue,
min/maxInclusive/Exclusive, equals, disjoint, lessThan(OrEquals), node, property, not, and, or, xone,
qualifiedValueShape with qualifiedMin/MaxCount, closed, and SPARQL-based constraints (``sh:sparql`` with
``sh:select``). A shapes graph using anything else is refused (``Unsupported``): use ``--engine pyshacl``.

pySHACL stays the reference: tests/test_shacl_engine.py checks that both engines give the same results
(focus, path, value, severity, message, source shape) on the shipped data and every fixture.
"""

from __future__ import annotations

import gc
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from wpsgraph.namespaces import RDF, RDFS, SH, XSD, Names

_SH = SH
RDF_TYPE = ox.NamedNode(RDF + "type")
RDF_FIRST = ox.NamedNode(RDF + "first")
RDF_REST = ox.NamedNode(RDF + "rest")
RDF_NIL = ox.NamedNode(RDF + "nil")
RDF_LANGSTRING = ox.NamedNode(RDF + "langString")
XSD_STRING = ox.NamedNode(XSD + "string")
RDFS_CLASS = ox.NamedNode(RDFS + "Class")
RDFS_SUBCLASSOF = ox.NamedNode(RDFS + "subClassOf")


def sh(local: str) -> ox.NamedNode:
    return ox.NamedNode(_SH + local)


VIOLATION, WARNING, INFO = sh("Violation"), sh("Warning"), sh("Info")


class Unsupported(Exception):
    """The shapes use SHACL this engine does not implement."""


# ---------------------------------------------------------------------------------------------- shapes graph

class ShapesGraph:
    """A small in-memory graph of the shapes: subject -> predicate -> [objects], in file order."""

    def __init__(self, triples: Iterable):
        self.spo: dict = defaultdict(lambda: defaultdict(list))
        self.pos: dict = defaultdict(list)
        for t in triples:
            self.spo[t.subject][t.predicate].append(t.object)
            self.pos[t.predicate].append((t.subject, t.object))

    def objects(self, s, p) -> list:
        return self.spo.get(s, {}).get(p, [])

    def value(self, s, p):
        values = self.objects(s, p)
        return values[0] if values else None

    def subjects(self, p, o) -> list:
        return [s for s, x in self.pos.get(p, ()) if x == o]

    def items(self, head) -> list:
        out, seen = [], set()
        while head is not None and head != RDF_NIL and head not in seen:
            seen.add(head)
            first = self.value(head, RDF_FIRST)
            if first is not None:
                out.append(first)
            head = self.value(head, RDF_REST)
        return out


def load_shapes(paths: Iterable[Path], names: Names | None = None) -> ShapesGraph:
    """Parse shapes files; under a custom base every IRI under the default base is rebased like the data."""
    triples = []
    for path in paths:
        triples += ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    if names is not None and names.base != _default_base():
        triples = [ox.Triple(_rebase(t.subject, names), _rebase(t.predicate, names), _rebase(t.object, names))
                   for t in triples]
    return ShapesGraph(triples)


def _default_base() -> str:
    from wpsgraph.namespaces import DEFAULT_BASE
    return DEFAULT_BASE


def _rebase(term, names: Names):
    if isinstance(term, ox.NamedNode):
        return ox.NamedNode(names.rebase(term.value))
    return term


# ---------------------------------------------------------------------------------------------- compiled shapes

@dataclass(eq=False)
class Shape:
    node: object
    path: object = None                      # None for a node shape; else a path expression (see _path)
    severity: ox.NamedNode = VIOLATION
    messages: list = field(default_factory=list)
    targets: list = field(default_factory=list)   # (kind, term)
    constraints: list = field(default_factory=list)  # (component local name, parameters)
    properties: list = field(default_factory=list)   # property shapes (Shape)
    deactivated: bool = False

    @property
    def is_property(self) -> bool:
        return self.path is not None

    def __hash__(self):
        return id(self)


@dataclass
class Result:
    focus: object
    shape: Shape
    component: str
    value: object = None
    path: object = None
    messages: list = field(default_factory=list)
    bindings: dict | None = None

    @property
    def severity(self) -> str:
        return {VIOLATION: "violation", WARNING: "warning", INFO: "info"}.get(self.shape.severity, "violation")

    def message(self) -> str | None:
        return self.messages[0] if self.messages else None


_PARAMETERS = {  # component -> parameters read from the shape (single values unless listed in _LISTS)
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minLength", "maxLength", "pattern", "flags",
    "languageIn", "uniqueLang", "in", "hasValue", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive",
    "equals", "disjoint", "lessThan", "lessThanOrEquals", "node", "not", "and", "or", "xone",
    "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint", "closed",
    "ignoredProperties", "sparql",
}
_SHAPE_KEYS = {"path", "severity", "message", "targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode",
               "property", "deactivated", "name", "description", "order", "group", "defaultValue", "declare",
               "prefixes", "targetClass"}
_UNSUPPORTED = {"target", "rule", "js", "expression", "targetShape", "condition", "entailment",
                "shapesGraph", "suggestedShapesGraph"}


class Compiled:
    """The shapes graph compiled into Shape objects: the shapes with targets, and every shape they reach."""

    def __init__(self, graph: ShapesGraph):
        self.graph = graph
        self.shapes: dict = {}
        roots = set()
        for local in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode"):
            roots |= {s for s, _ in graph.pos.get(sh(local), ())}
        for s in graph.subjects(RDF_TYPE, sh("NodeShape")) + graph.subjects(RDF_TYPE, sh("PropertyShape")):
            if RDFS_CLASS in graph.objects(s, RDF_TYPE):  # implicit class target
                roots.add(s)
        for local in _UNSUPPORTED:
            if graph.pos.get(sh(local)):
                raise Unsupported(f"sh:{local}")
        order = {s: i for i, s in enumerate(graph.spo)}
        self.roots = [self.shape(s) for s in sorted(roots, key=lambda s: order.get(s, 0))]

    def shape(self, node) -> Shape:
        if node in self.shapes:
            return self.shapes[node]
        g = self.graph
        path_node = g.value(node, sh("path"))
        shape = Shape(node, path=_path(g, path_node) if path_node is not None else None)
        self.shapes[node] = shape
        shape.severity = g.value(node, sh("severity")) or VIOLATION
        shape.messages = [m.value for m in g.objects(node, sh("message")) if isinstance(m, ox.Literal)]
        shape.deactivated = _true(g.value(node, sh("deactivated")))
        for local in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode"):
            shape.targets += [(local, o) for o in g.objects(node, sh(local))]
        if RDFS_CLASS in g.objects(node, RDF_TYPE):
            shape.targets.append(("targetClass", node))
        shape.properties = [self.shape(p) for p in g.objects(node, sh("property"))]
        for local in ("class", "datatype", "nodeKind", "minCount", "maxCount", "minLength", "maxLength",
                      "languageIn", "uniqueLang", "in", "hasValue", "minInclusive", "maxInclusive", "minExclusive",
                      "maxExclusive", "equals", "disjoint", "lessThan", "lessThanOrEquals", "node", "not", "and",
                      "or", "xone", "closed", "sparql"):
            for value in g.objects(node, sh(local)):
                shape.constraints.append(self._constraint(node, local, value))
        for value in g.objects(node, sh("pattern")):
            flags = g.value(node, sh("flags"))
            shape.constraints.append(("pattern", _regex(value.value, flags.value if flags else "")))
        qvs = g.objects(node, sh("qualifiedValueShape"))
        if qvs:
            if _true(g.value(node, sh("qualifiedValueShapesDisjoint"))):
                raise Unsupported("sh:qualifiedValueShapesDisjoint")
            qmin, qmax = g.value(node, sh("qualifiedMinCount")), g.value(node, sh("qualifiedMaxCount"))
            for q in qvs:
                inner = self.shape(q)
                if qmin is not None:
                    shape.constraints.append(("qualifiedMinCount", (inner, int(qmin.value))))
                if qmax is not None:
                    shape.constraints.append(("qualifiedMaxCount", (inner, int(qmax.value))))
        return shape

    def _constraint(self, node, local, value):
        g = self.graph
        if local in ("minCount", "maxCount", "minLength", "maxLength"):
            return local, int(value.value)
        if local in ("languageIn", "in"):
            items = g.items(value)
            return local, ([i.value.lower() for i in items] if local == "languageIn" else set(items))
        if local in ("uniqueLang", "closed"):
            if local == "closed" and _true(value):
                allowed = {p.path[1] for p in self.shape(node).properties if p.path and p.path[0] == "pred"}
                allowed |= set(g.items(g.value(node, sh("ignoredProperties"))))
                return local, allowed
            return local, _true(value)
        if local in ("node", "not"):
            return local, self.shape(value)
        if local in ("and", "or", "xone"):
            return local, [self.shape(x) for x in g.items(value)]
        if local == "sparql":
            return local, self._sparql(node, value)
        return local, value

    def _sparql(self, shape_node, node) -> dict:
        g = self.graph
        select = g.value(node, sh("select"))
        if select is None:
            raise Unsupported("SPARQL constraint without sh:select (ASK validators)")
        prefixes = {}
        for p in g.objects(node, sh("prefixes")):
            for decl in g.objects(p, sh("declare")):
                prefix, ns = g.value(decl, sh("prefix")), g.value(decl, sh("namespace"))
                if prefix is not None and ns is not None:
                    prefixes[prefix.value] = ns.value
        messages = [m.value for m in g.objects(node, sh("message")) if isinstance(m, ox.Literal)]
        return {"node": node, "select": select.value, "prefixes": prefixes, "messages": messages,
                "deactivated": _true(g.value(node, sh("deactivated")))}


def _true(term) -> bool:
    return isinstance(term, ox.Literal) and term.value.lower() in ("true", "1")


def _regex(pattern: str, flags: str):
    f = 0
    for c in flags or "":
        f |= {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}.get(c, 0)
    return re.compile(pattern, f)


def _path(g: ShapesGraph, node):
    """A path expression: ("pred", p) | ("inv", path) | ("seq", [paths]) | ("alt", [paths]) | ("star"|"plus"|"opt", path)."""
    if isinstance(node, ox.NamedNode):
        return ("pred", node)
    if g.value(node, RDF_FIRST) is not None:
        return ("seq", [_path(g, x) for x in g.items(node)])
    for local, kind in (("inversePath", "inv"), ("zeroOrMorePath", "star"), ("oneOrMorePath", "plus"),
                        ("zeroOrOnePath", "opt")):
        inner = g.value(node, sh(local))
        if inner is not None:
            return (kind, _path(g, inner))
    alt = g.value(node, sh("alternativePath"))
    if alt is not None:
        return ("alt", [_path(g, x) for x in g.items(alt)])
    raise Unsupported(f"path {node}")


def path_sparql(path) -> str:
    kind, arg = path
    if kind == "pred":
        return f"<{arg.value}>"
    if kind == "inv":
        return f"^({path_sparql(arg)})"
    if kind == "seq":
        return "/".join(f"({path_sparql(p)})" for p in arg)
    if kind == "alt":
        return "|".join(f"({path_sparql(p)})" for p in arg)
    return f"({path_sparql(arg)}){ {'star': '*', 'plus': '+', 'opt': '?'}[kind] }"


def path_text(path) -> str:
    """How a path is named in a finding: the property IRI, or a SPARQL property path."""
    return path[1].value if path[0] == "pred" else path_sparql(path)


# ---------------------------------------------------------------------------------------------- the data

class Data:
    """Read access to the data graph (the union of some or all graphs of an Oxigraph store), set at a time."""

    def __init__(self, store: ox.Store, graphs: list | None = None):
        self.store = store
        self.graphs = graphs
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
        out = {n: [] for n in nodes}
        for row in rows:
            if row["s"] in out:
                out[row["s"]].append(row["o"])
        return out

    def instances(self, cls) -> set:
        """Nodes of type ``cls`` or of one of its subclasses (rdf:type/rdfs:subClassOf*), in one query."""
        if cls not in self._instances:
            classes, todo = {cls}, [cls]
            while todo:
                c = todo.pop()
                for q in self.quads(None, RDFS_SUBCLASSOF, c):
                    if q.subject not in classes:
                        classes.add(q.subject)
                        todo.append(q.subject)
            self._instances[cls] = {q.subject for c in classes for q in self.quads(None, RDF_TYPE, c)}
        return self._instances[cls]

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


# ---------------------------------------------------------------------------------------------- literals

_NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long", "short", "byte",
                              "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger",
                              "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte")}
_ill_cache: dict = {}


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


def _number(lit):
    if not isinstance(lit, ox.Literal) or lit.datatype.value not in _NUMERIC:
        return None
    try:
        return Decimal(lit.value.strip())
    except InvalidOperation:
        try:
            return Decimal(float(lit.value))
        except ValueError:
            return None


def _comparable(a, b):
    """Values of two literals if they can be compared (numbers, or literals of the same datatype)."""
    na, nb = _number(a), _number(b)
    if na is not None and nb is not None:
        return na, nb
    if isinstance(a, ox.Literal) and isinstance(b, ox.Literal) and a.datatype == b.datatype \
            and a.datatype.value in (XSD + "date", XSD + "dateTime", XSD + "gYear", XSD + "gYearMonth",
                                      XSD + "string", XSD + "time"):
        return a.value, b.value
    return None


def _lang_matches(lang: str | None, ranges: list) -> bool:
    if not lang:
        return False
    lang = lang.lower()
    return any(r == "*" or lang == r or lang.startswith(r + "-") for r in ranges)


# ---------------------------------------------------------------------------------------------- the engine

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
        self._distinct = None

    def items(self):
        if self.identity:
            return ((f, (f,)) for f in self.focus)
        get = self.index.get
        return ((f, get(f, ())) for f in self.focus)

    def distinct(self) -> set:
        """The value nodes of all focus nodes (read only)."""
        if self._distinct is None:
            if self.identity:
                self._distinct = self.fset
            elif self.everything is not None and self.index.keys() <= self.fset:
                self._distinct = self.everything
            else:
                out: set = set()
                get = self.index.get
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


class Engine:
    """Validate a data graph against compiled shapes, each constraint once over all its focus nodes.

    Nested shapes (sh:or, sh:not, sh:and, sh:xone, sh:node, qualified value shapes) are evaluated to the SET of
    nodes that fail them, memoised per shape; a node shape made only of sh:class, sh:in, sh:hasValue and the
    logical components of such shapes is a set expression over the instances of classes (the shapes' "kinds" and
    "clashes"), computed once. Results are created only for what fails."""

    def __init__(self, compiled: Compiled, data: Data):
        self.compiled = compiled
        self.data = data
        self.memo: dict = {}     # shape -> (nodes checked, nodes failed)
        self._static: dict = {}  # shape -> (set, positive) | None

    # -- targets
    def focus_nodes(self, shape: Shape, restrict: set | None = None) -> list:
        nodes: dict = {}
        for kind, term in shape.targets:
            if kind == "targetClass":
                found = self.data.instances(term)
            elif kind == "targetSubjectsOf":
                found = self.data.subjects_of(term)
            elif kind == "targetObjectsOf":
                found = self.data.objects_of(term)
            else:
                found = {term}
            if len(shape.targets) == 1 and restrict is None:
                return list(found)
            nodes.update(dict.fromkeys(found))
        if restrict is not None:
            return [n for n in nodes if n in restrict]
        return list(nodes)

    def validate(self, restrict: set | None = None) -> list[Result]:
        # Millions of (acyclic) terms, sets and lists are created: the cyclic garbage collector would traverse
        # them all again and again (a third of the time at a million triples), so it is paused meanwhile.
        enabled = gc.isenabled()
        gc.disable()
        try:
            results: list[Result] = []
            for shape in self.compiled.roots:
                if shape.deactivated:
                    continue
                focus = self.focus_nodes(shape, restrict)
                if focus:
                    results += self.check(shape, focus)
            return results
        finally:
            if enabled:
                gc.enable()

    # -- nested conformance: the failing subset of a set of nodes
    def fails(self, shape: Shape, nodes: set) -> set:
        """The nodes of ``nodes`` that do not conform to ``shape`` (a new set)."""
        static = self.static(shape)
        if static is not None:
            members, positive = static
            return nodes - members if positive else nodes & members
        memo = self.memo.get(shape)
        if memo is None:
            memo = self.memo[shape] = (set(), set())
        checked, failed = memo
        todo = nodes - checked
        if todo:
            failed |= self._evaluate(shape, list(todo), None, todo)
            checked |= todo
        return nodes & failed

    def conforming(self, shape: Shape, nodes) -> set:
        nodes = set(nodes)
        return nodes - self.fails(shape, nodes)

    def static(self, shape: Shape):
        """The nodes conforming to ``shape`` as (set, True), or as the complement of a set (set, False), when that
        does not depend on the nodes asked about; else None."""
        if shape in self._static:
            return self._static[shape]
        self._static[shape] = None  # while it is computed (a recursive shape is not static)
        result = None
        if shape.deactivated:
            result = (frozenset(), False)
        elif not shape.is_property and not shape.properties:
            result = (frozenset(), False)  # everything
            for component, param in shape.constraints:
                part = self._static_constraint(component, param)
                if part is None:
                    result = None
                    break
                result = _intersection(result, part)
        self._static[shape] = result
        return result

    def _static_constraint(self, component, param):
        if component == "class":
            return self.data.instances(param), True
        if component == "in":
            return param, True
        if component == "hasValue":
            return {param}, True
        if component in ("node", "not"):
            inner = self.static(param)
            if inner is None:
                return None
            return inner if component == "node" else (inner[0], not inner[1])
        if component in ("and", "or"):
            parts = [self.static(s) for s in param]
            if any(p is None for p in parts):
                return None
            result = (frozenset(), False) if component == "and" else (frozenset(), True)
            for p in parts:
                result = _intersection(result, p) if component == "and" else _union(result, p)
            return result
        return None

    # -- one shape on a set of focus nodes
    def check(self, shape: Shape, focus: list, nested: bool = False) -> list[Result]:
        """The results of ``shape`` on ``focus``."""
        results: list[Result] = []
        self._evaluate(shape, focus, results)
        return results

    def _values(self, shape: Shape, focus: list, fset: set | None) -> Values:
        if not shape.is_property:
            return Values(focus, fset)
        kind, arg = shape.path
        inverse = kind == "inv" and arg[0] == "pred"
        if kind == "pred" or inverse:
            p = arg[1] if inverse else arg
            if len(focus) > 64 or self.data.indexed(p, inverse):
                return Values(focus, fset, self.data._index(p, inverse), self.data.all_values(p, inverse),
                              (p, inverse))
            return Values(focus, fset, self.data.step(p, focus, inverse))
        return Values(focus, fset, self.data.values(shape.path, focus))

    def _evaluate(self, shape: Shape, focus: list, results: list | None, fset: set | None = None) -> set:
        """The focus nodes that fail ``shape``; with ``results``, its results are appended to it. ``fset``: the
        focus nodes as a set, if the caller has it."""
        if shape.deactivated or not focus:
            return set()
        values = self._values(shape, focus, fset)
        failed: set = set()
        for component, param in shape.constraints:
            if component in _VALUE_COMPONENTS:
                bad = getattr(self, "_v_" + component)(param, values)
                if bad:
                    failed |= values.failing(bad)
                    if results is not None:
                        name = _VALUE_COMPONENTS[component]
                        results += [self._result(shape, f, name, v) for f, v in values.pairs(bad)]
            else:
                failed |= getattr(self, "_c_" + component)(shape, param, values, results)
        for prop in shape.properties:
            if shape.is_property:
                # sh:property on a property shape: the value nodes are the focus nodes of the inner shape
                inner = self._evaluate(prop, values.ordered(), results)
                failed |= values.failing(inner)
            else:
                failed |= self._evaluate(prop, focus, results, values.fset)
        return failed

    def _result(self, shape, focus, component, value=None, messages=None, bindings=None, path=None):
        return Result(focus, shape, component, value if value is not None else (None if shape.is_property else focus),
                      path if path is not None else shape.path,
                      messages if messages is not None else list(shape.messages), bindings)

    def _focus_results(self, shape, component, values, bad: set, results) -> set:
        """Results about focus nodes (no value) for the focus nodes in ``bad``."""
        if bad and results is not None:
            results += [self._result(shape, f, component) for f in values.focus if f in bad]
        return bad

    # -- value type (each returns the set of distinct value nodes that fail)
    def _v_class(self, cls, values):
        return values.distinct() - self.data.instances(cls)

    def _v_datatype(self, dt, values):
        def ok(v):
            if not isinstance(v, ox.Literal):
                return False
            if dt == RDF_LANGSTRING:
                return v.language is not None
            if v.language is not None:
                return False
            return v.datatype == dt and not ill_typed(v)
        return {v for v in values.distinct() if not ok(v)}

    def _v_nodeKind(self, kind, values):
        allowed = {
            "BlankNode": (ox.BlankNode,), "IRI": (ox.NamedNode,), "Literal": (ox.Literal,),
            "BlankNodeOrIRI": (ox.BlankNode, ox.NamedNode), "BlankNodeOrLiteral": (ox.BlankNode, ox.Literal),
            "IRIOrLiteral": (ox.NamedNode, ox.Literal),
        }[kind.value.rsplit("#", 1)[-1]]
        return {v for v in values.distinct() if not isinstance(v, allowed)}

    # -- value range
    def _range(self, bound, values, test):
        out = set()
        for v in values.distinct():
            pair = _comparable(v, bound)
            if pair is None or not test(*pair):
                out.add(v)
        return out

    def _v_minInclusive(self, b, values):
        return self._range(b, values, lambda v, b: v >= b)

    def _v_maxInclusive(self, b, values):
        return self._range(b, values, lambda v, b: v <= b)

    def _v_minExclusive(self, b, values):
        return self._range(b, values, lambda v, b: v > b)

    def _v_maxExclusive(self, b, values):
        return self._range(b, values, lambda v, b: v < b)

    # -- string based
    def _v_minLength(self, n, values):
        return {v for v in values.distinct() if isinstance(v, ox.BlankNode) or len(v.value) < n}

    def _v_maxLength(self, n, values):
        return {v for v in values.distinct() if isinstance(v, ox.BlankNode) or len(v.value) > n}

    def _v_pattern(self, regex, values):
        search = regex.search
        return {v for v in values.distinct() if isinstance(v, ox.BlankNode) or search(v.value) is None}

    def _v_languageIn(self, ranges, values):
        return {v for v in values.distinct()
                if not (isinstance(v, ox.Literal) and _lang_matches(v.language, ranges))}

    def _v_in(self, allowed, values):
        return values.distinct() - allowed

    # -- shape-based
    def _v_node(self, inner, values):
        return self.fails(inner, values.distinct())

    def _v_not(self, inner, values):
        distinct = values.distinct()
        return distinct - self.fails(inner, distinct)

    def _v_and(self, inners, values):
        remaining = values.distinct()
        bad: set = set()
        for inner in inners:
            if not remaining:
                break
            failed = self.fails(inner, remaining)
            if failed:
                bad |= failed
                remaining = remaining - failed
        return bad

    def _v_or(self, inners, values):
        bad = values.distinct()
        for inner in inners:
            if not bad:
                break
            bad = self.fails(inner, bad)
        return set(bad) if bad is values.distinct() else bad

    def _v_xone(self, inners, values):
        distinct = values.distinct()
        counts: dict = defaultdict(int)
        for inner in inners:
            for v in distinct - self.fails(inner, distinct):
                counts[v] += 1
        return {v for v in distinct if counts[v] != 1}

    # -- cardinality (each returns the set of failing focus nodes)
    def _count_fails(self, values, n: int, more: bool) -> set:
        """The focus nodes with more than n values (``more``), or with fewer than n."""
        if values.identity:
            return set(values.fset) if (1 > n if more else 1 < n) else set()
        if values.everything is not None:  # the whole predicate's index
            if more:
                return self.data.multi(*values.key, n) & values.fset
            if n == 1:
                return values.fset.difference(values.index)
        get = values.index.get
        if more:
            return {f for f in values.fset if len(get(f, ())) > n}
        return {f for f in values.fset if len(get(f, ())) < n}

    def _c_minCount(self, shape, n, values, results):
        return self._focus_results(shape, "MinCountConstraintComponent", values, self._count_fails(values, n, False),
                                   results)

    def _c_maxCount(self, shape, n, values, results):
        return self._focus_results(shape, "MaxCountConstraintComponent", values, self._count_fails(values, n, True),
                                   results)

    def _c_uniqueLang(self, shape, on, values, results):
        if not on:
            return set()
        failed = set()
        for f, vs in values.items():
            if len(vs) < 2:
                continue
            counts: dict = defaultdict(int)
            for v in vs:
                if isinstance(v, ox.Literal) and v.language:
                    counts[v.language.lower()] += 1
            repeated = sum(1 for c in counts.values() if c > 1)
            if repeated:
                failed.add(f)
                if results is not None:
                    results += [self._result(shape, f, "UniqueLangConstraintComponent") for _ in range(repeated)]
        return failed

    def _c_hasValue(self, shape, term, values, results):
        bad = {f for f, vs in values.items() if term not in vs}
        return self._focus_results(shape, "HasValueConstraintComponent", values, bad, results)

    def _qualified(self, shape, param, values, results, component, more: bool):
        inner, n = param
        distinct = values.distinct()
        ok = distinct - self.fails(inner, distinct)
        candidates = values.fset if not more else self._count_fails(values, n, True)
        get = values.index.get if not values.identity else (lambda f, default=(): (f,))
        if more:
            bad = {f for f in candidates if sum(1 for v in get(f, ()) if v in ok) > n}
        else:
            bad = {f for f in candidates if sum(1 for v in get(f, ()) if v in ok) < n}
        return self._focus_results(shape, component, values, bad, results)

    def _c_qualifiedMinCount(self, shape, param, values, results):
        return self._qualified(shape, param, values, results, "QualifiedMinCountConstraintComponent", False)

    def _c_qualifiedMaxCount(self, shape, param, values, results):
        return self._qualified(shape, param, values, results, "QualifiedMaxCountConstraintComponent", True)

    # -- property pairs
    def _pair(self, shape, other, values, results, component, test):
        others = self.data.step(other, list(values.focus))
        failed = set()
        for f, vs in values.items():
            bad = test(f, vs, others.get(f, []))
            if bad:
                failed.add(f)
                if results is not None:
                    results += [self._result(shape, f, component, v) for v in bad]
        return failed

    def _c_equals(self, shape, other, values, results):
        return self._pair(shape, other, values, results, "EqualsConstraintComponent",
                          lambda f, vs, os: list(dict.fromkeys([v for v in vs if v not in os] +
                                                               [o for o in os if o not in vs])))

    def _c_disjoint(self, shape, other, values, results):
        return self._pair(shape, other, values, results, "DisjointConstraintComponent",
                          lambda f, vs, os: [v for v in vs if v in os])

    def _c_lessThan(self, shape, other, values, results):
        return self._pair(shape, other, values, results, "LessThanConstraintComponent",
                          lambda f, vs, os: [v for v in vs for o in os
                                             if (_comparable(v, o) is None or not _lt(*_comparable(v, o)))])

    def _c_lessThanOrEquals(self, shape, other, values, results):
        return self._pair(shape, other, values, results, "LessThanOrEqualsConstraintComponent",
                          lambda f, vs, os: [v for v in vs for o in os
                                             if (_comparable(v, o) is None or not _le(*_comparable(v, o)))])

    # -- other
    def _c_closed(self, shape, allowed, values, results):
        if allowed is False or allowed is True:
            return set()
        failed = set()
        for f, vs in values.items():
            for v in vs:
                if isinstance(v, ox.Literal):
                    continue
                for q in self.data.quads(v, None, None):
                    if q.predicate not in allowed:
                        failed.add(f)
                        if results is not None:
                            results.append(self._result(shape, f, "ClosedConstraintComponent", q.object,
                                                        path=("pred", q.predicate)))
        return failed

    # -- SHACL-SPARQL: one query for all focus nodes
    def _c_sparql(self, shape, c, values, results):
        if c["deactivated"]:
            return set()
        focus = values.fset
        text = _prepare(c, shape, focus if len(focus) <= 500 else None)
        failed, seen = set(), set()
        solutions = self.data.query(text)
        names = [v.value for v in solutions.variables]
        if "this" not in names:
            raise Unsupported(f"SPARQL constraint {c['node']} does not select $this")
        for row in solutions:
            this = row["this"]
            if this is None or this not in focus:
                continue
            failed.add(this)
            if results is None:
                continue
            bound = {v: row[v] for v in names if row[v] is not None}
            path = bound.pop("path", None)
            value = bound.pop("value", None)
            bound.pop("failure", None)
            key = (this, path, value, tuple(sorted((k, str(v)) for k, v in bound.items() if k != "this")))
            if key in seen:
                continue
            seen.add(key)
            fmt = dict(bound)
            fmt["this"] = this
            if shape.is_property:
                fmt["path"] = path if path is not None else None
            if value is not None:
                fmt["value"] = value
            messages = [_format(m, fmt) for m in (c["messages"] or shape.messages)]
            if c["messages"]:
                messages += [_format(m, fmt) for m in shape.messages if m not in c["messages"]]
            result_value = value if value is not None else (None if shape.is_property else this)
            results.append(Result(this, shape, "SPARQLConstraintComponent", result_value,
                                  ("pred", path) if path is not None else shape.path, messages, fmt))
        return failed


_VALUE_COMPONENTS = {
    "class": "ClassConstraintComponent", "datatype": "DatatypeConstraintComponent",
    "nodeKind": "NodeKindConstraintComponent", "minInclusive": "MinInclusiveConstraintComponent",
    "maxInclusive": "MaxInclusiveConstraintComponent", "minExclusive": "MinExclusiveConstraintComponent",
    "maxExclusive": "MaxExclusiveConstraintComponent", "minLength": "MinLengthConstraintComponent",
    "maxLength": "MaxLengthConstraintComponent", "pattern": "PatternConstraintComponent",
    "languageIn": "LanguageInConstraintComponent", "in": "InConstraintComponent", "node": "NodeConstraintComponent",
    "not": "NotConstraintComponent", "and": "AndConstraintComponent", "or": "OrConstraintComponent",
    "xone": "XoneConstraintComponent",
}


def _lt(a, b):
    return a < b


def _le(a, b):
    return a <= b


def _union(a, b):
    """Union of two (set, positive) node sets, where (s, False) is the complement of s."""
    (x, px), (y, py) = a, b
    if px and py:
        return x | y, True
    if px:
        return y - x, False
    if py:
        return x - y, False
    return x & y, False


def _intersection(a, b):
    (x, px), (y, py) = a, b
    if px and py:
        return x & y, True
    if px:
        return x - y, True
    if py:
        return y - x, True
    return x | y, False


def _format(message: str, bindings: dict) -> str:
    for var, val in bindings.items():
        if val is None:
            continue
        text = val.value if hasattr(val, "value") else str(val)
        message = re.sub("{[?$]" + re.escape(var) + "}", lambda _m: text, message)
    return message


def _prepare(c: dict, shape: Shape, focus: set | None) -> str:
    text = c["select"]
    if shape.is_property:
        text = re.sub(r"\$PATH\b", path_sparql(shape.path), text)
    text = re.sub(r"\$this\b", "?this", text)
    if focus is not None:
        values = " ".join(_sparql_term(n) for n in focus if not isinstance(n, ox.BlankNode))
        match = re.search(r"\bWHERE\s*\{", text, re.IGNORECASE)
        if match and all(not isinstance(n, ox.BlankNode) for n in focus):
            text = text[:match.end()] + f" VALUES ?this {{ {values} }} " + text[match.end():]
    prefixes = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in c["prefixes"].items())
    return prefixes + text


def _sparql_term(term) -> str:
    return str(term)


# ---------------------------------------------------------------------------------------------- entry point

def validate(store: ox.Store, shapes: ShapesGraph | Compiled, graphs: list | None = None,
             focus: set | None = None) -> list[Result]:
    """Validate the union of ``graphs`` (default: every graph) of ``store``; with ``focus``, only those nodes."""
    compiled = shapes if isinstance(shapes, Compiled) else Compiled(shapes)
    return Engine(compiled, Data(store, graphs)).validate(focus)
