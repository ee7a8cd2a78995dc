"""SHACL 4.5, property pair constraint components."""

from __future__ import annotations

from wpsgraph.validation.shacl.base import EngineBase
from wpsgraph.validation.shacl.literals import compare


class PropertyPairConstraints(EngineBase):
    """SHACL 4.5, property pair constraint components: ``sh:equals``, ``sh:disjoint``, ``sh:lessThan``,
    ``sh:lessThanOrEquals``, comparing the value nodes with the values of another property of the focus node."""

    def _pair(self, shape, other, values, results, component, test):
        others = self.data.step(other, list(values.focus))
        failed = set()
        for f, vs in values.items():
            bad = test(f, vs, others.get(f, []))
            if bad:
                failed.add(f)
                if results is not None:
                    results += [self._result(shape, f, component, v) for v in bad]
        return failed

    def _c_equals(self, shape, other, values, results):
        return self._pair(shape, other, values, results, "EqualsConstraintComponent",
                          lambda f, vs, os: list(dict.fromkeys([v for v in vs if v not in os] +
                                                               [o for o in os if o not in vs])))

    def _c_disjoint(self, shape, other, values, results):
        return self._pair(shape, other, values, results, "DisjointConstraintComponent",
                          lambda f, vs, os: [v for v in vs if v in os])

    def _c_lessThan(self, shape, other, values, results):
        return self._pair(shape, other, values, results, "LessThanConstraintComponent",
                          lambda f, vs, os: [v for v in vs for o in os if compare(v, o) != -1])

    def _c_lessThanOrEquals(self, shape, other, values, results):
        return self._pair(shape, other, values, results, "LessThanOrEqualsConstraintComponent",
                          lambda f, vs, os: [v for v in vs for o in os if compare(v, o) not in (-1, 0)])

