"""Ontology quality checks: small violation queries, one ``queries/qc/*.rq`` file each.

Each query selects ``?focus`` (the term at fault) and optionally ``?value`` and ``?other``; it returns no rows
when all is well. Its header gives ``# title:``, ``# description:`` and ``# severity:`` (violation, warning or
info). The queries run over the reasoned graph (the ontology, its entailments and the data), with the project's
prefixes (``wps:`` under the configured base) given to the engine as its default prefixes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from wpsgraph import resources
from wpsgraph.namespaces import Names
from wpsgraph.query.sparql import rebase_query

QC_DIR = resources.QUERIES_DIR / "qc"
SEVERITIES = ("violation", "warning", "info")


@dataclass
class Check:
    name: str
    path: Path
    title: str
    description: str
    severity: str
    text: str


def parse(path: Path) -> Check:
    text = Path(path).read_text(encoding="utf-8")
    header = {}
    for line in text.splitlines():
        m = re.match(r"^#\s*(\w+):\s*(.*?)\s*$", line)
        if not line.startswith("#"):
            break
        if m:
            header[m.group(1).lower()] = m.group(2)
    missing = [k for k in ("title", "description", "severity") if not header.get(k)]
    if missing:
        raise ValueError(f"{path}: header lacks {', '.join('# ' + k + ':' for k in missing)}")
    if header["severity"] not in SEVERITIES:
        raise ValueError(f"{path}: severity must be one of {', '.join(SEVERITIES)}")
    return Check(Path(path).stem, Path(path), header["title"], header["description"], header["severity"], text)


def checks(folder: Path | None = None) -> list[Check]:
    return [parse(p) for p in sorted(Path(folder or QC_DIR).glob("*.rq"))]


def run_check(check: Check, store: ox.Store, names: Names) -> list[dict]:
    rows = []
    # the prefixes given to the engine, not pasted in front of the text; IRIs written out moved like a canned query's
    solutions = store.query(rebase_query(check.text, names, check.path), prefixes=names.prefixes(),
                            use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions), f"{check.name}: a QC check is a SELECT query"
    variables = [v.value for v in solutions.variables]
    for row in solutions:
        rows.append({v: row[v] for v in variables if row[v] is not None})
    return rows


def run(store: ox.Store, names: Names, folder: Path | None = None):
    """Findings of every QC query (unlocated; validate.locate places them)."""
    from wpsgraph.validation.findings import Finding

    findings = []
    for check in checks(folder):
        for row in run_check(check, store, names):
            focus, value, other = row.get("focus"), row.get("value"), row.get("other")
            detail = []
            if value is not None:
                detail.append(f"{_short(value, names)}")
            if other is not None:
                detail.append(f"also {_short(other, names)}")
            message = check.title + (f" ({'; '.join(detail)})" if detail else "") + ". " + check.description
            findings.append(Finding(severity=check.severity, message=message, focus_node=focus, value_node=value,
                                    source_shape=f"qc/{check.name}", check="qc"))
    return findings


def _short(term, names: Names) -> str:
    text = term.value
    if isinstance(term, ox.Literal):
        return f'"{text}"' + (f"@{term.language}" if term.language else "")
    return names.compact(text) or f"<{text}>"
