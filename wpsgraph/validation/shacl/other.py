"""SHACL 4.8, other constraint components."""

from __future__ import annotations

import pyoxigraph as ox

from wpsgraph.validation.shacl.base import EngineBase


class OtherConstraints(EngineBase):
    """SHACL 4.8, other constraint components: ``sh:closed`` (with ``sh:ignoredProperties``), ``sh:hasValue``,
    ``sh:in``."""

    def _c_closed(self, shape, allowed, values, results):
        if allowed is False or allowed is True:
            return set()
        failed = set()
        for f, vs in values.items():
            for v in vs:
                if isinstance(v, ox.Literal):
                    continue
                for q in self.data.quads(v, None, None):
                    if q.predicate not in allowed:
                        failed.add(f)
                        if results is not None:
                            results.append(self._result(shape, f, "ClosedConstraintComponent", q.object,
                                                        path=("pred", q.predicate)))
        return failed

    def _c_hasValue(self, shape, term, values, results):
        bad = {f for f, vs in values.items() if term not in vs}
        return self._focus_results(shape, "HasValueConstraintComponent", values, bad, results)

    def _v_in(self, allowed, values):
        return values.distinct() - allowed
