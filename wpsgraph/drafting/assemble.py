"""From an article to a draft: the resources it mentions (known ones linked, new ones minted) and the statements
the cues support, each with the sentence it comes from and whether the tool is sure of it."""

from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from wpsgraph.drafting import cues
from wpsgraph.drafting.dates import DateMention, find_dates, parse_day
from wpsgraph.drafting.known import ID, Known, load_known, norm
from wpsgraph.drafting.link import Linker, Mention
from wpsgraph.drafting.model import (
    ACTOR_KINDS,
    END,
    RESTATED_KINDS,
    SAME_BODY,
    Item,
    Statement,
    dated,
    expand,
    lit,
    slug,
    term,
)
from wpsgraph.drafting.people import People
from wpsgraph.drafting.text import Article, Sentence, read
from wpsgraph.errors import WpsError
from wpsgraph.pipeline import regions


@dataclass
class Draft:
    source_iri: str
    source_kind: str
    article: Article
    items: dict[str, Item]
    source_statements: list[Statement]
    review: list[str]
    seconds: float = 0.0
    known_iris: set = field(default_factory=set)

    def turtle(self) -> str:
        from wpsgraph.drafting.turtle import write
        return write(self)

    def review_text(self) -> str:
        from wpsgraph.drafting.turtle import write_review
        return write_review(self)

    def linked(self, certain_only: bool = False) -> set[str]:
        """Every IRI of the graph the draft refers to (subject or object)."""
        out = set()
        for it in self.items.values():
            if it.known:
                out.add(it.iri)
            for s in it.statements:
                if (s.certain or not certain_only) and ":" in s.object and not s.object.startswith('"'):
                    out.add(expand(s.object))
        return {i for i in out if i in self.known_iris}


