"""The JUnit XML report, for test-report viewers: a test suite per file, a failing case per finding."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from wpsgraph.validation.findings import Report
from wpsgraph.validation.reports.common import relative, rule_id, short, where_text


def junit(report: Report, names=None) -> str:
    suites = ET.Element("testsuites", name="wpsgraph validate")
    by_file: dict = {}
    for p in report.files:
        by_file.setdefault(relative(str(p)), [])
    for f in report.findings:
        by_file.setdefault(relative(f.file) or "(generated data)", []).append(f)
    total = failures = 0
    for file, findings in by_file.items():
        suite = ET.SubElement(suites, "testsuite", name=file)
        failed = [f for f in findings if f.severity in ("error", "violation", "warning", "info")]
        if not failed:
            ET.SubElement(suite, "testcase", classname=file, name="conforms")
        for f in failed:
            case = ET.SubElement(suite, "testcase", classname=file,
                                 name=f"{where_text(f)} {rule_id(f)}")
            body = "\n".join(x for x in (
                f"{where_text(f)}: {f.severity}: {f.message}",
                f"resource: {short(f.focus, names)}" if f.focus else "",
                f"property: {short(f.path, names)}" if f.path else "",
                f"value: {short(f.value, names)}" if f.value is not None else "",
                f"inferred from: {', '.join(map(str, f.related))}" if f.related else "") if x)
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
