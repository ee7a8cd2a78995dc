"""Pausing Python's cyclic garbage collector around stages that make millions of small objects."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block. The reasoner and the validator create millions of tuples, sets and
    strings that form no cycles; every few thousand allocations the collector would walk them all again (at a
    million triples, half of the reasoner's fixpoint and a third of validation). Reference counting still frees
    them. Nested blocks are fine: the collector is switched back on only if it was on when the block began."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
