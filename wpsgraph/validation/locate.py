"""Locating findings: the file, line and column of the statement a finding is about (positions from
``wpsgraph/validation/positions.py``); a result about an inferred statement points to the asserted statement(s)
it follows from (``related``)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from wpsgraph.pipeline.load import Loaded
from wpsgraph.validation.findings import Finding

_SUB = ("(<http://www.w3.org/2000/01/rdf-schema#subPropertyOf>"
        "|<http://www.w3.org/2002/07/owl#equivalentProperty>)*")
_INV = "(<http://www.w3.org/2002/07/owl#inverseOf>|^<http://www.w3.org/2002/07/owl#inverseOf>)"


def _implies(store: ox.Store, q, p, flipped: bool) -> bool:
    """Whether an asserted q-statement entails a p-statement (the other way round when ``flipped``)."""
    if not flipped:
        return q == p or bool(store.query(f"ASK {{ <{q.value}> {_SUB} <{p.value}> }}", use_default_graph_as_union=True))
    return bool(store.query(
        f"ASK {{ {{ <{q.value}> {_SUB}/{_INV}/{_SUB} <{p.value}> }} UNION "
        f"{{ <{q.value}> a <http://www.w3.org/2002/07/owl#SymmetricProperty> ; {_SUB} <{p.value}> }} }}",
        use_default_graph_as_union=True))


def locate(findings: list[Finding], loaded: Loaded) -> None:
    """Point each finding at the statement it is about, in the file that writes it (line and column).

    - with a property and a value: the statement (focus property value) where it is asserted; for an inferred
      statement (a sub-property, an inverse, a symmetric property), the asserted statement(s) between the same
      two resources it follows from;
    - a node shape targeting the subjects of a property: the statement using that property;
    - otherwise the focus resource's first statement; a resource that is only used as a value (typed by the
      range of the property that points to it), the statement using it.
    """
    from wpsgraph.validation.positions import index_file

    store = loaded.store
    files = {g: Path(p) for g, p in loaded.graphs.items() if p is not None}

    def statements(s, p, o):
        """(file, s, p, o) for asserted quads matching the pattern, files in load order."""
        if isinstance(s, ox.Literal):
            return []
        out = []
        for q in store.quads_for_pattern(s, p, o, None):
            if q.graph_name in files:
                out.append((files[q.graph_name], q))
        order = list(files.values())
        out.sort(key=lambda x: order.index(x[0]))
        return out

    def position(path: Path, q):
        idx = index_file(path)
        from wpsgraph.validation.positions import key_of
        return idx.find(key_of(q.subject), key_of(q.predicate), key_of(q.object))

    for f in findings:
        if f.file is not None:
            continue
        terms = getattr(f, "_terms", None)
        if terms is None or terms[0] is None:
            continue
        focus, path, value = terms
        hits = []
        if path is not None and path[0] in ("pred", "inv") and value is not None:
            p = path[1] if path[0] == "pred" else (path[1][1] if path[1][0] == "pred" else None)
            if p is not None:
                s, o = (focus, value) if path[0] == "pred" else (value, focus)
                hits = statements(s, p, o)
                if not hits:  # inferred: the asserted statements between the same two resources it follows from
                    forward, backward = statements(s, None, o), statements(o, None, s)
                    implied = [h for h in forward if _implies(store, h[1].predicate, p, False)] + \
                        [h for h in backward if _implies(store, h[1].predicate, p, True)]
                    hits = implied or forward + backward
                    if hits:
                        f.related = [f"{path_}:{':'.join(map(str, position(path_, q) or ()))}" for path_, q in hits]
        if not hits and value is not None and path is None:
            for kind, term in getattr(f, "_targets", ()):
                if kind == "targetSubjectsOf":
                    hits = statements(focus, term, None)
                    if hits:
                        break
        if not hits and path is not None and path[0] == "pred":
            hits = statements(focus, path[1], None)
        subject_only = False
        if not hits:
            hits = statements(focus, None, None)
            subject_only = True
        if not hits:  # only used as a value: where it is used
            hits = statements(None, None, focus)
            subject_only = False
        if not hits:
            continue
        file = hits[0][0]
        if subject_only:
            from wpsgraph.validation.positions import key_of
            where = index_file(file).subjects.get(key_of(focus))
        else:
            found = [w for path_, q in hits if path_ == file for w in [position(file, q)] if w]
            where = min(found) if found else None
        f.file = str(file)
        if where:
            f.line, f.column = where

