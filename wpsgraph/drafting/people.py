"""Who the article names: persons with their ranks and titles, offices named without their holders (posts in the
ministry of their portfolio), posts in each organisation listed, groups of people, organisations written by their
initials, and who is quoted (statements)."""

from __future__ import annotations

import re

from wpsgraph.drafting import cues
from wpsgraph.drafting.known import ID, norm
from wpsgraph.drafting.model import END, Base, Item, slug, term
from wpsgraph.drafting.text import Sentence


class People(Base):
    def groups(self, s: Sentence, mentions, found):
        """Groups of people listed as taking part or as trained: 'including government officials, regional
        partners, and donor country representatives'. Each piece between commas whose last words name people is
        a wps:ParticipantGroup; 'A and B' stays one group when A is a bare plural ('lawyers and emerging leaders')."""
        text, out = s.text, []
        taken = [(a, b) for a, b, it in found if it.kind in ("organisation", "person", "post")]
        taken += [(x.start, x.end) for x in mentions if x.iri and x.kind in ("organisation", "person", "post")]
        countries = sorted((x.start, x.end) for x in mentions if x.kind == "country" and x.iri)
        masked = text                                # a list of countries stays inside one group's name
        for (_a1, b1), (a2, _b2) in zip(countries, countries[1:]):
            if re.fullmatch(r",\s*(?:and\s+)?(?:[Tt]he\s+)?|\s+and\s+(?:[Tt]he\s+)?", text[b1:a2]):
                masked = masked[:b1] + text[b1:a2].replace(",", "\0") + masked[a2:]
        for m in cues.GROUP_LIST.finditer(text):
            stop = re.search(rf"\s+to\s+(?!the\b)[a-z]+|;|{END}|\s+(?:including|such as)\s", text[m.end():])
            end = m.end() + (stop.start() if stop else len(text) - m.end())
            for piece in re.finditer(r"[^,]+", masked[m.end():end]):
                p0 = m.end() + piece.start()
                cut = min([a for a, _ in taken if p0 <= a < m.end() + piece.end()] or [m.end() + piece.end()])
                chunk = text[p0:cut]
                for part in re.split(r"\s+as well as\s+", chunk):
                    part = re.sub(r"^\s*(?:and|or)\s+", "", part)
                    part = re.sub(r"(?:\s+(?:in|of|from|at|the|and|with|for|by|U\.S\.))+\s*$", "", part).strip()
                    halves = re.split(r"\s+and\s+", part)
                    if len(halves) == 2 and all(len(h.split()) >= 2 and cues.GROUP_HEAD.search(h) for h in halves) \
                            and not re.search(r"\b(?:from|of|in)\b", halves[0]):
                        subparts = halves                            # "military leadership and advocacy reps"
                    else:
                        subparts = [part]
                    for sub in subparts:
                        head = cues.GROUP_HEAD.search(sub)
                        if not sub or not head or len(sub[:head.start()].split()) > 3 or " with " in sub:
                            continue
                        if not sub[:1].islower() and not re.match(r"[A-Z][\w.]*[’']s\s", sub):
                            continue
                        if re.match(r"(?:the|a|an|their|its|our|over|more|some|about|nearly|\d)\b", sub):
                            continue                                 # "the participants", "over 35 participants"
                        start = text.index(sub, p0)
                        label = (sub[0].upper() + sub[1:]).replace("\0", ",")
                        group = self.new_item("group", f"{self.stem} {label}", "ParticipantGroup", s)
                        group.label = label
                        for x in mentions:
                            if x.kind == "country" and x.iri and start <= x.start < start + len(sub):
                                group.add("wps:representsCountry", term(x.iri), s)
                        out.append((start, start + len(sub), group))
        return out

    def initialisms(self, s: Sentence, mentions, found):
        """An acronym the graph does not know, made of the initials of an organisation the article has named
        ('JTF-CS' after 'Joint Task Force Civil Support'), is that organisation."""
        out = []
        taken = [(x.start, x.end) for x in mentions] + [(a, b) for a, b, _ in found]
        for m in re.finditer(r"(?<![\w-])[A-Z][A-Z-]{1,10}[A-Z](?![\w-])", s.text):
            if any(a <= m.start() < b for a, b in taken):
                continue
            letters = m.group().replace("-", "")
            hits = [it for it in self.items.values() if it.kind == "organisation" and not it.known
                    and "".join(w[0] for w in re.split(r"[\s-]+", it.label)
                                if w and w.lower() not in cues.CONNECTORS) == letters]
            if len(hits) == 1:
                if m.group() not in hits[0].alt:
                    hits[0].alt.append(m.group())
                out.append((m.start(), m.end(), hits[0]))
        return out

    def unheld_posts(self, s: Sentence, mentions, found):
        """'Gender advisors from A, B and C': a post of that title in each of A, B and C."""
        text, out = s.text, []
        for m in cues.UNHELD.finditer(text):
            if m.start() > 0 and text[m.start() - 1:m.start()].isalpha():
                continue
            stop = cues.LIST_END.search(text, m.end())
            end = stop.start() if stop else len(text)
            orgs = [(x.start, x.end, self.known_item(x.iri, s)) for x in mentions
                    if x.iri and x.kind == "organisation" and m.end() <= x.start < end]
            orgs += [(a, b, it) for a, b, it in found if it.kind == "organisation" and m.end() <= a < end]
            title = next(t for t in cues.TITLES if t.lower() == m.group("title").lower())
            for a, b, org in sorted(orgs, key=lambda x: x[0]):
                out.append((a, b, self.post_in(org, title, s)))
        return out

    def persons(self, s: Sentence):
        out = []
        text = s.text
        for rx in (cues.TITLE_AFTER, cues.RANK_BEFORE, cues.TITLE_BEFORE):
            for m in rx.finditer(text):
                name = m.group("name")
                rank = None
                for r in sorted(cues.RANKS, key=len, reverse=True):
                    if name.startswith(r + " "):
                        rank, name = cues.RANKS[r], name[len(r) + 1:]
                        break
                if "rank" in m.groupdict() and m.group("rank"):
                    rank = cues.RANKS[m.group("rank")]
                if norm(name) in self.known.names or cues.classify(name, cues.ORG_CUES + cues.EVENT_CUES):
                    continue
                person_iri = None
                for iri in self.known.names.get(norm(name), ()):
                    person_iri = iri
                p = self.known_item(person_iri, s) if person_iri else self.new_item("person", name, "Person", s)
                if rank:
                    p.add("wps:rank", f'"{rank}"', s)
                title = m.groupdict().get("title")
                org_text = (m.groupdict().get("org") or "").strip()
                if title and org_text and not any(x.startswith(title) for x in [st.object for st in p.statements]):
                    self.post_for(p, title, org_text, s)
                out.append((m.start("name"), m.end("name"), p))
        return out

    def offices(self, s: Sentence, mentions, person_ranges):
        """Ministers and secretaries named by their office: a wps:Post in the ministry of its portfolio and its
        country. [(start, end, post, (start, end) of the whole phrase)]."""
        text = s.text
        out: list[tuple[int, int, Item, tuple[int, int]]] = []
        for m in cues.MINISTER.finditer(text):
            if any(m.start() <= a < m.end() for a, _ in person_ranges):
                continue
            if any(k.iri and k.kind in ("post", "organisation") and k.start <= m.start() < k.end for k in mentions):
                continue                                     # a post the graph has: "U.S. Secretary of State"
            title = re.sub(r"ies$", "y", re.sub(r"ers$", "er", m.group("title")))
            plural = title != m.group("title")
            base = m.start("portfolios")
            if plural:
                parts = [(base + x.start(), x.group()) for x in re.finditer(r"(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z]"
                                                                            r"[\w'’-]*)*", m.group("portfolios"))]
            else:
                portfolio = self.without_holder(m.group("portfolios"))
                parts = [(base, portfolio)]
                holder = m.group("portfolios")[len(portfolio):].strip()
            country, adjective, phrase_start = self.country_before(text, m.start(), mentions)
            for start, part in parts:
                label = f"{title} {m.group('prep')} {part}"
                ministry = self.ministry_for(part, country, title, s)
                cname = slug(self.known.resources[country].label) if country else ""
                post = self.new_item("post", f"{cname} {label}", "Post", s)
                post.label = f"{adjective} {label}".strip()
                if ministry is not None:
                    post.add("wps:postIn", term(ministry.iri), s, country is not None,
                             None if country else "no country named with the office: check the ministry")
                if not plural and holder:
                    person = self.new_item("person", holder, "Person", s)
                    person.add("wps:holdsPost", term(post.iri), s)
                first = start if out and out[-1][3] == (phrase_start, m.end()) else m.start()
                out.append((first, start + len(part), post, (phrase_start, m.end())))
        return out

    def without_holder(self, portfolio: str) -> str:
        """'Foreign Affairs Simon Coveney' -> 'Foreign Affairs': the last two words are a name when no known
        organisation's name uses them."""
        words = portfolio.split()
        if len(words) >= 3:
            vocabulary = self.organisation_words()
            if not any(w.lower() in vocabulary for w in words[-2:]):
                return " ".join(words[:-2])
        return portfolio

    def organisation_words(self) -> set[str]:
        if not hasattr(self, "_org_words"):
            self._org_words = {w for r in self.known.resources.values() if r.kind == "organisation"
                               for label in r.labels.values() for w in norm(label).split()}
        return self._org_words

    def country_before(self, text: str, start: int, mentions) -> tuple[str | None, str, int]:
        """The country named just before an office ('U.S.', 'the Canadian', "Mexico's", 'Mexican co-chairs'):
        (its IRI, the words naming it, where the phrase starts)."""
        for mm in sorted(mentions, key=lambda x: -x.end):
            if mm.kind == "country" and mm.iri and mm.end <= start:
                between = text[mm.end:start]
                if len(between.split()) <= 1 and not re.search(r"[,;:.]", between.replace("’s", "")
                                                                .replace("'s", "")):
                    return mm.iri, mm.surface, (mm.start if not between.strip() else start)
                break
        return None, "", start

    def ministry_for(self, portfolio: str, country: str | None, title: str, s: Sentence) -> Item | None:
        """The known ministry of a portfolio in a country ('Secretary of the Navy', Mexico -> 'Secretariat of the
        Navy'), else a new one whose name is a guess, marked so."""
        key = re.sub(r"^the ", "", norm(portfolio))
        hits = []
        for r in self.known.resources.values():
            if r.kind != "organisation" or (country and country not in r.countries):
                continue
            for label in list(r.labels.values()) + r.alt:
                words = norm(label).split()
                first = next((i for i, w in enumerate(words) if w in cues.MINISTRY_NOUNS), None)
                if first is None or first > 2 or len(words) < first + 3:
                    continue
                rest = [w for w in words[first + 2:] if w not in ("the", "la", "el", "le")]
                for n in range(1, min(4, len(rest) - 1) + 1):               # "... of Brazil", "... (Ireland)"
                    if any("/country/" in i for i in self.known.names.get(" ".join(rest[-n:]), ())):
                        rest = rest[:-n - 1] if len(rest) > n + 1 and rest[-n - 1] == "of" else rest[:-n]
                        break
                if words[first + 1] in ("of", "for", "de", "du", "des") and " ".join(rest) == key:
                    hits.append(r.iri)
                    break
        if len(hits) == 1:
            return self.known_item(hits[0], s)
        if not country:
            return None
        noun = "Ministry" if title.endswith("Minister") else "Department"
        cname = self.known.resources[country].label
        org = self.new_item("organisation", f"{cname} {noun} {'for' if ' for ' in title else 'of'} {portfolio}",
                            "Ministry", s, note="the ministry is not named in the text: its name is a guess")
        org.label = f"{noun} of {portfolio}"
        org.add("wps:country", term(country), s)
        return org

    def post_for(self, person: Item, title: str, org_text: str, s: Sentence) -> None:
        org_text = re.split(r"\s+and\s+(?=[A-Z])", org_text)[-1] if " and " in org_text else org_text
        org_iri = None
        for m in self.linker.mentions(org_text):
            if m.kind == "organisation" and m.iri:
                org_iri = m.iri
        if org_iri is None:
            spans = cues.proper_spans(org_text)
            if not spans:
                return
            name = max(spans, key=lambda x: len(x.text)).text
            cls = cues.classify(name, cues.ORG_CUES)
            org = self.new_item("organisation", name, cls or "Organisation", s,
                                note=None if cls else "no word in the name says what kind of organisation")
        else:
            org = self.known_item(org_iri, s)
        label = " ".join(w if w.lower() in ("of", "and", "for", "the") else w[:1].upper() + w[1:]
                         for w in title.split())
        label = re.sub(r"\b(Of|And|For|The)\b", lambda x: x.group().lower(), label)
        post = self.post_in(org, label, s)
        person.add("wps:holdsPost", term(post.iri), s)

    def post_in(self, org: Item, title: str, s: Sentence) -> Item:
        """The post of that title in that organisation: the graph's, when it has one by the conventions' IRI and
        the same label, else a new one."""
        iri = ID + "post/" + slug(f"{org.iri.rsplit('/', 1)[-1]} {title}")
        known = self.known.get(iri)
        if known is not None and norm(known.label) == norm(title):
            return self.known_item(iri, s)
        post = self.new_item("post", f"{org.iri.rsplit('/', 1)[-1]} {title}", "Post", s)
        post.label = title
        post.add("wps:postIn", term(org.iri), s)
        return post

    def statement_of(self, s: Sentence, found) -> Item | None:
        """A wps:Statement for a person quoted or reported ('said Major Jane Doe', 'According to Jane Doe'); a
        sentence that goes on with a quotation right after it continues the same statement."""
        text = s.text
        persons = [(a, it) for a, _, it in found if it.kind == "person"]
        cue = cues.SPEECH.search(text)
        if cue is None or not persons:
            last = self.last_statement
            self.last_statement = None
            if last is not None and text.lstrip()[:1] in "“\"" and last[1] == s.index - 1:
                self.last_statement = (last[0], s.index)
                return last[0]
            return None
        person = min(persons, key=lambda x: abs(x[0] - cue.start()))[1]
        st = self.new_item("statement", f"{self.stem} {person.label}", "Statement", s,
                           note="give the label what the statement is about, and write a wps:summary")
        st.label = f"{person.label} on …"
        st.add("wps:statementBy", term(person.iri), s)
        for ps in person.statements:
            if ps.predicate == "wps:holdsPost":
                st.add("wps:inCapacityOf", ps.object, s)
        self.last_statement = (st, s.index)
        return st
