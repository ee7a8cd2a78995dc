"""Incremental builds (issue 16): an updated build folder equals a full rebuild of the same files.

Small synthetic data split into one file per article; random edits (add a source, remove one, point a
sub-organisation statement elsewhere, which feeds the transitive wps:subOrganisationOf, or an event's host,
deliverer or place, which feed inverses and the heldIn/inCountry chain; give a resource another class, which
changes what the shapes of the resources pointing to it find); after each edit the folder is updated in
place and compared with a full build of the same files: the dataset, the inferred triples and the store as sets
of quads (blank nodes up to renaming), the validation report (as RDF, up to blank nodes) and its findings (as a
set), and the counts.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from wpsgraph import resources
from wpsgraph.bulk import has_blank
from wpsgraph.errors import InputError
from wpsgraph.folders import current_version, remove_output, versions
from wpsgraph.pipeline.build import build
from wpsgraph.pipeline.incremental import dumps
from wpsgraph.pipeline.synth import write as synth
from wpsgraph.terms import to_rdflib
from wpsgraph.validation import prepared

ARTICLE = re.compile(r"^# synthetic article \d+", re.M)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict:
    """About 25 small sources (one synthetic article each) and the shared prefix header."""
    root = tmp_path_factory.mktemp("incr")
    whole = root / "synthetic.ttl"
    synth(whole, 1500, 3)
    text = whole.read_text(encoding="utf-8")
    starts = [m.start() for m in ARTICLE.finditer(text)]
    header = text[:starts[0]]
    articles = [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]
    return {"root": root, "header": header, "articles": articles}


def _nquads(path: Path, fmt) -> bytes:
    return ox.serialize(ox.parse(path=str(path), format=fmt), format=ox.RdfFormat.N_QUADS) or b""


def _same_quads(a: bytes, b: bytes) -> None:
    """The same N-Quads, as sets, blank nodes up to renaming (they get new labels whenever a file is parsed)."""
    lines_a, lines_b = set(a.splitlines()), set(b.splitlines())
    blank_a = {line for line in lines_a if b"_:" in line and has_blank(line.decode())}
    blank_b = {line for line in lines_b if b"_:" in line and has_blank(line.decode())}
    assert lines_a - blank_a - lines_b == set(), "only in the update"
    assert lines_b - blank_b - lines_a == set(), "only in the full build"

    def graph(lines) -> rdflib.Graph:
        g = rdflib.Graph()
        for q in ox.parse(b"\n".join(lines), format=ox.RdfFormat.N_QUADS):
            name = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else ""
            g.add((to_rdflib(q.subject), rdflib.URIRef(q.predicate.value + "@" + name), to_rdflib(q.object)))
        return g

    assert len(blank_a) == len(blank_b) and isomorphic(graph(blank_a), graph(blank_b))


def assert_same_build(updated: Path, full: Path) -> None:
    _same_quads(_nquads(updated / "dataset.trig", ox.RdfFormat.TRIG), _nquads(full / "dataset.trig", ox.RdfFormat.TRIG))
    _same_quads(_nquads(updated / "inferred.ttl", ox.RdfFormat.TURTLE),
                _nquads(full / "inferred.ttl", ox.RdfFormat.TURTLE))
    stores = []
    for folder in (updated, full):
        store = ox.Store.read_only(str(folder / "store"))
        stores.append(store.dump(format=ox.RdfFormat.N_QUADS) or b"")
        del store
    _same_quads(*stores)
    a = rdflib.Graph().parse(updated / "validation.ttl")
    b = rdflib.Graph().parse(full / "validation.ttl")
    assert len(a) == len(b) and isomorphic(a, b)
    ja, jb = (json.loads((f / "validation.json").read_text()) for f in (updated, full))
    assert {k: v for k, v in ja.items() if k != "results"} == {k: v for k, v in jb.items() if k != "results"}
    assert sorted(json.dumps(r, sort_keys=True) for r in ja["results"]) == \
        sorted(json.dumps(r, sort_keys=True) for r in jb["results"])
    ma, mb = (json.loads((f / "manifest.json").read_text()) for f in (updated, full))
    assert ma["counts"] == mb["counts"] and ma["files"] == mb["files"]
    assert ma["inputs"] == mb["inputs"]
    kept, expected = prepared.lists_folder(updated), prepared.lists_folder(full)
    assert kept is not None and expected is not None
    assert _named_and_blank(prepared.lists(kept)) == _named_and_blank(prepared.lists(expected))


def _named_and_blank(lists: dict) -> dict:
    """Each list's IRIs, and how many blank nodes it has (their labels differ from one parse to the next)."""
    return {key: nodes if nodes is prepared.ABSENT else
            ({n for n in nodes if not n.startswith("_:")}, sum(n.startswith("_:") for n in nodes))
            for key, nodes in lists.items()}


