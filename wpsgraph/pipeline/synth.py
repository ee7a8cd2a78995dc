"""Synthetic WPS data for scale tests and benchmarks: realistic shapes, any size, deterministic for a seed.

The data imitates the shipped sources, one synthetic news article at a time: each article describes its source
document (title, publisher, date, URL, identifier) and what it reports: organisations (often new units under
organisations described by earlier articles, so sub-organisation chains grow deep), posts and the persons holding
them, a city, one to three events (courses, trainings, workshops, convenings, ministerial meetings, forums,
panels) with hosts, organisers, deliverers, audiences, participating countries, dates, themes and parts, and now
and then a commitment (a national action plan, strategy, framework or agreement) with its status, end states and
the resolutions it implements. Every resource an article types carries ``wps:statedIn`` that article, which is
described in the same file, so everything stays traceable; resources described by an earlier article are only
referred to. The output conforms to ``shapes/data-shapes.ttl``.

Only ``random.Random(seed)`` decides anything (no clock, no hash order), and articles are written as they are
made, so memory stays flat whatever the size: what is kept is the list of organisation, event, commitment and
city IRIs that later articles may refer to.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TypeVar

_T = TypeVar("_T")

PREFIXES = """\
@prefix wps:          <https://w3id.org/wpsgraph/ontology#> .
@prefix source:       <https://w3id.org/wpsgraph/id/source/> .
@prefix organisation: <https://w3id.org/wpsgraph/id/organisation/> .
@prefix person:       <https://w3id.org/wpsgraph/id/person/> .
@prefix post:         <https://w3id.org/wpsgraph/id/post/> .
@prefix event:        <https://w3id.org/wpsgraph/id/event/> .
@prefix commitment:   <https://w3id.org/wpsgraph/id/commitment/> .
@prefix endstate:     <https://w3id.org/wpsgraph/id/endstate/> .
@prefix place:        <https://w3id.org/wpsgraph/id/place/> .
@prefix country:      <https://w3id.org/wpsgraph/id/country/> .
@prefix resolution:   <https://w3id.org/wpsgraph/id/resolution/> .
@prefix theme:        <https://w3id.org/wpsgraph/id/theme/> .
@prefix status:       <https://w3id.org/wpsgraph/id/status/> .
@prefix rdfs:         <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:          <http://www.w3.org/2001/XMLSchema#> .
@prefix skos:         <http://www.w3.org/2004/02/skos/core#> .
@prefix dct:          <http://purl.org/dc/terms/> .
@prefix schema:       <https://schema.org/> .

