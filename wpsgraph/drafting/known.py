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
    countries: set[str] = field(default_factory=set)          # wps:country

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
    demonyms: dict[str, set[str]]                             # normalised adjective/demonym -> country IRIs

    def get(self, iri: str) -> Resource | None:
        return self.resources.get(iri)


# Adjectives and demonyms of countries in English come from countryinfo (its per-country "demonym" field);
# pycountry has names only. countryinfo has no Spanish or French forms, so these few, and the abbreviations used
# as adjectives ("U.S. Army"), are listed here; extend them when an article uses another.
OTHER_DEMONYMS = {
    "US": "U.S., US, estadounidense, américain, américaine", "GB": "UK, británico, britannique",
    "CA": "canadiense, canadien, canadienne", "MX": "mexicano, mexicana, mexicain, mexicaine",
    "FR": "francés, francesa, français, française", "DE": "alemán, allemand, allemande",
    "NL": "neerlandés, néerlandais", "NO": "noruego, norvégien", "IE": "irlandés, irlandais", "DK": "danés, danois",
    "ES": "español, española, espagnol, espagnole", "CO": "colombiano, colombiana, colombien, colombienne",
    "AR": "Argentinian, argentino, argentina, argentin, argentine", "BR": "brasileño, brasileña, brésilien",
    "CL": "chileno, chilena, chilien, chilienne",
}


def _demonyms() -> dict[str, set[str]]:
    """Normalised demonym -> country IRIs. English forms (and their plurals) from countryinfo; a form several
    countries share goes to the one with ten times the population of the next ('French': France, not Réunion),
    else it stays ambiguous."""
    import json
    from importlib import resources as package_files

    by_form: dict[str, list[tuple[int, str]]] = defaultdict(list)
    # The package's own per-country files, read directly: the same layout in its 0.x and 1.x releases (1.x, whose
    # API differs, needs Python 3.11).
    for entry in package_files.files("countryinfo").joinpath("data").iterdir():
        if not entry.name.endswith(".json"):
            continue
        try:
            data = json.loads(entry.read_text(encoding="utf-8"))
        except ValueError:                                       # one empty file in 1.0.1
            continue
        code = (data.get("ISO") or {}).get("alpha2")
        if not code or not data.get("demonym"):
            continue
        if pycountry.countries.get(alpha_2=code) is None:
            # a code the graph refuses: a former country (CS, Serbia and Montenegro, whose population would win
            # it 'Montenegrin') or a user-assigned one (XK, Kosovo)
            continue
        for form in re.split(r"[,/]", data["demonym"]):
            form = form.strip()
            if not form:
                continue
            forms = {form}
            if not re.search(r"(s|sh|ch|ese|ss)$", form):
                forms.add(form + "s")                            # 'Canadians', 'Pakistanis'
            for f in forms:
                by_form[norm(f)].append((int(data.get("population") or 0), code))
    out: dict[str, set[str]] = {}
    for form, pairs in by_form.items():
        pairs.sort(reverse=True)
        if len(pairs) > 1 and pairs[0][0] < 10 * pairs[1][0]:
            out[form] = {ID + "country/" + code for _, code in pairs}
        else:
            out[form] = {ID + "country/" + pairs[0][1]}
    for code, spellings in OTHER_DEMONYMS.items():
        for f in spellings.split(","):
            out[norm(f)] = {ID + "country/" + code}
    return out


def _country_names() -> dict[str, set[str]]:
    """Normalised country name -> country IRIs, from pycountry in English, Spanish and French."""
    import gettext

    out: dict[str, set[str]] = defaultdict(set)
    translators = {lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
                   for lang in ("es", "fr")}
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
    out[norm("U.S.")].discard(ID + "country/US")                 # 'U.S.' is an adjective: see OTHER_DEMONYMS
    return {name: iris for name, iris in out.items() if iris}


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
            elif p == WPS + "country" and isinstance(o, NamedNode):
                r.countries.add(o.value)
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
            assert c is not None, code  # the codes came from pycountry's own list
            res[iri] = Resource(iri, {"en": c.name}, [], {"Country"})
        res[iri].types.add("Country")
    demonyms = _demonyms()
    acronyms["US"].add(ID + "country/US")
    acronyms["UK"].add(ID + "country/GB")
    return Known(res, dict(names), dict(acronyms), demonyms)
