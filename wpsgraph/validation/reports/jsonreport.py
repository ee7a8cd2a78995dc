"""The JSON report: the findings as plain data, for scripts."""

from __future__ import annotations

import json

from wpsgraph.validation.findings import Report
from wpsgraph.validation.reports.common import relative


def report_dict(report: Report, relative_paths: bool = False) -> dict:
    """The report as plain data: what ``validate --format json`` prints and ``build`` writes to validation.json."""
    def where(file):
        return relative(file) if relative_paths else file

    results = [{"severity": f.severity, "message": f.message, "focus": f.focus, "path": f.path, "value": f.value,
                "shape": f.shape, "file": where(f.file), "line": f.line, "column": f.column, "check": f.check,
                "related": [str(loc) for loc in f.related]} for f in report.findings]
    return {"conforms": report.conforms, "counts": report.counts(), "checked_triples": report.checked_triples,
            "results": results}


def as_json(report: Report, names=None) -> str:
    return json.dumps(report_dict(report, relative_paths=True), indent=1)
