"""The pieces a draft is made of: items (resources, known or new) and their statements, each with the sentence it
comes from and whether the tool is sure of it; and the base of the drafter, which mints and restates items."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from wpsgraph.drafting import cues
from wpsgraph.drafting.known import ID, Known, norm
from wpsgraph.drafting.link import Linker
from wpsgraph.drafting.text import Sentence

SAME_BODY = 85            # rapidfuzz partial ratio of two new organisations' names worth a "one body?" note
# The end of a clause: a semicolon, or a full stop that does not close an abbreviation ('U.S.', 'Gen.').
END = r";|(?<![A-Z])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z][a-z])\.(?=\s|$)"
ACTOR_KINDS = {"organisation", "person", "post", "country"}
RESTATED_KINDS = {"organisation", "person", "post", "event", "commitment", "endstate", "place", "instrument"}
ACTOR_TYPES_OF_KIND = {"organisation": "Organisation", "event": "Event", "commitment": "Commitment",
                       "instrument": "LegalInstrument", "place": "Place", "person": "Person", "post": "Post"}


def slug(text: str, limit: int = 8) -> str:
    text = cues.WPS_PHRASE.sub("WPS", text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"\b([A-Za-z])\.([A-Za-z])\.", r"\1\2", text)
    text = re.sub(r"['’]s\b", "", text)
    words = [w for w in re.split(r"[^A-Za-z0-9]+", text.lower()) if w and w != "the"]
    return "-".join(words[:limit]) or "unnamed"


@dataclass
class Statement:
    predicate: str              # prefixed name: "wps:hostedBy"
    object: str                 # Turtle term: "organisation:usnorthcom", "\"2024\"^^xsd:gYear"
    sentence: Sentence | None
    certain: bool = True
    note: str | None = None     # why it is unsure, or how it was found


@dataclass
class Item:
    iri: str                    # full IRI
    types: list[str]
    label: str
    known: bool                 # already in the graph: restated with the graph's label and type
    statements: list[Statement] = field(default_factory=list)
    alt: list[str] = field(default_factory=list)
    first: Sentence | None = None
    type_note: str | None = None

    @property
    def kind(self) -> str:
        return self.iri[len(ID):].split("/", 1)[0]

    def add(self, predicate: str, obj: str, sentence, certain=True, note=None) -> None:
        for s in self.statements:
            if s.predicate == predicate and s.object == obj:
                if certain and not s.certain:
                    s.certain, s.note, s.sentence = True, note, sentence
                return
        self.statements.append(Statement(predicate, obj, sentence, certain, note))


def dated(it: Item) -> bool:
    return any(st.predicate in ("wps:startDate", "wps:resolvedStartDate") for st in it.statements)


def term(iri: str) -> str:
    kind, name = iri[len(ID):].split("/", 1)
    return f"{kind}:{name}"


def expand(t: str) -> str:
    if t.startswith("<"):
        return t[1:-1]
    kind, name = t.split(":", 1)
    return ID + kind + "/" + name if kind not in ("wps", "xsd", "rdfs", "skos", "dct") else t


def lit(value: str, datatype: str) -> str:
    return f'"{value}"^^xsd:{datatype}'


class Base:
    """What every part of the drafter shares: the graph's names, the items so far, and how items are made."""

    known: Known
    linker: Linker
    stem: str
    items: dict[str, Item]
    review: list[str]
    acronyms: dict[str, str]                   # normalised name -> the acronym written after it
    last_statement: tuple[Item, int] | None

    def known_item(self, iri: str, sentence) -> Item:
        if iri not in self.items:
            r = self.known.resources[iri]  # IRIs from the linker's tables: all known (test_drafting holds them to it)
            types = sorted(r.types) or [ACTOR_TYPES_OF_KIND.get(r.kind, "Organisation")]
            self.items[iri] = Item(iri, types, r.labels.get("en") or r.label, True, first=sentence)
        return self.items[iri]

    def new_item(self, kind: str, label: str, cls: str, sentence, suffix: str = "", note=None) -> Item:
        label = re.sub(r"\s+\((?P<a>[^)]+)\)", "", label).replace("’s ", " ").replace("'s ", " ").strip()
        short = None
        if kind not in ("person", "post", "group", "statement") and re.search(r"\bWPS\b", label):
            # the conventions' label spells the agenda out; the article's short form is an alternative label
            short, label = label, re.sub(r"\bWPS\b", "Women, Peace and Security", label)
        name = slug(label) + (f"-{suffix}" if suffix else "")
        iri = ID + kind + "/" + name
        key = norm(label)
        for it in self.items.values():                      # the same name said again: the same resource
            if not it.known and it.kind == kind and norm(it.label) == key:
                return it
        if iri in self.known.resources and iri not in self.items:
            iri = ID + kind + "/" + name + "-" + self.stem.rsplit("-", 1)[-1]
        if kind == "event":                                  # "WPS Design Workshop" after its full name
            # an organiser's acronym before the name ("OSF WPS ... Academy") does not make another event
            words = {w for w in slug(label, 99).split("-") if w.upper() not in self.known.acronyms}
            for it in self.items.values():
                if not it.known and it.kind == "event" and it.types == [cls] \
                        and words <= set(slug(it.label, 99).split("-")):
                    if (short or label) not in it.alt and (short or label) != it.label:
                        it.alt.append(short or label)
                    return it
        if iri not in self.items:
            self.items[iri] = Item(iri, [cls], label, False, first=sentence, type_note=note)
            acronym = self.acronyms.get(key)
            if acronym:
                self.items[iri].alt.append(acronym)
        if short and short not in self.items[iri].alt:
            self.items[iri].alt.append(short)
        return self.items[iri]
