"""Continents and UN sub-regions of countries, generated from the country_converter package, never typed in."""

from __future__ import annotations

import csv
import re
from functools import cache
from importlib import metadata, util
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad

from wpsgraph.namespaces import DCT, RDF_TYPE, RDFS, Names

RDFS_LABEL = NamedNode(RDFS + "label")


@cache
def table() -> dict[str, tuple[str, str]]:
    """ISO alpha-2 code -> (continent, UN sub-region), from the classification table country_converter ships.

    Read as a plain table rather than through the package's converter, which imports pandas on every build and
    (country_converter 1.3.2) does not load under pandas 3."""
    # Found without importing the package: its __init__ imports pandas (a second of every build).
    spec = util.find_spec("country_converter")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("country_converter")
    text = (Path(spec.origin).parent / "country_data.tsv").read_text(encoding="utf-8")
    by_code: dict[str, tuple[str, str]] = {}
    for row in csv.DictReader(text.splitlines(), delimiter="\t"):
        if row.get("ISO2") and row.get("continent") and row.get("UNregion"):
            # a few rows give a pattern of codes instead of one code (the United Kingdom: "^GB$|^UK$")
            for code in re.findall(r"[A-Z]{2}", row["ISO2"]):
                by_code.setdefault(code, (row["continent"], row["UNregion"]))
    return by_code


def classify(code: str) -> tuple[str, str] | None:
    """(continent, UN sub-region) of an ISO 3166-1 alpha-2 code, or None when the package has none."""
    return table().get(code)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def region_iri(names: Names, name: str) -> NamedNode:
    return NamedNode(names.id + "region/" + _slug(name))


def source_quads(names: Names, graph: NamedNode) -> list[Quad]:
    src = NamedNode(names.id + "source/country-converter-regions")
    return [
        Quad(src, RDF_TYPE, names.term("SourceDocument"), graph),
        Quad(src, RDFS_LABEL, Literal("Continents and UN sub-regions (via country_converter)", language="en"), graph),
        Quad(src, NamedNode(DCT + "title"), Literal("country_converter: country classifications"), graph),
        Quad(src, NamedNode(DCT + "source"), NamedNode("https://pypi.org/project/country-converter/"), graph),
        Quad(src, NamedNode(DCT + "hasVersion"), Literal(metadata.version("country_converter")), graph),
    ]


def region_quads(codes: list[str], names: Names, graph: NamedNode) -> list[Quad]:
    """Each country's continent and UN sub-region, and each region once, with the sub-region inside its continent."""
    src = NamedNode(names.id + "source/country-converter-regions")
    quads: list[Quad] = []
    described: set[str] = set()

    def describe(name: str, parent: str | None) -> NamedNode:
        iri = region_iri(names, name)
        if name not in described:
            described.add(name)
            quads.extend([Quad(iri, RDF_TYPE, names.term("Region"), graph),
                          Quad(iri, RDFS_LABEL, Literal(name, language="en"), graph),
                          Quad(iri, names.term("statedIn"), src, graph)])
            if parent:
                quads.append(Quad(iri, names.term("partOfRegion"), region_iri(names, parent), graph))
        return iri

    for code in codes:
        found = classify(code)
        if not found:
            continue
        continent, subregion = found
        country = NamedNode(names.id + "country/" + code)
        quads.append(Quad(country, names.term("inContinent"), describe(continent, None), graph))
        quads.append(Quad(country, names.term("inSubregion"), describe(subregion, continent), graph))
    return quads
