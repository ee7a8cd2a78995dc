"""The words that signal what a thing is and what part someone played: capitalised names, the nouns that type a
new organisation, event or commitment, the verbs of roles, ranks and titles, and numbers of participants."""

from __future__ import annotations

import re
from dataclasses import dataclass

WPS_PHRASE = re.compile(r"Women,\s+Peace,?\s+and\s+Security")
ARTICLES = {"the", "la", "las", "los", "el", "le", "les"}
# "UN-led", "NATO-sponsored": the name before the hyphen is an actor, not part of the next name.
ATTRIBUTIVE = re.compile(r"-(?:led|hosted|sponsored|funded|organi[sz]ed|backed|supported)$")
CONNECTORS = {"of", "the", "for", "on", "and", "de", "del", "la", "las", "los", "des", "du", "et", "y", "in"}
WORD = re.compile(r"\(?[A-Za-zÀ-ÿ][\w’'.&-]*\)?")
LEADING = {"the", "a", "an", "according", "as", "in", "on", "since", "through", "most", "members", "our", "its",
           "their", "photo", "read", "students", "this", "these", "those", "both", "by", "from", "with", "at", "and"}


@dataclass
class Span:
    start: int
    end: int
    text: str
    label: str | None = None        # the name, when the words at start:end leave part of it out
    parent: int | None = None       # start of the span naming the organisation this one belongs to ("X's Y")
    alt: str | None = None


MONTHS = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December", "Jan.", "Feb.", "Aug.", "Sept.", "Sep.", "Oct.", "Nov.", "Dec.", "Monday", "Tuesday",
          "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}


def _capital(w: str) -> bool:
    w = w.strip("()")
    return bool(w) and w[0].isupper() and w not in MONTHS and w.rstrip(".") not in MONTHS


def proper_spans(text: str) -> list[Span]:
    """Runs of capitalised words joined by 'of', 'the', 'for', 'and' ..., with '(ACRONYM)' allowed inside:
    'North American Defense Framework for Women, Peace and Security (WPS) Design Workshop'."""
    masked = WPS_PHRASE.sub(lambda m: m.group().replace(",", "\u2060"), text)
    words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(masked)]
    spans, i = [], 0
    while i < len(words):
        if not _capital(words[i][2]) or words[i][2].startswith("("):
            i += 1
            continue
        j = i
        while j + 1 < len(words):
            gap = masked[words[j][1]:words[j + 1][0]]
            if gap.strip(" \u2060-–"):
                break
            if ATTRIBUTIVE.search(words[j][2]):
                break                                   # "United Nations-led Generation Equality Forum": two names
            nxt = words[j + 1][2]
            link = 2 if nxt.lower() in CONNECTORS and nxt.lower() not in ARTICLES else 0
            if link and nxt.lower() in ("of", "for", "de", "du", "des", "del") and j + 2 < len(words) \
                    and words[j + 2][2].lower() in ARTICLES:
                link = 3                                # "Secretariat of the Navy", "Ministerio de la Mujer"
            if _capital(nxt):
                j += 1
            elif link and j + link < len(words) and _capital(words[j + link][2]) \
                    and re.fullmatch(r"[\s\u2060]+(?:\w+[\s\u2060]+)*", masked[words[j][1]:words[j + link][0]]):
                j += link
            else:
                break
        s, e = words[i][0], words[j][1]
        led = ATTRIBUTIVE.search(words[j][2])
        if led:
            e -= len(led.group())
        surface = text[s:e].rstrip(".,’'")
        e = s + len(surface)
        while surface.split(" ", 1)[0].lower() in LEADING and " " in surface:
            head = surface.split(" ", 1)[0]
            s += len(head) + 1
            surface = surface[len(head) + 1:]
        if surface.endswith(")") and "(" not in surface:
            surface, e = surface[:-1], e - 1
        spans.append(Span(s, e, surface))
        i = j + 1
    return spans


