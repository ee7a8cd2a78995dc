"""The text table: it fits the terminal's width by cutting labels, never IRIs, so any IRI it shows can be pasted
back as a parameter."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from wpsgraph.cli import main
from wpsgraph.namespaces import XSD, Names
from wpsgraph.query import Result, render
from wpsgraph.query.render import MIN_CUT

ID = "https://w3id.org/wpsgraph/id/"


def rows_of(text: str) -> list[str]:
    return text.splitlines()[2:-1]


def result(n: int = 3) -> Result:
    rows = []
    for i in range(n):
        rows.append([ox.NamedNode(f"{ID}organisation/a-rather-long-organisation-name-that-goes-on-{i}"),
                     ox.Literal(f"The Organisation Whose Name Is Long Enough To Be Cut Somewhere, number {i}"),
                     ox.NamedNode(f"http://example.org/not/under/any/prefix/{i}"),
                     ox.Literal("2024-02-28", datatype=ox.NamedNode(XSD + "date"))])
    return Result(["org", "orgLabel", "other", "date"], rows)


@pytest.mark.parametrize("width", [200, 160, 140, 128])
def test_fits_the_width_by_cutting_labels_only(width):
    text = render(result(), "table", Names(), width)
    assert all(len(line) <= width for line in text.splitlines()), text
    for i, line in enumerate(rows_of(text)):
        assert f"organisation:a-rather-long-organisation-name-that-goes-on-{i}" in line.split()
        assert f"http://example.org/not/under/any/prefix/{i}" in line.split()
        assert "2024-02-28" in line  # short values keep their width
    if width < 180:
        assert all("…" in line for line in rows_of(text))  # the labels gave the room


def test_iris_stay_whole_when_the_width_is_too_small():
    text = render(result(), "table", Names(), 40)
    for i, line in enumerate(rows_of(text)):
        assert f"organisation:a-rather-long-organisation-name-that-goes-on-{i}" in line.split()
        assert f"http://example.org/not/under/any/prefix/{i}" in line.split()
    label = rows_of(text)[0].split("  ")[1]
    assert label.endswith("…") and len(label) == MIN_CUT  # cut down to the least a label keeps


def test_no_width_keeps_the_label_cap():
    text = render(result(), "table", Names())
    label = re.split(r"\s{2,}", rows_of(text)[0])[1]
    assert len(label) == 60 and label.endswith("…")


def test_an_iri_longer_than_the_label_cap_is_not_cut():
    long_iri = ID + "source/" + "x" * 90
    text = render(Result(["s"], [[ox.NamedNode(long_iri)]]), "table", Names(), 80)
    assert "source:" + "x" * 90 in text


def test_what_the_command_shows_fits_and_can_be_pasted_back(monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    out = CliRunner().invoke(main, ["query", "country-timeline"], catch_exceptions=False).output
    assert all(len(line) <= 120 for line in out.splitlines()), out
    assert "…" in out  # the labels gave the room
    shown = re.findall(r"\bevent:\S+", out)
    assert shown and not any(s.endswith("…") for s in shown)
    for event in sorted(set(shown)):
        again = CliRunner().invoke(main, ["query", "event-themes", "--param", f"event={event}"],
                                   catch_exceptions=False)
        assert again.exit_code == 0, again.output
