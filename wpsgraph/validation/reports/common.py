"""What every report format shares: paths relative to the working directory, IRIs as prefix:name, rule ids,
and a location for findings about generated data."""

from __future__ import annotations

import os

from wpsgraph.validation.findings import Finding


def relative(path: str | None) -> str | None:
    if path is None:
        return None
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def short(iri: str | None, names=None) -> str | None:
    if iri is None or names is None:
        return iri
    return names.compact(iri, empty_local=False) or iri


def where_text(f: Finding) -> str:
    rel = relative(f.file) or "(generated data)"
    return rel + (f":{f.line}" if f.line else "") + (f":{f.column}" if f.line and f.column else "")


LEVEL = {"error": "error", "violation": "error", "warning": "warning", "info": "note"}


def rule_id(f: Finding) -> str:
    if f.check == "syntax":
        return "syntax"
    if f.shape and "#" in f.shape:
        return f.shape.rsplit("#", 1)[1]
    return f.shape or f.check


def fallback_location(f: Finding):
    """Every SARIF result needs a file and a line: a finding about generated data points at its shape."""
    if f.file and f.line:
        return f.file, f.line, f.column
    if f.shape and f.shape.startswith("http"):
        from wpsgraph import resources
        from wpsgraph.validation.positions import index_file

        for shapes in (resources.DATA_SHAPES, resources.ONTOLOGY_SHAPES):
            where = index_file(shapes).subjects.get(f.shape) or index_file(shapes).mentions.get(f.shape)
            if where:
                return str(shapes), where[0], where[1]
    if f.shape and f.shape.startswith("qc/"):
        from wpsgraph.validation.qc import QC_DIR
        return str(QC_DIR / (f.shape[3:] + ".rq")), 1, 1
    return (f.file or "."), 1, None


