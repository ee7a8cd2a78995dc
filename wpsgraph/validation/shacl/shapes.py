"""The shapes graph and its compiled form: shapes, their targets, constraints and messages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from wpsgraph.namespaces import OWL, SH
from wpsgraph.validation.shacl.graph import (
    INFO,
    RDF_TYPE,
    RDFS_CLASS,
    VIOLATION,
    WARNING,
    IllFormed,
    ShapesGraph,
    Unsupported,
    sh,
)
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
        """violation, warning or info; any other severity IRI counts as a violation (``severity_iri`` keeps it)."""
        return {VIOLATION: "violation", WARNING: "warning", INFO: "info"}.get(self.shape.severity, "violation")

    def message(self) -> str | None:
        return self.messages[0] if self.messages else None


_UNSUPPORTED = {"target", "rule", "js", "expression", "targetShape", "condition", "entailment",
                "shapesGraph", "suggestedShapesGraph", "ask", "jsFunctionName", "jsLibrary"}
_REFUSED = {"target": "SPARQL-based targets are not implemented", "rule": "SHACL rules are not implemented",
            "entailment": "the data graph is validated as given; reason it first",
            "ask": "ASK validators belong to custom constraint components, which are not implemented"}

# The SHACL terms the engine reads on a shape (the allow-list: any other sh: term on a shape is refused, so that a
# misspelt sh:minCout is an error and not a constraint silently skipped). Terms that only describe (name, order,
# group, ...) are read by nothing and allowed.
CONSTRAINTS = ("class", "datatype", "nodeKind", "minCount", "maxCount", "minLength", "maxLength", "languageIn",
               "uniqueLang", "in", "hasValue", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive",
               "equals", "disjoint", "lessThan", "lessThanOrEquals", "node", "not", "and", "or", "xone", "closed",
               "sparql")
SHAPE_TERMS = set(CONSTRAINTS) | {
    "targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode", "path", "property", "severity", "message",
    "deactivated", "pattern", "flags", "ignoredProperties", "qualifiedValueShape", "qualifiedMinCount",
    "qualifiedMaxCount", "qualifiedValueShapesDisjoint",
    # non-validating (SHACL 2.3.2 and 2.1.5): no effect on results
    "name", "description", "order", "group", "defaultValue", "prefixes", "declare"}
SPARQL_TERMS = {"select", "prefixes", "message", "deactivated", "declare"}
_OWL_IMPORTS = ox.NamedNode(OWL + "imports")


def _unknown(local: str, node, known: set) -> str:
    import difflib

    guess = difflib.get_close_matches(local, sorted(known), n=1)
    hint = f"; did you mean sh:{guess[0]}?" if guess else " this engine implements"
    return f"sh:{local} on {node} is not a SHACL term{hint} (refused rather than skipped)"


class Compiled:
    """The shapes graph compiled into Shape objects: the shapes with targets, and every shape they reach."""

    def __init__(self, graph: ShapesGraph, meta: bool = True):
        if meta:
            from wpsgraph.validation.shacl import meta as shapes_for_shapes

            shapes_for_shapes.check(graph)
        self.graph = graph
        self.shapes: dict = {}
        roots = set()
        for local in ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode"):
            roots |= {s for s, _ in graph.pos.get(sh(local), ())}
        for s in graph.subjects(RDF_TYPE, sh("NodeShape")) + graph.subjects(RDF_TYPE, sh("PropertyShape")):
            if RDFS_CLASS in graph.objects(s, RDF_TYPE):  # implicit class target
                roots.add(s)
        for local in ("parameter", "validator", "nodeValidator", "propertyValidator"):
            for component, _ in graph.pos.get(sh(local), ()):
                raise Unsupported(f"the custom constraint component {component} (SHACL-SPARQL constraint components "
                                  f"are not implemented by the fast engine)")
        for component in graph.subjects(RDF_TYPE, sh("ConstraintComponent")):
            raise Unsupported(f"the custom constraint component {component} (SHACL-SPARQL constraint components "
                              f"are not implemented by the fast engine)")
        for local in _UNSUPPORTED:
            if graph.pos.get(sh(local)):
                raise Unsupported(f"sh:{local} ({_REFUSED.get(local, 'not implemented by the fast engine')})")
        order = {s: i for i, s in enumerate(graph.spo)}
        self.roots = [self.shape(s) for s in sorted(roots, key=lambda s: order.get(s, 0))]
        # every shape of the graph is compiled, targeted or not, so that its terms are checked too
        for kind in ("NodeShape", "PropertyShape"):
            for s in graph.subjects(RDF_TYPE, sh(kind)):
                self.shape(s)
        for s, _ in graph.pos.get(sh("path"), ()):
            self.shape(s)
        sparql_nodes = {o for _, o in graph.pos.get(sh("sparql"), ())}
        for node in self.shapes:
            known = SHAPE_TERMS | SPARQL_TERMS if node in sparql_nodes else SHAPE_TERMS
            for p in graph.spo.get(node, {}):
                if p.value.startswith(SH) and p.value[len(SH):] not in known:
                    raise Unsupported(_unknown(p.value[len(SH):], node, known))

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
        for local in CONSTRAINTS:
            for value in g.objects(node, sh(local)):
                shape.constraints.append(self._constraint(node, local, value))
        for value in g.objects(node, sh("pattern")):
            flags = g.value(node, sh("flags"))
            shape.constraints.append(("pattern", _regex(value.value, flags.value if flags else "")))
        qvs = g.objects(node, sh("qualifiedValueShape"))
        if qvs:
            siblings: list = []
            if is_true(g.value(node, sh("qualifiedValueShapesDisjoint"))):
                # the qualified value shapes of the other property shapes of every shape that has this one
                for parent in g.subjects(sh("property"), node):
                    for other in g.objects(parent, sh("property")):
                        siblings += [self.shape(q) for q in g.objects(other, sh("qualifiedValueShape"))
                                     if q not in qvs]
            qmin, qmax = g.value(node, sh("qualifiedMinCount")), g.value(node, sh("qualifiedMaxCount"))
            for q in qvs:
                inner = self.shape(q)
                if qmin is not None:
                    shape.constraints.append(("qualifiedMinCount", (inner, _integer(qmin), siblings)))
                if qmax is not None:
                    shape.constraints.append(("qualifiedMaxCount", (inner, _integer(qmax), siblings)))
        return shape

    def _constraint(self, node, local, value):
        g = self.graph
        if local in ("minCount", "maxCount", "minLength", "maxLength"):
            return local, _integer(value)
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
        from wpsgraph.validation.shacl.sparql import check_select

        g = self.graph
        # a SPARQL constraint may be a shape too (the shape its own constraint): its shape terms are checked there
        known = SPARQL_TERMS | SHAPE_TERMS if node in self.shapes or node == shape_node else SPARQL_TERMS
        for p in g.spo.get(node, {}):
            if p.value.startswith(SH) and p.value[len(SH):] not in known:
                raise Unsupported(_unknown(p.value[len(SH):], node, known))
        selects = g.objects(node, sh("select"))
        if len(selects) != 1 or not isinstance(selects[0], ox.Literal):
            raise IllFormed(f"the SPARQL constraint {node} of {shape_node} needs exactly one sh:select string")
        prefixes: dict = {}
        todo, seen = list(g.objects(node, sh("prefixes"))), set()
        while todo:  # the declarations of each sh:prefixes node and of the nodes it imports (owl:imports)
            p = todo.pop()
            if p in seen:
                continue
            seen.add(p)
            todo += g.objects(p, _OWL_IMPORTS)
            for decl in g.objects(p, sh("declare")):
                prefix, ns = g.value(decl, sh("prefix")), g.value(decl, sh("namespace"))
                if prefix is None or ns is None:
                    raise IllFormed(f"a prefix declaration of {p} lacks sh:prefix or sh:namespace")
                if prefixes.get(prefix.value, ns.value) != ns.value:
                    raise IllFormed(f"the prefix {prefix.value}: is declared twice with different namespaces")
                if not re.fullmatch(r"[^\W\d_][\w.-]*|", prefix.value) or prefix.value.endswith("."):
                    raise IllFormed(f"the prefix {prefix.value!r} declared by {p} is not a SPARQL prefix name")
                try:  # queries get it as Oxigraph writes the IRI (sparql._prepare), never as given
                    prefixes[prefix.value] = ox.NamedNode(ns.value).value
                except ValueError:
                    raise IllFormed(f"the namespace {ns.value!r} of the prefix {prefix.value}: is not an IRI") from None
        bind = check_select(selects[0].value, node)
        messages = [m.value for m in g.objects(node, sh("message")) if isinstance(m, ox.Literal)]
        return {"node": node, "select": selects[0].value, "prefixes": prefixes, "messages": messages, "bind": bind,
                "deactivated": is_true(g.value(node, sh("deactivated")))}


def _integer(term) -> int:
    if not isinstance(term, ox.Literal) or not term.value.strip().lstrip("+-").isdigit():
        raise IllFormed(f"{term} is not an integer where the shapes need a count or a length")
    return int(term.value)


def is_true(term) -> bool:
    """Whether a boolean parameter is the literal true (SHACL names only true: "1" leaves it off)."""
    return isinstance(term, ox.Literal) and term.value == "true"


def _regex(pattern: str, flags: str):
    f = 0
    for c in flags or "":
        f |= {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}.get(c, 0)
    return re.compile(pattern, f)
