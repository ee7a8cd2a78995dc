"""The fast engine refuses, with a message naming the term, what it does not implement or what is not SHACL, rather
than skip it silently; the shapes graph itself is checked against SHACL for SHACL; `wpsgraph validate` turns a
refusal into a one-line error (exit 2), never a traceback."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from wpsgraph.validation import shacl as fast

HEAD = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def compile_text(text: str):
    return fast.Compiled(fast.ShapesGraph(ox.parse(HEAD + text, format=ox.RdfFormat.TURTLE)))


def refusal(text: str) -> str:
    with pytest.raises(fast.Unsupported) as e:
        compile_text(text)
    return str(e.value)


def test_a_misspelt_term_is_refused_with_a_suggestion():
    message = refusal("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCout 1 ] .")
    assert "sh:minCout" in message and "sh:minCount" in message


def test_a_misspelt_term_on_a_shape_without_targets_is_refused_too():
    assert "sh:maxCuont" in refusal("ex:S a sh:PropertyShape ; sh:path ex:p ; sh:maxCuont 1 .")


def test_a_custom_constraint_component_is_refused():
    message = refusal("""ex:Comp a sh:ConstraintComponent ; sh:parameter [ sh:path ex:lang ] ;
        sh:validator [ a sh:SPARQLAskValidator ; sh:ask "ASK { FILTER (true) }" ] .
        ex:S a sh:NodeShape ; sh:targetNode ex:a ; ex:lang "en" .""")
    assert "custom constraint component" in message and "example.org/Comp" in message


@pytest.mark.parametrize("query,word", [
    ("SELECT $this WHERE { $this ex:p ?o . MINUS { $this ex:q ?o } }", "MINUS"),
    ("SELECT $this WHERE { $this ex:p ?o . VALUES ?o { 1 } }", "VALUES"),
    ("SELECT $this WHERE { BIND (ex:a AS $this) }", "AS"),
    ("SELECT $this WHERE { $this ex:p ?o . { SELECT ?o WHERE { ?o ex:q ?x } } }", "subquery"),
    ("SELECT $this WHERE { { $this ex:p ?o } UNION { FILTER ($this = ex:a) } }", "UNION"),
])
def test_sparql_the_engine_cannot_run_as_specified_is_refused(query, word):
    message = refusal(f'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select """{query}""" ] .')
    assert word in message


def test_the_shapes_graph_is_checked_against_shacl_for_shacl():
    message = refusal('ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount "one" ] .')
    assert "not well-formed" in message or "not an integer" in message
    assert "SHACL for SHACL" in refusal("ex:S a sh:PropertyShape ; sh:targetNode ex:a ; sh:path ex:p , ex:q .")


def test_what_is_implemented_compiles():
    compiled = compile_text("""ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:name "described" ; sh:order 1 ;
        sh:property [ sh:path ( ex:p [ sh:zeroOrMorePath ex:q ] ) ; sh:minCount 1 ; sh:lessThan ex:r ] ;
        sh:xone ( [ sh:class ex:A ] [ sh:class ex:B ] ) ; sh:closed true ; sh:ignoredProperties ( ex:z ) .""")
    assert len(compiled.roots) == 1


def test_cli_refuses_unsupported_shapes_in_one_line(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from wpsgraph import resources
    from wpsgraph.cli import main

    shapes = tmp_path / "shapes.ttl"
    shapes.write_text(HEAD + "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:minCout 1 .\n", encoding="utf-8")
    monkeypatch.setattr(resources, "DATA_SHAPES", shapes)
    result = CliRunner().invoke(main, ["validate", str(resources.reference_files()[0]), "--no-cache"])
    assert result.exit_code == 2, result.output
    assert "sh:minCout" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("prefix,namespace,word", [
    ("ex2", "http://example.org/> } SELECT * WHERE { ?s ?p ?o", "not an IRI"),
    ("ex2", "http://example.org/a b#", "not an IRI"),
    ("a b", "http://example.org/", "not a SPARQL prefix name"),
    ("ex.", "http://example.org/", "not a SPARQL prefix name"),
])
def test_a_prefix_declaration_that_would_change_the_query_is_refused(prefix, namespace, word):
    """A SPARQL constraint's declared prefixes go into its query as Oxigraph writes the IRI, so a namespace or a
    prefix name that is not one is refused when the shapes are compiled, never pasted."""
    text = (f'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:prefixes ex:P ; sh:select '
            f'"""SELECT $this WHERE {{ $this ex2:p ?o }}""" ] .\n'
            f'ex:P sh:declare [ sh:prefix "{prefix}" ; sh:namespace "{namespace}"^^xsd:anyURI ] .')
    with pytest.raises(fast.Unsupported) as e:
        compile_text(text)
    assert word in str(e.value)

