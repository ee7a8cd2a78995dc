"""The scan for @base/BASE directives in a file's bytes (load._check_base) finds exactly what the plain
case-insensitive pattern it replaced for speed finds: same directives, same offsets, same IRIs."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from wpsgraph.pipeline import load

# The reference: one case-insensitive pattern tried at every position (slow on large files).
REFERENCE = re.compile(rb"(?:^|[\s.])(?:@base|BASE)\s*<([^<>\s]*)>", re.IGNORECASE)

PIECES = [b"@base", b"@BASE", b"BASE", b"base", b"Base", b"@", b"data", b"x", b" ", b"\t", b"\n", b"\x0b", b".",
          b"<", b">", b"<a/b>", b"<http://e/>", b"a:b", b"\xc3\xa9", b"\xc4\xb0"]


def reference(data: bytes) -> list:
    return [(m.start(1), m.group(1)) for m in REFERENCE.finditer(data)]


def fast(data: bytes) -> list:
    lowered = data.lower()
    return [(m.start(1), data[m.start(1):m.end(1)]) for m in load._BASE.finditer(lowered)
            if load._directive_starts(lowered, m.start())]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map(b"".join))
def test_same_directives_as_the_reference(data):
    assert fast(data) == reference(data)


def test_examples():
    text = b"@prefix x: <a> .\n@base <https://w3id.org/wpsgraph/id/> .\nBASE <b/>\nx:database <c> .BaSe<d>"
    assert fast(text) == reference(text) == [(text.index(b"https"), b"https://w3id.org/wpsgraph/id/"),
                                              (text.index(b"b/>"), b"b/"), (text.index(b"d>"), b"d")]
