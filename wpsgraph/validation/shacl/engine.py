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
(focus, path, value, constraint component, severity, source shape, message) on the shipped data and every fixture,
and tests/test_w3c_shacl.py runs the W3C SHACL test suite against this engine.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox

from wpsgraph.collector import paused
from wpsgraph.validation.shacl.cardinality import CardinalityConstraints
from wpsgraph.validation.shacl.data import Data, Values
from wpsgraph.validation.shacl.graph import ShapesGraph
from wpsgraph.validation.shacl.logical import LogicalConstraints
from wpsgraph.validation.shacl.other import OtherConstraints
from wpsgraph.validation.shacl.property_pair import PropertyPairConstraints
from wpsgraph.validation.shacl.shape_based import ShapeBasedConstraints
from wpsgraph.validation.shacl.shapes import Compiled, Result, Shape
from wpsgraph.validation.shacl.sparql import SparqlConstraints
from wpsgraph.validation.shacl.string_based import StringBasedConstraints
from wpsgraph.validation.shacl.value_range import ValueRangeConstraints
from wpsgraph.validation.shacl.value_type import ValueTypeConstraints


class Engine(ValueTypeConstraints, CardinalityConstraints, ValueRangeConstraints, StringBasedConstraints,
             PropertyPairConstraints, LogicalConstraints, ShapeBasedConstraints, OtherConstraints, SparqlConstraints):
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

    def validate(self, restrict: set | dict | None = None) -> list[Result]:
        """Results of every shape with targets; ``restrict``: only these focus nodes (a set), or per shape (a dict
        shape -> set, or None for all its focus nodes; a shape not in it is not validated)."""
        with paused():
            results: list[Result] = []
            for shape in self.compiled.roots:
                if shape.deactivated:
                    continue
                if isinstance(restrict, dict):
                    if shape not in restrict:
                        continue
                    focus = self.focus_nodes(shape, restrict[shape])
                else:
                    focus = self.focus_nodes(shape, restrict)
                if focus:
                    results += self.check(shape, focus)
            return results

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
        result: tuple | None = None
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
                # sh:property on a property shape: the value nodes are the focus nodes of the inner shape. A value
                # node reached from n focus nodes is validated n times (SHACL 2.3.2), so its results appear n times.
                ordered = values.ordered()
                if results is None:
                    inner = self._evaluate(prop, ordered, None)
                else:
                    times = Counter(v for _, vs in values.items() for v in vs)
                    inner = self._evaluate(prop, [v for v in ordered if times[v] == 1], results)
                    for v in ordered:
                        if times[v] > 1:
                            once: list = []
                            inner |= self._evaluate(prop, [v], once)
                            results += once * times[v]
                failed |= values.failing(inner)
            else:
                failed |= self._evaluate(prop, focus, results, values.fset)
        return failed

    def _result(self, shape, focus, component, value=None, messages=None, bindings=None, path=None,
                no_value: bool = False):
        if value is None and not no_value and not shape.is_property:
            value = focus  # a node shape's value node is its focus node
        return Result(focus, shape, component, value, path if path is not None else shape.path,
                      messages if messages is not None else list(shape.messages), bindings)

    def _focus_results(self, shape, component, values, bad: set, results) -> set:
        """Results about focus nodes (no sh:value) for the focus nodes in ``bad``."""
        if bad and results is not None:
            results += [self._result(shape, f, component, no_value=True) for f in values.focus if f in bad]
        return bad


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



def validate(store: ox.Store, shapes: ShapesGraph | Compiled, graphs: list | None = None,
             focus: set | None = None) -> list[Result]:
    """Validate the union of ``graphs`` (default: every graph) of ``store``; with ``focus``, only those nodes."""
    compiled = shapes if isinstance(shapes, Compiled) else Compiled(shapes)
    return Engine(compiled, Data(store, graphs)).validate(focus)
