"""SHACL 4.6, logical constraint components."""

from __future__ import annotations

from collections import defaultdict

from wpsgraph.validation.shacl.base import EngineBase


class LogicalConstraints(EngineBase):
    """SHACL 4.6, logical constraint components: ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone``; each
    nested shape is evaluated to the set of value nodes that fail it."""

    def _v_not(self, inner, values):
        distinct = values.distinct()
        return distinct - self.fails(inner, distinct)

    def _v_and(self, inners, values):
        remaining = values.distinct()
        bad: set = set()
        for inner in inners:
            if not remaining:
                break
            failed = self.fails(inner, remaining)
            if failed:
                bad |= failed
                remaining = remaining - failed
        return bad

    def _v_or(self, inners, values):
        bad = values.distinct()
        for inner in inners:
            if not bad:
                break
            bad = self.fails(inner, bad)
        return set(bad) if bad is values.distinct() else bad

    def _v_xone(self, inners, values):
        distinct = values.distinct()
        counts: dict = defaultdict(int)
        for inner in inners:
            for v in distinct - self.fails(inner, distinct):
                counts[v] += 1
        return {v for v in distinct if counts[v] != 1}
