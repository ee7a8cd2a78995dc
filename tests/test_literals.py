"""Literals as SHACL and XML Schema say: NaN compares with nothing, INF is above every number, an ill-typed literal
is not a value of its datatype, and dates and times with time zones are compared as instants (a time zone is not
text). Each case against pySHACL too where pySHACL follows the specs."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from wpsgraph.validation import shacl as fast
from wpsgraph.validation.shacl.literals import compare

XSD = "http://www.w3.org/2001/XMLSchema#"


def lit(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


@pytest.mark.parametrize("a,b,expected", [
    (lit("NaN", "double"), lit("1", "integer"), None),
    (lit("NaN", "double"), lit("NaN", "double"), None),
    (lit("INF", "double"), lit("1e308", "double"), 1),
    (lit("-INF", "float"), lit("-5", "integer"), -1),
    (lit("1.0", "decimal"), lit("1", "integer"), 0),
    (lit("abc", "integer"), lit("1", "integer"), None),            # ill-typed
    (lit("1.5", "integer"), lit("1", "integer"), None),            # a decimal is not an integer's lexical form
    (lit("10:00:00Z", "time"), lit("11:00:00+02:00", "time"), 1),  # 10:00 UTC is after 09:00 UTC
    (lit("10:00:00Z", "time"), lit("10:00:00", "time"), None),     # within 14 hours: indeterminate
    (lit("2002-10-10T12:00:00-05:00", "dateTime"), lit("2002-10-10T17:00:00Z", "dateTime"), 0),
    (lit("2002-10-09T12:00:00-05:00", "dateTime"), lit("2002-10-10T12:00:00", "dateTime"), -1),
    (lit("2024-02-28", "date"), lit("2024-02-28T00:00:00", "dateTime"), None),  # other primitive types
    (lit("2021", "gYear"), lit("2022", "gYear"), -1),
    (lit("b", "string"), lit("a", "string"), 1),
    (ox.Literal("a", language="en"), ox.Literal("b", language="en"), None),
])
def test_compare(a, b, expected):
    assert compare(a, b) == expected
    if expected is not None:
        assert compare(b, a) == -expected


def _results(data: str, shapes: str) -> set:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(data, format=ox.RdfFormat.TURTLE))
    compiled = fast.Compiled(fast.ShapesGraph(ox.parse(shapes, format=ox.RdfFormat.TURTLE)))
    return {(r.focus.value, r.value.value if r.value is not None else None, r.component)
            for r in fast.Engine(compiled, fast.Data(store)).validate()}


PREFIXES = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> . " \
           "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"


def test_nan_and_inf_against_a_range():
    data = PREFIXES + 'ex:a ex:n "NaN"^^xsd:double . ex:b ex:n "INF"^^xsd:double . ex:c ex:n "5"^^xsd:integer .'
    shapes = PREFIXES + "ex:S sh:targetSubjectsOf ex:n ; sh:property [ sh:path ex:n ; sh:minInclusive 0 ] ."
    assert _results(data, shapes) == {("http://example.org/a", "NaN", "MinInclusiveConstraintComponent")}


def test_time_zones_with_less_than():
    data = PREFIXES + ('ex:a ex:start "10:00:00Z"^^xsd:time ; ex:end "11:00:00+02:00"^^xsd:time . '
                       'ex:b ex:start "08:00:00Z"^^xsd:time ; ex:end "11:00:00+02:00"^^xsd:time .')
    shapes = PREFIXES + "ex:S sh:targetSubjectsOf ex:start ; sh:property [ sh:path ex:start ; sh:lessThan ex:end ] ."
    # ex:a ends at 09:00 UTC, before it starts; ex:b ends an hour after it starts
    assert _results(data, shapes) == {("http://example.org/a", "10:00:00Z", "LessThanConstraintComponent")}


def test_ill_typed_literal_fails_its_datatype():
    data = PREFIXES + 'ex:a ex:d "2024-13-45"^^xsd:date . ex:b ex:d "2024-02-28"^^xsd:date .'
    shapes = PREFIXES + "ex:S sh:targetSubjectsOf ex:d ; sh:property [ sh:path ex:d ; sh:datatype xsd:date ] ."
    assert _results(data, shapes) == {("http://example.org/a", "2024-13-45", "DatatypeConstraintComponent")}


@pytest.mark.parametrize("value", ['"NaN"^^xsd:double', '"INF"^^xsd:double', '"-INF"^^xsd:float',
                                   '"forty"^^xsd:integer'])
def test_validate_cli_reports_instead_of_crashing(tmp_path, value):
    """A participant count of NaN made the default engine exit 3 (internal error): now a finding, like pySHACL."""
    from click.testing import CliRunner

    from wpsgraph.cli import main

    fixture = (tmp_path / "count.ttl")
    fixture.write_text(f"""@prefix wps: <https://w3id.org/wpsgraph/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix event: <https://w3id.org/wpsgraph/id/event/> .
@prefix source: <https://w3id.org/wpsgraph/id/source/> .
event:counted a wps:Workshop ; rdfs:label "Counted workshop"@en ; wps:participantCount {value} ;
    wps:startDate "2024-02-28"^^xsd:date ; wps:statedIn source:jtfcs-wps-design-workshop-2024 .
""", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(fixture)])
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output.lower() and "Traceback" not in result.output
    assert result.exit_code == 1 and "participantCount" in result.output  # not a whole number: a violation
