"""Semantic answers of ontology 0.2: questions about an organisation, a country or a theme also find what their
parts, people, members and narrower themes are linked to (OWL RL chains, and the queries' own paths)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from wpsgraph import query as q
from wpsgraph import resources
from wpsgraph.pipeline import reason
from wpsgraph.pipeline.load import load

from conftest import FIXTURES

WPS = "https://w3id.org/wpsgraph/ontology#"
ID = "https://w3id.org/wpsgraph/id/"
INVOLVED = ox.NamedNode(WPS + "involvedIn")


@pytest.fixture(scope="module")
def involvement():
    loaded = load([FIXTURES / "reasoning" / "involvement.ttl"])
    assert reason.reason(loaded).engine == "compiled"
    return loaded


def involved(loaded, actor: str) -> set[str]:
    return {x.object.value[len(ID):] for x in loaded.store.quads_for_pattern(ox.NamedNode(ID + actor), INVOLVED, None, None)}


def test_role_implies_involvement(involvement):
    assert involved(involvement, "organisation/unit") == {"event/seminar"}


def test_involvement_climbs_sub_organisations(involvement):
    assert "event/seminar" in involved(involvement, "organisation/service")
    assert "event/seminar" in involved(involvement, "organisation/ministry")     # two levels up


def test_involvement_through_posts_and_their_holders(involvement):
    # the post itself opened the launch; its holder moderated the debate
    assert involved(involvement, "organisation/agency") == {"event/launch", "event/debate"}


def test_involvement_through_members(involvement):
    assert involved(involvement, "organisation/union") == {"event/summit"}


def test_country_involved_through_its_organisations_and_nationals(involvement):
    assert involved(involvement, "country/NO") == {"event/seminar"}
    assert involved(involvement, "country/KE") == {"event/debate"}


def test_co_chairing_is_chairing(involvement):
    assert any(True for _ in involvement.store.quads_for_pattern(
        ox.NamedNode(ID + "country/CL"), ox.NamedNode(WPS + "chairs"), ox.NamedNode(ID + "event/summit"), None))


def test_compiled_rules_equal_owlrl_on_involvement(involvement):
    from wpsgraph.terms import rdflib_graph
    ours = set(rdflib_graph(reason.inferred_triples(involvement)))
    assert ours == reason.owlrl_entailments(involvement)


def canned(name: str):
    return q.read_query(next(p for p in resources.query_files() if p.stem == name))


def rows(loaded, name, **params):
    result = q.run(canned(name), loaded.store, names=loaded.names, params=params)
    return [dict(zip(result.variables, row)) for row in result.rows]


def test_theme_question_finds_narrower_themes(shipped):
    # no shipped event is tagged with the top concept 'protection' itself, yet events tagged with a narrower theme
    # are found under it
    found = rows(shipped, "events-by-theme", theme=ID + "theme/wps-pillars")
    assert found
    assert all(r["addressedTheme"] != ox.NamedNode(ID + "theme/wps-pillars") for r in found)


def test_involvement_query_names_who_took_part(shipped):
    found = rows(shipped, "involvement-of-actor", actor=ID + "organisation/sedena")
    hows = {r["how"].value for r in found}
    assert {"itself", "sub-organisation"} <= hows


def test_country_timeline_includes_its_organisations_events(shipped):
    kinds = {r["kind"].value for r in rows(shipped, "country-timeline", country=ID + "country/US")}
    assert "event its organisations or people took part in" in kinds
