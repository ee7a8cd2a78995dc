"""Country reference data generated from pycountry (ISO 3166-1), never typed in by hand."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from pycountry.db import Country
from pyoxigraph import Literal, NamedNode, Quad

from wpsgraph.namespaces import DCT, RDF_TYPE, RDFS, SCHEMA, Names

LANGUAGES = ("en", "es", "fr")
RDFS_LABEL = NamedNode(RDFS + "label")


@cache
def _translator(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def country_prefix(names: Names) -> str:
    return names.id + "country/"


def lookup(code: str) -> Country | None:
    """The pycountry record for an alpha-2 code, or None."""
    if len(code) != 2 or not code.isupper():
        return None
    return pycountry.countries.get(alpha_2=code)


def source_quads(names: Names, graph: NamedNode) -> list[Quad]:
    src = NamedNode(names.id + "source/iso-3166")
    return [
        Quad(src, RDF_TYPE, names.term("SourceDocument"), graph),
        Quad(src, RDFS_LABEL, Literal("ISO 3166-1 country codes (via pycountry)", language="en"), graph),
        Quad(src, NamedNode(DCT + "title"),
             Literal("ISO 3166-1: Codes for the representation of names of countries"), graph),
        Quad(src, NamedNode(DCT + "source"), NamedNode("https://pypi.org/project/pycountry/"), graph),
        Quad(src, NamedNode(DCT + "hasVersion"), Literal(_pycountry_version()), graph),
    ]


def _pycountry_version() -> str:
    from importlib.metadata import version
    return version("pycountry")


def country_quads(code: str, names: Names, graph: NamedNode) -> list[Quad]:
    """Triples describing one country; the caller has checked the code exists."""
    c = pycountry.countries.get(alpha_2=code)
    assert c is not None, f"{code}: not an ISO 3166-1 alpha-2 code (load refuses unknown codes before this)"
    iri = NamedNode(country_prefix(names) + code)
    src = NamedNode(names.id + "source/iso-3166")
    quads = [
        Quad(iri, RDF_TYPE, names.term("Country"), graph),
        Quad(iri, names.term("iso3166Alpha2"), Literal(c.alpha_2), graph),
        Quad(iri, names.term("iso3166Alpha3"), Literal(c.alpha_3), graph),
        Quad(iri, names.term("iso3166Numeric"), Literal(c.numeric), graph),
        Quad(iri, names.term("statedIn"), src, graph),
        Quad(iri, NamedNode(SCHEMA + "identifier"), Literal(c.alpha_2), graph),
    ]
    for lang in LANGUAGES:
        quads.append(Quad(iri, RDFS_LABEL, Literal(_translator(lang).gettext(c.name), language=lang), graph))
    official = getattr(c, "official_name", None)  # only some records have one
    if official:
        quads.append(Quad(iri, NamedNode(SCHEMA + "legalName"), Literal(official, language="en"), graph))
    return quads

