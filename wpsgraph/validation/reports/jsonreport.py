"""The JSON report: the findings as plain data, for scripts."""

from __future__ import annotations

import json

from wpsgraph.validation.findings import Report
from wpsgraph.validation.reports.common import relative


def as_json(report: Report, names=None) -> str:
    data = report.as_dict()
    for r in data["results"]:
        r["file"] = relative(r["file"])
    return json.dumps(data, indent=1)