# The last word (or words) of a name that say what a new resource is. Checked in order: first match wins.
ORG_CUES = [
    (r"\bGovernment of\b", "Government"), (r"\bEmbassy\b", "DiplomaticMission"),
    (r"\b(Ministry|Ministère|Ministerio|Secretariat|Secretaría)\b", "Ministry"),
    (r"^(?:[\w.]+ )?Department of\b", "Ministry"),
    (r"\bDefen[cs]e College\b", "DefenceCollege"), (r"\bCourt\b", "Court"),
    (r"\b(Advisory Council|Advisory Board)\b", "AdvisoryCouncil"),
    (r"\b(Division|Office|Observatory|Department|Directorate|Unit|Bureau|Branch|Cell)\b$", "OrganisationalUnit"),
    (r"^(?:[\w.]+ )?(Office|Bureau|Directorate|Division) (of|for)\b", "OrganisationalUnit"),
    (r"\b(Command|Task Force|Joint Staff)\b", "MilitaryCommand"), (r"\bArmed Forces\b", "ArmedForces"),
    # a service's command for a region: "U.S. Army North", "Marine Forces Pacific"
    (r"\b(Army|Navy|Air Forces?|Marine Forces|Fleet) (North|South|East|West|Central|Europe|Africa|Pacific|Atlantic)$",
     "MilitaryCommand"),
    (r"\b(Army|Navy|Air Force|Marines|Marine Corps|Coast Guard|National Guard|Police)\b$", "MilitaryService"),
    (r"\b(Institute of International Legal Studies)\b", "LegalTrainingInstitute"),
    (r"\b(College|University|Institute|School|Centre|Center)\b", "EducationInstitution"),
    (r"\b(Network|Foundation|Coalition|Association|Alliance|Society|Initiative)\b", "CivilSocietyOrganisation"),
    (r"\b(Council|Commission|Committee|Agency|Authority|Parliament)\b", "GovernmentBody"),
]
EVENT_CUES = [
    (r"\bOpen Debate\b", "OpenDebate"), (r"\bMinisterial\b", "MinisterialMeeting"), (r"\bSummit\b", "Summit"),
    (r"\bWorkshop\b", "Workshop"), (r"\bForum\b", "Forum"), (r"\bConference\b", "Conference"),
    (r"\bWebinar\b", "Webinar"), (r"\bSeminar\b", "Seminar"), (r"\bCourse\b", "Course"), (r"\bExercise\b", "Exercise"),
    (r"\bTraining\b", "Training"), (r"\bPanel\b", "Panel"), (r"\bAcademy\b", "Academy"),
    (r"\bRegional Convening\b", "RegionalConvening"), (r"\bConsultation\b", "Consultation"),
    (r"\b(Meeting|Dialogue|Roundtable)\b", "Meeting"), (r"\bAnniversary\b", "Anniversary"), (r"\bLaunch\b", "Launch"),
]
# Common nouns in running text that refer to an event of a kind ("the workshop", "the course").
EVENT_NOUNS = [
    (r"\bopen debate\b", "OpenDebate"), (r"\bministerial\b", "MinisterialMeeting"), (r"\bsummit\b", "Summit"),
    (r"\bworkshop\b", "Workshop"), (r"\bforum\b", "Forum"), (r"\bconference\b", "Conference"),
    (r"\bwebinar\b", "Webinar"), (r"\bseminar\b", "Seminar"), (r"\bcourses?\b", "Course"),
    (r"\btraining\b", "Training"), (r"\bpanel discussion\b|\bpanel\b", "Panel"), (r"\bregional convening\b",
                                                                               "RegionalConvening"),
    (r"\bconsultation\b", "Consultation"), (r"\bexercise\b", "Exercise"),
]
COMMITMENT_CUES = [
    (r"\bNational Action Plan\b", "NationalActionPlan"), (r"\bRegional Action Plan\b", "RegionalActionPlan"),
    (r"\bAction Plan\b", "ActionPlan"), (r"\bStrategic Framework\b", "StrategicFramework"),
    (r"\bFeminist Foreign Policy\b", "FeministForeignPolicy"), (r"\bStrategy\b", "Strategy"),
    (r"\bFramework\b", "StrategicFramework"), (r"\bImplementation Plan\b", "ImplementationPlan"),
    (r"\bDeclaration\b", "Declaration"), (r"\bPolicy\b", "Policy"),
]
INSTRUMENT_CUES = [(r"\bConvention\b", "Convention"), (r"\b(Treaty|Protocol)\b", "Treaty")]


