"""SHACL 4.2, cardinality constraint components."""

from __future__ import annotations

from wpsgraph.validation.shacl.base import EngineBase


class CardinalityConstraints(EngineBase):
    """SHACL 4.2, cardinality constraint components: ``sh:minCount`` and ``sh:maxCount``, the least and
    most number of value nodes."""

    def _count_fails(self, values, n: int, more: bool) -> set:
        """The focus nodes with more than n values (``more``), or with fewer than n."""
        if values.identity:
            return set(values.fset) if (n < 1 if more else n > 1) else set()
        if values.everything is not None:  # the whole predicate's index
            if more:
                p, inverse = values.key
                return self.data.multi(p, inverse, n) & values.fset
            if n == 1:
                return values.fset.difference(values.index)
        get = values.index.get
        if more:
            return {f for f in values.fset if len(get(f, ())) > n}
        return {f for f in values.fset if len(get(f, ())) < n}

    def _c_minCount(self, shape, n, values, results):
        return self._focus_results(shape, "MinCountConstraintComponent", values, self._count_fails(values, n, False),
                                   results)

    def _c_maxCount(self, shape, n, values, results):
        return self._focus_results(shape, "MaxCountConstraintComponent", values, self._count_fails(values, n, True),
                                   results)