"""

COUNTRIES = [
    ("MX", "Mexico"), ("US", "United States"), ("CA", "Canada"), ("TT", "Trinidad and Tobago"), ("JM", "Jamaica"),
    ("CO", "Colombia"), ("BR", "Brazil"), ("AR", "Argentina"), ("CL", "Chile"), ("PE", "Peru"),
    ("GT", "Guatemala"), ("HN", "Honduras"), ("SV", "El Salvador"), ("CR", "Costa Rica"), ("PA", "Panama"),
    ("FR", "France"), ("DE", "Germany"), ("GB", "United Kingdom"), ("ES", "Spain"), ("IT", "Italy"),
    ("NL", "Netherlands"), ("SE", "Sweden"), ("NO", "Norway"), ("FI", "Finland"), ("IE", "Ireland"),
    ("KE", "Kenya"), ("NG", "Nigeria"), ("GH", "Ghana"), ("SN", "Senegal"), ("ZA", "South Africa"),
    ("RW", "Rwanda"), ("UG", "Uganda"), ("JO", "Jordan"), ("PH", "Philippines"), ("ID", "Indonesia"),
    ("JP", "Japan"), ("KR", "Korea"), ("AU", "Australia"), ("NZ", "New Zealand"), ("NP", "Nepal"),
]
REGIONS = [("caribbean", "Caribbean"), ("north-america", "North America"), ("central-america", "Central America"),
           ("south-america", "South America"), ("western-europe", "Western Europe"), ("east-africa", "East Africa"),
           ("west-africa", "West Africa"), ("southeast-asia", "Southeast Asia"), ("pacific", "Pacific")]
THEMES = ["participation", "protection", "prevention", "relief-and-recovery", "gender-perspective", "gender-equality",
          "equal-pay", "unpaid-work", "diversity", "gender-based-violence", "sexual-harassment",
          "violence-against-women", "sexual-misconduct", "human-rights", "international-human-rights-law",
          "international-humanitarian-law", "customary-international-law", "treaty-law", "accountability",
          "jurisdiction", "military-education", "military-operations", "peace-operations", "security-cooperation",
          "conflict-and-crisis", "national-action-plans", "civil-society-partnership"]
STATUSES = ["drafting", "awaiting-signature", "adopted", "published"]
RESOLUTIONS = ["1325", "1820", "1888", "1889", "1960", "2106", "2122", "2242", "2467", "2493"]

# Root organisations: (class, label pattern, slug pattern). {c} is the country name, {k} the code in lower case.
ROOTS = [
    ("wps:Government", "Government of {c}", "government-of-{k}"),
    ("wps:Ministry", "Ministry of Defence of {c}", "ministry-of-defence-{k}"),
    ("wps:Ministry", "Ministry of Foreign Affairs of {c}", "ministry-of-foreign-affairs-{k}"),
    ("wps:Ministry", "Ministry of Women's Affairs of {c}", "ministry-of-womens-affairs-{k}"),
    ("wps:Ministry", "Ministry of the Interior of {c}", "ministry-of-the-interior-{k}"),
    ("wps:CivilSocietyOrganisation", "Women's Peace Network of {c}", "womens-peace-network-{k}"),
    ("wps:AdvisoryCouncil", "Women, Peace and Security Advisory Council of {c}", "wps-advisory-council-{k}"),
    ("wps:DefenceCollege", "National Defence College of {c}", "national-defence-college-{k}"),
]
# Units under a parent: (class, label prefix, slug stem).
UNITS = [
    ("wps:MilitaryService", "Army", "army"), ("wps:MilitaryService", "Navy", "navy"),
    ("wps:MilitaryService", "Air Force", "air-force"), ("wps:MilitaryCommand", "Joint Command", "joint-command"),
    ("wps:MilitaryCommand", "Regional Command", "regional-command"),
    ("wps:OrganisationalUnit", "Gender Office", "gender-office"),
    ("wps:OrganisationalUnit", "Human Rights Department", "human-rights-department"),
    ("wps:OrganisationalUnit", "Legal Division", "legal-division"),
    ("wps:OrganisationalUnit", "Training Directorate", "training-directorate"),
    ("wps:OrganisationalUnit", "Sexual Harassment Office", "sexual-harassment-office"),
    ("wps:DiplomaticMission", "Permanent Mission", "permanent-mission"),
    ("wps:LegalTrainingInstitute", "Institute of Operational Law", "institute-of-operational-law"),
]
INTERNATIONAL = [
    ("wps:UNEntity", "UN Women", "un-women"), ("wps:UNEntity", "United Nations", "united-nations"),
    ("wps:UNEntity", "UN Department of Peace Operations", "un-department-of-peace-operations"),
    ("wps:RegionalOrganisation", "Organization of American States", "organization-of-american-states"),
    ("wps:RegionalOrganisation", "African Union", "african-union"),
    ("wps:RegionalOrganisation", "Caribbean Community", "caribbean-community"),
    ("wps:Court", "Inter-American Court of Human Rights", "inter-american-court-of-human-rights"),
    ("wps:HumanRightsSystem", "Inter-American Human Rights System", "inter-american-human-rights-system"),
]
POSTS = [("Gender Advisor", "gender-advisor"), ("Director", "director"), ("Minister", "minister"),
         ("Deputy Director", "deputy-director"), ("Chief of Staff", "chief-of-staff"),
         ("Legal Advisor", "legal-advisor"), ("Commander", "commander"), ("Programme Officer", "programme-officer")]
RANKS = ["Major", "Colonel", "Lieutenant Colonel", "Captain", "Commander", "General", "Admiral"]
GIVEN = ["Ana", "Maria", "Sofia", "Lucia", "Grace", "Amina", "Fatima", "Ingrid", "Claire", "Yuki", "Priya", "Leila",
         "Carmen", "Elena", "Joy", "Nadia", "Rosa", "Sara", "Helen", "Olga", "John", "Carlos", "David", "Kofi"]
FAMILY = ["Garcia", "Lopez", "Smith", "Okafor", "Mensah", "Haddad", "Nakamura", "Santos", "Johansson", "Dubois",
          "Rossi", "Kamau", "Reyes", "Murphy", "Silva", "Torres", "Novak", "Sharma", "Ortiz", "Ndiaye"]
CITY_WORDS = ["San", "Port", "Santa", "New", "North", "Lake", "Fort", "Bay", "Mount", "Saint"]
CITY_STEMS = ["Isabel", "Royal", "Marina", "Haven", "Victoria", "Clara", "Rosa", "Vista", "Alba", "Luz", "Grove",
              "Cruz", "Verde", "Paz", "Esperanza", "Lucia", "Hope", "Harbour", "Ridge", "Valley"]
EVENT_KINDS = [  # class, label stem, weight, is a training
    ("wps:Course", "Women, Peace and Security Course", 5, True),
    ("wps:Training", "Gender Advisor Training", 4, True),
    ("wps:Academy", "National Action Plan Academy", 1, True),
    ("wps:Workshop", "Women, Peace and Security Workshop", 4, False),
    ("wps:RegionalConvening", "Regional Convening on Women, Peace and Security", 2, False),
    ("wps:MinisterialMeeting", "Defence Ministerial", 1, False),
    ("wps:Forum", "Forum on Gender Equality", 1, False),
    ("wps:Panel", "Panel on Women in Peace Operations", 2, False),
]
COMMITMENT_KINDS = [
    ("wps:NationalActionPlan", "National Action Plan on Women, Peace and Security", "national-action-plan"),
    ("wps:Strategy", "Women, Peace and Security Strategy", "wps-strategy"),
    ("wps:StrategicFramework", "Women, Peace and Security Strategic Framework", "wps-strategic-framework"),
    ("wps:ImplementationPlan", "Women, Peace and Security Implementation Plan", "wps-implementation-plan"),
    ("wps:FeministForeignPolicy", "Feminist Foreign Policy", "feminist-foreign-policy"),
    ("wps:MinisterialAgreement", "Ministerial Agreement on Women, Peace and Security", "ministerial-agreement"),
]
END_STATES = ["Women's Meaningful Participation", "Protection of Women and Girls", "Gender-Responsive Institutions",
              "Accountability for Sexual Misconduct", "Exemplifying Diversity"]


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"@en'


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.orgs: dict[str, list[str]] = {}       # country code -> organisation IRIs described so far
        self.org_depth: dict[str, int] = {}
        self.international: list[str] = []
        self.events: list[str] = []
        self.commitments: list[str] = []
        self.cities: dict[str, list[str]] = {}
        self.described: set[str] = set()           # IRIs an earlier article already described
        self.article = 0

    # ------------------------------------------------------------------ helpers
    def pick(self, seq: Sequence[_T]) -> _T:
        return seq[self.rng.randrange(len(seq))]

    def date(self, lo: int = 2000, hi: int = 2025) -> tuple[int, int, int]:
        return self.rng.randint(lo, hi), self.rng.randint(1, 12), self.rng.randint(1, 28)

    def dates(self) -> tuple[str, str]:
        """A start and end of the same precision, end not before start."""
        y, m, d = self.date()
        length = self.rng.choice([0, 0, 1, 2, 4, 9])
        kind = self.rng.choices(["date", "gYearMonth", "gYear", "gMonthDay"], [6, 2, 1, 1])[0]
        d2 = min(d + length, 28)
        if kind == "date":
            return f'"{y}-{m:02d}-{d:02d}"^^xsd:date', f'"{y}-{m:02d}-{d2:02d}"^^xsd:date'
        if kind == "gYearMonth":
            return f'"{y}-{m:02d}"^^xsd:gYearMonth', f'"{y}-{m:02d}"^^xsd:gYearMonth'
        if kind == "gYear":
            return f'"{y}"^^xsd:gYear', f'"{y}"^^xsd:gYear'
        return f'"--{m:02d}-{d:02d}"^^xsd:gMonthDay', f'"--{m:02d}-{d2:02d}"^^xsd:gMonthDay'

    def themes(self, n: int) -> list[str]:
        return ["theme:" + t for t in self.rng.sample(THEMES, n)]

    def article_text(self) -> tuple[str, int]:
        """The next article's Turtle and its number of triples."""
        article = _Article(self)
        text = article.write()
        self.events += article.events
        return text, article.triples