class Drafter(People):
    def __init__(self, known: Known, article: Article, source_stem: str, published: str | None):
        self.known, self.article, self.stem = known, article, source_stem
        self.linker = Linker(known)
        self.published = published
        self.items: dict[str, Item] = {}
        self.review: list[str] = []
        self.source = ID + "source/" + source_stem
        self.main_event: Item | None = None
        self.acronyms: dict[str, str] = {}         # normalised name -> the acronym written after it
        self.sub_events: set[str] = set()
        self.last_statement: tuple[Item, int] | None = None
        self.and_names = sorted({n for n, iris in known.names.items() if " and " in n
                                 and any("/country/" in i for i in iris)}, key=len, reverse=True)
        self.region_names = {norm(n) for pair in regions.table().values() for n in pair}

    # ------------------------------------------------------------------ items

    # ------------------------------------------------------------------ the article

    def run(self) -> None:
        per_sentence = []
        for s in self.article.sentences:
            per_sentence.append((s, *self.resources_of(s)))
        first_noun = next((s.index for s in self.article.sentences
                           if any(re.search(p, s.text, re.I) for p, _ in cues.EVENT_NOUNS)), None)
        if self.main_event is None or (first_noun is not None and self.main_event.first is not None
                                       and first_noun < self.main_event.first.index):
            self.main_event = None
            self.mint_main_event()
        for s, mentions, found in per_sentence:
            self.relate(s, mentions, found)
            self.lateral(s)
            main = self.main_event
            if main is not None and not dated(main):        # a programme, and the dated part of it the article is about
                part = next((it for it in self.items.values() if dated(it) and any(
                    st.predicate == "wps:partOfEvent" and st.object == term(main.iri) for st in it.statements)), None)
                if part is not None:
                    self.main_event = part
        if self.article.title and self.main_event is not None:
            # the headline often says who did what ("JTF-CS participates in WPS Design Workshop"); read last, so
            # that it adds to the body and never chooses the article's event
            headline = Sentence(0, 0, self.article.title)
            self.relate(headline, *self.resources_of(headline))

    def resources_of(self, s: Sentence):
        """Links and new resources named in one sentence: (mentions of known resources, [(start, end, item)])."""
        text = s.text
        mentions = [m for m in self.linker.mentions(text) if m.iris]
        spans = self.split_spans(cues.proper_spans(text))
        found: list[tuple[int, int, Item]] = []
        persons = self.persons(s)
        person_ranges = [(a, b) for a, b, _ in persons]
        found += persons
        offices = self.offices(s, mentions, person_ranges)
        found += [(a, b, it) for a, b, it, _ in offices]
        person_ranges += [(a, b) for _, _, _, (a, b) in offices]
        kept: list[Mention] = []
        for m in mentions:
            inside = next((sp for sp in spans if sp.start <= m.start and m.end <= sp.end
                           and (sp.end - sp.start) > (m.end - m.start)), None)
            if inside and m.kind in ("theme", "resolution"):
                continue                                           # "Human Rights Department"; countries: the linker
            if inside and m.how == "label" and m.kind == "organisation" and len(m.surface.split()) <= 2 \
                    and m.surface.split()[0] not in ("UN", "U.S.", "United"):
                continue                                           # "Task Force" inside a longer name
            if any(a <= m.start < b for a, b in person_ranges):
                continue
            kept.append(m)
        mentions = kept
        for m in mentions:
            if len(m.iris) > 1:
                self.review.append(f"[s{s.index}] '{m.surface}' may be any of: "
                                   + ", ".join(term(i) for i in m.iris) + " — not linked")
            elif m.iri is not None and m.kind in RESTATED_KINDS:   # one IRI: len(m.iris) > 1 is above
                it = self.known_item(m.iri, s)
                if m.how == "acronym" and m.surface not in it.alt and m.surface != it.label:
                    pass
                if it.kind == "event" and self.main_event is None:
                    self.main_event = it
        covered = [(m.start, m.end) for m in mentions if len(m.iris) == 1 and m.kind in RESTATED_KINDS]
        resolutions = [(m.start, m.end) for m in mentions if m.kind == "resolution"]
        for sp in spans:
            if any(a <= sp.start and sp.end <= b for a, b in covered + person_ranges):
                continue
            if any(sp.start < b and a < sp.end for a, b in resolutions):
                continue
            if any(sp.start <= a and b <= sp.end and (b - a) >= 0.8 * (sp.end - sp.start) for a, b in covered):
                continue
            hit = self.linker.fuzzy(sp.text)
            if hit:
                iris = sorted(self.known.names[hit[0]])
                if len(iris) == 1 and iris[0].split("/id/")[1].split("/")[0] in RESTATED_KINDS:
                    it = self.known_item(iris[0], s)
                    self.review.append(f"[s{s.index}] '{sp.text}' linked to {term(it.iri)} ('{it.label}') by a "
                                       f"near spelling (score {hit[1]:.0f}): check")
                    mentions.append(Mention(sp.start, sp.end, sp.text, iris, "fuzzy", hit[1]))
                    continue
            kind_after = cues.KIND_AFTER_NAME.match(text, sp.end)
            if kind_after and len(sp.text.split()) >= 2 and not cues.classify(sp.text, cues.ORG_CUES) \
                    and not any(m.kind in ACTOR_KINDS for m in mentions if m.start <= sp.start < m.end):
                cls = cues.classify(kind_after.group("kind").title(), cues.EVENT_CUES) or "Event"
                item = self.new_item("event", f"{sp.text} {kind_after.group('kind').title()}", cls, s)
                found.append((sp.start, kind_after.end(), item))
                continue
            item = self.new_from_span(sp, s, mentions)
            if item is not None:
                found.append((sp.start, sp.end, item))
                if sp.alt and sp.alt not in item.alt:
                    item.alt.append(sp.alt)
        for g in cues.GOVERNMENT_OF.finditer(text):
            country = next((x.iri for x in mentions if x.kind == "country" and x.iri and x.start == g.start("c")), None)
            if country and not any(a <= g.start() < b for a, b, _ in found):
                gov = self.new_item("organisation", "Government of " + g.group("c"), "Government", s)
                gov.add("wps:country", term(country), s)
                found.append((g.start(), g.end(), gov))
        for g in cues.SUB_EVENT.finditer(text):
            label = f"{(g.group('adj') or '').strip().title()} {g.group('kind').split()[0].title()}".strip()
            cls = cues.classify(g.group("kind").title(), cues.EVENT_CUES) or "Event"
            sub = self.new_item("event", label, cls, s, note="a part of an event the article does not name")
            self.sub_events.add(sub.iri)
            found.append((g.start("kind") if not g.group("adj") else g.start("adj"), g.end(), sub))
        found += self.unheld_posts(s, mentions, found)
        found += self.groups(s, mentions, found)
        found += self.initialisms(s, mentions, found)
        for g in cues.EDITION_OF.finditer(text):
            whole = [(a, b, it) for a, b, it in found if it.kind == "event" and a == g.end()]
            whole += [(x.start, x.end, self.items[x.iri]) for x in mentions
                      if x.start == g.end() and x.iri in self.items and self.items[x.iri].kind == "event"]
            if not whole:
                continue
            a, b, parent = whole[0]
            noun = g.group("noun").lower()
            cls = "RegionalConvening" if "convening" in noun else "Meeting" if noun in ("session", "meeting") \
                else parent.types[0]
            label = f"{g.group('ord').title()} {noun.title()} of the {parent.label}"
            part = self.new_item("event", label, cls, s)
            part.add("wps:edition", lit(str(cues.ORDINALS[g.group("ord").lower()]), "positiveInteger"), s)
            part.add("wps:partOfEvent", term(parent.iri), s)
            found = [f for f in found if f[2] is not parent or f[0] != a]
            mentions = [x for x in mentions if x.start != a]
            found.append((g.start(), b, part))
        for sp in spans:                                           # "the U.S. Embassy's Office of ..."
            child = next((it for a, _, it in found if a == sp.start), None)
            outer = next((it for a, _, it in found if a == sp.parent), None) if sp.parent is not None else None
            if child is not None and outer is not None and child.kind == outer.kind == "organisation":
                child.add("wps:subOrganisationOf", term(outer.iri), s)
        return mentions, found

    def split_spans(self, spans):
        out = []
        trimmed = []
        for sp in spans:
            m = re.search(r"\s*\((?P<a>[A-Z][A-Za-z&-]{1,11})\)$", sp.text)
            if m and m.start() > 0:
                sp = cues.Span(sp.start, sp.start + m.start(), sp.text[:m.start()])
                self.acronyms[norm(sp.text)] = m.group("a")
            trimmed.append(sp)
        for sp in trimmed:
            if norm(sp.text) in self.known.names or " and " not in sp.text \
                    or re.search(r"Peace,?\s+and\s+Security", sp.text) and sp.text.count(" and ") == 1:
                out.append(sp)
                continue
            adjective, kind = None, None
            masked = sp.text                                       # "Trinidad and Tobago" is one name
            for name in self.and_names:
                for hit in re.finditer(re.escape(name), masked, re.I):
                    masked = masked[:hit.start()] + hit.group().replace(" and ", " \0nd ") + masked[hit.end():]
            for piece in re.finditer(r"(?:(?<= and )|^)(?P<p>.+?)(?= and (?=[A-Z])(?<!Peace and )|$)", masked):
                part, start = sp.text[piece.start("p"):piece.end("p")], sp.start + piece.start("p")
                head, sep, tail = part.partition(" the ")
                if sep and norm(head) in self.known.names:
                    out.append(cues.Span(start, start + len(head), head))
                    start += len(head) + len(sep)
                    part = tail
                label = None
                part = re.sub(r"\s*\([A-Z][A-Za-z&-]{1,11}\)$", "", part)   # "Air Force (SEDENA) and ..."
                first = part.split()[0]
                if norm(first) in self.known.demonyms:
                    adjective, kind = first, cues.classify(part, cues.ORG_CUES)
                elif adjective and kind and cues.classify(part, cues.ORG_CUES) == kind:
                    label = f"{adjective} {part}"              # "Mexican Army and Air Force": the Mexican Air Force
                out.append(cues.Span(start, start + len(part), part, label))
        return [y for sp in out for x in self.split_possessive(sp) for y in self.split_nested(x)]

    def split_possessive(self, sp):
        """"U.S. Embassy's Office of Defense Cooperation": two organisations, the second part of the first."""
        m = re.search(r"[’']s\s+(?=[A-Z])", sp.text)
        if not m:
            return [sp]
        owner, unit = sp.text[:m.start()], sp.text[m.end():]
        if not (cues.classify(owner, cues.ORG_CUES) and cues.classify(unit, cues.ORG_CUES)):
            return [sp]
        whole = f"{owner} {unit}"
        unit_span = cues.Span(sp.start + m.end(), sp.end, unit, whole, sp.start if len(owner.split()) > 1 else None,
                              unit)
        if len(owner.split()) < 2:                                 # "Navy's ...": too vague alone
            return [unit_span]
        return [cues.Span(sp.start, sp.start + len(owner), owner), unit_span]

    def split_nested(self, sp):
        """"Human Rights Department Sexual Harassment Office": a department, and an office that is part of it."""
        m = re.fullmatch(r"(?P<a>.*\b(?:Department|Division|Directorate|Bureau|Secretariat))\s+"
                         r"(?P<b>.*\b(?:Office|Unit|Cell|Section|Branch|Observatory))", sp.text)
        if not m or len(m.group("a").split()) < 2 or len(m.group("b").split()) < 2:
            return [sp]
        whole = sp.label or sp.text
        prefix = whole[:-len(sp.text)] if whole.endswith(sp.text) else ""
        department = cues.Span(sp.start, sp.start + len(m.group("a")), m.group("a"),
                               (prefix + m.group("a")) if prefix else None, sp.parent)
        office = cues.Span(sp.start + m.start("b"), sp.end, m.group("b"), whole, sp.start, m.group("b"))
        return [department, office]

    def new_from_span(self, sp, s: Sentence, mentions):
        name = (sp.label or sp.text).strip()
        words = name.split()
        if norm(name) in self.region_names or re.fullmatch(
                r"(?:North|South|Central|Latin|East|West|Southeast|Northern|Southern|Eastern|Western) "
                r"(?:America|Africa|Asia|Europe)", name):
            return self.new_item("place", name, "Region", s)            # continents and UN regions
        if len(words) < 2 and not cues.classify(name, cues.EVENT_CUES):
            return None
        ev = cues.classify(name, cues.EVENT_CUES)
        org = cues.classify(sp.text, cues.ORG_CUES)               # the unit's own words: "... Embassy's Office"
        com = cues.classify(name, cues.COMMITMENT_CUES)
        ins = cues.classify(name, cues.INSTRUMENT_CUES)
        last = words[-1]
        if ins and re.search(r"\b(Convention|Treaty|Protocol)\b", name):
            return self.new_item("instrument", name, ins, s)
        if ev and (cues.classify(last, cues.EVENT_CUES) or re.search(r"Ministerial\b", name)) and len(words) >= 2:
            year = ""
            dates = find_dates(s.text, self.published)
            near = [d for d in dates if d.start_value and (abs(d.end - sp.start) < 3 or abs(sp.end - d.start) < 6)]
            if near and near[0].start_value:
                year = near[0].start_value[0][:4] if not near[0].start_value[0].startswith("--") else ""
            it = self.new_item("event", name, ev, s, suffix=year)
            if self.main_event is None:
                self.main_event = it
            return it
        if com and (not org or re.search(r"(Plan|Strategy|Framework|Policy|Declaration)$", name)):
            return self.new_item("commitment", name, com, s)
        if org:
            it = self.new_item("organisation", name, org, s)
            self.country_of(it, name, s, mentions)
            return it
        m = re.search(rf"\bin\s+{re.escape(name)}(?:,\s+|\.?$)", s.text)
        is_country = any("/country/" in i for i in self.known.names.get(norm(name), ()))
        if m and not is_country and not re.search(r"\b(and|of the)\b", name):
            it = self.new_item("place", name, "City", s)
            after = s.text[m.end():]
            for mm in mentions:
                if mm.kind == "country" and mm.iri and (s.text[mm.start:].startswith(after[:len(mm.surface)])
                                                        or mm.start == sp.start):
                    it.add("wps:inCountry", term(mm.iri), s)
                    break
            else:
                self.review.append(f"{term(it.iri)}: a city without wps:inCountry (left open: a violation)")
            return it
        return None

    def country_of(self, it: Item, name: str, s: Sentence, mentions) -> None:
        for m in self.linker.mentions(name):
            if m.kind == "country" and m.iri and m.start == 0:
                it.add("wps:country", term(m.iri), s, note=f"'{m.surface}' in the name")
                return
        tail = re.search(r"\bof\s+(.+)$", name)
        if tail:
            for mm in self.linker.mentions(tail.group(1)):
                if mm.kind == "country" and mm.iri:
                    it.add("wps:country", term(mm.iri), s, note=f"'{mm.surface}' in the name")
                    return

    def mint_main_event(self) -> None:
        """No event named: the article's event, of the kind the article calls it most often ("the course" three
        times, "training" once: a course), first seen where that noun first appears."""
        counts: dict[str, int] = {}
        first: dict[str, Sentence] = {}
        for s in self.article.sentences:
            names_end = {sp.end for sp in cues.proper_spans(s.text) if sp.text.lower() not in cues.LEADING}
            for pattern, cls in cues.EVENT_NOUNS:
                for m in re.finditer(pattern, s.text, re.I):
                    if m.start() - 1 in names_end:
                        continue                               # "its International Humanitarian Law training"
                    counts[cls] = counts.get(cls, 0) + 1
                    first.setdefault(cls, s)
        if not counts:
            return
        order = list(first)                                    # ties: the kind named first
        cls = max(order, key=lambda c: (counts[c], -order.index(c)))
        label = self.article.title or f"{cls} reported by {self.stem}"
        it = self.new_item("event", label, cls, first[order[0]])
        it.type_note = "the event is not named: label taken from the title, rewrite it"
        self.main_event = it

    # ------------------------------------------------------------------ statements

    def events_in(self, s: Sentence, mentions, found) -> list[tuple[int, int, Item]]:
        evs = [(m.start, m.end, self.items[m.iri]) for m in mentions if m.iri in self.items
               and self.items[m.iri].kind == "event"]
        evs += [(a, b, it) for a, b, it in found if it.kind == "event"]
        main = self.main_event
        if main is not None:
            for pattern, _cls in cues.EVENT_NOUNS:
                for g in re.finditer(pattern, s.text, re.I):
                    if not any(a <= g.start() < b for a, b, _ in evs):
                        evs.append((g.start(), g.end(), main))
        return sorted(evs, key=lambda x: x[0])

    def relate(self, s: Sentence, mentions, found) -> None:
        text = s.text
        events = self.events_in(s, mentions, found)
        named_events = [e for e in events if e[2] is not self.main_event or
                        any(m.iri == e[2].iri for m in mentions) or any(it is e[2] for _, _, it in found)]
        actors = [(m.start, m.end, term(m.iri)) for m in mentions if m.iri and m.kind in ACTOR_KINDS
                  and m.how != "demonym"]
        named = [(a, b, term(it.iri)) for a, b, it in found if it.kind in ("organisation", "person", "post")]
        actors = [x for x in actors if not any(a <= x[0] and x[1] <= b and (a, b) != x[:2] for a, b, _ in named)]
        actors += named
        groups = [(a, b, term(it.iri)) for a, b, it in found if it.kind == "group"]
        # "the Embassy's Office of ...", "Human Rights Department Sexual Harassment Office": the first names whose
        # office it is; the office is the actor
        parts = {(it.iri, st.object) for it in self.items.values() for st in it.statements
                 if st.predicate == "wps:subOrganisationOf"}
        actors = [x for x in actors if not (re.match(r"[’']s\s", text[x[1]:x[1] + 3])
                                            and any(y[0] == x[1] + 3 for y in actors))
                  and not any(x[1] <= y[0] <= x[1] + 3 and (expand(y[2]), x[2]) in parts for y in actors)]
        actors.sort()
        # a part of an event: "the course included a capstone panel discussion"
        for a, _b, it in found:
            if it.iri in self.sub_events:
                parents = [e for e in events if e[2] is not it and e[0] < a] or \
                    ([(0, 0, self.main_event)] if self.main_event and self.main_event is not it else [])
                if parents:
                    it.add("wps:partOfEvent", term(parents[-1][2].iri), s, parents[-1][1] > 0,
                           None if parents[-1][1] > 0 else "the event it is part of is not named in the sentence")
        event_at = lambda pos: min(events, key=lambda e: abs(e[0] - pos))[2] if events else None  # noqa: E731
        # "UN-led Forum", "NATO-sponsored exercise": the actor before the hyphen organised the event after it,
        # and plays no other part in the sentence's roles
        for m in re.finditer(r"-(?:led|sponsored|organi[sz]ed)\b", text):
            before = [a for a in actors if a[1] == m.start()]
            later = [e for e in events if e[0] > m.start()]
            if before and later and not before[0][2].startswith("country:"):
                later[0][2].add("wps:organisedBy", before[0][2], s)
                actors.remove(before[0])
        # "a capstone panel discussion including A and B": A and B take part in it
        for m in re.finditer(r"\bincluding\b", text):
            events_before = [e for e in events if 0 <= m.start() - e[1] <= 2]
            if events_before:
                stop = re.search(rf"\s+to\s+[a-z]|;|{END}", text[m.end():])
                end = m.end() + (stop.start() if stop else len(text))
                for a in actors + groups:
                    if m.end() <= a[0] < end and not a[2].startswith("country:"):
                        events_before[0][2].add("wps:hasParticipant", a[2], s)
        # roles
        chain = None
        # in text order, so that a chain of participles ("co-chaired by A, hosted by B") is followed
        verbs = sorted(((m, active, passive_obj) for rx, active, passive_obj in cues.COMPILED_ROLES
                        for m in rx.finditer(text)), key=lambda x: x[0].start())
        for m, active, passive_obj in verbs:
            clause_start = max(text.rfind(";", 0, m.start()), text.rfind(":", 0, m.start()), -1) + 1
            after = text[m.end():]
            by = re.match(r"\s+(?:by|with)\b", after)
            # "with Mexican co-chairs Secretaries of ...": a role noun followed by who plays it
            appos = not by and m.group().lower().endswith("s") and any(
                m.end() < a[0] <= m.end() + 2 for a in actors)
            if appos:
                stop = re.search(rf",\s+(?:and\s+)?(?:with|hosted|co-|chaired)\b|\s+to\s+[a-z]|{END}", after)
                end = m.end() + (stop.start() if stop else len(after))
                doers = [a for a in actors if m.end() <= a[0] < end]
            elif by:
                stop = re.search(rf",\s+(?:and\s+)?(?:with|hosted|co-|chaired|to)\b|{END}", after[by.end():])
                end = m.end() + by.end() + (stop.start() if stop else len(after))
                doers = [a for a in actors if m.end() <= a[0] < end]
                if by.group().strip() == "with":
                    doers += [a for a in actors if clause_start <= a[0] < m.start()]
            else:
                # a relative clause between commas does not separate the subject from its verb:
                # "A and B, which investigate cases, presented ..."
                doers = [a for a in actors if clause_start <= a[0] < m.start()
                         and not re.search(r"\b(that|which|who)\b",
                                           re.sub(r",\s*(?:which|who)\b[^,;]*,\s*$", " ", text[a[1]:m.start()]))]
                doers = doers[-8:]
                if m.group().endswith("with"):                # "A partnered with B"
                    stop = re.search(rf"\s+to\s+[a-z]|,|{END}", after)
                    doers += [a for a in actors if m.end() <= a[0] < m.end() + (stop.start() if stop else len(after))]
                if re.search(r"\bfor\s+$", text[:m.start()]):
                    doers = doers[-1:]                       # "grateful to the government of X for hosting"
            later = [e for e in events if e[0] >= m.end()]
            ev = later[0][2] if later else (event_at(m.start()) or self.main_event)
            # "the Ministerial co-chaired by A, hosted by B": a participle right after the event's name, and
            # the participles chained to it, are about that event
            just_before = [e for e in named_events if e[1] <= m.start() and not text[e[1]:m.start()].strip()]
            gap = text[chain[1]:m.start()] if chain is not None and chain[1] <= m.start() else "?"
            for mm in mentions:
                gap = gap.replace(mm.surface, "") if mm.kind == "country" else gap
            chained = chain is not None and set(re.findall(r"[^\s,]+", gap)) <= {"and", "with", "as"}
            participle = (by or appos) and (just_before or chained)
            if participle:
                if just_before:
                    ev = just_before[0][2]
                elif chain is not None:                      # not just after the event: so chained to it
                    ev = chain[0]
            if ev is None or not doers:
                continue
            if re.fullmatch(r"join(?:ed|s)|attend(?:ed|s)", m.group(), re.I) and not (
                    later and re.fullmatch(r"\s+(?:in\s+)?(?:the\s+|an?\s+)?(?:\w+\s+)?", text[m.end():later[0][0]])):
                continue                                     # "joined a team": not an event
            if by or appos:
                chain = (ev, max(d[1] for d in doers)) if participle else None
            prop = active
            if prop == "hostedBy" and len({d[2] for d in doers}) > 1:
                prop = "coHostedBy"
            sure = bool(participle) or bool(later) and any(ev is e[2] for e in named_events)
            for d in doers:
                if d[2] == term(ev.iri):
                    continue
                obj = d[2]
                if obj.startswith("country:") and prop not in ("coChairedBy", "chairedBy", "hostedBy",
                                                                "coHostedBy"):
                    continue
                ev.add(f"wps:{prop}", obj, s, sure, None if sure else f"'{m.group()}' with no event named "
                                                                     "after it: check the event")
            if passive_obj and not by:
                to = re.search(r"\bto\b", after)
                if to:
                    stop = re.search(r"[.;]|\b(?:in|on|at)\s+[A-Z]", after[to.end():])
                    end = m.end() + to.end() + (stop.start() if stop else len(after))
                    for a in actors + groups:
                        if m.end() + to.start() <= a[0] < end:
                            ev.add(f"wps:{passive_obj}", a[2], s, False, f"'{m.group()} … to': the audience?")
        # a group named with an event, or listed among an event's participants, and given no part above
        used = {st.object for it in self.items.values() for st in it.statements}
        for a, _b, g in groups:
            if g in used:
                continue
            listed = re.search(r"\b(?:participants|attendees|delegates)\b[^.;]*\bincluding\s+[^.;]*$", text[:a])
            target = event_at(a) if events else (self.main_event if listed else None)
            if target is not None:
                target.add("wps:hasParticipant", g, s, False, "a group named with the event: check its part")
        # dates
        for date in find_dates(text, self.published):
            self.place_date(date, s, events, mentions, found)
        # numbers
        for m in cues.COUNT.finditer(text):
            ev = event_at(m.start()) or self.main_event
            if ev is None:
                continue
            n = cues.number(m.group("n"))
            prop = "wps:participantCountMoreThan" if m.group("more") in ("over", "more than", "upwards of") \
                else "wps:participantCount"
            sure = m.group("more") in (None, "over", "more than", "upwards of") and m.group("who") in (
                "participants", "attendees", "delegates", "trainees")
            ev.add(prop, lit(str(n), "nonNegativeInteger"), s, sure,
                   None if sure else f"'{m.group().strip()}': who is counted?")
        for m in cues.DURATION.finditer(text):
            ev = event_at(m.start()) or self.main_event
            if ev is not None:
                ev.add("wps:durationDays", lit(str(cues.number(m.group("n"))), "positiveInteger"), s)
        for m in cues.KIND_OF_EVENT.finditer(text):
            target = event_at(m.start("kind")) or self.main_event
            cls = cues.classify(m.group("kind").title(), cues.EVENT_CUES)
            if target is not None and cls and not target.known and cls not in target.types:
                target.types.append(cls)
        said = self.statement_of(s, found)
        ends = self.end_states(s, mentions, found)
        self.figures(s)
        # themes, resolutions, countries
        for m in mentions:
            if not m.iri:
                continue
            if m.kind == "theme" and (said is not None or any(a <= m.start < b for a, b, _ in ends)):
                it = said if said is not None else next(e for a, b, e in ends if a <= m.start < b)
                it.add("wps:addresses", term(m.iri), s)               # what a speaker or an end state is about
            elif m.kind == "theme":
                target = event_at(m.start) or self.main_event
                # "Students also discussed sexual harassment": what the event's participants discussed, it addressed
                sure = bool(events) or bool(cues.PARTICIPANTS_DISCUSSED.match(text))
                if target is not None:
                    target.add("wps:addresses", term(m.iri), s, sure, None if sure else "no event in the sentence")
            elif m.kind == "resolution":
                coms = [it for _, _, it in found if it.kind == "commitment"]
                coms += [self.items[x.iri] for x in mentions if x.iri in self.items and x.kind == "commitment"]
                if not coms and re.search(r"action plan", text, re.I):
                    coms = [it for it in self.items.values() if it.kind == "commitment"
                            and "ActionPlan" in "".join(it.types)]
                for c in coms:
                    c.add("wps:implements", term(m.iri), s, False, "the resolution is named in the same sentence")
                if not coms:
                    self.review.append(f"[s{s.index}] {term(m.iri)} is named; nothing in the sentence implements it")
            elif m.kind == "country" and m.how == "country" and events and named_events:
                if any(it.kind == "place" and 0 <= m.start - b <= 3 for a, b, it in found):
                    continue                                          # a place, not a participant
                ev = event_at(m.start)
                if ev is not None and not any(st.object == term(m.iri) for st in ev.statements):
                    ev.add("wps:participatingCountry", term(m.iri), s, False, "a country named with the event")
        # places
        places = [(a, it, it.label) for a, _b, it in found if it.kind == "place"]
        places += [(m.start, self.known_item(m.iri, s), m.surface) for m in mentions if m.kind == "place" and m.iri]
        for a, it, surface in places:
            ev = event_at(a) if events else None
            if ev is None:
                continue
            if "Region" in it.types:                  # "in North America", "from the Caribbean": its region
                if re.search(rf"\b(?:in|from|across|throughout)\s+(?:the\s+)?{re.escape(surface)}", text):
                    ev.add("wps:inRegion", term(it.iri), s, bool(named_events),
                           None if named_events else "a region named with the event")
            elif re.search(rf"\bin\s+{re.escape(surface)}", text):
                ev.add("wps:heldIn", term(it.iri), s)

    def lateral(self, s: Sentence) -> None:
        """'The bilateral event': as many participating countries as the word says, taken from the countries of
        the organisations playing a part in the article's event, when they are exactly that many."""
        m = re.search(r"\b(bilateral|trilateral)\b", s.text)
        ev = self.main_event
        if not m or ev is None:
            return
        countries = []
        for st in ev.statements:
            if st.predicate.split(":")[1] in cues.ACTOR_ROLES and not st.object.startswith("country:"):
                it = self.items.get(expand(st.object))
                if it is None:
                    continue
                if it.known:
                    found = sorted(self.known.resources[it.iri].countries)
                else:
                    found = [expand(x.object) for x in it.statements if x.predicate == "wps:country"]
                for c in found:
                    if c not in countries:
                        countries.append(c)
        if len(countries) == {"bilateral": 2, "trilateral": 3}[m.group(1)]:
            for c in countries:
                ev.add("wps:participatingCountry", term(c), s, False,
                       f"a {m.group(1)} event: the countries of the organisations taking part")

    def end_states(self, s: Sentence, mentions, found):
        """'... focuses on two end states: Exemplifying Diversity; and, Ensuring ...': one wps:EndState each, of
        the strategy the sentence or the one before names."""
        m = cues.END_STATES.search(s.text)
        if not m:
            return []
        out = []
        for piece in re.finditer(r"[^;]+", m.group("list")):
            run = cues.TITLE_RUN.search(piece.group())
            if not run:
                continue
            name = re.sub(r"(?:[\s,]+(?:and|of|the|for|in|to|on|with|a|an))+$", "", run.group()).strip(" ,")
            if len(name) < 4:
                continue
            start = m.start("list") + piece.start() + run.start()
            es = self.new_item("endstate", name, "EndState", s)
            for t in self.linker.mentions(name.lower()):          # its words name what it is about
                if t.kind == "theme" and t.iri:
                    es.add("wps:addresses", term(t.iri), s)
            out.append((start, start + len(name), es))
        strategies = [it for _, _, it in found if it.kind == "commitment"]
        strategies = strategies or [it for it in self.items.values() if it.kind == "commitment" and it.first
                                    and s.index - it.first.index <= 1 and "Strategy" in " ".join(it.types)]
        for _a, _b, es in out:
            if strategies:
                strategies[-1].add("wps:hasEndState", term(es.iri), s, False, "the strategy is referred to, not "
                                   "named, in this sentence")
        return out

    def figures(self, s: Sentence) -> None:
        """'over 100 countries have adopted ...': a wps:Observation counting countries."""
        for m in cues.COUNTRIES_THAT.finditer(s.text):
            n = m.group("n").replace(",", "")
            value = int(n) if n.isdigit() else cues.number(n)
            label = "Countries" + re.sub(r"\s+", " ", m.group("rest")).rstrip()
            obs = self.new_item("observation", f"{self.stem} {label}", "Observation", s,
                                note="check what is counted, and add wps:date if the article dates the figure")
            obs.label = label
            obs.add("wps:indicator", "indicator:countries", s)
            obs.add("wps:observedValueMoreThan" if m.group("more") else "wps:observedValue",
                    lit(str(value), "integer"), s)
            obs.add("wps:unit", "unit:count", s)

    def place_date(self, d: DateMention, s: Sentence, events, mentions, found) -> None:
        stated = d.start_value or d.resolved_start
        if stated is None:
            self.review.append(f"[s{s.index}] '{d.surface}': {d.note or 'a date the tool could not read'}")
            return
        if d.start_value and d.start_value[1] == "gYear":
            coms = [it for _, _, it in found if it.kind == "commitment"]
            coms += [self.items[x.iri] for x in mentions if x.iri in self.items and x.kind == "commitment"]
            verb = re.search(r"\b(published|adopted|launched|endorsed|approved|signed)\b", s.text)
            if not coms and verb and re.search(r"action plan", s.text, re.I):
                m = re.search(r"\b(first|second|third|fourth|fifth|new)\s+National Action Plan", s.text)
                country = self.country_in(s, mentions)
                if m and country:
                    ordinal = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5}.get(m.group(1))
                    cname = self.known.resources[ID + "country/" + country].label
                    c = self.new_item("commitment", f"{cname}'s {m.group(1)} National Action Plan on Women, Peace "
                                      "and Security", "NationalActionPlan", s,
                                      suffix="")
                    c.add("wps:country", f"country:{country}", s)
                    if ordinal:
                        c.add("wps:edition", lit(str(ordinal), "positiveInteger"), s)
                    coms = [c]
            if coms and verb:
                prop = {"published": "publicationDate", "adopted": "adoptionDate", "launched": "adoptionDate",
                        "endorsed": "adoptionDate", "approved": "adoptionDate", "signed": "adoptionDate"}[verb.group(1)]
                for c in coms:
                    c.add(f"wps:{prop}", lit(*d.start_value), s, True)
                    if verb.group(1) in ("published", "adopted", "launched"):
                        c.add("wps:status", f"status:{verb.group(1)}", s, True)
                return
            self.review.append(f"[s{s.index}] '{d.surface}': a year with nothing dated by it — not drafted")
            return
        if not events:
            self.review.append(f"[s{s.index}] '{d.surface}': a date with no event in the sentence — not drafted")
            return
        ev = min(events, key=lambda e: min(abs(e[0] - d.end), abs(d.start - e[1])))[2]
        sure = d.note is None or (d.start_value is not None and d.start_value[1] == "gMonthDay")
        if d.note and sure:
            self.review.append(f"[s{s.index}] '{d.surface}': {d.note}")
        if any(st.predicate == "wps:startDate" for st in ev.statements) or \
                any(st.predicate == "wps:resolvedStartDate" for st in ev.statements):
            self.review.append(f"[s{s.index}] '{d.surface}': {term(ev.iri)} already has a date — not drafted")
            return
        if d.start_value:
            note = None if sure else d.note
            ev.add("wps:startDate", lit(*d.start_value), s, sure, note)
            if d.end_value:
                ev.add("wps:endDate", lit(*d.end_value), s, sure, note)
        if d.resolved_start:
            if not d.start_value:
                ev.add("wps:statedDate", f'"{d.surface}"', s, sure, d.note)
            else:
                ev.add("wps:statedDate", f'"{d.surface}"', s, sure, d.note)
            ev.add("wps:resolvedStartDate", lit(*d.resolved_start), s, sure, d.note)
            if d.resolved_end:
                ev.add("wps:resolvedEndDate", lit(*d.resolved_end), s, sure, d.note)
            ev.add("wps:dateResolvedFrom", term(self.source), s, sure)
            ev.add("wps:dateResolutionMethod", f"dateresolution:{d.method}", s, sure,
                   f"resolved from the publication date {self.published}")

    def country_in(self, s: Sentence, mentions) -> str | None:
        for m in mentions:
            if m.kind == "country" and m.iri:
                return m.iri.rsplit("/", 1)[-1]
        return None


