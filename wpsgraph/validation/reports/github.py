"""GitHub Actions workflow commands: an annotation per finding on a pull request."""

from __future__ import annotations

from wpsgraph.validation.findings import Report
from wpsgraph.validation.reports.common import fallback_location, relative, rule_id, short


def _escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(s: str) -> str:
    return _escape_data(s).replace(":", "%3A").replace(",", "%2C")


def github(report: Report, names=None) -> str:
    lines = []
    for f in report.findings:
        kind = {"error": "error", "violation": "error", "warning": "warning"}.get(f.severity, "notice")
        props = []
        file, line, column = fallback_location(f)
        props.append(f"file={_escape_property(relative(file) or file)}")
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
