"""Outputs that appear whole or not at all: the one place where wpsgraph replaces a folder or writes a file.

A folder output (a build, a site) is written into a staging folder beside it, then switched in by one atomic step:
``out`` is a symbolic link to a versioned sibling (``.out.v-<time>-<pid>``), and the switch replaces the link with
``rename``. A reader that opens ``out`` gets the old version or the new one, never a mix and never nothing. A
replaced version stays for ``GRACE`` seconds (a reader may still be in it), the previous one always; older ones
are removed by the next switch. Switches take a lock
(``.out.lock``, ``flock``), so two writers never interleave: the later one wins whole.

Leftovers of runs that were killed (staging folders, old versions, links named with a process id that no longer
runs) are removed by the next run. A single file is written beside its place and renamed over it
(``atomic_write``, ``atomic_file``).

Errors of the environment (a full disk, a read-only folder, no permission) become ``OutputError``: one line naming
the path and what to do, exit 2.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from wpsgraph.errors import WpsError


class OutputError(WpsError):
    """An output that cannot be written for a reason outside wpsgraph (disk full, permission, read-only)."""


_ADVICE = {
    errno.ENOSPC: "the disk is full: free some space and run again",
    errno.EDQUOT: "the disk quota is exhausted: free some space and run again",
    errno.EACCES: "permission denied: choose a folder you can write to",
    errno.EPERM: "permission denied: choose a folder you can write to",
    errno.EROFS: "the file system is read-only: choose another place",
}


def output_error(path: Path | str, error: OSError) -> OutputError:
    """The one-line error for an OSError met while writing ``path``."""
    advice = _ADVICE.get(error.errno or 0) or f"{error.strerror or error}"
    return OutputError(f"{path}: cannot write: {advice}")


@contextlib.contextmanager
def writing(path: Path | str) -> Iterator[None]:
    """Turn the OSErrors of a write into OutputError naming ``path``."""
    try:
        yield
    except OSError as e:
        if isinstance(e, (FileNotFoundError, IsADirectoryError, NotADirectoryError)) or e.errno in _ADVICE:
            raise output_error(path, e) from None
        raise


# ------------------------------------------------------------------------------------------------- files

def _temporary_beside(path: Path) -> Path:
    return path.parent / f".{path.name}.partial-{os.getpid()}"


@contextlib.contextmanager
def atomic_file(path: Path | str, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    """A file object whose content replaces ``path`` only when the block ends without error."""
    path = Path(path)
    tmp = _temporary_beside(path)
    binary = "b" in mode
    try:
        with writing(path):
            with open(tmp, mode, encoding=None if binary else encoding, newline=None if binary else "\n") as f:
                yield f
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def atomic_write(path: Path | str, content: str | bytes, encoding: str = "utf-8") -> None:
    """Write ``content`` to ``path`` whole or not at all."""
    with atomic_file(path, "wb" if isinstance(content, bytes) else "w", encoding) as f:
        f.write(content)


# ----------------------------------------------------------------------------------------------- folders

_PID_SUFFIX = re.compile(r"^\.(?P<name>.+)\.(?P<kind>partial|old|link|v-\d+)-(?P<pid>\d+)$")


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def clean_leftovers(out: Path) -> list[Path]:
    """Remove what killed runs left beside ``out``: staging folders, moved-aside folders and links of processes
    that no longer run. Versions are left to ``replace_folder``. Returns what was removed."""
    out = Path(out)
    removed: list[Path] = []
    if not out.parent.is_dir():
        return removed
    for entry in out.parent.iterdir():
        match = _PID_SUFFIX.match(entry.name)
        if match is None or match["name"] != out.name or match["kind"].startswith("v-"):
            continue
        if not _running(int(match["pid"])):
            _remove(entry)
            removed.append(entry)
    return removed


def staging_folder(out: Path) -> Path:
    """A fresh, empty folder beside ``out`` to write into (the leftovers of killed runs removed first)."""
    out = Path(out)
    with writing(out.parent if out.parent != Path() else Path.cwd()):
        out.parent.mkdir(parents=True, exist_ok=True)
        clean_leftovers(out)
        tmp = out.parent / f".{out.name}.partial-{os.getpid()}"
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir()
    return tmp


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the lock of ``out`` (a file beside it) for the block: one switch at a time."""
    import fcntl

    lock = Path(out).parent / f".{Path(out).name}.lock"
    with writing(lock), open(lock, "a+b") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def versions(out: Path) -> list[Path]:
    """The versions of ``out`` beside it, oldest first."""
    out = Path(out)
    if not out.parent.is_dir():
        return []
    found = [e for e in out.parent.iterdir()
             if (m := _PID_SUFFIX.match(e.name)) and m["name"] == out.name and m["kind"].startswith("v-")]
    return sorted(found, key=lambda e: e.name)


def current_version(out: Path) -> Path | None:
    """The version ``out`` points at, if it is a link to one."""
    out = Path(out)
    if not out.is_symlink():
        return None
    return out.parent / os.readlink(out)


def replace_folder(tmp: Path, out: Path, ours: Callable[[Path], bool], refusal: Exception) -> None:
    """Switch ``out`` to the finished folder ``tmp`` in one atomic step; an existing ``out`` that is not empty and
    not ``ours`` is left alone and ``refusal`` raised."""
    tmp, out = Path(tmp), Path(out)

    def refuse_others():
        if out.exists() and not out.is_symlink() and (
                not out.is_dir() or (any(out.iterdir()) and not ours(out))):
            raise refusal

    refuse_others()  # before the lock file is made beside someone else's folder
    with writing(out), locked(out):
        moved_aside = None
        if out.exists() and not out.is_symlink():
            refuse_others()
            # a folder of the layout before versions: moved aside once, then the link takes its place
            moved_aside = out.parent / f".{out.name}.old-{os.getpid()}"
            out.rename(moved_aside)
        elif out.is_symlink() and not (out.parent / os.readlink(out)).name.startswith(f".{out.name}.v-"):
            raise refusal
        version = out.parent / f".{out.name}.v-{time.time_ns()}-{os.getpid()}"
        tmp.rename(version)
        link = out.parent / f".{out.name}.link-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            link.unlink()
        link.symlink_to(version.name, target_is_directory=True)
        os.replace(link, out)
        if moved_aside is not None:
            _remove(moved_aside)
        _prune(out, version)


GRACE = 60.0  # seconds a replaced version stays for the readers still in it


def _switched_at(version: Path) -> float:
    return int(version.name.rsplit(".v-", 1)[1].split("-")[0]) / 1e9


def _prune(out: Path, current: Path) -> None:
    """Remove versions replaced more than GRACE seconds ago; the one just before ``current`` always stays."""
    found = versions(out)
    now = time.time()
    for older, newer in zip(found, found[1:]):
        if older != current and newer != current and now - _switched_at(newer) > GRACE:
            _remove(older)


def remove_output(out: Path) -> None:
    """Remove ``out`` and all its versions."""
    out = Path(out)
    with locked(out):
        for v in versions(out):
            _remove(v)
        _remove(out)
