"""The ways the shapes read the data from a focus node, for validating again only what a change can affect.

A read pattern is (targets, steps): ``targets`` are the targets of the shape a focus node is validated against,
``steps`` the path steps to a value (then the value's types for ``sh:class``, nested shapes on the values, one
wildcard step for SPARQL constraints). ``focus.affected_focus`` walks a changed statement back along them.
"""

from __future__ import annotations

import pyoxigraph as ox
import rdflib

from wpsgraph.namespaces import RDF_TYPE
from wpsgraph.terms import from_rdflib


class Unbounded(Exception):
    """A shape reads the data in a way whose reach is not bounded by its paths: validate everything."""


WILD = None  # any predicate
_MAX_NESTING = 8


def read_patterns(compiled) -> set:
    """Every way the shapes read the data from a focus node: (targets, steps), where ``targets`` are the targets
    of the shape the focus node is validated against (as sorted (kind, term) pairs) and ``steps`` a tuple of
    (predicate or None for any, inverse), each step read from the node the steps before it reach. Raises
    Unbounded for what has no such bound (zero-or-more paths, deeply nested shapes, SPARQL reading past the
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
        raise Unbounded(f"sh:{kind} path")

    def visit(shape, at: tuple, depth: int) -> None:
        if depth > _MAX_NESTING:
            raise Unbounded("nested shapes")
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
                    add(v + ((WILD, False),))
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
    try:
        head = "".join(f"PREFIX {p}: {ox.NamedNode(ns)}\n" for p, ns in constraint["prefixes"].items())
        algebra = prepareQuery(head + constraint["select"]).algebra
    except Exception as e:  # the engine runs the query with Oxigraph; rdflib may not read every form of it
        raise Unbounded(f"SPARQL constraint {constraint['node']} ({e})") from None
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
                raise Unbounded(f"SPARQL constraint {constraint['node']} uses $PATH otherwise than $this to ?value")
            continue
        step = from_rdflib(p) if isinstance(p, rdflib.URIRef) else WILD
        if isinstance(p, RdflibPath):
            step = WILD
        if s in (this, value):
            reads.append(("this" if s == this else "value", (step, False)))
        elif o in (this, value):
            reads.append(("this" if o == this else "value", (step, True)))
        else:
            raise Unbounded(f"SPARQL constraint {constraint['node']} reads past $this and ?value")
    return reads
