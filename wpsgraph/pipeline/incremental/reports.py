"""The validation reports of an update: the previous ones, with the results about the focus nodes validated
again replaced by the new ones."""

from __future__ import annotations

import json
from pathlib import Path

import rdflib

from wpsgraph.namespaces import SH
from wpsgraph.terms import from_rdflib
from wpsgraph.validation.findings import RANK, Finding, Location, rank, term_text
from wpsgraph.validation.reports.jsonreport import report_dict


def merge_reports(out: Path, tmp: Path, new_report, focus: set, checked: int) -> dict:
    """validation.json and validation.ttl of the previous build, with the results about ``focus`` replaced by
    those of ``new_report``. Returns the merged JSON (for counts)."""
    texts = {term_text(f) for f in focus}
    old = json.loads((out / "validation.json").read_text(encoding="utf-8"))
    results = [r for r in old["results"] if r["focus"] not in texts] + report_dict(new_report)["results"]
    results.sort(key=lambda r: (r["file"] or "~", r["line"] or 0, r["column"] or 0, -rank(r["severity"]),
                                r["focus"] or "", r["path"] or "", r["message"]))
    counts = {"error": 0, "violation": 0, "warning": 0, "info": 0}
    for r in results:
        counts[r["severity"]] = counts.get(r["severity"], 0) + 1
    if not counts["error"]:
        del counts["error"]
    conforms = not any(rank(r["severity"]) >= RANK["violation"] for r in results)
    merged = {"conforms": conforms, "counts": counts, "checked_triples": checked, "results": results}
    (tmp / "validation.json").write_text(json.dumps(merged, indent=1), encoding="utf-8")

    graph = rdflib.Graph()
    graph.parse(out / "validation.ttl", format="turtle")
    sh = rdflib.Namespace(SH)
    report = next(graph.subjects(rdflib.RDF.type, sh.ValidationReport))
    for result in list(graph.objects(report, sh.result)):
        if term_text(from_rdflib(graph.value(result, sh.focusNode))) in texts:
            graph.remove((report, sh.result, result))
            _remove_tree(graph, result)
    fresh = new_report.report_graph
    fresh_report = next(fresh.subjects(rdflib.RDF.type, sh.ValidationReport))
    for t in fresh:
        if t[0] != fresh_report:
            graph.add(t)
    for result in fresh.objects(fresh_report, sh.result):
        graph.add((report, sh.result, result))
    graph.set((report, sh.conforms, rdflib.Literal(conforms)))
    graph.serialize(tmp / "validation.ttl", format="turtle")
    return merged


def _remove_tree(graph: rdflib.Graph, node) -> None:
    """Remove ``node``'s statements and, recursively, those of the blank nodes it points to (paths, lists)."""
    todo = [node]
    while todo:
        n = todo.pop()
        for _, p, o in list(graph.triples((n, None, None))):
            graph.remove((n, p, o))
            if isinstance(o, rdflib.BNode):
                todo.append(o)


def old_foci(out: Path, texts: set) -> set:
    """Focus nodes of the previous report whose text is one of ``texts`` (a literal spelled like an IRI...)."""
    graph = rdflib.Graph()
    graph.parse(out / "validation.ttl", format="turtle")
    sh = rdflib.Namespace(SH)
    found = {from_rdflib(f) for f in graph.objects(None, sh.focusNode)}
    return {f for f in found if term_text(f) in texts}


def summary_finding(r: dict) -> Finding:
    """A finding read back from validation.json, enough for counts and messages."""
    return Finding(severity=r["severity"], message=r["message"], check=r["check"],
                   location=Location(r["file"], r["line"], r["column"]) if r["file"] else None)