def classify(name: str, cues) -> str | None:
    for pattern, cls in cues:
        if re.search(pattern, name):
            return cls
    return None


# Role verbs: (pattern, property on the event for the actors doing it, for the actors it is done to).
ROLES = [
    (r"\bco-?hosted\b|\bco-?hosts?\b", "coHostedBy", None),
    (r"(?<!-)\bhosted\b|(?<!-)\bhosts?\b|(?<!-)\bhosting\b", "hostedBy", None),
    (r"\bco-?chaired\b|\bco-?chairs?\b", "coChairedBy", None),
    (r"(?<!-)\bchaired\b|(?<!-)\bchairs\b", "chairedBy", None),
    (r"\bco-?organi[sz]ed\b", "organisedBy", None), (r"\borgani[sz]ed\b|\borgani[sz]es\b", "organisedBy", None),
    (r"\bopened\b|\bopens\b", "openedBy", None), (r"\bclosed\b", "closedBy", None),
    (r"\bdelivered\b|\bdeliver(?:s|ing)?\b", "deliveredBy", "hasAudience"),
    (r"\bbriefed\b|\bbriefs\b", "briefedBy", None),
    (r"\bpresented\b|\bpresents\b", "presentedBy", None),
    (r"\bmoderated\b", "moderatedBy", None), (r"\bfacilitated\b", "facilitatedBy", None),
    (r"\bkeynote\b", "keynoteSpeaker", None),
    (r"\blaunched\b|\blaunch(?:es)?\b", "organisedBy", None),
    (r"\bpartnered with\b", "organisedBy", None),
    (r"\bparticipated\b|\bparticipates?\b|\btook part\b|\btakes? part\b|\battend(?:ed|s)\b|\bjoin(?:ed|s)\b",
     "hasParticipant", None),
]
# The roles that tie an actor to an event (their objects are organisations, persons, posts or countries).
ACTOR_ROLES = {a for _, a, _ in ROLES} | {"hasAudience", "participatingCountry"}
COMPILED_ROLES = [(re.compile(p, re.I), a, b) for p, a, b in ROLES]

RANKS = {"Major": "Major", "Maj.": "Major", "General": "General", "Gen.": "General", "Colonel": "Colonel",
         "Col.": "Colonel", "Lieutenant Colonel": "Lieutenant Colonel", "Lt. Col.": "Lieutenant Colonel",
         "Lieutenant": "Lieutenant", "Lt.": "Lieutenant", "Captain": "Captain", "Capt.": "Captain",
         "Admiral": "Admiral", "Adm.": "Admiral", "Commander": "Commander", "Cmdr.": "Commander",
         "Brigadier General": "Brigadier General", "Brig. Gen.": "Brigadier General", "Sergeant": "Sergeant",
         "Sgt.": "Sergeant", "Major General": "Major General", "Maj. Gen.": "Major General",
         "Lieutenant General": "Lieutenant General", "Lt. Gen.": "Lieutenant General"}
TITLES = ["Vice President", "President", "Executive Director", "Director General", "Director", "Deputy Director",
          "Prime Minister", "Deputy Minister", "Minister", "Secretary-General", "Secretary General",
          "Under-Secretary-General", "Secretary", "Ambassador", "Special Representative", "Special Envoy",
          "Gender Advisor", "Gender Adviser", "Chief of Staff", "Chief", "Head", "Chair", "Chairperson", "Commander",
          "Founder", "Coordinator", "Senior Advisor", "Advisor", "Adviser", "Spokesperson"]
