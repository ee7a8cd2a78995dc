"""Errors the user can act on, and the exit codes the CLI documents."""

from __future__ import annotations

from pathlib import Path

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_INPUT = 2     # unreadable or not well-formed input, or a bad argument
EXIT_INTERNAL = 3  # a bug: please report it


class WpsError(Exception):
    """An error caused by input; printed as one line, never as a traceback."""

    exit_code = EXIT_INPUT


class InputError(WpsError):
    """A file that cannot be read or parsed; names the file and, where known, the line and column."""

    def __init__(self, path: Path | str, message: str, line: int | None = None, column: int | None = None):
        self.path, self.line, self.column, self.detail = str(path), line, column, message
        where = self.path + (f":{line}" if line else "") + (f":{column}" if line and column else "")
        super().__init__(f"{where}: {message}")


class QueryError(WpsError):
    """An unknown query, a bad parameter, or a query that does not parse."""


def require(module: str, extra: str, purpose: str):
    """Import an optional dependency, or fail in one line naming the extra that installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise WpsError(f"{purpose} needs {module}: pip install 'wpsgraph[{extra}]'") from None
