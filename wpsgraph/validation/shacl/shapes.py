"""The shapes graph and its compiled form: shapes, their targets, constraints and messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from wpsgraph.validation.shacl.graph import INFO, RDF_TYPE, RDFS_CLASS, VIOLATION, WARNING, ShapesGraph, Unsupported, sh
from wpsgraph.validation.shacl.paths import parse_path


@dataclass(eq=False)
class Shape:
    node: Any
    path: Any = None                      # None for a node shape; else a path expression (see parse_path)
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
    focus: Any
    shape: Shape
    component: str
    value: Any = None
    path: Any = None
    messages: list = field(default_factory=list)
    bindings: dict | None = None

    @property
    def severity(self) -> str:
        return {VIOLATION: "violation", WARNING: "warning", INFO: "info"}.get(self.shape.severity, "violation")

    def message(self) -> str | None:
        return self.messages[0] if self.messages else None


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
        shape = Shape(node, path=parse_path(g, path_node) if path_node is not None else None)
        self.shapes[node] = shape
        shape.severity = g.value(node, sh("severity")) or VIOLATION
        shape.messages = [m.value for m in g.objects(node, sh("message")) if isinstance(m, ox.Literal)]
        shape.deactivated = is_true(g.value(node, sh("deactivated")))
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
            if is_true(g.value(node, sh("qualifiedValueShapesDisjoint"))):
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
            if local == "closed" and is_true(value):
                allowed = {p.path[1] for p in self.shape(node).properties if p.path and p.path[0] == "pred"}
                allowed |= set(g.items(g.value(node, sh("ignoredProperties"))))
                return local, allowed
            return local, is_true(value)
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
                "deactivated": is_true(g.value(node, sh("deactivated")))}


def is_true(term) -> bool:
    return isinstance(term, ox.Literal) and term.value.lower() in ("true", "1")


def _regex(pattern: str, flags: str):
    f = 0
    for c in flags or "":
        f |= {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}.get(c, 0)
    return re.compile(pattern, f)
