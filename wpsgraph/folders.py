"""One way to replace an output folder whole: write beside it, then swap it in, so that a reader never sees a
half-written build or site. Temporary names carry the process id, so two runs side by side never collide."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path


def staging_folder(out: Path) -> Path:
    """A fresh, empty folder beside ``out`` to write into."""
    tmp = out.parent / f".{out.name}.partial-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    return tmp


def replace_folder(tmp: Path, out: Path, ours: Callable[[Path], bool], refusal: Exception) -> None:
    """Put ``tmp`` in the place of ``out``; an existing ``out`` that is not empty and not ``ours`` is left
    alone and ``refusal`` raised."""
    if not out.exists():
        tmp.rename(out)
        return
    if any(out.iterdir()) and not ours(out):
        raise refusal
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if old.exists():
        shutil.rmtree(old)
    out.rename(old)
    tmp.rename(out)
    shutil.rmtree(old, ignore_errors=True)
