"""SHACL 4.3, value range constraint components."""

from __future__ import annotations

from wpsgraph.validation.shacl.base import EngineBase
from wpsgraph.validation.shacl.data import comparable


class ValueRangeConstraints(EngineBase):
    """SHACL 4.3, value range constraint components: ``sh:minExclusive``, ``sh:minInclusive``,
    ``sh:maxExclusive``, ``sh:maxInclusive``; a value node that cannot be compared with the bound fails."""

    def _range(self, bound, values, test):
        out = set()
        for v in values.distinct():
            pair = comparable(v, bound)
            if pair is None or not test(*pair):
                out.add(v)
        return out

    def _v_minInclusive(self, b, values):
        return self._range(b, values, lambda v, b: v >= b)

    def _v_maxInclusive(self, b, values):
        return self._range(b, values, lambda v, b: v <= b)

    def _v_minExclusive(self, b, values):
        return self._range(b, values, lambda v, b: v > b)

    def _v_maxExclusive(self, b, values):
        return self._range(b, values, lambda v, b: v < b)
