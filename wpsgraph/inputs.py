"""Input files, bounded and typed: what `load`, `validate` and `build` accept before they read a byte.

- only regular files (a folder, FIFO, socket or device such as /dev/zero is refused by name, without opening it
  in a way that could block), or ``-`` for standard input, read once into a temporary file;
- a size limit per file (``DEFAULT_MAX_MB``; ``--max-input-mb`` or $WPSGRAPH_MAX_INPUT_MB raise it), checked
  before reading and again while reading (a file may grow, and /proc files claim size 0);
- a UTF-8 byte order mark is accepted (dropped before parsing);
- a line on stderr before a large file is parsed, so a long parse is not silent.
"""

from __future__ import annotations

import atexit
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from wpsgraph.errors import InputError

MAX_ENV = "WPSGRAPH_MAX_INPUT_MB"
DEFAULT_MAX_MB = 512
LARGE_MB = 50  # files from this size get a progress line
BOM = b"\xef\xbb\xbf"
MB = 1024 * 1024

_limit_mb: float | None = None
_progress: Callable[[str], None] | None = None


def configure(max_mb: float | None = None, progress: Callable[[str], None] | None = None) -> None:
    """Set the size limit (None: $WPSGRAPH_MAX_INPUT_MB, else the default) and where progress lines go."""
    global _limit_mb, _progress
    _limit_mb, _progress = max_mb, progress


def limit_mb() -> float:
    if _limit_mb is not None:
        return _limit_mb
    value = os.environ.get(MAX_ENV)
    if value:
        try:
            return float(value)
        except ValueError:
            raise InputError(f"${MAX_ENV}", f"{value!r} is not a number of megabytes") from None
    return DEFAULT_MAX_MB


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return name
    return "not a regular file"


def _too_large(path, size: float, limit: float) -> InputError:
    return InputError(path, f"is larger than the {limit:g} MB limit for one input file ({size / MB:.0f} MB or "
                            f"more): raise it with --max-input-mb or ${MAX_ENV}")


def check(path: Path | str) -> None:
    """Refuse, by its metadata alone, a path that is not a regular file or is over the size limit."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as e:
        raise InputError(path, f"cannot read file: {e.strerror or e}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(path, f"is {_kind(info.st_mode)}: give a regular file, or - for standard input")
    if info.st_size > limit_mb() * MB:
        raise _too_large(path, info.st_size, limit_mb())


def read_bytes(path: Path | str) -> bytes:
    """The content of a regular file, bounded by the size limit, without its UTF-8 byte order mark."""
    path = Path(path)
    limit = int(limit_mb() * MB)
    try:
        # O_NONBLOCK: opening a FIFO put in the file's place since the check must not wait for a writer
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as e:
        raise InputError(path, f"cannot read file: {e.strerror or e}") from None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(path, f"is {_kind(info.st_mode)}: give a regular file, or - for standard input")
        if info.st_size > limit:
            raise _too_large(path, info.st_size, limit_mb())
        if info.st_size >= LARGE_MB * MB and _progress is not None:
            _progress(f"reading {path} ({info.st_size / MB:.0f} MB): large files take a while to parse")
        try:
            data = f.read(limit + 1)
        except OSError as e:
            raise InputError(path, f"cannot read file: {e.strerror or e}") from None
    if len(data) > limit:
        raise _too_large(path, len(data), limit_mb())
    return data[len(BOM):] if data.startswith(BOM) else data


def from_stdin(suffix: str = ".ttl", folder: Path | None = None) -> Path:
    """Standard input, read once (bounded) into a file named ``stdin`` + suffix in a temporary folder."""
    limit = int(limit_mb() * MB)
    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        raise _too_large("-", len(data), limit_mb())
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="wpsgraph-stdin-"))
        atexit.register(shutil.rmtree, folder, True)
    target = folder / f"stdin{suffix}"
    target.write_bytes(data)
    return target
