"""The one reader of SPARQL text: comments, IRIs and strings masked (same length), so that keywords, braces and
variables are found only where they are SPARQL."""

from __future__ import annotations

import re


def mask(text: str, strings: bool) -> str:
    """The text with comments, IRIs and (if ``strings``) the inside of strings blanked, same length, so keywords
    and braces inside them are not matched."""
    def blank(m: re.Match) -> str:
        s = m.group(0)
        if s[0] in "\"'":
            return s[0] + " " * (len(s) - 2) + s[-1] if strings else s
        return " " * len(s)
    return _LEXEMES.sub(blank, text)


_LEXEMES = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s"{}|^`\\]*>|#[^\n]*')


_FORM = re.compile(r"(?<![?$:\w])(SELECT|CONSTRUCT|ASK|DESCRIBE)\b(?!:)", re.IGNORECASE)


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the first query-form keyword outside comments, IRIs and strings."""
    match = _FORM.search(mask(text, strings=True))
    return match.group(1).upper() if match else "SELECT"
