"""The one reader of SPARQL text: comments, IRIs and strings masked (same length), so that keywords, braces and
variables are found only where they are SPARQL."""

from __future__ import annotations

import re


def mask(text: str, strings: bool) -> str:
    """The text with comments, IRIs and (if ``strings``) the inside of strings blanked, same length, so keywords
    and braces inside them are not matched. Long strings (three quotes, over several lines) are strings too;
    their line breaks are kept, so line numbers still hold."""
    def blank(m: re.Match) -> str:
        s = m.group(0)
        if s[0] in "\"'":
            quote = 3 if s[:3] in ('"""', "'''") and len(s) >= 6 else 1
            inside = re.sub(r"[^\n]", " ", s[quote:-quote])
            return s[:quote] + inside + s[-quote:] if strings else s
        return " " * len(s)
    return _LEXEMES.sub(blank, text)


_LEXEMES = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                      r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                      r'|<(?:[^<>\s"{}|^`\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>|#[^\n]*')


def iri_tokens(text: str) -> list[tuple[int, int, str]]:
    """(start, end, IRI) of every IRI written ``<...>`` outside comments and strings, those of PREFIX and BASE
    declarations included; the IRI with its ``\\u`` escapes decoded."""
    return [(m.start(), m.end(), _UCHAR.sub(_decoded, m.group(0)[1:-1]))
            for m in _LEXEMES.finditer(text) if m.group(0)[0] == "<"]


_UCHAR = re.compile(r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}")


def _decoded(escape: re.Match) -> str:
    code = int(escape.group(0)[2:], 16)
    return escape.group(0) if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF else chr(code)  # no character: as is


_FORM = re.compile(r"(?<![?$:\w])(SELECT|CONSTRUCT|ASK|DESCRIBE)\b(?!:)", re.IGNORECASE)


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the first query-form keyword outside comments, IRIs and strings."""
    match = _FORM.search(mask(text, strings=True))
    return match.group(1).upper() if match else "SELECT"


_KEYWORD = r"(?<![?$:\w]){}\b(?!:)"
_DATASET = re.compile(_KEYWORD.format("FROM"), re.IGNORECASE)
_SERVICE = re.compile(_KEYWORD.format("SERVICE"), re.IGNORECASE)
_TARGET = re.compile(r"\s*(?:SILENT\b\s*)?(?:<([^<>\s\"{}|^`\\]*)>|([^\s{]*))", re.IGNORECASE)


def has_dataset(text: str) -> bool:
    """Whether the query names its own dataset (FROM or FROM NAMED)."""
    return _DATASET.search(mask(text, strings=True)) is not None


def service_targets(text: str) -> list[str]:
    """What each SERVICE clause of a query points at, as written: an IRI's text without its brackets, or the
    variable or prefixed name (which ``serve`` refuses, since it cannot tell the host)."""
    targets = []
    for match in _SERVICE.finditer(mask(text, strings=True)):
        target = _TARGET.match(text, match.end())
        assert target is not None  # every part of the pattern may be empty
        targets.append(target.group(1) if target.group(1) is not None else (target.group(2) or "?"))
    return targets
