"""Shapes for shapes: a shapes graph is checked against SHACL's own shapes graph for shapes graphs (the W3C SHACL
specification, appendix C, "SHACL for SHACL"; ``shacl-shacl.ttl``, from the W3C data-shapes test suite, licence in
tests/w3c/LICENSE.md) before it is used, so an ill-formed shape (a count that is not an integer, a path that is
not a path, two sh:path values, ...) is refused instead of giving wrong results."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from wpsgraph.validation.shacl.graph import IllFormed, ShapesGraph

META = Path(__file__).resolve().parent / "shacl-shacl.ttl"
_compiled: list = []


def check(graph: ShapesGraph) -> None:
    """Raise IllFormed naming the first problem, if the shapes graph is not well-formed."""
    from wpsgraph.validation.shacl.data import Data
    from wpsgraph.validation.shacl.engine import Engine
    from wpsgraph.validation.shacl.paths import path_text
    from wpsgraph.validation.shacl.shapes import Compiled

    if not _compiled:
        _compiled.append(Compiled(ShapesGraph(ox.parse(path=str(META), format=ox.RdfFormat.TURTLE)), meta=False))
    store = ox.Store()
    store.extend(ox.Quad(s, p, o) for s, po in graph.spo.items() for p, objects in po.items() for o in objects)
    results = Engine(_compiled[0], Data(store)).validate()
    if results:
        r = results[0]
        where = f" {path_text(r.path)}" if r.path is not None else ""
        value = f" = {r.value}" if r.value is not None and r.value != r.focus else ""
        raise IllFormed(f"the shapes graph is not well-formed SHACL: {r.focus}{where}{value} fails "
                        f"{r.component.replace('ConstraintComponent', '')} (SHACL for SHACL, "
                        f"{r.shape.node}){'' if len(results) == 1 else f'; and {len(results) - 1} more'}")
