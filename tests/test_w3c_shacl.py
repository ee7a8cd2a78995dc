"""The W3C SHACL test suite (data-shapes test suite, ``core`` and ``sparql`` manifests, in tests/w3c/ with its
licence) run against the fast engine.

Every sht:Validate entry of the manifests is a case: the engine's results, written as a SHACL report graph by
``reports/rdf.py`` and read back, must equal the expected report as a multiset of (focus node, path, value,
constraint component, severity, source shape), with ``sh:conforms``; an entry whose expected result is
sht:Failure must be refused. Cases the engine does not implement are in ``SKIP`` with the reason, and must then
be refused with a clear message (never a silent wrong answer): the test checks that too.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import RDF, SH
from rdflib.collection import Collection

from wpsgraph.terms import from_rdflib, to_rdflib
from wpsgraph.validation import shacl as fast
from wpsgraph.validation.engines import findings_of
from wpsgraph.validation.reports.rdf import report_graph

from shacl_compare import graph_path

SUITE = Path(__file__).resolve().parent / "w3c"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = rdflib.Namespace("http://www.w3.org/ns/shacl-test#")

# Cases the engine refuses by design (it must refuse them with Unsupported; the test checks that it does).
SKIP = {
    "sparql/component/nodeValidator-001": "SHACL-SPARQL custom constraint components are not implemented",
    "sparql/component/optional-001": "SHACL-SPARQL custom constraint components are not implemented",
    "sparql/component/propertyValidator-select-001": "SHACL-SPARQL custom constraint components are not "
                                                     "implemented",
    "sparql/component/validator-001": "SHACL-SPARQL custom constraint components are not implemented",
    "sparql/pre-binding/pre-binding-002": "$this inside UNION branches: the engine binds $this for all focus nodes "
                                          "at once in the top-level group, which UNION branches do not see",
    "sparql/pre-binding/pre-binding-003": "$this inside nested groups (as pre-binding-002)",
    "core/path/path-strange-002": "the path node is both a list and an inverse path, which SHACL's syntax rules "
                                  "forbid (2.3.1): SHACL for SHACL rejects the shapes graph, so the engine refuses it",
    "sparql/pre-binding/shapesGraph-001": "$shapesGraph and $currentShape are not implemented",
    "sparql/pre-binding/pre-binding-005": "$this inside a nested group (as pre-binding-002)",
    "sparql/pre-binding/pre-binding-007": "a subquery: pre-binding $this into subqueries is not implemented",
}


def _manifests(path: Path):
    g = rdflib.Graph().parse(path, format="turtle", publicID=path.as_uri())
    yield path, g
    for include in g.objects(None, MF.include):
        yield from _manifests(Path(str(include).removeprefix("file://")))


def _cases():
    out = []
    for path, g in _manifests(SUITE / "manifest.ttl"):
        for manifest in g.subjects(RDF.type, MF.Manifest):
            for entries in g.objects(manifest, MF.entries):
                for entry in Collection(g, entries):
                    if (entry, RDF.type, SHT.Validate) in g:
                        name = str(entry).removeprefix((SUITE.as_uri() + "/"))
                        out.append(pytest.param(path, entry, id=name))
    return out


CASES = _cases()


def test_every_manifest_entry_is_collected():
    # The suite as copied: 98 core and 23 SHACL-SPARQL validation cases (a filter must not shrink it silently).
    names = [c.id for c in CASES]
    assert sum(n.startswith("core/") for n in names) == 98
    assert sum(n.startswith("sparql/") for n in names) == 23
    assert set(SKIP) <= set(names)


def _graph(uri) -> rdflib.Graph:
    return rdflib.Graph().parse(Path(str(uri).removeprefix("file://")), format="turtle", publicID=str(uri))


def _term(term, known_blanks: set):
    """A focus node, value or shape for comparison: a blank node by its label when it is one of the test's
    graphs' own nodes (the test file was parsed once, so labels agree), otherwise any blank node; a literal as
    Oxigraph's store keeps it (it stores "300"^^xsd:byte as "300"^^xsd:integer, and "01" as "1"), since the
    engine reads the data from the store."""
    if isinstance(term, rdflib.BNode):
        return ("_", str(term) if str(term) in known_blanks else "")
    if isinstance(term, rdflib.Literal):
        store = ox.Store()
        store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), from_rdflib(term)))
        return to_rdflib(next(iter(store)).object)
    return term


def results(report: rdflib.Graph, known_blanks: set) -> tuple[bool, Counter, list]:
    (node,) = report.subjects(RDF.type, SH.ValidationReport)
    conforms = report.value(node, SH.conforms).toPython()
    rows, messages = Counter(), []
    for r in report.objects(node, SH.result):
        path = report.value(r, SH.resultPath)
        rows[(_term(report.value(r, SH.focusNode), known_blanks),
              graph_path(report, path) if path is not None else None,
              _term(report.value(r, SH.value), known_blanks),
              report.value(r, SH.sourceConstraintComponent), report.value(r, SH.resultSeverity),
              _term(report.value(r, SH.sourceShape), known_blanks))] += 1
        messages += [str(m) for m in report.objects(r, SH.resultMessage)]
    return conforms, rows, messages


def run_case(path: Path, entry) -> tuple:
    """(expected, got): got is ("refused", message) when the engine refuses the shapes."""
    # rdflib would rewrite lexical forms ("1"^^xsd:boolean to "true"): the engine must see the files as written
    normalize, rdflib.NORMALIZE_LITERALS = rdflib.NORMALIZE_LITERALS, False
    try:
        return _run_case(path, entry)
    finally:
        rdflib.NORMALIZE_LITERALS = normalize


def _run_case(path: Path, entry) -> tuple:
    manifest = rdflib.Graph().parse(path, format="turtle", publicID=path.as_uri())
    action = manifest.value(entry, MF.action)
    data_uri, shapes_uri = manifest.value(action, SHT.dataGraph), manifest.value(action, SHT.shapesGraph)
    parsed = {}
    for uri in (data_uri, shapes_uri):
        if str(uri) not in parsed:
            parsed[str(uri)] = manifest if str(uri) == path.as_uri() else _graph(uri)
    data, shapes = parsed[str(data_uri)], parsed[str(shapes_uri)]
    blanks = {str(t) for g in parsed.values() for triple in g for t in triple if isinstance(t, rdflib.BNode)}
    expected_node = manifest.value(entry, MF.result)
    if expected_node == SHT.Failure:
        expected = "failure"
    else:
        report = rdflib.Graph()
        for t in manifest.triples((None, None, None)):
            report.add(t)
        conforms, rows, messages = results(_sub_report(manifest, expected_node), blanks)
        expected = (conforms, rows, messages)

    store = ox.Store()
    store.extend(ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o)) for s, p, o in data)
    try:
        compiled = fast.Compiled(fast.ShapesGraph(ox.Triple(from_rdflib(s), from_rdflib(p), from_rdflib(o))
                                                  for s, p, o in shapes))
        found = findings_of(fast.Engine(compiled, fast.Data(store)).validate())
    except fast.Unsupported as e:
        return expected, ("refused", str(e))
    got = results(report_graph(found, not found), blanks)
    return expected, got


def _sub_report(g: rdflib.Graph, node) -> rdflib.Graph:
    """The expected report (everything reachable from its node) as a graph of its own."""
    out, todo, seen = rdflib.Graph(), [node], set()
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        for p, o in g.predicate_objects(n):
            out.add((n, p, o))
            if isinstance(o, rdflib.BNode):
                todo.append(o)
    return out


@pytest.mark.parametrize("path,entry", CASES)
def test_w3c_case(path, entry, request):
    name = request.node.callspec.id
    expected, got = run_case(path, entry)
    if name in SKIP:
        assert got[0] == "refused", f"{name} is in SKIP ({SKIP[name]}) but the engine did not refuse it"
        assert got[1], "the refusal must say what is not supported"
        pytest.skip(SKIP[name])
    if expected == "failure":
        assert got[0] == "refused", "the shapes graph is not well-formed: the engine must refuse it"
        return
    assert got[0] != "refused", f"refused: {got[1]}"
    conforms, rows, messages = expected
    assert got[1] == rows
    assert got[0] == conforms
    if messages:  # message tests: every expected message is given
        assert Counter(messages) == Counter(got[2])
