"""The shipped data: one file per source, traceable, no invented facts, conforming to the shapes."""

from __future__ import annotations

import pyoxigraph as ox
import pycountry
import pytest

from wpsgraph import resources
from wpsgraph.pipeline.load import load, parse_file
from wpsgraph.namespaces import Names
from wpsgraph.validation.engines import validate

from conftest import ids

SOURCES = resources.source_files()
DATA = resources.reference_files() + SOURCES
WPS = "https://w3id.org/wpsgraph/ontology#"
ID = "https://w3id.org/wpsgraph/id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
STATED_IN = ox.NamedNode(WPS + "statedIn")


def _source_classes() -> set[str]:
    """wps:SourceDocument and every class the ontology places below it."""
    import rdflib
    from rdflib.namespace import RDFS
    onto = rdflib.Graph()
    for path in resources.ontology_files():
        onto.parse(path)
    top = rdflib.URIRef(WPS + "SourceDocument")
    return {str(c) for c in onto.transitive_subjects(RDFS.subClassOf, top)}


SOURCE_CLASSES = _source_classes()


def test_three_seed_sources():
    assert len(SOURCES) >= 3


@pytest.fixture(scope="module", params=DATA, ids=ids(DATA))
def triples(request):
    names = Names()
    return request.param, parse_file(request.param, ox.NamedNode("urn:x:g"), names)


def test_no_blank_nodes(triples):
    path, quads = triples
    assert not [q for q in quads if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)]


def test_one_source_document_and_everything_traceable(triples):
    path, quads = triples
    typed = {q.subject for q in quads if q.predicate == RDF_TYPE}
    sources = {q.subject for q in quads if q.predicate == RDF_TYPE and q.object.value in SOURCE_CLASSES}
    assert len(sources) == 1, "each data file describes exactly one source document"
    (source,) = sources
    stated = {q.subject for q in quads if q.predicate == STATED_IN and q.object == source}
    assert typed - sources - stated == set(), "typed resources without wps:statedIn"


def test_iris_under_the_base(triples):
    path, quads = triples
    for q in quads:
        if isinstance(q.subject, ox.NamedNode):
            assert q.subject.value.startswith(ID), q.subject


def test_shipped_data_conforms(shipped):
    report = validate(shipped)
    assert report.conforms, "\n".join(f"{f.file}:{f.line} {f.message} {f.focus}" for f in report.findings)


def test_each_source_is_its_own_named_graph(shipped):
    graphs = {g.value for g in shipped.graphs}
    for path in SOURCES:
        assert shipped.names.graph + "source/" + path.stem in graphs


def test_countries_come_from_pycountry(shipped):
    alpha2 = ox.NamedNode(WPS + "iso3166Alpha2")
    codes = {q.object.value: q.subject for q in shipped.store.quads_for_pattern(None, alpha2, None, None)}
    assert {"US", "CA", "MX", "BS", "TT", "FR"} <= set(codes)
    for code, iri in codes.items():
        assert iri.value == ID + "country/" + code
        alpha3 = next(shipped.store.quads_for_pattern(iri, ox.NamedNode(WPS + "iso3166Alpha3"), None, None))
        assert alpha3.object.value == pycountry.countries.get(alpha_2=code).alpha_3


WPS_RESOLUTIONS = [1325, 1820, 1888, 1889, 1960, 2106, 2122, 2242, 2467, 2493]


def test_ten_wps_resolutions(shipped):
    """The ten WPS resolutions are described in data/reference/resolutions.ttl; others (mandates of peace
    operations) come from reference files of their own sources."""
    number = ox.NamedNode(WPS + "resolutionNumber")
    graph = ox.NamedNode(shipped.names.graph + "reference/resolutions")
    numbers = sorted(int(q.object.value) for q in shipped.store.quads_for_pattern(None, number, None, graph))
    assert numbers == WPS_RESOLUTIONS


