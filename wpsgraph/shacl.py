"""A set-based SHACL engine on the Oxigraph store.

pySHACL evaluates every constraint once per focus node in Python over an rdflib graph: about 5 s for the
3.5k triples of the shipped data, hours for a million. This engine evaluates each constraint once for ALL its
focus (or value) nodes: the value nodes of a path come from one scan of the store per predicate, the instances
of a class from one SPARQL query, a nested shape (``sh:or``, ``sh:not``, ``sh:node``, qualified value shapes) is
evaluated on the whole set of nodes it is asked about, with its answers memoised per node, and a SHACL-SPARQL
constraint is one query over all focus nodes (``$this`` left unbound and joined with the focus set, or bound by a
``VALUES`` block when the focus set is small).

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

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from .namespaces import RDF, RDFS, SH, XSD, Names

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
    from .namespaces import DEFAULT_BASE
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
        self._instances: dict = {}

    def quads(self, s=None, p=None, o=None):
        if self.graphs is None:
            return self.store.quads_for_pattern(s, p, o, None)
        return (q for g in self.graphs for q in self.store.quads_for_pattern(s, p, o, g))

    def _index(self, p, inverse: bool) -> dict:
        cache = self._in if inverse else self._out
        if p not in cache:
            index: dict = defaultdict(dict)  # dict as an ordered set
            for q in self.quads(None, p, None):
                if inverse:
                    index[q.object][q.subject] = None
                else:
                    index[q.subject][q.object] = None
            cache[p] = index
        return cache[p]

    def step(self, p, nodes, inverse: bool = False) -> dict:
        """node -> [values] along predicate p (or its inverse) for every node of ``nodes``."""
        nodes = list(nodes)
        index = self._index(p, inverse) if len(nodes) > 64 or p in (self._in if inverse else self._out) else None
        out = {}
        for n in nodes:
            if index is not None:
                values = list(index.get(n, ()))
            elif inverse:
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
        return set(self._index(p, False))

    def objects_of(self, p) -> set:
        return set(self._index(p, True))

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

class Engine:
    """Validate a data graph against compiled shapes, each constraint once over all its focus nodes."""

    def __init__(self, compiled: Compiled, data: Data):
        self.compiled = compiled
        self.data = data
        self.memo: dict = defaultdict(dict)  # shape -> node -> conforms?

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
            for n in found:
                nodes[n] = None
        if restrict is not None:
            return [n for n in nodes if n in restrict]
        return list(nodes)

    def validate(self, restrict: set | None = None) -> list[Result]:
        results: list[Result] = []
        for shape in self.compiled.roots:
            if shape.deactivated:
                continue
            focus = self.focus_nodes(shape, restrict)
            if focus:
                results += self.check(shape, focus)
        return results

    # -- nested conformance, memoised per shape and node
    def conforming(self, shape: Shape, nodes) -> set:
        memo = self.memo[shape]
        todo = [n for n in dict.fromkeys(nodes) if n not in memo]
        if todo:
            failed = {r.focus for r in self.check(shape, todo, nested=True)}
            for n in todo:
                memo[n] = n not in failed
        return {n for n in nodes if memo[n]}

    # -- one shape on a set of focus nodes
    def check(self, shape: Shape, focus: list, nested: bool = False) -> list[Result]:
        if shape.deactivated:
            return []
        if shape.is_property:
            values = self.data.values(shape.path, focus)
        else:
            values = {f: [f] for f in focus}
        results: list[Result] = []
        for component, param in shape.constraints:
            results += getattr(self, "_c_" + component)(shape, param, values, nested)
        for prop in shape.properties:
            if shape.is_property:
                results += self._nested_property(shape, prop, values, nested)
            else:
                results += self.check(prop, focus, nested)
        return results

    def _nested_property(self, shape, prop, values, nested):
        # sh:property on a property shape: the value nodes become focus nodes of the inner property shape
        inner_focus = list(dict.fromkeys(v for vs in values.values() for v in vs))
        return self.check(prop, inner_focus, nested)

    def _result(self, shape, focus, component, value=None, messages=None, bindings=None, path=None):
        return Result(focus, shape, component, value if value is not None else (None if shape.is_property else focus),
                      path if path is not None else shape.path,
                      messages if messages is not None else list(shape.messages), bindings)

    def _each_value(self, shape, values, component, bad: set):
        out = []
        for f, vs in values.items():
            for v in vs:
                if v in bad:
                    out.append(self._result(shape, f, component, v))
        return out

    def _value_test(self, shape, values, component, ok):
        distinct = {v for vs in values.values() for v in vs}
        return self._each_value(shape, values, component, {v for v in distinct if not ok(v)})

    # -- value type
    def _c_class(self, shape, cls, values, nested):
        instances = self.data.instances(cls)
        distinct = {v for vs in values.values() for v in vs}
        return self._each_value(shape, values, "ClassConstraintComponent", distinct - instances)

    def _c_datatype(self, shape, dt, values, nested):
        def ok(v):
            if not isinstance(v, ox.Literal):
                return False
            if dt == RDF_LANGSTRING:
                return v.language is not None
            if v.language is not None:
                return False
            return v.datatype == dt and not ill_typed(v)
        return self._value_test(shape, values, "DatatypeConstraintComponent", ok)

    def _c_nodeKind(self, shape, kind, values, nested):
        allowed = {
            "BlankNode": (ox.BlankNode,), "IRI": (ox.NamedNode,), "Literal": (ox.Literal,),
            "BlankNodeOrIRI": (ox.BlankNode, ox.NamedNode), "BlankNodeOrLiteral": (ox.BlankNode, ox.Literal),
            "IRIOrLiteral": (ox.NamedNode, ox.Literal),
        }[kind.value.rsplit("#", 1)[-1]]
        return self._value_test(shape, values, "NodeKindConstraintComponent", lambda v: isinstance(v, allowed))

    # -- cardinality
    def _c_minCount(self, shape, n, values, nested):
        return [self._result(shape, f, "MinCountConstraintComponent") for f, vs in values.items() if len(vs) < n]

    def _c_maxCount(self, shape, n, values, nested):
        return [self._result(shape, f, "MaxCountConstraintComponent") for f, vs in values.items() if len(vs) > n]

    # -- value range
    def _range(self, shape, bound, values, component, test):
        def ok(v):
            pair = _comparable(v, bound)
            return pair is not None and test(*pair)
        return self._value_test(shape, values, component, ok)

    def _c_minInclusive(self, shape, b, values, nested):
        return self._range(shape, b, values, "MinInclusiveConstraintComponent", lambda v, b: v >= b)

    def _c_maxInclusive(self, shape, b, values, nested):
        return self._range(shape, b, values, "MaxInclusiveConstraintComponent", lambda v, b: v <= b)

    def _c_minExclusive(self, shape, b, values, nested):
        return self._range(shape, b, values, "MinExclusiveConstraintComponent", lambda v, b: v > b)

    def _c_maxExclusive(self, shape, b, values, nested):
        return self._range(shape, b, values, "MaxExclusiveConstraintComponent", lambda v, b: v < b)

    # -- string based
    def _c_minLength(self, shape, n, values, nested):
        return self._value_test(shape, values, "MinLengthConstraintComponent",
                                lambda v: not isinstance(v, ox.BlankNode) and len(v.value) >= n)

    def _c_maxLength(self, shape, n, values, nested):
        return self._value_test(shape, values, "MaxLengthConstraintComponent",
                                lambda v: not isinstance(v, ox.BlankNode) and len(v.value) <= n)

    def _c_pattern(self, shape, regex, values, nested):
        return self._value_test(shape, values, "PatternConstraintComponent",
                                lambda v: not isinstance(v, ox.BlankNode) and regex.search(v.value) is not None)

    def _c_languageIn(self, shape, ranges, values, nested):
        return self._value_test(shape, values, "LanguageInConstraintComponent",
                                lambda v: isinstance(v, ox.Literal) and _lang_matches(v.language, ranges))

    def _c_uniqueLang(self, shape, on, values, nested):
        if not on:
            return []
        out = []
        for f, vs in values.items():
            counts: dict = defaultdict(int)
            for v in vs:
                if isinstance(v, ox.Literal) and v.language:
                    counts[v.language.lower()] += 1
            out += [self._result(shape, f, "UniqueLangConstraintComponent") for lang, c in counts.items() if c > 1]
        return out

    # -- property pairs
    def _pair(self, shape, other, values, component, test):
        others = self.data.step(other, list(values))
        out = []
        for f, vs in values.items():
            out += test(f, vs, others.get(f, []), component)
        return out

    def _c_equals(self, shape, other, values, nested):
        def test(f, vs, os, c):
            return [self._result(shape, f, c, v) for v in
                    list(dict.fromkeys([v for v in vs if v not in os] + [o for o in os if o not in vs]))]
        return self._pair(shape, other, values, "EqualsConstraintComponent", test)

    def _c_disjoint(self, shape, other, values, nested):
        return self._pair(shape, other, values, "DisjointConstraintComponent",
                          lambda f, vs, os, c: [self._result(shape, f, c, v) for v in vs if v in os])

    def _c_lessThan(self, shape, other, values, nested):
        def test(f, vs, os, c):
            return [self._result(shape, f, c, v) for v in vs for o in os
                    if (_comparable(v, o) is None or not (lambda a, b: a < b)(*_comparable(v, o)))]
        return self._pair(shape, other, values, "LessThanConstraintComponent", test)

    def _c_lessThanOrEquals(self, shape, other, values, nested):
        def test(f, vs, os, c):
            return [self._result(shape, f, c, v) for v in vs for o in os
                    if (_comparable(v, o) is None or not (lambda a, b: a <= b)(*_comparable(v, o)))]
        return self._pair(shape, other, values, "LessThanOrEqualsConstraintComponent", test)

    # -- other
    def _c_in(self, shape, allowed, values, nested):
        return self._value_test(shape, values, "InConstraintComponent", lambda v: v in allowed)

    def _c_hasValue(self, shape, term, values, nested):
        return [self._result(shape, f, "HasValueConstraintComponent") for f, vs in values.items() if term not in vs]

    def _c_closed(self, shape, allowed, values, nested):
        if allowed is False or allowed is True:
            return []
        out = []
        for f, vs in values.items():
            for v in vs:
                if isinstance(v, ox.Literal):
                    continue
                for q in self.data.quads(v, None, None):
                    if q.predicate not in allowed:
                        out.append(self._result(shape, f, "ClosedConstraintComponent", q.object,
                                                path=("pred", q.predicate)))
        return out

    # -- shape-based
    def _distinct(self, values):
        return list(dict.fromkeys(v for vs in values.values() for v in vs))

    def _c_node(self, shape, inner, values, nested):
        distinct = self._distinct(values)
        return self._each_value(shape, values, "NodeConstraintComponent",
                                set(distinct) - self.conforming(inner, distinct))

    def _c_not(self, shape, inner, values, nested):
        distinct = self._distinct(values)
        return self._each_value(shape, values, "NotConstraintComponent", self.conforming(inner, distinct))

    def _c_and(self, shape, inners, values, nested):
        remaining = set(self._distinct(values))
        ok = set(remaining)
        for inner in inners:
            ok &= self.conforming(inner, list(ok))
        return self._each_value(shape, values, "AndConstraintComponent", remaining - ok)

    def _c_or(self, shape, inners, values, nested):
        remaining = self._distinct(values)
        bad = set(remaining)
        for inner in inners:
            if not remaining:
                break
            bad -= self.conforming(inner, remaining)
            remaining = [v for v in remaining if v in bad]
        return self._each_value(shape, values, "OrConstraintComponent", bad)

    def _c_xone(self, shape, inners, values, nested):
        distinct = self._distinct(values)
        counts: dict = defaultdict(int)
        for inner in inners:
            for v in self.conforming(inner, distinct):
                counts[v] += 1
        return self._each_value(shape, values, "XoneConstraintComponent", {v for v in distinct if counts[v] != 1})

    def _c_qualifiedMinCount(self, shape, param, values, nested):
        inner, n = param
        ok = self.conforming(inner, self._distinct(values))
        return [self._result(shape, f, "QualifiedMinCountConstraintComponent")
                for f, vs in values.items() if sum(1 for v in vs if v in ok) < n]

    def _c_qualifiedMaxCount(self, shape, param, values, nested):
        inner, n = param
        ok = self.conforming(inner, self._distinct(values))
        return [self._result(shape, f, "QualifiedMaxCountConstraintComponent")
                for f, vs in values.items() if sum(1 for v in vs if v in ok) > n]

    # -- SHACL-SPARQL: one query for all focus nodes
    def _c_sparql(self, shape, c, values, nested):
        if c["deactivated"]:
            return []
        focus = set(values)
        text = _prepare(c, shape, focus if len(focus) <= 500 else None)
        out, seen = [], set()
        solutions = self.data.query(text)
        names = [v.value for v in solutions.variables]
        if "this" not in names:
            raise Unsupported(f"SPARQL constraint {c['node']} does not select $this")
        for row in solutions:
            this = row["this"]
            if this is None or this not in focus:
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
            out.append(Result(this, shape, "SPARQLConstraintComponent", result_value,
                              ("pred", path) if path is not None else shape.path, messages, fmt))
        return out


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
