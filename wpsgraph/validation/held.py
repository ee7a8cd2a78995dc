"""What a build reads of the entailments after reasoning, so that its in-memory store holds only that.

A large build keeps the whole inferred graph on disk and in ``inferred.ttl`` (``reason.Hold``); in memory it is read
only by validation and by the lists of ``prepared/``. Those read what the shapes' trees of reads name
(``reach.reads``, the analysis ``validate --db`` copies a view of the build by): the predicates along every path,
the predicates targets name, membership of the classes targets and ``sh:class`` name (a class's instances are
typed with it, whatever subclass they were stated in), and every statement of the focus nodes of a shape that
reads them all (a SPARQL constraint over ``$this ?p ?o``). The lists of ``prepared/`` are of the whole graph: the
reasoner gives those it knows whole (``Reasoned.lists``). At a million triples about half of
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
            elif kind == "targetClass":
                hold.classes.add(term)
            elif kind != "targetNode":
                return None
        if tree.all_out:
            hold.about.extend(shape.targets)
        if tree.all_in:
            hold.into.extend(shape.targets)
        for node in tree.nodes():
            if node is not tree and (node.all_out or node.all_in):
                return None
            hold.predicates.update(node.out, node.into)
            hold.classes |= node.classes
    # the lists of prepared/, of the whole graph: from the reasoner where it knows them whole, else from the store
    hold.members_of, hold.subjects_of = prepared.asked(compiled, reach)
    return hold
