"""What the constraint-family mixins use of the engine, declared for the type checker (no run-time effect)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wpsgraph.validation.shacl.data import Data, Values
    from wpsgraph.validation.shacl.shapes import Compiled, Shape


class EngineBase:
    compiled: Compiled
    data: Data
    memo: dict

    if TYPE_CHECKING:
        def fails(self, shape: Shape, nodes: set) -> set: ...
        def conforming(self, shape: Shape, nodes) -> set: ...
        def _count_fails(self, values: Values, n: int, more: bool) -> set: ...
        def _focus_results(self, shape: Shape, component: str, values: Values, bad: set, results) -> set: ...
        def _result(self, shape, focus, component, value=None, messages=None, bindings=None, path=None): ...
