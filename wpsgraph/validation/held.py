"""What a build reads of the entailments after reasoning, so that its in-memory store holds only that.

A large build keeps the whole inferred graph on disk and in ``inferred.ttl`` (``reason.Hold``); in memory it is read
only by validation and by the lists of ``prepared/``. Those read what the shapes' trees of reads name
(``reach.reads``, the analysis ``validate --db`` copies a view of the build by): the predicates along every path,
the predicates targets name, class membership (every rdf:type statement is held), and every statement of the focus
nodes of a shape that reads them all (a SPARQL constraint over ``$this ?p ?o``). At a million triples about half of
the entailments (super-properties of alignment vocabularies, inverses no shape follows) are read by nothing there.
"""

from __future__ import annotations

from wpsgraph import resources
from wpsgraph.pipeline.reason import Hold


def entailments_read(names) -> Hold | None:
    """What validation with the data shapes, and the prepared lists, read of the entailments; None when that is not
    bounded by predicates (a shape with no tree of reads, a target of another kind, a shape reading every statement
    of nodes other than its focus nodes): the store then holds them all."""
    from wpsgraph.validation import prepared
    from wpsgraph.validation.engines import compiled_shapes
    from wpsgraph.validation.shacl import reach

    compiled = compiled_shapes([resources.DATA_SHAPES], names)
    hold = Hold()
    for shape in compiled.roots:
        tree = reach.reads(shape)
        if tree is None:
            return None
        for kind, term in shape.targets:
            if kind in ("targetSubjectsOf", "targetObjectsOf"):
                hold.predicates.add(term)
            elif kind not in ("targetClass", "targetNode"):
                return None
        if tree.all_out:
            hold.about.extend(shape.targets)
        if tree.all_in:
            hold.into.extend(shape.targets)
        todo, seen = [tree], set()
        while todo:
            node = todo.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if node is not tree and (node.all_out or node.all_in):
                return None
            hold.predicates.update(node.out, node.into)
            todo.extend(node.out.values())
            todo.extend(node.into.values())
    hold.predicates |= prepared.asked(compiled, reach)[1]
    return hold
