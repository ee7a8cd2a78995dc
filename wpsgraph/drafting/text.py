"""An article's text: its header (title, dateline, byline) and its sentences, each with its paragraph."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Page furniture of the sites the seeds come from: never part of the article.
BOILERPLATE = (
    re.compile(r"^An official website of the United States government", re.I),
    re.compile(r"^Here'?s how you know", re.I),
    re.compile(r"^A \.(mil|gov) website belongs to", re.I),
    re.compile(r"^A lock \(", re.I),
    re.compile(r"^(Read more|Read (the )?[\w’' ]+ press release)\b.*\bhere\.?\s*$", re.I),
    re.compile(r"^(Photo|Photo credit|Image)\s*:", re.I),
)
MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
         r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
DATELINE = re.compile(rf"^(?:(?P<kind>[A-Z][\w ]{{0,30}}?)\s*\|\s*)?(?P<date>{MONTH}\s+\d{{1,2}},\s+\d{{4}}"
                      rf"|\d{{1,2}}\s+{MONTH}\s+\d{{4}})\s*$")
BYLINE = re.compile(r"^By\s+(?P<who>.+?)\s*$")
# Words after which a full stop does not end a sentence.
ABBREVIATIONS = {"u.s", "u.k", "u.n", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
                 "dec", "maj", "gen", "col", "lt", "capt", "cmdr", "adm", "sgt", "dr", "mr", "mrs", "ms", "prof",
                 "no", "st", "e.g", "i.e", "vs", "amb", "rep", "sen", "gov", "brig", "hon", "mt", "ft", "inc", "co"}


@dataclass
class Sentence:
    index: int          # 1-based, in reading order
    paragraph: int
    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class Article:
    title: str | None
    published: str | None                 # ISO date from the dateline, when the text has one
    byline: str | None
    sentences: list[Sentence] = field(default_factory=list)
    kind: str | None = None               # "News", "Press release" ... from the dateline


def split_sentences(paragraph: str) -> list[str]:
    out, start = [], 0
    for m in re.finditer(r"[.!?][\"”’')\]]*\s+(?=[\"“‘(]?[A-Z0-9])", paragraph):
        before = paragraph[start:m.start() + 1]
        word = re.search(r"([\w.]+)\.$", before)
        if word and (word.group(1).lower() in ABBREVIATIONS or re.fullmatch(r"[A-Z]", word.group(1))):
            continue
        out.append(paragraph[start:m.end()].strip())
        start = m.end()
    rest = paragraph[start:].strip()
    if rest:
        out.append(rest)
    return out


def read(text: str) -> Article:
    """The header and sentences of a plain-text article (one paragraph per line, as the seeds are)."""
    lines = [ln.strip() for ln in text.replace("\r\n", "\n").split("\n")]
    lines = [ln for ln in lines if ln and not any(b.search(ln) for b in BOILERPLATE)]
    title = published = byline = kind = None
    body: list[str] = []
    for ln in lines:
        m = DATELINE.match(ln)
        if m and published is None and not body:
            from wpsgraph.drafting.dates import parse_day
            published, kind = parse_day(m.group("date")), m.group("kind")
            continue
        b = BYLINE.match(ln)
        if b and byline is None and len(ln) < 120:
            byline = b.group("who")
            continue
        if title is None and len(ln) < 200 and not re.search(r"[.!?]$", ln):
            title = ln
            continue
        if not body and byline is None and len(ln) < 80 and not re.search(r"[.!?]$", ln):
            byline = ln                    # a line with only a name under the title: the publisher
            continue
        body.append(ln)
    article = Article(title, published, byline, kind=kind)
    n = 0
    for p, para in enumerate(body, 1):
        for s in split_sentences(para):
            n += 1
            article.sentences.append(Sentence(n, p, s))
    return article