class _Article:
    """One synthetic article: its Turtle, a triple count, and what its sections share (the country, the
    organisations it describes, its events). Sections run in a fixed order and draw from the generator's random
    stream in that order, so a seed always gives the same file."""

    def __init__(self, gen: Generator):
        self.gen, self.rng = gen, gen.rng
        self.parts: list[str] = []
        self.triples = 0
        gen.article += 1
        self.n = gen.article
        self.code, self.cname = gen.pick(COUNTRIES)
        self.k = self.code.lower()
        self.src = f"source:synthetic-article-{self.n}"
        self.stated = [self.src]
        self.fresh: list[str] = []    # organisations this article describes
        self.local: list[str] = []    # organisations of the country it can name
        self.posts: list[str] = []
        self.events: list[str] = []
        self.top = self.intl = self.partner = self.other_code = self.city = self.region = self.region_name = ""

    def write(self) -> str:
        self.organisations()
        self.international()
        self.source_document()
        self.people()
        self.membership()
        self.place()
        self.meetings()
        self.commitment()
        return f"# synthetic article {self.n}: {self.cname}\n" + "\n".join(self.parts) + "\n"

    def subject(self, iri: str, pairs: list[tuple[str, list[str]]]) -> None:
        lines = []
        for predicate, objects in pairs:
            if objects:
                lines.append(f"    {predicate} {' , '.join(objects)}")
                self.triples += len(objects)
        self.parts.append(iri + "\n" + " ;\n".join(lines) + " .\n")

    def describe_org(self, iri: str, cls: str, label: str, parent: str | None = None, country: str | None = "",
                     acronym: str | None = None) -> None:
        country = self.code if country == "" else country
        pairs = [("a", [cls]), ("rdfs:label", [_lit(label)])]
        if acronym:
            pairs.append(("skos:altLabel", [_lit(acronym)]))
        if country:
            pairs.append(("wps:country", [f"country:{country}"]))
        if parent:
            pairs.append(("wps:subOrganisationOf", [parent]))
        pairs.append(("wps:statedIn", self.stated))
        self.subject(iri, pairs)
        self.gen.described.add(iri)
        self.fresh.append(iri)

    def organisations(self) -> None:
        """A root of the country (new or known), then a chain of units under it."""
        gen, rng = self.gen, self.rng
        known = gen.orgs.setdefault(self.code, [])
        if known and rng.random() < 0.75:
            parent = gen.pick(known)
        else:
            cls, label, slug = gen.pick(ROOTS)
            parent = f"organisation:{slug.format(k=self.k)}"
            if parent not in gen.described:
                self.describe_org(parent, cls, label.format(c=self.cname))
                known.append(parent)
                gen.org_depth[parent] = 0
        chain = rng.choices([0, 1, 2, 3, 4], [1, 4, 3, 2, 1])[0]
        self.top = parent
        for _ in range(chain):
            cls, label, stem = gen.pick(UNITS)
            iri = f"organisation:{stem}-{self.k}-{self.n}-{len(self.fresh)}"
            self.describe_org(iri, cls, f"{label} {self.n}-{len(self.fresh)} of {self.cname}", parent=parent)
            known.append(iri)
            gen.org_depth[iri] = gen.org_depth.get(parent, 0) + 1
            parent = iri
        self.local = list(self.fresh) or [self.top]

    def international(self) -> None:
        """An international organisation (described by the first article naming it) and a partner abroad."""
        gen = self.gen
        icls, ilabel, islug = gen.pick(INTERNATIONAL)
        self.intl = f"organisation:{islug}"
        if self.intl not in gen.described:
            self.describe_org(self.intl, icls, ilabel, country=None)
            gen.international.append(self.intl)
        self.other_code = gen.pick(COUNTRIES)[0]
        foreign = gen.orgs.get(self.other_code) or []
        self.partner = gen.pick(foreign) if foreign and self.other_code != self.code else self.intl

    def source_document(self) -> None:
        gen, n = self.gen, self.n
        y, m, d = gen.date(2010, 2025)
        publisher = gen.pick(self.local + [self.intl])
        self.subject(self.src, [
            ("a", ["wps:NewsArticle"]),
            ("dct:title", [_lit(f"Synthetic report {n}: {self.cname} advances women, peace and security")]),
            ("dct:publisher", [publisher]),
            ("dct:issued", [f'"{y}-{m:02d}-{d:02d}"^^xsd:date']),
            ("schema:url", [f"<https://news.example.org/{y}/{m:02d}/synthetic-report-{n}>"]),
            ("dct:identifier", [f'"synthetic_{n:07d}"']),
        ])
        if self.fresh and self.rng.random() < 0.3:   # stated on an organisation this article describes
            self.subject(gen.pick(self.fresh), [("wps:partnerOf", [self.partner])])

    def people(self) -> None:
        """Posts in the country's organisations, most of them with a person holding them."""
        gen, rng = self.gen, self.rng
        for i in range(rng.choices([0, 1, 2, 3], [2, 4, 3, 1])[0]):
            title, slug = gen.pick(POSTS)
            org = gen.pick(self.local)
            post = f"post:{slug}-{self.n}-{i}"
            self.subject(post, [("a", ["wps:Post"]), ("rdfs:label", [_lit(title)]), ("wps:postIn", [org]),
                                ("wps:statedIn", self.stated)])
            self.posts.append(post)
            if rng.random() < 0.6:
                name = f"{gen.pick(GIVEN)} {gen.pick(FAMILY)}"
                pairs = [("a", ["wps:Person"]), ("rdfs:label", [_lit(name)]), ("wps:holdsPost", [post])]
                if rng.random() < 0.4:
                    pairs.append(("wps:rank", [f'"{gen.pick(RANKS)}"']))
                pairs.append(("wps:statedIn", self.stated))
                self.subject(f"person:{name.lower().replace(' ', '-')}-{self.n}-{i}", pairs)

    def membership(self) -> None:
        if self.rng.random() < 0.1:
            self.subject(f"<https://w3id.org/wpsgraph/id/membership/synthetic-{self.n}>", [
                ("a", ["wps:Membership"]), ("wps:member", [self.gen.pick(self.local)]), ("wps:memberOf", [self.intl]),
                ("wps:statedIn", self.stated)])

    def place(self) -> None:
        """A city of the country (described by the first article naming it) and a region events may be in."""
        gen = self.gen
        cities = gen.cities.setdefault(self.code, [])
        if cities and self.rng.random() < 0.7:
            self.city = gen.pick(cities)
        else:
            name = f"{gen.pick(CITY_WORDS)} {gen.pick(CITY_STEMS)}"
            self.city = f"place:{name.lower().replace(' ', '-')}-{self.k}-{len(cities)}"
            if self.city not in gen.described:
                self.subject(self.city, [("a", ["wps:City"]), ("rdfs:label", [_lit(f'{name} ({self.cname})')]),
                                         ("wps:inCountry", [f"country:{self.code}"]), ("wps:statedIn", self.stated)])
                gen.described.add(self.city)
                cities.append(self.city)
        region_slug, self.region_name = gen.pick(REGIONS)
        self.region = f"place:{region_slug}"

    def meetings(self) -> None:
        """One to three events: trainings delivered to an audience, or meetings organised and hosted."""
        for i in range(self.rng.choices([1, 2, 3], [5, 3, 1])[0]):
            self.event(i)

    def event(self, i: int) -> None:
        gen, rng, local, intl = self.gen, self.rng, self.local, self.intl
        cls, stem, _, training = rng.choices(EVENT_KINDS, [w for _, _, w, _ in EVENT_KINDS])[0]
        ev = f"event:synthetic-{self.n}-{i}"
        start, end = gen.dates()
        pairs = [("a", [cls]), ("rdfs:label", [_lit(f"{stem} {self.n}-{i} in {self.cname}")])]
        if training:
            pairs.append(("wps:deliveredBy", rng.sample(local + [intl] + self.posts, min(2, len(local) + 1))))
            pairs.append(("wps:hasAudience", [gen.pick(local)]))
        else:
            pairs.append(("wps:organisedBy", [gen.pick(local + [intl])]))
            pairs.append(("wps:hostedBy", [gen.pick(local)] + ([self.partner] if rng.random() < 0.3 else [])))
        if rng.random() < 0.3:
            pairs.append(("wps:coChairedBy", [f"country:{self.code}", f"country:{self.other_code}"]))
        if rng.random() < 0.4:
            pairs.append(("wps:presentedBy", [gen.pick(local)]))
        pairs.append(("wps:participatingCountry", sorted({f"country:{self.code}", f"country:{self.other_code}"})))
        if rng.random() < 0.5:
            pairs.append(("wps:hasParticipant", [self.partner]))
        pairs.append(("wps:heldIn", [self.city]))
        if rng.random() < 0.3:
            pairs.append(("wps:inRegion", [self.region]))
            if self.region not in gen.described:
                self.subject(self.region, [("a", ["wps:Region"]), ("rdfs:label", [_lit(self.region_name)]),
                                           ("wps:statedIn", self.stated)])
                gen.described.add(self.region)
        pairs += [("wps:startDate", [start]), ("wps:endDate", [end])]
        if rng.random() < 0.4:
            pairs.append(("wps:participantCount", [f'"{rng.randint(8, 300)}"^^xsd:nonNegativeInteger']))
        if rng.random() < 0.3:
            pairs.append(("wps:durationDays", [f'"{rng.randint(1, 14)}"^^xsd:positiveInteger']))
        if self.events and rng.random() < 0.5:
            pairs.append(("wps:partOfEvent", [self.events[0]]))
        elif gen.events and rng.random() < 0.15:
            pairs.append(("wps:partOfEvent", [gen.pick(gen.events)]))
        if training and gen.events and rng.random() < 0.1:
            pairs.append(("wps:adaptedFrom", [gen.pick(gen.events)]))
        if gen.commitments and rng.random() < 0.3:
            pairs.append(("wps:advances", [gen.pick(gen.commitments)]))
        if rng.random() < 0.2:
            pairs.append(("wps:coversBody", [intl]))
        pairs.append(("wps:addresses", gen.themes(rng.randint(1, 5))))
        pairs.append(("wps:statedIn", self.stated))
        self.subject(ev, pairs)
        self.events.append(ev)

    def commitment(self) -> None:
        """Now and then a commitment adopted by the country's root organisation: a NAP, a strategy or another."""
        gen, rng = self.gen, self.rng
        if rng.random() >= 0.35:
            return
        cls, label, slug = gen.pick(COMMITMENT_KINDS)
        c = f"commitment:{slug}-{self.k}-{self.n}"
        pairs = [("a", [cls]), ("rdfs:label", [_lit(f"{label} of {self.cname} ({self.n})")])]
        if cls == "wps:NationalActionPlan":
            edition = rng.randint(1, 5)
            y0 = rng.randint(2005, 2024)
            pairs += [("wps:country", [f"country:{self.code}"]),
                      ("wps:edition", [f'"{edition}"^^xsd:positiveInteger']),
                      ("wps:adoptionDate", [f'"{y0}"^^xsd:gYear']),
                      ("wps:periodStart", [f'"{y0}"^^xsd:gYear']),
                      ("wps:periodEnd", [f'"{y0 + rng.randint(2, 5)}"^^xsd:gYear']),
                      ("wps:implements", ["resolution:1325"] + (
                          [f"resolution:{gen.pick(RESOLUTIONS[1:])}"] if rng.random() < 0.4 else []))]
        else:
            pairs.append(("wps:issuedBy", [gen.pick(self.local)]))
        pairs.append(("wps:status", [f"status:{gen.pick(STATUSES)}"]))
        pairs.append(("wps:adoptedBy", [self.top]))
        if rng.random() < 0.3:
            pairs.append(("wps:signedBy", [gen.pick(self.local)]))
        if self.events and rng.random() < 0.4:
            pairs.append(("wps:madeAt", [self.events[0]]))
        states = []
        if cls == "wps:Strategy":
            for j in range(rng.randint(1, 3)):
                states.append(f"endstate:synthetic-{self.n}-{j}")
            pairs.append(("wps:hasEndState", states))
        pairs.append(("wps:addresses", gen.themes(rng.randint(1, 4))))
        pairs.append(("wps:statedIn", self.stated))
        self.subject(c, pairs)
        for st in states:
            self.subject(st, [("a", ["wps:EndState"]), ("rdfs:label", [_lit(gen.pick(END_STATES))]),
                              ("wps:statedIn", self.stated)])
        gen.commitments.append(c)


def write(out: Path | str | IO[str], triples: int, seed: int = 0) -> int:
    """Write about ``triples`` triples of synthetic data as Turtle; returns the exact number written."""
    if isinstance(out, (str, Path)):  # a file appears whole or not at all
        from wpsgraph.folders import atomic_file

        with atomic_file(out) as f:
            return write(f, triples, seed)
    gen = Generator(seed)
    written = 0
    out.write(PREFIXES)
    out.write(f"# Synthetic Women, Peace and Security data: wpsgraph synth --triples {triples} --seed {seed}\n\n")
    while written < triples:
        text, n = gen.article_text()
        out.write(text)
        written += n
    return written


__all__ = ["write", "Generator"]