def test_every_resolution_has_a_number_and_a_day(shipped):
    """The record that numbers a resolution gives the day it was adopted. A source's own, coarser claim ("established
    in 2000") stays in that source's graph beside it and is not checked here."""
    number = ox.NamedNode(WPS + "resolutionNumber")
    adopted = ox.NamedNode(WPS + "adoptionDate")
    for q in shipped.store.quads_for_pattern(None, number, None, None):
        days = [d.object for d in shipped.store.quads_for_pattern(q.subject, adopted, None, q.graph_name)]
        assert days and all(d.datatype.value.endswith("#date") for d in days), q.subject


def test_nap_academy_has_no_year(shipped):
    """The NAP Academy article is undated and gives its convening no year; the only year it states is that of
    resolution 1325 ("established in 2000"), which stays the article's own claim. Nothing else may carry one (the
    day we retrieved the page is ours, not the article's)."""
    graph = ox.NamedNode(shipped.names.graph + "source/osf-wps-nap-academy")
    retrieved = ox.NamedNode(WPS + "retrieved")
    dated = [q for q in shipped.store.quads_for_pattern(None, None, None, graph)
             if q.predicate != retrieved and isinstance(q.object, ox.Literal) and q.object.datatype.value.endswith(
                 ("#date", "#gYear", "#gYearMonth", "#dateTime"))]
    claim = (ox.NamedNode(ID + "resolution/1325"), ox.NamedNode(WPS + "adoptionDate"),
             ox.Literal("2000", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")))
    assert [(q.subject, q.predicate, q.object) for q in dated] == [claim]


def test_dates_keep_their_precision(shipped):
    """Three sources date the 2024 workshop; each keeps its own day, as a full date, in its own graph (the seed says
    28 February, The Watch and DVIDS 27 February: a disagreement that is kept, not merged)."""
    start = ox.NamedNode(WPS + "startDate")
    workshop = ox.NamedNode(ID + "event/north-american-wps-design-workshop-2024")
    day = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
    found = {q.graph_name.value.rsplit("/", 1)[-1]: q.object
             for q in shipped.store.quads_for_pattern(workshop, start, None, None)}
    assert found == {
        "jtfcs-wps-design-workshop-2024": ox.Literal("2024-02-28", datatype=day),
        "thewatch-wps-initiative-collaboration-with-allies-2024": ox.Literal("2024-02-27", datatype=day),
        "dvids-usnorthcom-multinational-wps-discussion-2024": ox.Literal("2024-02-27", datatype=day),
    }


def test_rebased_load_moves_every_iri():
    loaded = load(names=Names("https://example.org/kg/"))
    for q in loaded.store:
        for term in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode):
                assert not term.value.startswith("https://w3id.org/wpsgraph/"), term


def _coverage_tool():
    import importlib.util
    import sys
    from pathlib import Path
    path = Path(__file__).resolve().parent.parent / "tools" / "coverage.py"
    spec = importlib.util.spec_from_file_location("coverage_tool", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


def test_coverage_log_covers_every_source_and_its_table_is_current():
    """docs/coverage.md has a section per source file, a status on every fact, and the table the facts give."""
    tool = _coverage_tool()
    assert tool.problems(tool.LOG.read_text(encoding="utf-8")) == []


def test_coverage_log_check_catches_a_missing_section_and_a_stale_table():
    tool = _coverage_tool()
    text = tool.LOG.read_text(encoding="utf-8")
    first = tool.parse(text)[0]
    start = text.index(f"### {first.slug}\n")
    end = text.index("\n### ", start + 1) + 1
    found = tool.problems(text[:start] + text[end:])
    assert f"{first.slug}: source file without a section in the log" in found
    assert "the table is stale: run python tools/coverage.py" in found
    line = first.facts[0][1]
    found = tool.problems(text.replace(line, line.split(" — ")[0], 1))
    assert any(p.startswith(f"{first.slug}: fact line without a status") for p in found)
