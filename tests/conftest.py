"""Shared fixtures. The shipped graph is loaded and reasoned once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from wpsgraph import resources
from wpsgraph.pipeline.build import in_memory
from wpsgraph.namespaces import Names

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
EXPECTED = TESTS / "expected"


@pytest.fixture(scope="session", autouse=True)
def _temporary_cache(tmp_path_factory):
    """Every test reads and writes a cache of its session's own, never the user's ~/.cache/wpsgraph."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WPSGRAPH_CACHE", str(tmp_path_factory.mktemp("wpsgraph-cache")))
        mp.delenv("XDG_CACHE_HOME", raising=False)
        yield


@pytest.fixture(scope="session")
def names() -> Names:
    return Names()


@pytest.fixture(scope="session")
def shipped():
    """The shipped ontology, reference data and sources, loaded and reasoned (read-only: do not modify)."""
    return in_memory()


@pytest.fixture(scope="session")
def synthetic(tmp_path_factory):
    """20k synthetic triples (seed 7) with the reference data, loaded and reasoned (read-only: do not modify)."""
    from wpsgraph.pipeline import synth

    path = tmp_path_factory.mktemp("synthetic") / "synthetic.ttl"
    synth.write(path, 20_000, 7)
    return in_memory(resources.reference_files() + [path])


@pytest.fixture(scope="session")
def published(tmp_path_factory):
    """The shipped graph published in English at the default base, pictures included, through the command line
    (shared by the publishing tests and their browser tests: the pictures take most of a publish's time)."""
    from click.testing import CliRunner

    from wpsgraph.cli import main

    out = tmp_path_factory.mktemp("publish") / "site"
    result = CliRunner().invoke(main, ["publish", "--out", str(out), "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "published" in result.output
    return out


def ids(paths):
    return [p.name for p in paths]


__all__ = ["TESTS", "FIXTURES", "EXPECTED", "resources", "ids"]


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's package, installed by tests/headless.py when missing), one per test module."""
    from headless import Chromium, ensure_chromium

    binary = ensure_chromium()
    assert binary, "chromium is not installed and could not be: run `apt-get install -y chromium` as root"
    chromium = Chromium(binary)
    yield chromium
    chromium.close()
