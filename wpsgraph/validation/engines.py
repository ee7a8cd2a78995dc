"""Stage 3 — validate: SHACL on the reasoned graph, every result located to the file, line and column that
state the offending statement.

Two engines give the same results (tests/test_shacl_engine.py):

- ``fast`` (default, ``wpsgraph/validation/shacl/``): compiles the shapes into set-based evaluations on the Oxigraph
  store, one per constraint over all focus nodes (20 ms on the shipped data, where pySHACL takes 5-9 s);
- ``pyshacl``: the reference implementation, run without inference of its own (``inference='none'``): the
  reason stage has already materialised the OWL RL entailments.

Positions come from ``wpsgraph/validation/positions.py``; a result about an inferred statement points to the asserted
statement(s) it follows from (``related``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import pyoxigraph as ox

from wpsgraph import resources
from wpsgraph.validation.shacl import engine as fast
from wpsgraph.pipeline.load import Loaded
from wpsgraph.namespaces import RDF, SH

SEVERITIES = {SH + "Violation": "violation", SH + "Warning": "warning", SH + "Info": "info"}
RANK = {"info": 0, "warning": 1, "violation": 2}
ENGINES = ("fast", "pyshacl")


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
    from rdflib import RDF as R, SH as S

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


# ---------------------------------------------------------------------------------------------- the engines

def _text(term) -> str | None:
    if term is None:
        return None
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


_shapes_cache: dict = {}


def compiled_shapes(paths: list[Path], names=None) -> fast.Compiled:
    """The shapes files compiled (and rebased under a custom base), cached per process."""
    key = (tuple(str(p) for p in paths), tuple(Path(p).stat().st_mtime_ns for p in paths),
           names.base if names is not None else None)
    if key not in _shapes_cache:
        _shapes_cache[key] = fast.Compiled(fast.load_shapes(paths, names))
    return _shapes_cache[key]


def run_fast(store: ox.Store, shapes: list[Path], names=None, graphs=None, focus: set | None = None,
             check: str = "shacl") -> list[Finding]:
    compiled = compiled_shapes(shapes, names)
    findings = []
    for r in fast.Engine(compiled, fast.Data(store, graphs)).validate(focus):
        f = Finding(severity=r.severity, message=r.message() or _default_message(r.component),
                    focus=_text(r.focus), path=fast.path_text(r.path) if r.path else None, value=_text(r.value),
                    shape=_text(r.shape.node), check=check)
        f._terms = (r.focus, r.path, r.value)
        f._value_term = r.value
        f._messages = r.messages
        f._targets = r.shape.targets
        findings.append(f)
    return findings


def _default_message(component: str) -> str:
    return f"fails {component.replace('ConstraintComponent', '')}"


def run_pyshacl(data, shapes_paths: list[Path], names=None, check: str = "shacl"):
    """pySHACL (the reference engine) on an rdflib graph; top-level results only."""
    import pyshacl
    from rdflib import SH as S

    from wpsgraph.terms import rdflib_graph

    shapes = rdflib_graph(_shape_triples(shapes_paths, names))
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=True,
                                    allow_warnings=True, allow_infos=True)
    findings = []
    for result in report.objects(None, S.result):
        def one(p):
            return report.value(result, p)

        messages = [str(m) for m in report.objects(result, S.resultMessage)]
        component = one(S.sourceConstraintComponent)
        f = Finding(
            severity=SEVERITIES.get(str(one(S.resultSeverity)), "violation"),
            message=messages[0] if messages else _default_message(str(component).rsplit("#", 1)[-1]),
            focus=_rdf_text(one(S.focusNode)),
            path=_rdflib_path(report, one(S.resultPath)),
            value=_rdf_text(one(S.value)),
            shape=_rdf_text(one(S.sourceShape)),
            check=check,
        )
        f._messages = messages
        from wpsgraph.terms import from_rdflib
        f._terms = (from_rdflib(one(S.focusNode)), _path_term(one(S.resultPath)),
                    from_rdflib(one(S.value)) if one(S.value) is not None else None)
        f._value_term = f._terms[2]
        f._targets = []
        findings.append(f)
    return findings, report


def _shape_triples(paths, names):
    triples = []
    g = fast.load_shapes(paths, names)
    for s, po in g.spo.items():
        for p, os_ in po.items():
            triples += [ox.Triple(s, p, o) for o in os_]
    return triples


def _path_term(term):
    import rdflib

    if isinstance(term, rdflib.URIRef):
        return ("pred", ox.NamedNode(str(term)))
    return None


def _rdf_text(term) -> str | None:
    import rdflib

    if term is None:
        return None
    if isinstance(term, rdflib.BNode):
        return "_:" + str(term)
    return str(term)


def _rdflib_path(g, node) -> str | None:
    """A result path as text: the IRI of a predicate path, else the SPARQL path the fast engine writes."""
    import rdflib
    from rdflib import SH as S
    from rdflib.collection import Collection

    if node is None:
        return None
    if isinstance(node, rdflib.URIRef):
        return str(node)

    def conv(n):
        if isinstance(n, rdflib.URIRef):
            return ("pred", ox.NamedNode(str(n)))
        if (n, rdflib.RDF.first, None) in g:
            return ("seq", [conv(x) for x in Collection(g, n)])
        for local, kind in (("inversePath", "inv"), ("zeroOrMorePath", "star"), ("oneOrMorePath", "plus"),
                            ("zeroOrOnePath", "opt")):
            inner = g.value(n, S[local])
            if inner is not None:
                return (kind, conv(inner))
        alt = g.value(n, S.alternativePath)
        return ("alt", [conv(x) for x in Collection(g, alt)])

    return fast.path_text(conv(node))


# ---------------------------------------------------------------------------------------------- stages

def validate(loaded: Loaded, shapes: list[Path] | None = None, engine: str = "fast",
             focus: set | None = None) -> Report:
    """Check the reasoned store (asserted + inferred graphs) against the data shapes.

    With ``focus`` (a set of Oxigraph terms), only those focus nodes are validated (incremental validation of a
    new file against an already checked graph)."""
    shapes = shapes or [resources.DATA_SHAPES]
    if engine == "pyshacl":
        from wpsgraph.terms import store_graph

        data = store_graph(loaded.store)
        findings, graph = run_pyshacl(data, shapes, loaded.names)
        if focus is not None:
            keep = {_text(n) for n in focus}
            findings = [f for f in findings if f.focus in keep]
        report = Report(findings, len(data), graph)
    else:
        findings = run_fast(loaded.store, shapes, loaded.names, focus=focus)
        report = Report(findings, len(loaded.store))
    locate(report.findings, loaded)
    report.sort()
    return report


def validate_ontology(loaded: Loaded, engine: str = "fast") -> Report:
    """Check the ontology itself: every term labelled in three languages and defined."""
    graph = loaded.names.ontology_graph
    if engine == "pyshacl":
        from wpsgraph.terms import rdflib_graph

        data = rdflib_graph(loaded.store.quads_for_pattern(None, None, None, graph))
        findings, report_graph_ = run_pyshacl(data, [resources.ONTOLOGY_SHAPES], loaded.names, "ontology")
        report = Report(findings, len(data), report_graph_)
    else:
        findings = run_fast(loaded.store, [resources.ONTOLOGY_SHAPES], loaded.names, graphs=[graph],
                            check="ontology")
        report = Report(findings, sum(1 for _ in loaded.store.quads_for_pattern(None, None, None, graph)))
    locate(report.findings, loaded)
    report.sort()
    return report


# ---------------------------------------------------------------------------------------------- locating

_SUB = ("(<http://www.w3.org/2000/01/rdf-schema#subPropertyOf>"
        "|<http://www.w3.org/2002/07/owl#equivalentProperty>)*")
_INV = "(<http://www.w3.org/2002/07/owl#inverseOf>|^<http://www.w3.org/2002/07/owl#inverseOf>)"


def _implies(store: ox.Store, q, p, flipped: bool) -> bool:
    """Whether an asserted q-statement entails a p-statement (the other way round when ``flipped``)."""
    if not flipped:
        return q == p or bool(store.query(f"ASK {{ <{q.value}> {_SUB} <{p.value}> }}", use_default_graph_as_union=True))
    return bool(store.query(
        f"ASK {{ {{ <{q.value}> {_SUB}/{_INV}/{_SUB} <{p.value}> }} UNION "
        f"{{ <{q.value}> a <http://www.w3.org/2002/07/owl#SymmetricProperty> ; {_SUB} <{p.value}> }} }}",
        use_default_graph_as_union=True))


def locate(findings: list[Finding], loaded: Loaded) -> None:
    """Point each finding at the statement it is about, in the file that writes it (line and column).

    - with a property and a value: the statement (focus property value) where it is asserted; for an inferred
      statement (a sub-property, an inverse, a symmetric property), the asserted statement(s) between the same
      two resources it follows from;
    - a node shape targeting the subjects of a property: the statement using that property;
    - otherwise the focus resource's first statement; a resource that is only used as a value (typed by the
      range of the property that points to it), the statement using it.
    """
    from wpsgraph.validation.positions import index_file

    store = loaded.store
    files = {g: Path(p) for g, p in loaded.graphs.items() if p is not None}

    def statements(s, p, o):
        """(file, s, p, o) for asserted quads matching the pattern, files in load order."""
        if isinstance(s, ox.Literal):
            return []
        out = []
        for q in store.quads_for_pattern(s, p, o, None):
            if q.graph_name in files:
                out.append((files[q.graph_name], q))
        order = list(files.values())
        out.sort(key=lambda x: order.index(x[0]))
        return out

    def position(path: Path, q):
        idx = index_file(path)
        from wpsgraph.validation.positions import key_of
        return idx.find(key_of(q.subject), key_of(q.predicate), key_of(q.object))

    for f in findings:
        if f.file is not None:
            continue
        terms = getattr(f, "_terms", None)
        if terms is None or terms[0] is None:
            continue
        focus, path, value = terms
        hits = []
        if path is not None and path[0] in ("pred", "inv") and value is not None:
            p = path[1] if path[0] == "pred" else (path[1][1] if path[1][0] == "pred" else None)
            if p is not None:
                s, o = (focus, value) if path[0] == "pred" else (value, focus)
                hits = statements(s, p, o)
                if not hits:  # inferred: the asserted statements between the same two resources it follows from
                    forward, backward = statements(s, None, o), statements(o, None, s)
                    implied = [h for h in forward if _implies(store, h[1].predicate, p, False)] + \
                        [h for h in backward if _implies(store, h[1].predicate, p, True)]
                    hits = implied or forward + backward
                    if hits:
                        f.related = [f"{path_}:{':'.join(map(str, position(path_, q) or ()))}" for path_, q in hits]
        if not hits and value is not None and path is None:
            for kind, term in getattr(f, "_targets", ()):
                if kind == "targetSubjectsOf":
                    hits = statements(focus, term, None)
                    if hits:
                        break
        if not hits and path is not None and path[0] == "pred":
            hits = statements(focus, path[1], None)
        subject_only = False
        if not hits:
            hits = statements(focus, None, None)
            subject_only = True
        if not hits:  # only used as a value: where it is used
            hits = statements(None, None, focus)
            subject_only = False
        if not hits:
            continue
        file = hits[0][0]
        if subject_only:
            from wpsgraph.validation.positions import key_of
            where = index_file(file).subjects.get(key_of(focus))
        else:
            found = [w for path_, q in hits if path_ == file for w in [position(file, q)] if w]
            where = min(found) if found else None
        f.file = str(file)
        if where:
            f.line, f.column = where


__all__ = ["Finding", "Report", "validate", "validate_ontology", "locate", "run_fast", "run_pyshacl", "ENGINES"]
