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
