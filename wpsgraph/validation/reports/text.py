"""The text report: findings grouped by file and sorted by line, in words."""

from __future__ import annotations

from wpsgraph.validation.findings import Location, Report
from wpsgraph.validation.reports.common import relative, short


def text(report: Report, names=None) -> str:
    """Findings grouped by file and sorted by line, in words."""
    out, current = [], object()
    for f in report.findings:
        if f.file != current:
            current = f.file
            out.append(f"\n{relative(f.file) or '(generated data, no file)'}")
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
            out.append(f"  {'':>8}  inferred from: {', '.join(_asserted_at(r) for r in f.related)}")
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
    out += [f"\nnote: {note}" for note in report.notes]
    out.append("\n" + verdict)
    return "\n".join(out).lstrip("\n")


def _asserted_at(loc: Location) -> str:
    text = str(loc)
    return (relative(loc.file) or loc.file) + text[len(loc.file):] if loc.file.endswith(".ttl") and loc.line else text
