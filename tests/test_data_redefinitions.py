"""A data file describes things; it does not redefine the vocabulary. Schema statements in a data file (a class
made a subclass, owl:sameAs between actors, owl:inverseOf on a datatype property, anything said about a wps: term)
are findings located in that file, and are left out of the graph checked, so nothing else changes; `build` refuses
them. Relative IRIs without @base are an error (they would name resources after the contributor's folder), and an
@base outside the project's namespace is refused."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from wpsgraph import resources
from wpsgraph.cli import main
from wpsgraph.errors import InputError
from wpsgraph.pipeline.load import load
from wpsgraph.validation import command

PREFIXES = """@prefix wps: <https://w3id.org/wpsgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix organisation: <https://w3id.org/wpsgraph/id/organisation/> .
"""

REDEFINITIONS = {
    "subclass": ("wps:Ministry rdfs:subClassOf wps:Event .", "rdfs:subClassOf"),
    "same-as": ("organisation:semar owl:sameAs organisation:sedena .", "owl:sameAs"),
    "inverse-of-datatype-property": ("wps:startDate owl:inverseOf wps:endDate .", "owl:inverseOf"),
    "label-of-a-term": ('wps:Event rdfs:label "Something else"@en .', "wps:Event"),
    "declares-a-property": ("organisation:semar a owl:TransitiveProperty .", "owl:TransitiveProperty"),
}


@pytest.mark.parametrize("name", sorted(REDEFINITIONS))
def test_redefinition_is_a_finding_in_that_file(tmp_path, name):
    statement, word = REDEFINITIONS[name]
    path = tmp_path / f"{name}.ttl"
    path.write_text(PREFIXES + "\n" + statement + "\n", encoding="utf-8")
    report = command.run([path])
    schema = [f for f in report.findings if f.check == "schema"]
    assert len(schema) == 1 and word in f"{schema[0].message} {schema[0].path} {schema[0].value} {schema[0].focus}"
    assert schema[0].file == str(path) and schema[0].line == 6
    assert report.failed()
    # nothing scattered over the shipped files: the statement is left out of the graph checked
    assert [f for f in report.findings if f.severity == "violation" and f.file != str(path)] == []


def test_build_refuses_a_redefinition(tmp_path):
    path = tmp_path / "subclass.ttl"
    path.write_text(PREFIXES + REDEFINITIONS["subclass"][0] + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="must not redefine the vocabulary"):
        load(resources.reference_files() + [path])


def test_a_redefinition_is_reported_before_an_unknown_country_code(tmp_path):
    # load makes both checks at once, on two threads: which error comes first must not depend on which ends first
    country = '@prefix country: <https://w3id.org/wpsgraph/id/country/> .\norganisation:x wps:basedIn country:QQ .\n'
    both = tmp_path / "both.ttl"
    both.write_text(PREFIXES + country + REDEFINITIONS["subclass"][0] + "\n", encoding="utf-8")
    only_country = tmp_path / "country.ttl"
    only_country.write_text(PREFIXES + country, encoding="utf-8")
    for _ in range(5):
        with pytest.raises(InputError, match="must not redefine the vocabulary"):
            load([both])
        with pytest.raises(InputError, match="unknown country code 'QQ'") as error:
            load([only_country])
        assert error.value.line == 6


def test_relative_iri_without_base_is_an_error(tmp_path):
    path = tmp_path / "relative.ttl"
    path.write_text(PREFIXES + "<fixture-thing> a wps:Event .\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2 and f"{path}:5" in result.output and "relative IRI" in result.output
    with pytest.raises(InputError, match="relative IRI"):
        load([path])


def test_base_inside_the_namespace_is_accepted_and_escaping_it_is_refused(tmp_path):
    inside = tmp_path / "inside.ttl"
    inside.write_text("@base <https://w3id.org/wpsgraph/id/event/> .\n" + PREFIXES
                      + '<fixture-thing> a wps:Workshop .\n', encoding="utf-8")
    report = command.run([inside])
    assert not report.unreadable
    assert any(f.focus == "https://w3id.org/wpsgraph/id/event/fixture-thing" for f in report.findings)
    for text, line in (("@base <https://example.org/> .\n", 1),
                       ("@base <https://w3id.org/wpsgraph/id/event/> .\n" + PREFIXES + "<../../../../x> a wps:Event .\n",
                        6)):
        outside = tmp_path / "outside.ttl"
        outside.write_text(text + PREFIXES + "<x> a wps:Event .\n", encoding="utf-8")
        result = CliRunner().invoke(main, ["validate", str(outside)])
        assert result.exit_code == 2 and f"{outside}:{line}" in result.output and "namespace" in result.output