PERSON = r"(?P<name>[A-Z][a-zà-ÿ'’-]+(?:\s+[A-Z]\.)?(?:\s+(?:de|van|von|da|del|bin|al-)?\s*[A-Z][a-zà-ÿ'’-]+){1,2})"
_TITLE_RX = "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
_RANK_RX = "|".join(re.escape(t) for t in sorted(RANKS, key=len, reverse=True))
RANK_BEFORE = re.compile(rf"(?<![\w.])(?P<rank>{_RANK_RX})\s+{PERSON}")
TITLE_BEFORE = re.compile(rf"(?P<org>(?:[A-Z][\w.&-]*\s+){{0,4}}?)(?P<title>{_TITLE_RX})\s+{PERSON}")
TITLE_AFTER = re.compile(rf"{PERSON},\s+(?:the\s+)?(?P<title>(?:[\w-]+\s+){{0,6}}?(?:{_TITLE_RX.lower()}|{_TITLE_RX})"
                         rf"(?:\s+(?:of|for)\s+[a-z][\w\s-]*?)?)\s+(?:at|for|of|with|in)\s+(?P<org>(?:[^,.;“”\"]|(?<=\b[A-Z])\.)+)")
# A minister or secretary named by office, not by name: "U.S. Secretary of Defense", "the Canadian Minister of
# National Defence", "Secretaries of National Defense and the Navy" (one office per portfolio).
_CAP = r"(?!(?:Minister|Secretary|Ministers|Secretaries)\b)[A-Z][\w'’-]*"
_PORTFOLIO = rf"(?:the\s+)?{_CAP}(?:\s+{_CAP})*"
MINISTER = re.compile(rf"\b(?P<title>(?:Deputy\s+|Vice[- ])?(?:Minister|Secretary|Secretaries|Ministers))\s+"
                      rf"(?P<prep>of|for)\s+(?P<portfolios>{_PORTFOLIO}(?:(?:,\s*(?:and\s+)?|\s+and\s+)"
                      rf"{_PORTFOLIO})*)")
# The body a minister or secretary heads, by the first word of its name.
MINISTRY_NOUNS = {"ministry", "department", "secretariat", "secretaría", "secretaria", "ministerio", "ministère",
                  "ministere"}

# A post named without its holder, in each organisation listed after it: "gender advisors from U.S. Northern
# Command, U.S. Army North and ...".
UNHELD = re.compile(rf"(?<![\w-])(?P<title>{_TITLE_RX})s?\s+(?:from|of|at|with|in)\s+(?=(?:the\s+)?[A-Z])", re.I)
# Where such a list stops: the first word in lower case that does not join names.
LIST_END = re.compile(r"\s(?!(?:and|the|of|for|in|de|du|la|el)\b)[a-z]|[;:](?:\s|$)|(?<![A-Z])\.(?:\s|$)")

# A common noun of a kind of event right after a name: "its International Humanitarian Law training".
KIND_AFTER_NAME = re.compile(r"\s+(?P<kind>training|course|workshop|seminar|conference|webinar|exercise|summit"
                             r"|dialogue|consultation)\b")
# An indefinite description of the article's event says what kind of event it also was: "the attendees took
# part in an intensive three-day workshop".
KIND_OF_EVENT = re.compile(r"\b(?:participated|took part|were|was)\s+in\s+(?:a|an)\s+(?:[\w-]+\s+){0,3}?"
                           r"(?P<kind>workshop|seminar|course|conference|training|webinar|forum|dialogue|consultation"
                           r"|exercise|summit)\b")
# The participants of the article's event as the subject of what was discussed: "Students also discussed ...".
PARTICIPANTS_DISCUSSED = re.compile(r"\s*(?:The\s+)?(?:Students|Participants|Attendees|Trainees|Delegates)\b[^.;]*?"
                                    r"\b(?:discussed|learned|engaged|explored|examined|covered|studied|shared|"
                                    r"debated|reviewed|addressed)\b")
