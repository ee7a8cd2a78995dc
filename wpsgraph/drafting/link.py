"""Mentions of what the graph knows: names (en/es/fr labels and alternative labels) by a phrase matcher over the
normalised words, acronyms case-sensitively, countries by name (pycountry) and adjective, resolutions by number,
and near spellings of a capitalised name by rapidfuzz."""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick
from rapidfuzz import fuzz, process

from wpsgraph.drafting.known import ID, OTHER_DEMONYMS, Known, is_acronym, norm, tokens

FUZZY_CUTOFF = 90          # rapidfuzz ratio (0-100) for a near spelling of a known name
RESOLUTION = re.compile(
    r"\b(?:UNSCR|(?:(?:UN|United Nations)\s+)?Security Council\s+[Rr]esolution|[Rr]esolution|[Rr]ésolution"
    r"|[Rr]esolución|RCSNU|RCS)\s*(?:No\.?\s*)?(?P<num>\d{3,4})(?:\s*\((?P<year>\d{4})\))?")
ACRONYM = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z0-9&]*(?:[.-][A-Za-z0-9]+)*\.?(?![\w-])")
# Demonyms are not countries inside these phrases ("North American", "Inter-American").
NOT_DEMONYM = {"north", "south", "latin", "inter", "central", "pan"}


@dataclass
class Mention:
    start: int
    end: int
    surface: str
    iris: list[str]              # one IRI when sure; several when the name is ambiguous
    how: str                     # label | acronym | country | demonym | resolution | fuzzy
    score: float = 100.0

    @property
    def iri(self) -> str | None:
        return self.iris[0] if len(self.iris) == 1 else None

    @property
    def kind(self) -> str:
        return self.iris[0][len(ID):].split("/", 1)[0] if self.iris else ""


