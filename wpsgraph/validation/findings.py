"""The findings model: one validation result in terms a contributor can act on, and the report holding them.

A finding keeps RDF terms (Oxigraph's) and a path expression as they came from the engine, and its locations as
values; text is made from them only when a report is written (the ``focus``, ``path``, ``value`` and ``shape``
views, and the report writers in ``reports/``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from wpsgraph.namespaces import SH

SEVERITIES = {SH + "Violation": "violation", SH + "Warning": "warning", SH + "Info": "info"}
RANK = {"info": 0, "warning": 1, "violation": 2}

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
# A SHACL property path: ("pred", NamedNode) | ("inv", path) | ("seq", [paths]) | ("alt", [paths])
# | ("star" | "plus" | "opt", path)
PathExpr = tuple


@dataclass(frozen=True)
class Location:
    """Where a statement is written: a file and, where known, line and column (1-based)."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}" if self.line else f"{self.file}:"


@dataclass
class Finding:
    """One validation result."""

    severity: str                            # violation | warning | info | error (the file could not be read)
    message: str
    focus_node: Term | None = None           # the resource (or literal) the problem is about
    result_path: PathExpr | None = None      # the property path, where there is one
    value_node: Term | None = None           # the offending value, where there is one
    source_shape: Term | str | None = None   # the SHACL shape; or the check: "qc/<name>", "vocabulary", "syntax"
    component: ox.NamedNode | None = None    # the SHACL constraint component that failed
    messages: list[str] = field(default_factory=list)  # every sh:message of the shape (message is the first)
    location: Location | None = None         # where the offending statement is written
    related: list[Location] = field(default_factory=list)  # for an inferred statement: the asserted ones
    check: str = "shacl"                     # syntax | vocabulary | shacl | ontology | qc
    statement: ox.Quad | None = None         # the statement the finding is about, when the check knows it
    shape_targets: list = field(default_factory=list, repr=False)  # the shape's targets, for locating
    severity_iri: ox.NamedNode | None = None  # a severity other than sh:Violation/Warning/Info, as the shape gave it

    # -- text views, for reports (and scripts reading findings)
    @property
    def focus(self) -> str | None:
        return term_text(self.focus_node)

    @property
    def path(self) -> str | None:
        from wpsgraph.validation.shacl.paths import path_text

        return path_text(self.result_path) if self.result_path is not None else None

    @property
    def value(self) -> str | None:
        return term_text(self.value_node)

    @property
    def shape(self) -> str | None:
        return self.source_shape if isinstance(self.source_shape, str) else term_text(self.source_shape)

    @property
    def file(self) -> str | None:
        return self.location.file if self.location else None

    @property
    def line(self) -> int | None:
        return self.location.line if self.location else None

    @property
    def column(self) -> int | None:
        return self.location.column if self.location else None


def term_text(term) -> str | None:
    """A term as findings spell it: an IRI or a literal's lexical form as is, a blank node as _:label."""
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


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
        self.shapes_graph = None       # the shapes as the engine read them (rdflib graph or ShapesGraph), for tests
        self.notes: list[str] = []     # how the check was made, when that matters (e.g. validated fully, and why)

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

    def sort(self) -> None:
        self.findings.sort(key=lambda f: (f.file or "~", f.line or 0, f.column or 0, -rank(f.severity),
                                          f.focus or "", f.path or "", f.message))

    @property
    def report_graph(self):
        """The SHACL validation report as an rdflib graph (pySHACL's own, or built from the findings)."""
        if self._graph is None:
            from wpsgraph.validation.reports.rdf import report_graph

            self._graph = report_graph(self.findings, self.conforms)
        return self._graph