# ---------------------------------------------------------------------------------------------- edits

def _iris(text: str, prefix: str) -> list:
    return sorted(set(re.findall(rf"\b{prefix}:[A-Za-z0-9._-]*[A-Za-z0-9_-]", text)))


def _repoint(text: str, predicate: str, prefix: str, choices: list, rnd: random.Random) -> str | None:
    """Point one ``predicate`` statement of ``text`` to another resource of ``choices``."""
    spots = list(re.finditer(rf"(wps:{predicate} )({prefix}:[A-Za-z0-9._-]*[A-Za-z0-9_-])", text))
    others = list(choices)
    if not spots or len(others) < 2:
        return None
    m = rnd.choice(spots)
    new = rnd.choice([c for c in others if c != m.group(2)])
    return text[:m.start(2)] + new + text[m.end(2):]


class Corpus:
    """The files of the current build, and the articles held back for adding."""

    def __init__(self, corpus: dict, folder: Path):
        self.header, self.folder = corpus["header"], folder
        articles = corpus["articles"]
        self.files: list[Path] = []
        self.pool = list(range(len(articles) // 2, len(articles)))
        self.articles = articles
        for i in range(len(articles) // 2):
            self.files.append(self._write(i, articles[i]))

    def _write(self, i: int, body: str) -> Path:
        path = self.folder / f"article-{i:03d}.ttl"
        path.write_text(self.header + body, encoding="utf-8")
        return path

    def text(self) -> str:
        return "".join(p.read_text(encoding="utf-8") for p in self.files)

    def edit(self, kind: str, a: int, b: int) -> str:
        rnd = random.Random(a * 7919 + b)
        if kind == "add" and self.pool:
            i = self.pool.pop(a % len(self.pool))
            self.files.insert(b % (len(self.files) + 1), self._write(i, self.articles[i]))
            return f"add article {i}"
        if kind == "remove" and len(self.files) > 2:
            path = self.files.pop(a % len(self.files))
            return f"remove {path.name}"
        everything = self.text()
        if kind == "retype":
            classes = sorted(set(re.findall(r"\n    a (wps:[A-Z]\w*)", everything)))
            for step in range(len(self.files)):
                path = self.files[(a + step) % len(self.files)]
                text = path.read_text(encoding="utf-8")
                spots = list(re.finditer(r"\n    a (wps:[A-Z]\w*)", text))
                if spots and len(classes) > 1:
                    m = rnd.choice(spots)
                    new = rnd.choice([c for c in classes if c != m.group(1)])
                    path.write_text(text[:m.start(1)] + new + text[m.end(1):], encoding="utf-8")
                    return f"retype: {m.group(1)} -> {new} in {path.name}"
            return "no edit"
        targets = {"transitive": [("subOrganisationOf", "organisation"), ("partOfEvent", "event")],
                   "inverse": [("hostedBy", "organisation"), ("deliveredBy", "organisation"),
                               ("heldIn", "place"), ("hasAudience", "organisation")]}.get(kind, [])
        for step in range(len(self.files)):
            path = self.files[(a + step) % len(self.files)]
            for predicate, prefix in targets:
                text = path.read_text(encoding="utf-8")
                new = _repoint(text, predicate, prefix, _iris(everything, prefix), rnd)
                if new is not None:
                    path.write_text(new, encoding="utf-8")
                    return f"{kind}: {predicate} in {path.name}"
        return "no edit"


EDITS = st.lists(st.tuples(st.sampled_from(["add", "remove", "transitive", "inverse", "retype"]),
                           st.integers(0, 10_000), st.integers(0, 10_000)), min_size=2, max_size=3)


@settings(max_examples=5, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=EDITS)
def test_update_equals_full_rebuild(corpus, tmp_path_factory, edits):
    root = tmp_path_factory.mktemp("edits")
    files = Corpus(corpus, root)
    said: list[str] = []
    updated = root / "updated"
    build(resources.reference_files() + files.files, updated)
    for kind, a, b in edits:
        what = files.edit(kind, a, b)
        said.clear()
        build(resources.reference_files() + files.files, updated, progress=said.append)
        assert not any(m.startswith("full build") for m in said), (what, said)
        full = root / "full"
        build(resources.reference_files() + files.files, full, incremental=False)
        assert_same_build(updated, full), what
        remove_output(full)


def test_a_typical_edit_is_incremental_and_reported(corpus, tmp_path):
    files = Corpus(corpus, tmp_path)
    out = tmp_path / "out"
    build(resources.reference_files() + files.files, out)
    files.edit("transitive", 1, 2)
    said: list[str] = []
    build(resources.reference_files() + files.files, out, progress=said.append)
    assert any(m.startswith("load: 1 changed file(s)") for m in said), said
    assert any(m.startswith("validate: ") and "focus node(s) again" in m for m in said), said
    manifest = json.loads((out / "manifest.json").read_text())
    assert len(manifest["update"]["changed"]) == 1
    # only the resources near the edit are validated again, not the whole graph
    assert 0 < manifest["update"]["focus_nodes"] < manifest["counts"]["asserted"] / 20


@pytest.mark.parametrize("record, said_why", [("ontology", "the ontology changed"),
                                              ("rules", "the reasoner's rules changed")])
def test_ontology_or_rules_change_falls_back_to_a_full_build(corpus, tmp_path, record, said_why):
    files = Corpus(corpus, tmp_path)
    out = tmp_path / "out"
    build(resources.reference_files() + files.files, out)
    manifest = json.loads((out / "manifest.json").read_text())
    was = json.loads(json.dumps(manifest["inputs"][record]))  # a copy: edited below
    if record == "ontology":
        name = next(iter(was))
        manifest["inputs"]["ontology"][name] = "0" * 64   # as if the ontology had been edited since
    else:
        del manifest["inputs"]["rules"]  # as if built by a wpsgraph whose rules entailed something else
    (out / "manifest.json").write_text(json.dumps(manifest))
    files.edit("add", 0, 0)
    said: list[str] = []
    build(resources.reference_files() + files.files, out, progress=said.append)
    assert f"full build: {said_why}" in said
    assert json.loads((out / "manifest.json").read_text())["inputs"][record] == was


def test_unchanged_files_write_nothing(corpus, tmp_path):
    files = Corpus(corpus, tmp_path)
    out = tmp_path / "out"
    build(resources.reference_files() + files.files, out)
    before = (out / "dataset.trig").stat().st_mtime_ns
    said: list[str] = []
    result = build(resources.reference_files() + files.files, out, progress=said.append)
    assert any(m.startswith("up to date") for m in said)
    assert (out / "dataset.trig").stat().st_mtime_ns == before
    assert result.counts == json.loads((out / "manifest.json").read_text())["counts"]


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
            and p.parent.name != "store"}


def test_interrupted_update_leaves_the_previous_build(corpus, tmp_path, monkeypatch):
    files = Corpus(corpus, tmp_path)
    out = tmp_path / "out"
    build(resources.reference_files() + files.files, out)
    before = _snapshot(out)
    files.edit("inverse", 3, 4)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(dumps, "splice", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build(resources.reference_files() + files.files, out)
    assert _snapshot(out) == before
    # nothing staged is left; the build is still the one version it was (plus the switch's lock file)
    assert versions(out) == [current_version(out)]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.") and ".v-" not in p.name
                and p.name != ".out.lock"]
    monkeypatch.undo()
    build(resources.reference_files() + files.files, out)   # and the next run updates it
    assert _snapshot(out) != before


def test_a_bad_changed_file_names_itself_and_changes_nothing(corpus, tmp_path):
    files = Corpus(corpus, tmp_path)
    out = tmp_path / "out"
    build(resources.reference_files() + files.files, out)
    before = _snapshot(out)
    bad = files.files[2]
    bad.write_text(bad.read_text(encoding="utf-8") + "\nthis is not turtle .\n", encoding="utf-8")
    with pytest.raises(InputError) as e:
        build(resources.reference_files() + files.files, out)
    assert str(bad) in str(e.value)
    assert _snapshot(out) == before


def test_removing_the_last_mention_of_a_country_drops_it(corpus, tmp_path):
    """The generated countries graph follows the files: a country only a removed file named leaves it, one that a
    kept file also names stays (the update looks for the kept mentions graph by graph)."""
    header = corpus["header"] + "@prefix country: <https://w3id.org/wpsgraph/id/country/> .\n"
    kept, gone = tmp_path / "kept.ttl", tmp_path / "gone.ttl"
    kept.write_text(header + corpus["articles"][0] + "\norganisation:kept-org wps:country country:NP .\n",
                    encoding="utf-8")
    gone.write_text(header + corpus["articles"][1] + "\norganisation:gone-org wps:country country:NP .\n"
                    "organisation:gone-org2 wps:country country:BT .\n", encoding="utf-8")
    out = tmp_path / "out"
    build([kept, gone], out)
    assert {"NP", "BT"} <= set(json.loads((out / "manifest.json").read_text())["inputs"]["countries"])
    build([kept], out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert "update" in manifest  # updated, not built anew
    assert "NP" in manifest["inputs"]["countries"] and "BT" not in manifest["inputs"]["countries"]
    build([kept], tmp_path / "full", incremental=False)
    assert_same_build(out, tmp_path / "full")
