"""Finding resources by name (wpsgraph find), and query parameters given as names: resolved to IRIs that are
bound as RDF terms, ambiguous names and unknown IRIs refused with exit 2."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from wpsgraph import query as q
from wpsgraph.cli import main
from wpsgraph.errors import QueryError
from wpsgraph.query import lookup


@pytest.fixture(scope="module")
def index(shipped):
    return lookup.Index.of_store(shipped.store, shipped.names)


def first(index, text, cls=None):
    matches = index.search(text, cls)
    assert matches, text
    return index.names.compact(matches[0].iri)


def test_normalise_drops_case_accents_and_punctuation():
    assert lookup.normalise("U.S. Northern  Command") == "u s northern command"
    assert lookup.normalise("MÉXICO") == "mexico"
    assert lookup.normalise("An Garda Síochána") == "an garda siochana"


def test_acronym_of_a_label():
    assert lookup.acronym("U.S. Northern Command") == "usnc"
    assert lookup.acronym("United Nations Security Council") == "unsc"
    assert lookup.acronym("Argentina's second plan") == "asp"
    assert lookup.acronym("Mexico") is None


@pytest.mark.parametrize("text, expected", [
    ("USNORTHCOM", "organisation:usnorthcom"),        # an alternative label (acronym), any case
    ("usnorthcom", "organisation:usnorthcom"),
    ("U.S. Northern Command", "organisation:usnorthcom"),
    ("usnc", "organisation:usnorthcom"),              # initials of the label
    ("Mexique", "country:MX"),                        # French label
    ("MÉXICO", "country:MX"),                         # Spanish label, accents and case ignored
    ("gender based violence", "theme:gender-based-violence"),  # a skos:prefLabel, punctuation ignored
    ("Secretariat of the Navi", "organisation:semar"),          # a small misspelling
    ("UNSC", "organisation:un-security-council"),
])
def test_search_finds_the_resource_first(index, text, expected):
    assert first(index, text) == expected


def test_search_ranks_exact_before_partial(index):
    matches = index.search("Mexico")
    assert index.names.compact(matches[0].iri) == "country:MX" and matches[0].exact
    assert all(not m.exact for m in matches[1:])
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_search_by_class_counts_inferred_types(index, names):
    navy = index.search("navy", names.wps + "Organisation", limit=None)
    found = {names.compact(m.iri) for m in navy}
    assert {"organisation:mexican-navy", "organisation:semar"} <= found
    assert not any(x.startswith("post:") for x in found)  # a post is not an organisation
    assert first(index, "Mexcio", names.wps + "Country") == "country:MX"


def test_class_names(index, names):
    assert index.class_iri("Organisation") == names.wps + "Organisation"
    assert index.class_iri("wps:Country") == names.wps + "Country"
    assert index.class_iri("military command") == names.wps + "MilitaryCommand"
    with pytest.raises(QueryError, match="did you mean wps:Organisation"):
        index.class_iri("Organization")


def test_short_codes_do_not_match_inside_longer_words(index):
    assert all(not index.names.compact(m.iri).startswith("country:") for m in index.search("usnorthcom"))


def test_resolve_names_to_iris(index, names):
    query = q.find("country-timeline")
    given, notes = lookup.resolve_params(query, {"country": "Mexico"}, index)
    assert given == {"country": f"<{names.id}country/MX>"}
    assert notes[0].note(names) == "country=Mexico is country:MX (Mexico)"
    # an IRI in the graph passes unchanged, without a note
    assert lookup.resolve_params(query, {"country": "country:MX"}, index) == ({"country": "country:MX"}, [])


def test_known_answers_as_the_index_does(index, shipped, names):
    """``known`` (one ASK per IRI) is Index.has without reading every name: the same answer for every IRI of the
    shipped graph (subjects, properties, objects: labelled or not, typed or not, under the base or not) and for
    IRIs it does not hold."""
    iris = {t.value for quad in shipped.store for t in (quad.subject, quad.predicate, quad.object)
            if isinstance(t, ox.NamedNode)}
    iris |= {f"{names.id}country/XQ", "https://example.org/nothing", f"{names.wps}NoSuchClass"}
    known = lookup.known(lambda text: q.run(lookup.adhoc(text), shipped.store, names=names), names)
    assert {iri for iri in iris if known(iri)} == {iri for iri in iris if index.has(iri)}
    assert any(not index.has(iri) for iri in iris) and any(index.has(iri) for iri in iris)
    # the edges: labels count only for the project's own IRIs, types only as IRIs
    store = ox.Store()
    rdf, rdfs = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#"
    store.load(f"""<https://example.org/labelled> <{rdfs}label> "outside" .
        <{names.id}labelled> <{rdfs}label> "inside" .
        <{names.id}iri-label> <{rdfs}label> <https://example.org/l> .
        <https://example.org/typed> <{rdf}type> <https://example.org/C> .
        <{names.id}literal-type> <{rdf}type> "C" .""".encode(), ox.RdfFormat.N_TRIPLES)
    small = lookup.Index.of_store(store, names)
    known = lookup.known(lambda text: q.run(lookup.adhoc(text), store, names=names), names)
    edges = ["https://example.org/labelled", f"{names.id}labelled", f"{names.id}iri-label",
             "https://example.org/typed", f"{names.id}literal-type"]
    assert [known(iri) for iri in edges] == [small.has(iri) for iri in edges] == [False, True, False, True, False]


def test_an_iri_is_checked_without_building_the_index(index, shipped, names):
    """The index of every name (seconds at a million triples) is built only for a name, or to suggest a resource
    for an IRI the graph does not hold."""
    built = []

    def build():
        built.append(1)
        return index

    known = lookup.known(lambda text: q.run(lookup.adhoc(text), shipped.store, names=names), names)
    query = q.find("country-timeline")
    assert lookup.resolve_params(query, {"country": "country:MX"}, build, names, known) == \
        ({"country": "country:MX"}, [])
    assert built == []
    given, _ = lookup.resolve_params(query, {"country": "Mexico"}, build, names, known)
    assert given == {"country": f"<{names.id}country/MX>"} and built == [1]
    with pytest.raises(QueryError, match=r"not in the graph \(did you mean country:MX \(Mexico\)"):
        lookup.resolve_params(query, {"country": "country:mx"}, build, names, known)
    assert built == [1, 1]


def test_resolve_ambiguous_name_lists_candidates(index):
    with pytest.raises(QueryError) as error:
        lookup.resolve_params(q.find("events-of-actor"), {"actor": "navy"}, index)
    message = str(error.value)
    assert "ambiguous" in message and "organisation:mexican-navy" in message and "organisation:semar" in message


@pytest.mark.parametrize("value, suggestion", [
    ("country:mx", "country:MX (Mexico)"),
    ("organisation:usnorthcomm", "organisation:usnorthcom (U.S. Northern Command)"),
    ("<https://w3id.org/wpsgraph/id/country/XQ>", None),
])
def test_resolve_iri_not_in_graph_is_an_error(index, value, suggestion):
    with pytest.raises(QueryError, match="not in the graph") as error:
        lookup.resolve_params(q.find("country-timeline" if "country" in value else "events-of-actor"),
                              {"country" if "country" in value else "actor": value}, index)
    if suggestion:
        assert f"did you mean {suggestion}" in str(error.value)


def test_a_name_is_never_pasted_into_the_query(index, shipped, names):
    query = q.find("country-timeline")
    hostile = 'Mexico" } } DELETE WHERE { ?s ?p ?o } #'
    with pytest.raises(QueryError):
        lookup.resolve_params(query, {"country": hostile}, index)
    given, _ = lookup.resolve_params(query, {"country": "méxico"}, index)
    text = q.query_text(query, names, q.bindings(query, given, names))
    assert "méxico" not in text and f"VALUES (?country) {{ (<{names.id}country/MX>) }}" in text


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_cli_find(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # wide enough for whole labels, whatever terminal the tests run in
    result = cli("find", "USNORTHCOM", "--limit", "3")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["resource", "type", "label", "matched", "score"]
    assert lines[2].split()[:2] == ["organisation:usnorthcom", "wps:MilitaryCommand"]
    assert "U.S. Northern Command" in lines[2] and lines[-1] == "(3 rows)"


def test_cli_find_type_and_errors():
    result = cli("find", "navy", "--type", "Organisation", "--format", "csv")
    assert result.exit_code == 0 and "/id/post/" not in result.stdout
    for args, message in [(("find", "navy", "--type", "Organization"), "did you mean wps:Organisation"),
                          (("find", "qqqqzzzz"), "nothing in the graph")]:
        result = cli(*args)
        assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1


def test_cli_query_parameter_by_name_gives_the_same_rows():
    by_iri = cli("query", "events-of-actor", "--param", "actor=organisation:usnorthcom", "--format", "csv")
    by_name = cli("query", "events-of-actor", "--param", "actor=USNORTHCOM", "--format", "csv")
    assert by_iri.exit_code == by_name.exit_code == 0
    assert by_name.stdout == by_iri.stdout and len(by_name.stdout.splitlines()) > 2
    assert "actor=USNORTHCOM is organisation:usnorthcom" in by_name.stderr


@pytest.mark.parametrize("param, message", [
    ("country=country:mx", "did you mean country:MX (Mexico)"),
    ("country=Qqqzzzx", "nothing in the graph"),
    ("country=Nowhereland", "ambiguous: country:NL (Netherlands)"),
])
def test_cli_query_bad_parameter_exits_2(param, message):
    result = cli("query", "country-timeline", "--param", param)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and result.stdout == "" and "Traceback" not in result.output


def test_a_misspelt_name_resolves_but_a_shared_word_does_not(index):
    given, notes = lookup.resolve_params(q.find("country-timeline"), {"country": "Mexcio"}, index)
    assert given["country"].endswith("/country/MX>") and "matched" in notes[0].note(index.names)
    with pytest.raises(QueryError):
        lookup.resolve_params(q.find("events-of-actor"), {"actor": "not an iri"}, index)
