"""Continents and UN sub-regions come from country_converter's classification table, generated into the countries
graph (the package's converter itself does not load under pandas 3, so known rows are checked instead)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from wpsgraph.pipeline import regions

WPS = "https://w3id.org/wpsgraph/ontology#"
ID = "https://w3id.org/wpsgraph/id/"


def country_codes(shipped) -> list[str]:
    alpha2 = ox.NamedNode(WPS + "iso3166Alpha2")
    return sorted(q.object.value for q in shipped.store.quads_for_pattern(None, alpha2, None, None))


@pytest.mark.parametrize("code,expected", [("NO", ("Europe", "Northern Europe")), ("KE", ("Africa", "Eastern Africa")),
                                           ("MX", ("America", "Central America")), ("AU", ("Oceania", "Australia and New Zealand")),
                                           ("GB", ("Europe", "Northern Europe"))])
def test_known_rows_of_the_table(code, expected):
    assert regions.classify(code) == expected


def test_every_country_in_the_graph_has_its_regions(shipped):
    for code in country_codes(shipped):
        country = ox.NamedNode(ID + "country/" + code)
        for prop in ("inContinent", "inSubregion"):
            assert list(shipped.store.quads_for_pattern(country, ox.NamedNode(WPS + prop), None, None)), (code, prop)


@pytest.mark.parametrize("code,continent,subregion", [("NO", "europe", "northern-europe"), ("KE", "africa", "eastern-africa")])
def test_sub_region_lies_in_its_continent(shipped, code, continent, subregion):
    part_of = ox.NamedNode(WPS + "partOfRegion")
    country = ox.NamedNode(ID + "country/" + code)
    found = {q.object.value[len(ID):] for q in shipped.store.quads_for_pattern(country, part_of, None, None)}
    assert {"region/" + continent, "region/" + subregion} <= found   # the continent by transitivity
