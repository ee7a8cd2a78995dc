"""Validation reports in the formats CI tools read: text, json, sarif (2.1.0), junit, github (annotations);
one module per format. Terms become text here, and only here."""

from __future__ import annotations

from wpsgraph.validation.findings import Report
from wpsgraph.validation.reports import github, jsonreport, junit, sarif, text

FORMATS = ("text", "json", "sarif", "junit", "github")
_WRITERS = {"text": text.text, "json": jsonreport.as_json, "sarif": sarif.sarif, "junit": junit.junit,
            "github": github.github}


def render(report: Report, fmt: str, names=None) -> str:
    return _WRITERS[fmt](report, names)
