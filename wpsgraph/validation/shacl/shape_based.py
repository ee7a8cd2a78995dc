"""SHACL 4.7, shape-based constraint components."""

from __future__ import annotations

from wpsgraph.validation.shacl.base import EngineBase


class ShapeBasedConstraints(EngineBase):
    """SHACL 4.7, shape-based constraint components: ``sh:node`` and qualified value shapes
    (``sh:qualifiedValueShape`` with ``sh:qualifiedMinCount``/``sh:qualifiedMaxCount``); ``sh:property`` is the
    engine's own recursion into property shapes."""

    def _v_node(self, inner, values):
        return self.fails(inner, values.distinct())

    def _qualified(self, shape, param, values, results, component, more: bool):
        inner, n, siblings = param
        distinct = values.distinct()
        ok = distinct - self.fails(inner, distinct)
        for sibling in siblings:  # sh:qualifiedValueShapesDisjoint: a value that conforms to a sibling too
            ok -= self.conforming(sibling, ok)
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