# A smaller event inside one: "the course included a capstone panel discussion".
SUB_EVENT = re.compile(r"\b(?:included|featured|ended with|closed with|concluded with|culminated in|began with|"
                       r"opened with)\s+(?:a|an)\s+(?P<adj>[a-z][\w-]*\s+)?(?P<kind>panel discussion|panel|"
                       r"roundtable|workshop|session|seminar|webinar|dialogue)\b")
# One edition or part of a named event: "the first regional convening of the ... Academy".
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
            "ninth": 9, "tenth": 10, "inaugural": 1}
EDITION_OF = re.compile(rf"\b(?P<ord>{'|'.join(ORDINALS)})\s+(?P<noun>regional convening|convening|session|meeting|"
                        r"edition|round|cohort|module)\s+of\s+(?:the\s+)?", re.I)
# Groups of people named by what they are ("government officials", "lawyers and emerging leaders"), where a
# text lists who took part or who was trained.
GROUP_HEADS = (r"officials|representatives|partners|leaders|leadership|experts|lawyers|students|trainees|delegates|"
               r"participants|members|advocates|practitioners|officers|personnel|staff|women|youth|survivors|"
               r"peacekeepers|journalists|activists|parliamentarians|judges|prosecutors|police officers")
GROUP_HEAD = re.compile(rf"\b(?:{GROUP_HEADS})\b")
# Where such a list starts: after "including", after "to" of "deliver/provide ... to", after "bring together",
# and "for ... to <verb>" (who an event was for).
GROUP_LIST = re.compile(r"\b(?:including|such as|brought together|bring together|bringing together|gathered|"
                        r"convened)\s+|\b(?:deliver|provide|offer|give)\w*\b[^.;]*?\bto\s+(?=[a-z])|\bfor\s+(?=[a-z])")
# Who said something: "said Major Jane Doe", "Jane Doe remarked,", "According to Jane Doe, ...".
SPEECH = re.compile(r"\b(?:said|says|remarked|stated|noted|added|explained|told|underlined|stressed|"
                    r"[Aa]ccording to)\b")
# End states (or objectives) listed by name after a colon: "two end states: Exemplifying Diversity; and, ...".
END_STATES = re.compile(r"\bend[- ]states?\b[^:.;]*:\s*(?P<list>[^.]+)", re.I)
TITLE_RUN = re.compile(r"[A-Z][\w'’-]*(?:[\s,]+(?:[A-Z][\w'’-]*|and|of|the|for|in|to|on|with|a|an))*")
# A count of countries and what they did: "over 100 countries have adopted WPS National Action Plans".
COUNTRIES_THAT = re.compile(r"\b(?P<more>[Oo]ver|[Mm]ore than|[Uu]pwards of)?\s*(?P<n>\d[\d,]*|two|three|four|five|six|"
                            r"seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|hundred)\s+countries"
                            r"(?P<rest>(?:\s+(?:worldwide|globally|so far|to date))?\s+(?:that\s+|which\s+)?"
                            r"(?:have|has|had)\s+[^.;,]+)")
# "the government of Trinidad and Tobago", in lower case
GOVERNMENT_OF = re.compile(r"\b[Gg]overnment of (?:the\s+)?(?P<c>[A-Z][\w'’-]*(?:\s+(?:and\s+)?[A-Z][\w'’-]*)*)")

COUNT = re.compile(r"\b(?P<more>over|more than|upwards of|some|about|around|nearly|almost)?\s*(?P<n>\d{1,6}|"
                   r"two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty|forty|fifty|hundred)\s+"
                   r"(?:[a-z-]+\s+){0,2}?(?P<who>participants|attendees|delegates|students|trainees|officers|"
                   r"representatives|experts|people|women)\b")
DURATION = re.compile(r"\b(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten)-day\b")
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "twelve": 12, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100}


def number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS[word.lower()]
