"""Where the shipped ontology, shapes, data and queries are, in a checkout or an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _root() -> Path:
    shipped = _PACKAGE / "_shipped"
    # A wheel carries the top-level folders inside the package; a checkout (or editable install) has them beside it.
    return shipped if shipped.is_dir() else _PACKAGE.parent


ROOT = _root()
ONTOLOGY_DIR = ROOT / "ontology"
SHAPES_DIR = ROOT / "shapes"
DATA_DIR = ROOT / "data"
QUERIES_DIR = ROOT / "queries"

DATA_SHAPES = SHAPES_DIR / "data-shapes.ttl"
ONTOLOGY_SHAPES = SHAPES_DIR / "ontology-shapes.ttl"


def ontology_files() -> list[Path]:
    return sorted(ONTOLOGY_DIR.glob("*.ttl"))


def reference_files() -> list[Path]:
    return sorted((DATA_DIR / "reference").glob("*.ttl"))


def source_files() -> list[Path]:
    return sorted((DATA_DIR / "sources").glob("*.ttl"))


def query_files() -> list[Path]:
    return sorted(QUERIES_DIR.glob("*.rq"))
