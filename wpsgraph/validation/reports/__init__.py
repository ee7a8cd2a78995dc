"""Validation reports in the formats CI tools read: text, json, sarif (2.1.0), junit, github (annotations)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from xml.etree import ElementTree as ET

from wpsgraph import __version__
from wpsgraph.validation.engines import Report, Finding

FORMATS = ("text", "json", "sarif", "junit", "github")
INFORMATION_URI = "https://w3id.org/wpsgraph/"


def render(report: Report, fmt: str, names=None) -> str:
    return {"text": text, "json": as_json, "sarif": sarif, "junit": junit, "github": github}[fmt](report, names)


def _rel(path: str | None) -> str | None:
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
    for prefix, ns in sorted(names.prefixes().items(), key=lambda x: -len(x[1])):
        if iri.startswith(ns) and iri != ns:
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _where(f: Finding) -> str:
    rel = _rel(f.file) or "(generated data)"
    return rel + (f":{f.line}" if f.line else "") + (f":{f.column}" if f.line and f.column else "")


# ---------------------------------------------------------------------------------------------- text

def text(report: Report, names=None) -> str:
    """Findings grouped by file and sorted by line, in words."""
    out, current = [], object()
    for f in report.findings:
        if f.file != current:
            current = f.file
            out.append(f"\n{_rel(f.file) or '(generated data, no file)'}")
        where = f"{f.line}:{f.column or 1}" if f.line else "-"
        out.append(f"  {where:>8}  {f.severity}: {f.message}")
        detail = []
        if f.focus:
            detail.append(f"resource {short(f.focus, names)}")
        if f.path:
            detail.append(f"property {short(f.path, names)}")
        if f.value is not None and f.value != f.focus:
            value = f.value if len(f.value) <= 120 else f.value[:117] + "..."
            detail.append(f"value {short(value, names)}")
        if detail:
            out.append(f"  {'':>8}  ({', '.join(detail)})")
        if f.related:
            out.append(f"  {'':>8}  inferred from: {', '.join(_rel_loc(r) for r in f.related)}")
    c = report.counts()
    summary = ", ".join(f"{n} {k}{'' if n == 1 else 's'}" if k != "error" else
                        f"{n} unreadable file{'' if n == 1 else 's'}" for k, n in c.items())
    timing = f" in {report.seconds:.2f} s" if report.seconds is not None else ""
    checked = f"{len(report.files)} file(s), {report.checked_triples} triples checked{timing}"
    if report.unreadable:
        verdict = f"NOT CHECKED: input not well-formed ({summary}; {checked})"
    elif report.conforms:
        verdict = f"OK: conforms ({summary}; {checked})"
    else:
        verdict = f"FAILED: does not conform ({summary}; {checked})"
    out.append("\n" + verdict)
    return "\n".join(out).lstrip("\n")


def _rel_loc(loc: str) -> str:
    path, _, rest = loc.partition(".ttl:")
    return (_rel(path + ".ttl") + ":" + rest) if rest else loc


# ---------------------------------------------------------------------------------------------- json

def as_json(report: Report, names=None) -> str:
    data = report.as_dict()
    for r in data["results"]:
        r["file"] = _rel(r["file"])
    return json.dumps(data, indent=1)


# ---------------------------------------------------------------------------------------------- sarif

_LEVEL = {"error": "error", "violation": "error", "warning": "warning", "info": "note"}


def rule_id(f: Finding) -> str:
    if f.check == "syntax":
        return "syntax"
    if f.shape and "#" in f.shape:
        return f.shape.rsplit("#", 1)[1]
    return f.shape or f.check


def _fallback_location(f: Finding):
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


def sarif(report: Report, names=None) -> str:
    rules, index = [], {}
    results = []
    for f in report.findings:
        rid = rule_id(f)
        if rid not in index:
            index[rid] = len(rules)
            rule = {"id": rid, "name": rid, "shortDescription": {"text": f.message.split(". ")[0][:200]},
                    "defaultConfiguration": {"level": _LEVEL.get(f.severity, "error")},
                    "properties": {"check": f.check}}
            if f.shape and f.shape.startswith("http"):
                rule["helpUri"] = f.shape
            rules.append(rule)
        file, line, column = _fallback_location(f)
        region = {"startLine": line}
        if column:
            region["startColumn"] = column
        result = {
            "ruleId": rid, "ruleIndex": index[rid], "level": _LEVEL.get(f.severity, "error"),
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(file), "uriBaseId": "SRCROOT"},
                                                "region": region}}],
            "properties": {k: v for k, v in (("severity", f.severity), ("focus", f.focus), ("path", f.path),
                                             ("value", f.value), ("shape", f.shape)) if v is not None},
        }
        if f.related:
            result["relatedLocations"] = []
            for n, loc in enumerate(f.related):
                path, line_, col_ = _split_loc(loc)
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
    rel = _rel(path) or "."
    if rel.startswith(".."):
        return Path(path).resolve().as_uri()
    return rel.replace(os.sep, "/")


def _split_loc(loc: str):
    parts = loc.rsplit(":", 2)
    try:
        return parts[0], int(parts[1]), int(parts[2])
    except (IndexError, ValueError):
        return loc, None, None


# ---------------------------------------------------------------------------------------------- junit

def junit(report: Report, names=None) -> str:
    suites = ET.Element("testsuites", name="wpsgraph validate")
    by_file: dict = {}
    for p in report.files:
        by_file.setdefault(_rel(str(p)), [])
    for f in report.findings:
        by_file.setdefault(_rel(f.file) or "(generated data)", []).append(f)
    total = failures = 0
    for file, findings in by_file.items():
        suite = ET.SubElement(suites, "testsuite", name=file)
        failed = [f for f in findings if f.severity in ("error", "violation", "warning", "info")]
        if not failed:
            ET.SubElement(suite, "testcase", classname=file, name="conforms")
        for f in failed:
            case = ET.SubElement(suite, "testcase", classname=file,
                                 name=f"{_where(f)} {rule_id(f)}")
            body = "\n".join(x for x in (
                f"{_where(f)}: {f.severity}: {f.message}",
                f"resource: {short(f.focus, names)}" if f.focus else "",
                f"property: {short(f.path, names)}" if f.path else "",
                f"value: {short(f.value, names)}" if f.value is not None else "",
                f"inferred from: {', '.join(f.related)}" if f.related else "") if x)
            failure = ET.SubElement(case, "failure", message=f.message[:500], type=f.severity)
            failure.text = body
        suite.set("tests", str(max(1, len(failed))))
        suite.set("failures", str(len(failed)))
        total += max(1, len(failed))
        failures += len(failed)
    suites.set("tests", str(total))
    suites.set("failures", str(failures))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")


# ---------------------------------------------------------------------------------------------- github

def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def github(report: Report, names=None) -> str:
    lines = []
    for f in report.findings:
        kind = {"error": "error", "violation": "error", "warning": "warning"}.get(f.severity, "notice")
        props = []
        file, line, column = _fallback_location(f)
        props.append(f"file={_escape_property(_rel(file) or file)}")
        props.append(f"line={line}")
        if column:
            props.append(f"col={column}")
        props.append(f"title={_escape_property(f'{f.severity}: {rule_id(f)}')}")
        detail = [x for x in (f"resource {short(f.focus, names)}" if f.focus else "",
                              f"property {short(f.path, names)}" if f.path else "",
                              f"value {short(f.value, names)}" if f.value is not None and f.value != f.focus else "")
                  if x]
        message = f.message + (f" ({', '.join(detail)})" if detail else "")
        lines.append(f"::{kind} {','.join(props)}::{_escape_data(message)}")
    c = report.counts()
    lines.append(("conforms: " if report.conforms and not report.unreadable else "does not conform: ")
                 + ", ".join(f"{n} {k}(s)" for k, n in c.items()))
    return "\n".join(lines)
