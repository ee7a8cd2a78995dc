"""SHACL 4.4, string-based constraint components."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from wpsgraph.validation.shacl.base import EngineBase
from wpsgraph.validation.shacl.data import lang_matches


class StringBasedConstraints(EngineBase):
    """SHACL 4.4, string-based constraint components: ``sh:minLength``, ``sh:maxLength`` (of the string
    representation; blank nodes fail), ``sh:pattern`` (with ``sh:flags``), ``sh:languageIn``, ``sh:uniqueLang``."""

    def _v_minLength(self, n, values):
        return {v for v in values.distinct() if isinstance(v, ox.BlankNode) or len(v.value) < n}

    def _v_maxLength(self, n, values):
        return {v for v in values.distinct() if isinstance(v, ox.BlankNode) or len(v.value) > n}

    def _v_pattern(self, regex, values):
        search = regex.search
        return {v for v in values.distinct() if isinstance(v, ox.BlankNode) or search(v.value) is None}

    def _v_languageIn(self, ranges, values):
        return {v for v in values.distinct()
                if not (isinstance(v, ox.Literal) and lang_matches(v.language, ranges))}

    def _c_uniqueLang(self, shape, on, values, results):
        if not on:
            return set()
        failed = set()
        for f, vs in values.items():
            if len(vs) < 2:
                continue
            counts: dict = defaultdict(int)
            for v in vs:
                if isinstance(v, ox.Literal) and v.language:
                    counts[v.language.lower()] += 1
            repeated = sum(1 for c in counts.values() if c > 1)
            if repeated:
                failed.add(f)
                if results is not None:
                    results += [self._result(shape, f, "UniqueLangConstraintComponent") for _ in range(repeated)]
        return failed
