"""Placing a finding in a very large file (a build's million-triple source) reads only the block about the subject:
the positions are the same as those of the whole file's index, for every statement of shipped and synthetic files."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from wpsgraph import resources
from wpsgraph.pipeline import synth
from wpsgraph.validation.locate import _Block
from wpsgraph.validation.positions import index_file, key_of


def _files(tmp_path):
    data = tmp_path / "synthetic.ttl"
    synth.write(data, 3000, 7)
    return resources.source_files()[:6] + [data]


def test_block_positions_equal_the_whole_index(tmp_path):
    compared = 0
    for path in _files(tmp_path):
        whole = index_file(path)
        blocks: dict = {}
        for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if isinstance(t.subject, ox.BlankNode):
                continue
            block = blocks.setdefault(t.subject, _Block(path, t.subject))
            key = (key_of(t.subject), key_of(t.predicate), key_of(t.object))
            assert block.find(*key) == whole.find(*key), (path.name, t)
            assert block.find(key[0]) == whole.find(key[0])
            compared += 1
    assert compared > 3000


def test_a_subject_not_written_as_one_has_no_block(tmp_path):
    path = resources.source_files()[0]
    assert _Block(path, ox.NamedNode("https://w3id.org/wpsgraph/id/nothing-of-the-kind")).find("x") is None


@pytest.mark.parametrize("size", [0])
def test_large_files_take_the_block_path(monkeypatch, size):
    from wpsgraph.validation import locate

    monkeypatch.setattr(locate, "LARGE", size)
    path = resources.source_files()[0]
    subject = next(t.subject for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
                   if isinstance(t.subject, ox.NamedNode))
    assert isinstance(locate._index(path, subject), _Block)


def test_the_kept_index_of_line_starts_gives_the_same_positions(tmp_path, monkeypatch):
    """A large file's line starts, kept in the cache folder and looked up by binary search in a later run, place
    every statement where the whole file's index does; an entry that no longer describes the file is rebuilt."""
    import os

    from wpsgraph.validation import locate
    from wpsgraph.validation.shacl import reach

    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setattr(reach, "CACHE_DIR", [cache])
    monkeypatch.setattr(locate._Starts, "_open", {})
    path = _files(tmp_path)[-1]
    subjects = list(dict.fromkeys(t.subject for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
                                  if isinstance(t.subject, ox.NamedNode)))
    built = locate._Starts.of(path)
    assert built.memory is not None and len(list(cache.glob("starts-*.txt"))) == 1
    monkeypatch.setattr(locate._Starts, "_open", {})
    kept = locate._Starts.of(path)
    assert kept.memory is None and kept.mapped is not None  # read from the cache folder, not from the file
    header, prefixes = locate._header(path)
    for s in subjects:
        spellings = [f"<{s.value}>"] + [f"{p}:{s.value[len(ns):]}" for p, ns in prefixes.items()
                                        if s.value.startswith(ns)]
        for spelling in spellings:
            assert kept.get(spelling) == built.get(spelling), spelling
    whole = index_file(path)
    for t in list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))[::7]:
        key = (key_of(t.subject), key_of(t.predicate), key_of(t.object))
        assert _Block(path, t.subject).find(*key) == whole.find(*key)
    assert any(kept.get(f"{p}:{subjects[0].value[len(ns):]}") for p, ns in prefixes.items())

    # the same size and modification time, other content: the kept offsets do not hold the names, so it is rebuilt
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    first = next(line for line in text.split("\n")
                 if line and not line[0].isspace() and not line.startswith(("@", "#")))
    lines = text.split("\n")
    i = lines.index(first)
    lines[i - 1], lines[i] = lines[i], lines[i - 1]  # the subject's line one line up (a blank or comment line down)
    path.write_text("\n".join(lines), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    monkeypatch.setattr(locate._Starts, "_open", {})
    monkeypatch.setattr(locate, "_blocks", {})
    monkeypatch.setattr(locate, "_headers", {})
    stale = locate._Starts.of(path)
    assert stale.mapped is not None
    spelling = first.split()[0].rstrip(".")
    found = stale.get(spelling)
    assert stale.memory is not None  # rebuilt from the file
    data = path.read_bytes()
    assert found and all(data[o:o + len(spelling)] == spelling.encode() for o, _ in found)


def _line_starts_one_line_at_a_time(path) -> dict:
    """The reference for ``_Starts._build``: each line decoded and matched on its own."""
    import re

    name = re.compile(r"[^\s#@;,.][^\s;,]*")
    found: dict = {}
    offset = 0
    for number, raw in enumerate(path.read_bytes().split(b"\n")):
        m = name.match(raw.decode("utf-8", errors="replace"))
        if m:
            found.setdefault(m.group(0).rstrip("."), []).append((offset, number))
        offset += len(raw) + 1
    return found


def test_line_starts_found_over_the_whole_file_equal_those_found_line_by_line(tmp_path, monkeypatch):
    """The one search over the file finds the names a line-by-line reading finds, where they open a line: on the
    shipped and synthetic files, and on text whose first line, Windows line ends, non-breaking and other Unicode
    spaces, ASCII separators, invalid UTF-8 and names cut by ";" or "," tell the two apart if they differ."""
    from wpsgraph.validation import locate
    from wpsgraph.validation.shacl import reach

    monkeypatch.setattr(reach, "CACHE_DIR", [])
    odd = tmp_path / "odd.ttl"
    odd.write_bytes(b"ex:first ex:p 1 .\n\xc2\xa0ex:c ex:p 1 .\r\nex:d\xc2\xa0x ex:p 2 .\n#c\n ex:e ex:p ex:f ;\n\n"
                    b"@prefix ex: <http://e/> .\n\xff\xfeab ex:p 3 .\nex:g;ex:p 4.\n\x0cex:h ex:p 5 .\nex:i.\n"
                    b"ex:\x1dq ex:p 6 .\n\x1cex:r ex:p 7 .\nex:s,ex:t ex:p 8 .\n\xe2\x80\x83ex:u ex:p 9 .\nex:v")
    for path in [odd, *_files(tmp_path)]:
        starts = locate._Starts.__new__(locate._Starts)
        starts.path, starts.entry = path, None
        starts._build()
        assert starts.memory == _line_starts_one_line_at_a_time(path), path.name
    assert len(starts.memory) > 100