class Linker:
    def __init__(self, known: Known):
        self.known = known
        self.automaton = ahocorasick.Automaton()
        for name in known.names:
            self.automaton.add_word(f" {name} ", ("name", name))
        for name in known.demonyms:
            if name not in known.names:
                self.automaton.add_word(f" {name} ", ("demonym", name))
        self.automaton.make_automaton()
        # Spanish and French adjectives are written in lower case; English ones never are.
        self.lowercase_demonyms = {norm(f) for forms in OTHER_DEMONYMS.values() for f in forms.split(",")
                                   if f.strip()[:1].islower()}
        self.choices = [n for n in known.names if len(n) >= 10 and " " in n]
        # Themes by their words, for the forms a phrase matcher misses: plurals ("treaty laws"), the head noun
        # first ("partnership with civil society"), a shared head after a coordination ("international human
        # rights and humanitarian law").
        self.theme_words: list[tuple[str, list[str]]] = []
        for r in known.resources.values():
            if r.kind == "theme":
                for label in list(r.labels.values()) + r.alt:
                    words = [singular(w) for w, _, _ in tokens(label)]
                    if not is_acronym(label) and len(words) >= 2:
                        self.theme_words.append((r.iri, words))

    def mentions(self, text: str) -> list[Mention]:
        toks = tokens(text)
        joined, starts = " ", []
        for w, _, _ in toks:
            starts.append(len(joined))
            joined += w + " "
        index = {pos: i for i, pos in enumerate(starts)}
        found: list[Mention] = []
        for end, (how, name) in self.automaton.iter(joined):
            first = index.get(end - len(name))
            if first is None:
                continue
            last = first + len(name.split()) - 1
            s, e = toks[first][1], toks[last][2]
            if how == "demonym":
                if first > 0 and toks[first - 1][0] in NOT_DEMONYM:
                    continue
                if not text[s].isupper() and name not in self.lowercase_demonyms:
                    continue                                     # 'to polish' is not Polish
                found.append(Mention(s, e, text[s:e], sorted(self.known.demonyms[name]), "demonym"))
                continue
            iris = sorted(self.known.names[name])
            if name.islower() and len(name) <= 4 and not text[s:e][:1].isupper():
                continue                                         # 'us', 'osf' in running text are not names
            how = "country" if all("/country/" in i for i in iris) else "label"
            found.append(Mention(s, e, text[s:e], iris, how))
        for m in ACRONYM.finditer(text):
            word = m.group().rstrip(".") if m.group().count(".") == 1 else m.group()
            bare = word.replace(".", "")
            named = self.known.acronyms.get(word) or (self.known.acronyms.get(bare) if "." in word else None)
            if named:
                found.append(Mention(m.start(), m.start() + len(word), word, sorted(named), "acronym"))
            elif bare in ("US", "UK") and "." in word:
                found.append(Mention(m.start(), m.start() + len(word), word,
                                     sorted(self.known.demonyms[bare.lower()]), "demonym"))
        for m in RESOLUTION.finditer(text):
            iri = ID + "resolution/" + m.group("num")
            if iri in self.known.resources:
                found.append(Mention(m.start(), m.end(), m.group(), [iri], "resolution"))
        found += self.theme_variants(text, toks)
        return choose(self._not_inside_names(text, found))

    def theme_variants(self, text: str, toks) -> list[Mention]:
        words = [singular(w) for w, _, _ in toks]
        out = []

        def add(iri: str, first: int, last: int) -> None:
            s, e = toks[first][1], toks[last][2]
            if all(t[0][:1].isupper() for t in text[s:e].split() if t not in FUNCTION_WORDS):
                return                                   # "its first National Action Plan": a name, not a theme
            out.append(Mention(s, e, text[s:e], [iri], "theme-words"))

        for iri, label in self.theme_words:
            n = len(label)
            content = [w for w in label if w not in FUNCTION_WORDS]
            for i, w in enumerate(words):
                if words[i:i + n] == label:                                      # a plural of the label
                    add(iri, i, i + n - 1)
                if len(content) == len(label) and n >= 2 and w == label[-1] and i + 1 < len(words) \
                        and words[i + 1] in HEAD_FIRST and words[i + 2:i + 1 + n] == label[:-1]:
                    add(iri, i, i + n)                                           # head noun first
                if n >= 3 and words[i:i + n - 1] == label[:-1] and i + n < len(words) \
                        and words[i + n - 1] in ("and", "or"):
                    for gap in (1, 2):                                           # "... and humanitarian law"
                        j = i + n + gap
                        if j < len(words) and words[j] == label[-1] \
                                and not any(x in FUNCTION_WORDS for x in words[i + n:j]):
                            add(iri, i, j)
                            break
        return out

    def _not_inside_names(self, text: str, found: list[Mention]) -> list[Mention]:
        """A theme, a country's name or a short generic label inside a longer capitalised name is part of that
        name ("Port of Spain", "Human Rights Department", "Joint Task Force Civil Support"), not a mention."""
        from wpsgraph.drafting.cues import proper_spans

        spans = [sp for sp in proper_spans(text) if len(sp.text.split()) >= 2]
        out = []
        for m in found:
            inside = next((sp for sp in spans if sp.start <= m.start and m.end <= sp.end
                           and (sp.end - sp.start) > (m.end - m.start) + 1), None)
            if inside is not None and m.how not in ("acronym", "resolution", "demonym"):
                kind = m.kind
                before = text[inside.start:m.start].strip().lower()
                after = text[m.end:inside.end].strip().lower()
                articles = ("the", "la", "las", "los", "el", "le", "les", "l'")
                at_start = before in ("",) + articles
                bare = re.sub(r"\s+(?:" + "|".join(articles) + r")$", "", before)
                if kind == "country" and (bare.endswith(" and") or after.startswith("and ")):
                    at_start = True                # a list: "Canada and Trinidad and Tobago", "Mexico and The Bahamas"
                if kind in ("theme", "country") and not (kind == "country" and at_start):
                    continue
                if kind not in ("theme", "country") and len(m.surface.split()) <= 2 and not at_start:
                    continue
                if m.how == "label" and at_start and _longer_name(after):
                    continue               # "U.S. Army South" is not the U.S. Army: a name of its own, drafted new
            out.append(m)
        return out

    def fuzzy(self, span: str) -> tuple[str, float] | None:
        """The known name closest to a capitalised span, when it is a near spelling of it."""
        key = " ".join(w for w, _, _ in tokens(span))
        if len(key) < 10 or key in self.known.names:
            return None
        hit = process.extractOne(key, self.choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        return (hit[0], hit[1]) if hit else None


def _longer_name(after: str) -> bool:
    """The words after a known name inside a longer capitalised name make it another name ("U.S. Army South"),
    unless they start a title or rank ("UN Women Representative", "U.S. Army Gender Advisor") or a list."""
    from wpsgraph.drafting.cues import CONNECTORS, RANKS, TITLES

    first = after.split()[0] if after.split() else ""
    qualifiers = {t.split()[0].lower() for t in TITLES} | {r.split()[0].lower() for r in RANKS} | {"gender"}
    return bool(first) and first[:1].isalpha() and first not in CONNECTORS and first not in qualifiers


def choose(found: list[Mention]) -> list[Mention]:
    """The longest mentions that do not overlap, in text order (a resolution number beats a name). Themes may
    overlap other themes: "international human rights and humanitarian law" names three."""
    order = sorted(found, key=lambda m: (m.how != "resolution", -(m.end - m.start), m.start))
    taken: list[Mention] = []
    for m in order:
        if all(m.end <= t.start or m.start >= t.end or (m.kind == t.kind == "theme" and m.iris != t.iris)
               for t in taken):
            taken.append(m)
    return sorted(taken, key=lambda m: m.start)


FUNCTION_WORDS = {"of", "and", "the", "in", "for", "with", "on", "to", "a", "an", "or"}
HEAD_FIRST = {"with", "of", "for", "in", "on", "among", "between"}


def singular(word: str) -> str:
    """A light plural folding for comparing themes' words: 'laws' -> 'law', 'operations' -> 'operation'."""
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word
