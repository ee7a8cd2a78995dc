"""The SARIF 2.1.0 report, for code scanning."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from wpsgraph import __version__
from wpsgraph.validation.findings import Report
from wpsgraph.validation.reports.common import LEVEL, fallback_location, relative, rule_id

INFORMATION_URI = "https://w3id.org/wpsgraph/"


def sarif(report: Report, names=None) -> str:
    rules: list[dict] = []
    index: dict[str, int] = {}
    results = []
    for f in report.findings:
        rid = rule_id(f)
        if rid not in index:
            index[rid] = len(rules)
            rule = {"id": rid, "name": rid, "shortDescription": {"text": f.message.split(". ")[0][:200]},
                    "defaultConfiguration": {"level": LEVEL.get(f.severity, "error")},
                    "properties": {"check": f.check}}
            if f.shape and f.shape.startswith("http"):
                rule["helpUri"] = f.shape
            rules.append(rule)
        file, line, column = fallback_location(f)
        region = {"startLine": line}
        if column:
            region["startColumn"] = column
        result: dict[str, Any] = {
            "ruleId": rid, "ruleIndex": index[rid], "level": LEVEL.get(f.severity, "error"),
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(file), "uriBaseId": "SRCROOT"},
                                                "region": region}}],
            "properties": {k: v for k, v in (("severity", f.severity), ("focus", f.focus), ("path", f.path),
                                             ("value", f.value), ("shape", f.shape)) if v is not None},
        }
        if f.related:
            result["relatedLocations"] = []
            for n, loc in enumerate(f.related):
                # a location without a line is named by its text, as it always was
                path, line_, col_ = (loc.file, loc.line, loc.column) if loc.line else (str(loc), None, None)
                reg = {"startLine": line_} if line_ else {"startLine": 1}
                if col_:
                    reg["startColumn"] = col_
                result["relatedLocations"].append({"id": n, "message": {"text": "asserted statement"},
                                                   "physicalLocation": {"artifactLocation": {
                                                       "uri": _uri(path), "uriBaseId": "SRCROOT"}, "region": reg}})
        results.append(result)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "wpsgraph", "version": __version__, "semanticVersion": __version__,
                                "informationUri": INFORMATION_URI, "rules": rules}},
            "originalUriBaseIds": {"SRCROOT": {"uri": Path.cwd().as_uri() + "/"}},
            "artifacts": [{"location": {"uri": _uri(str(p)), "uriBaseId": "SRCROOT"}} for p in report.files],
            "results": results,
        }],
    }
    return json.dumps(doc, indent=1)


def _uri(path: str) -> str:
    rel = relative(path) or "."
    if rel.startswith(".."):
        return Path(path).resolve().as_uri()
    return rel.replace(os.sep, "/")
