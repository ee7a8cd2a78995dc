"""The findings model: one validation result in terms a contributor can act on, and the report holding them."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from wpsgraph.namespaces import SH

SEVERITIES = {SH + "Violation": "violation", SH + "Warning": "warning", SH + "Info": "info"}
RANK = {"info": 0, "warning": 1, "violation": 2}


@dataclass
class Finding:
    """One validation result, in terms a contributor can act on."""

    severity: str                 # violation | warning | info | error (the file could not be read)
    message: str
    focus: str | None = None      # the resource the problem is about
    path: str | None = None       # the property, where there is one
    value: str | None = None      # the offending value, where there is one
    shape: str | None = None      # the SHACL shape, QC query or check that found it
    file: str | None = None       # where the offending statement is written
    line: int | None = None
    column: int | None = None
    check: str = "shacl"          # syntax | vocabulary | shacl | ontology | qc
    related: list = field(default_factory=list)  # for an inferred statement: the asserted ones, "file:line:col"


def default_message(component: str) -> str:
    """The message of a result whose shape gives none."""
    return f"fails {component.replace('ConstraintComponent', '')}"


def rank(severity: str) -> int:
    return RANK.get(severity, 3)  # "error" (not well-formed input) above everything


class Report:
    """Findings, with the SHACL report graph built on demand."""

    def __init__(self, findings: list[Finding] | None = None, checked_triples: int = 0, report_graph=None,
                 files: list | None = None):
        self.findings = findings or []
        self.checked_triples = checked_triples
        self._graph = report_graph
        self.files = files or []       # the files checked
        self.seconds: float | None = None

    def failed(self, fail_on: str = "violation") -> bool:
        return any(rank(f.severity) >= RANK[fail_on] for f in self.findings)

    @property
    def unreadable(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    @property
    def conforms(self) -> bool:
        return not self.failed("violation")

    def counts(self) -> dict[str, int]:
        counts = {"error": 0, "violation": 0, "warning": 0, "info": 0}
        for f in self.findings:
            counts[f.severity] = counts.get(f.severity, 0) + 1
        if not counts["error"]:
            del counts["error"]
        return counts

    def as_dict(self) -> dict:
        return {"conforms": self.conforms, "counts": self.counts(), "checked_triples": self.checked_triples,
                "results": [asdict(f) for f in self.findings]}

    def sort(self) -> None:
        self.findings.sort(key=lambda f: (f.file or "~", f.line or 0, f.column or 0, -rank(f.severity),
                                          f.focus or "", f.path or "", f.message))

    @property
    def report_graph(self):
        if self._graph is None:
            self._graph = report_graph(self.findings, self.conforms)
        return self._graph


def report_graph(findings: list[Finding], conforms: bool):
    """A SHACL validation report (rdflib graph) of SHACL findings."""
    import rdflib
    from rdflib import RDF as R
    from rdflib import SH as S

    g = rdflib.Graph()
    g.bind("sh", S)
    report = rdflib.BNode()
    g.add((report, R.type, S.ValidationReport))
    g.add((report, S.conforms, rdflib.Literal(conforms)))
    sev = {v: k for k, v in SEVERITIES.items()}
    for f in findings:
        if f.check not in ("shacl", "ontology"):
            continue
        r = rdflib.BNode()
        g.add((report, S.result, r))
        g.add((r, R.type, S.ValidationResult))
        g.add((r, S.resultSeverity, rdflib.URIRef(sev.get(f.severity, SH + "Violation"))))
        g.add((r, S.resultMessage, rdflib.Literal(f.message)))
        if f.focus:
            g.add((r, S.focusNode, _rdflib_term(f.focus)))
        if f.path and not f.path.startswith(("^", "(")):
            g.add((r, S.resultPath, rdflib.URIRef(f.path)))
        if f.value is not None and getattr(f, "_value_term", None) is not None:
            from wpsgraph.terms import to_rdflib
            g.add((r, S.value, to_rdflib(f._value_term)))
        if f.shape and not f.shape.startswith("_:"):
            g.add((r, S.sourceShape, rdflib.URIRef(f.shape)))
    return g


def _rdflib_term(text: str):
    import rdflib

    return rdflib.BNode(text[2:]) if text.startswith("_:") else rdflib.URIRef(text)
