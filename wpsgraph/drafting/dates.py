"""Dates in a sentence, at the precision the words give, and dates relative to the publication date resolved as
docs/data-conventions.md ("Relative dates") says. dateparser reads the month names and the relative words; the
patterns here decide what was stated (a day, a month, a year, a day and month without a year)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

import dateparser

from wpsgraph.drafting.text import MONTH

LANGUAGES = ["en", "es", "fr"]
D = r"(?P<{}>\d{{1,2}})(?:st|nd|rd|th)?"
Y = r"(?P<{}>(?:19|20)\d\d)"
DASH = r"\s*(?:-|–|—|to|through|until|till)\s*"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

PATTERNS = [  # (name, regex) — tried in order; a later match may not overlap an earlier one
    ("md-md", rf"(?P<m1>{MONTH})\s+{D.format('d1')}{DASH}(?:(?P<m2>{MONTH})\s+)?{D.format('d2')}"
              rf"(?:,?\s*{Y.format('y')})?\b"),
    ("dd-m", rf"\b{D.format('d1')}{DASH}{D.format('d2')}\s+(?P<m1>{MONTH})(?:,?\s*{Y.format('y')})?\b"),
    ("md", rf"(?P<m1>{MONTH})\s+{D.format('d1')}\b(?:,?\s*{Y.format('y')})?\b(?!\s*(?:-|–))"),
    ("dm", rf"\b{D.format('d1')}\s+(?P<m1>{MONTH})(?:,?\s*{Y.format('y')})?\b"),
    ("my", rf"(?P<m1>{MONTH})\s+(?:of\s+)?{Y.format('y')}\b"),
    ("y", rf"\b(?:in|since|by|during|from|until|of|early|late|mid-?)\s+{Y.format('y')}\b(?!\s*\))"),
    ("rel", r"\b(?:last|this|next|earlier this|later this)\s+(?:week|month|year)\b|\byesterday\b|\btoday\b"),
    ("wd", r"\b(?:on|last|this past)\s+(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"),
]
COMPILED = [(n, re.compile(p)) for n, p in PATTERNS]


@dataclass
class DateMention:
    start: int
    end: int
    surface: str
    start_value: tuple[str, str] | None        # (lexical form, xsd datatype local name) as stated
    end_value: tuple[str, str] | None
    resolved_start: tuple[str, str] | None = None
    resolved_end: tuple[str, str] | None = None
    method: str | None = None                  # dateresolution: local name
    note: str | None = None                    # why the tool is unsure, when it is

    @property
    def precision(self) -> str:
        v = self.start_value or self.resolved_start
        return v[1] if v else "none"


@lru_cache(maxsize=512)
def _parse(text: str, base: str | None = None) -> dt.datetime | None:
    settings = {"PREFER_DAY_OF_MONTH": "first", "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if base:
        settings["RELATIVE_BASE"] = dt.datetime.fromisoformat(base)
    return dateparser.parse(text, languages=LANGUAGES, settings=settings)


def parse_day(text: str) -> str | None:
    """'June 4, 2024' or '4 June 2024' as '2024-06-04'."""
    d = _parse(text.replace("Sept.", "Sep."))
    return d.date().isoformat() if d else None


def _month(name: str) -> int | None:
    d = _parse(f"1 {name.replace('Sept', 'Sep').rstrip('.')} 2000")
    return d.month if d else None


def _valid(y: int, m: int, d: int) -> bool:
    try:
        dt.date(y, m, d)
        return True
    except ValueError:
        return False


def find_dates(text: str, published: str | None) -> list[DateMention]:
    """The dates a sentence states, in text order."""
    pub = dt.date.fromisoformat(published) if published else None
    out: list[DateMention] = []
    for name, rx in COMPILED:
        for m in rx.finditer(text):
            if any(m.start() < o.end and m.end() > o.start for o in out):
                continue
            got = _read(name, m, pub)
            if got:
                out.append(got)
    return sorted(out, key=lambda x: x.start)


def _read(name: str, m: re.Match, pub: dt.date | None) -> DateMention | None:
    g = m.groupdict()
    mk = DateMention(m.start(), m.end(), m.group(), None, None)
    if name in ("md-md", "dd-m", "md", "dm"):
        m1 = _month(g["m1"])
        m2 = _month(g["m2"]) if g.get("m2") else m1
        d1 = int(g["d1"])
        d2 = int(g["d2"]) if g.get("d2") else None
        if m1 is None or m2 is None:
            return None
        if g.get("y"):
            y = int(g["y"])
            if not _valid(y, m1, d1) or (d2 and not _valid(y, m2, d2)):
                return None
            mk.start_value = (f"{y:04d}-{m1:02d}-{d1:02d}", "date")
            if d2:
                mk.end_value = (f"{y:04d}-{m2:02d}-{d2:02d}", "date")
            return mk
        if not _valid(2000, m1, d1) or (d2 and not _valid(2000, m2, d2)):
            return None
        mk.start_value = (f"--{m1:02d}-{d1:02d}", "gMonthDay")
        if d2:
            mk.end_value = (f"--{m2:02d}-{d2:02d}", "gMonthDay")
        if pub:
            y = pub.year if _valid(pub.year, m1, d1) and dt.date(pub.year, m1, d1) <= pub else pub.year - 1
            mk.resolved_start = (f"{y:04d}-{m1:02d}-{d1:02d}", "date")
            if d2:
                y2 = y + (1 if (m2, d2) < (m1, d1) else 0)
                mk.resolved_end = (f"{y2:04d}-{m2:02d}-{d2:02d}", "date")
            mk.method = "year-of-publication"
        else:
            mk.note = "no year, and no publication date to resolve it from"
        return mk
    if name == "my":
        m1 = _month(g["m1"])
        if m1 is None:
            return None
        mk.start_value = (f"{int(g['y']):04d}-{m1:02d}", "gYearMonth")
        return mk
    if name == "y":
        mk.start_value = (g["y"], "gYear")
        mk.note = "a year alone: check what it dates"
        return mk
    if name == "rel":
        if not pub:
            mk.note = "relative to the publication date, which is not known"
            return mk
        words = m.group().lower()
        unit = words.split()[-1]
        when = _parse(words, pub.isoformat())
        if when is None:
            return None
        d = when.date()
        if unit in ("today", "yesterday"):
            mk.resolved_start = (d.isoformat(), "date")
        elif unit == "month":
            mk.resolved_start = (f"{d.year:04d}-{d.month:02d}", "gYearMonth")
        elif unit == "year":
            mk.resolved_start = (f"{d.year:04d}", "gYear")
        else:  # a week: its Monday, as the start of the week the words name
            monday = d - dt.timedelta(days=d.weekday())
            mk.resolved_start = (monday.isoformat(), "date")
            mk.resolved_end = ((monday + dt.timedelta(days=6)).isoformat(), "date")
            mk.note = "a week: the dates are the week's bounds"
        mk.method = "relative-to-publication"
        return mk
    if name == "wd":
        if not pub:
            mk.note = "a weekday, and no publication date to resolve it from"
            return mk
        want = WEEKDAYS.index(g["wd"].lower())
        d = pub - dt.timedelta(days=(pub.weekday() - want) % 7)
        mk.resolved_start = (d.isoformat(), "date")
        mk.method = "weekday-before-publication"
        return mk
    return None
