"""SHACL 4.3, value range constraint components."""

from __future__ import annotations

from wpsgraph.validation.shacl.base import EngineBase
from wpsgraph.validation.shacl.literals import compare


class ValueRangeConstraints(EngineBase):
    """SHACL 4.3, value range constraint components: ``sh:minExclusive``, ``sh:minInclusive``,
    ``sh:maxExclusive``, ``sh:maxInclusive``; a value node that cannot be compared with the bound (``literals``:
    NaN, an ill-typed literal, another type, a time zone too close to call) fails."""

    def _range(self, bound, values, allowed: tuple):
        return {v for v in values.distinct() if compare(v, bound) not in allowed}

    def _v_minInclusive(self, b, values):
        return self._range(b, values, (0, 1))

    def _v_maxInclusive(self, b, values):
        return self._range(b, values, (-1, 0))

    def _v_minExclusive(self, b, values):
        return self._range(b, values, (1,))

    def _v_maxExclusive(self, b, values):
        return self._range(b, values, (-1,))