def draft(text: str, *, url: str | None = None, published: str | None = None, publisher: str | None = None,
          stem: str | None = None, exclude: tuple[str, ...] = (), identifier: str | None = None) -> Draft:
    """A first draft of the source whose plain text is ``text``."""
    t0 = time.perf_counter()
    if not text.strip():
        raise WpsError("the article is empty")
    article = read(text)
    if not article.sentences:
        raise WpsError("the article has no sentences to draft from")
    if published:
        day = published if re.fullmatch(r"\d{4}-\d{2}-\d{2}", published) else parse_day(published)
        if not day:
            raise WpsError(f"--published: not a date: {published!r} (use YYYY-MM-DD)")
        try:
            dt.date.fromisoformat(day)
        except ValueError:
            raise WpsError(f"--published: not a date: {published!r}") from None
        article.published = day
    lead = (publisher or article.byline or "").split()[:1]
    stem = stem or slug(" ".join(lead + [article.title or "source"]), 7) \
        + (f"-{article.published[:4]}" if article.published else "")
    stem = re.sub(r"^-+", "", stem)
    known = load_known(tuple(exclude))
    d = Drafter(known, article, stem, article.published)
    d.run()
    src: list[Statement] = []
    if article.title:
        src.append(Statement("dct:title", _string(article.title) + "@en", None))
    who = publisher or article.byline
    if who:
        who = _dedupe(who)
        hits = [m.iri for m in d.linker.mentions(who) if m.iri and m.kind == "organisation"]
        if hits:
            it = d.known_item(hits[0], None)
            src.append(Statement("dct:publisher", term(it.iri), None))
        else:
            cls = cues.classify(who, cues.ORG_CUES)
            it = d.new_item("organisation", who, cls or "Organisation", None,
                            note=None if cls else "no word in the name says what kind of organisation")
            src.append(Statement("dct:publisher", term(it.iri), None))
    else:
        firsts = [m.iri for s in article.sentences[:1] for m in d.linker.mentions(s.text) if m.iri
                  and m.kind == "organisation"]
        if article.title:
            firsts = [m.iri for m in d.linker.mentions(article.title) if m.iri and m.kind == "organisation"] \
                or firsts
        if firsts:
            it = d.known_item(firsts[0], None)
            src.append(Statement("dct:publisher", term(it.iri), None, False,
                                 "no byline: the first organisation of the title or text"))
        else:
            d.review.append("publisher: not found in the text (give --publisher NAME)")
    if article.published:
        src.append(Statement("dct:issued", lit(article.published, "date"), None))
    else:
        d.review.append("date of publication: not found in the text (give --published YYYY-MM-DD); dates without "
                        "a year are left unresolved")
    if url:
        src.append(Statement("schema:url", f"<{url}>", None))
    src.append(Statement("wps:retrieved", lit(dt.date.today().isoformat(), "date"), None))
    src.append(Statement("dct:identifier", _string(identifier or stem), None))
    new_orgs = [it for it in d.items.values() if it.kind == "organisation" and not it.known]
    for i, a in enumerate(new_orgs):                  # "Office of Defense Coordination" / "... Cooperation"
        for b in new_orgs[i + 1:]:
            pairs = [(norm(x), norm(y)) for x in [a.label] + a.alt for y in [b.label] + b.alt
                     if len(x.split()) >= 3 and len(y.split()) >= 3]
            # close but not contained: one name inside the other is a unit and its parent, not a respelling
            if pairs and SAME_BODY <= max(fuzz.partial_ratio(x, y) for x, y in pairs) < 100:
                d.review.append(f"{term(a.iri)} and {term(b.iri)}: names this close may be one body — merge them "
                                "if so")
    for it in d.items.values():
        if it.kind == "event" and not any(s.predicate in ("wps:startDate", "wps:resolvedStartDate")
                                          for s in it.statements):
            d.review.append(f"{term(it.iri)}: no date found for this event (left open: a warning)")
        if it.kind == "statement":
            d.review.append(f"{term(it.iri)}: no wps:summary — write one in your own words (left open: a "
                            "violation)")
        if it.kind == "organisation" and not it.known and any(t in ("Ministry", "Government", "GovernmentBody")
                                                               for t in it.types) \
                and not any(s.predicate == "wps:country" for s in it.statements):
            d.review.append(f"{term(it.iri)}: a government body without wps:country (left open: a warning)")
    draft_ = Draft(ID + "source/" + stem, "NewsArticle", article, d.items, src, d.review)
    draft_.known_iris = set(known.resources)
    draft_.seconds = time.perf_counter() - t0
    return draft_


def _dedupe(name: str) -> str:
    """'U.S. Northern Command U.S. Northern Command' (a byline and its link text) as one name."""
    words = name.split()
    half = len(words) // 2
    if len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    return name


def _string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
