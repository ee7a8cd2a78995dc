"""Pictures: timeline, network and NAP charts, with alt text in the files; the NAP counts match the canned query."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from PIL import Image

from wpsgraph import query as q
from wpsgraph.cli import main
from wpsgraph.plots import naps, network, save, timeline
from wpsgraph.plots.naps import adoptions
from wpsgraph.plots.timeline import entries


def iri(names, curie):
    return q.expand_iri(curie, names)


def test_timeline_entries_keep_stated_dates(shipped, names):
    rows = {names.compact(e["iri"]): e for e in entries(shipped.store, iri(names, "country:MX"), names)}
    course = rows["event:diils-wps-course-sedena-semar"]
    assert course["stated"] == "--08-01" and course["period"][2] == "day"  # placed by its resolved date
    assert rows["event:north-american-defense-ministerial-2021"]["period"][2] == "month"
    assert rows["commitment:mexico-feminist-foreign-policy"]["period"] is None  # undated: listed, not placed


def test_timeline_svg_has_title_and_description(shipped, names, tmp_path):
    picture = timeline(shipped.store, iri(names, "country:MX"), names, "Mexico")
    out = save(picture, tmp_path / "mx.svg")
    text = out.read_text(encoding="utf-8")
    assert '<title id="plot-title">Timeline of Mexico</title>' in text
    desc = re.search(r'<desc id="plot-desc">(.*?)</desc>', text).group(1)
    assert "dated entries" in desc and "undated" in desc and 'role="img"' in text


def test_network_around_an_actor(shipped, names, tmp_path):
    picture = network(shipped.store, iri(names, "organisation:usnorthcom"), names, "U.S. Northern Command")
    assert picture.alt.startswith("Network around U.S. Northern Command: ") and "3 events" in picture.alt
    out = save(picture, tmp_path / "nc.png")
    image = Image.open(out)
    assert image.text["Description"] == picture.alt and image.size[0] > 800


def test_network_around_a_theme(shipped, names, tmp_path):
    picture = network(shipped.store, iri(names, "theme:gender-based-violence"), names, "gender-based violence",
                      theme=True)
    assert "events" in picture.alt and "no events" not in picture.alt
    # nodes are named by their labels (a theme's is its skos:prefLabel), the SVG's text kept as text
    text = save(picture, tmp_path / "gbv.svg").read_text(encoding="utf-8")
    assert re.search(r"<text[^>]*>gender-based violence</text>", text) and "theme:gender-based-violence" not in text


def test_nap_counts_match_the_canned_query(shipped, names):
    canned = q.run(q.find("nap-adoptions-per-year"), shipped.store, names=names)
    per_year = {int(y.value): int(n.value) for y, n in canned.rows}
    counted = {}
    for row in adoptions(shipped.store, names):
        counted[row["year"]] = counted.get(row["year"], 0) + 1
    assert counted == per_year
    assert {r["continent"] for r in adoptions(shipped.store, names)} >= {"Europe", "Africa", "Asia"}
    assert "plans with a stated adoption year" in naps(shipped.store, names).alt


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_cli_plot(tmp_path):
    result = cli("plot", "timeline", "USNORTHCOM", "--out", tmp_path / "t.svg")
    assert result.exit_code == 0, result.output
    assert "Timeline of U.S. Northern Command" in result.stdout and (tmp_path / "t.svg").stat().st_size > 1000


@pytest.mark.parametrize("args, message", [
    (("timeline", "country:mx", "--out", "x.svg"), "did you mean country:MX"),
    (("network", "Mexico", "--out", "x.gif"), "write a .svg or .png file"),
    (("naps", "Mexico", "--out", "x.svg"), "takes no subject"),
    (("timeline", "--out", "x.svg"), "needs a subject"),
])
def test_cli_plot_bad_input_exits_2(args, message, tmp_path):
    result = cli("plot", *args[:-1], tmp_path / args[-1])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_network_layout_keeps_nodes_apart():
    import math

    import networkx as nx

    from wpsgraph.plots.network import _radial

    graph = nx.Graph()
    events = ["e1", "e2"]
    group_of = {"focus": "focus", "e1": "event", "e2": "event"}
    for e in events:
        graph.add_edge("focus", e)
    for i in range(3):  # actors in both events, which face each other across the focus
        for e in events:
            graph.add_edge(f"shared{i}", e)
        group_of[f"shared{i}"] = "organisation"
    for i in range(20):  # a crowded event
        graph.add_edge(f"own{i}", "e1")
        group_of[f"own{i}"] = "organisation"
    pos = _radial(graph, "focus", group_of)
    assert set(pos) == set(graph.nodes)
    assert min(math.dist(pos["focus"], p) for n, p in pos.items() if n != "focus") >= 0.45
    others = [p for n, p in pos.items() if n != "focus"]
    assert min(math.dist(a, b) for i, a in enumerate(others) for b in others[i + 1:]) >= 0.2
