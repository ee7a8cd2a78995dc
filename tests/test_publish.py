"""`wpsgraph publish`: a page and Turtle/JSON-LD per named resource, no broken internal link, RDF that parses and
round-trips, VoID/DCAT, sitemap, rebasing, languages, accessibility basics, and content negotiation."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from wpsgraph.cli import main
from wpsgraph.publishing.conneg import make_server, negotiate
from wpsgraph.namespaces import DEFAULT_BASE, Names
from wpsgraph.publishing.site import DUMPS, Site

OTHER_BASE = "http://data.example.org/wps/"
RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".jsonld": ox.RdfFormat.JSON_LD, ".trig": ox.RdfFormat.TRIG,
               ".nq": ox.RdfFormat.N_QUADS}


@pytest.fixture(scope="module")
def site(published):
    """The shipped graph published in English at the default base, through the command line (conftest)."""
    return published


@pytest.fixture(scope="module")
def rebased_es(tmp_path_factory):
    out = tmp_path_factory.mktemp("publish-es") / "site"
    result = CliRunner().invoke(main, ["publish", "--out", str(out), "--quiet", "--lang", "es", "--no-pictures",
                                       "--base-iri", OTHER_BASE], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def model(shipped):
    return Site(shipped.store, shipped.names, "en")


class Page(HTMLParser):
    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.alternates: list[dict] = []
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[int] = []
        self.lang = None
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        if tag == "html":
            self.lang = a.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        for key in ("href", "src"):
            if key in a and a[key] is not None:
                self.links.append(a[key])
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates.append(a)


def html_pages(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))


def same_rdf(a, b) -> bool:
    """Equal triples or quads, blank nodes compared up to renaming (graph by graph)."""
    from rdflib.compare import isomorphic

    from wpsgraph.terms import to_rdflib

    def split(items):
        ground, by_graph = set(), {}
        for x in items:
            g = getattr(x, "graph_name", None)
            g = "" if g is None or isinstance(g, ox.DefaultGraph) else str(g)
            if any(isinstance(t, ox.BlankNode) for t in (x.subject, x.object)):
                by_graph.setdefault(g, []).append(x)
            else:
                ground.add((x.subject, x.predicate, x.object, g))
        return ground, by_graph

    ga, ba = split(a)
    gb, bb = split(b)
    if ga != gb or set(ba) != set(bb):
        return False
    for key in ba:
        g1, g2 = rdflib.Graph(), rdflib.Graph()
        for g, xs in ((g1, ba[key]), (g2, bb[key])):
            for x in xs:
                g.add((to_rdflib(x.subject), to_rdflib(x.predicate), to_rdflib(x.object)))
        if not isomorphic(g1, g2):
            return False
    return True


def parse_rdf(path: Path, base: str | None = None):
    return list(ox.parse(path.read_bytes(), format=RDF_FORMATS[path.suffix], base_iri=base))


# ---- every named resource has a page, Turtle and JSON-LD ---------------------------------------------------------


def test_every_named_resource_has_a_page_and_alternates(site, model):
    assert len(model.resources) > 100
    for iri in model.resources + model.graphs:
        stem = site / iri[len(DEFAULT_BASE):]
        for ext in (".html", ".ttl", ".jsonld"):
            assert stem.with_name(stem.name + ext).is_file(), f"{iri}: no {ext}"
    for special in ("index.html", "ontology.html", "ontology.ttl", "ontology.jsonld", "dataset.html",
                    "dataset.ttl", "dataset.jsonld", "doc/class-diagram.html", "doc/class-diagram.svg",
                    "sitemap.xml", "robots.txt", ".htaccess", "deploy/nginx.conf", "style.css"):
        assert (site / special).is_file(), special


def test_every_iri_under_the_base_in_the_data_dereferences(site, shipped):
    """Every IRI under the base in any position lands on a page (ontology terms on an anchor of the docs)."""
    anchors = Page(site / "ontology.html").ids
    for q in shipped.store.quads_for_pattern(None, None, None, None):
        for term in (q.subject, q.predicate, q.object, q.graph_name):
            if isinstance(term, ox.NamedNode) and term.value.startswith(DEFAULT_BASE):
                doc, _, frag = term.value[len(DEFAULT_BASE):].partition("#")
                page = site / ((doc or "index") + ".html")
                assert page.is_file(), term.value
                if frag:
                    assert doc == "ontology" and frag in anchors, term.value


def test_resource_pages_announce_their_alternates(site, model):
    for iri in model.resources[:: max(1, len(model.resources) // 25)]:
        page = site / (iri[len(DEFAULT_BASE):] + ".html")
        alts = {a["type"]: a["href"] for a in Page(page).alternates}
        assert set(alts) == {"text/turtle", "application/ld+json"}, page
        for href in alts.values():
            assert (page.parent / href).is_file()


def test_resource_page_content(site):
    page = (site / "id/organisation/diils.html").read_text(encoding="utf-8")
    assert "<h1>Defense Institute of International Legal Studies</h1>" in page
    assert 'href="../../ontology.html#LegalTrainingInstitute"' in page          # its type, linked to the docs
    assert 'href="us-department-of-defense.html"' in page                       # a property value, linked
    assert "Incoming links" in page and 'href="../event/diils-wps-course-sedena-semar.html"' in page
    assert 'href="../source/usnorthcom-wps-training-mexico-2021.html"' in page   # the source stating the facts
    assert "Inferred facts" in page


# ---- no broken internal link -------------------------------------------------------------------------------------


def test_no_internal_link_is_broken(site):
    parsed: dict[Path, Page] = {}

    def page_of(path: Path) -> Page:
        if path not in parsed:
            parsed[path] = Page(path)
        return parsed[path]

    checked = 0
    root = site.resolve()
    for path in html_pages(root):
        page = page_of(path)
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("data:"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            assert target.is_file(), f"{path.relative_to(root)}: broken link {link}"
            assert root in target.parents, f"{path.relative_to(root)}: {link} leaves the site"
            if parts.fragment and target.suffix == ".html":
                ids = page_of(target).ids
                assert parts.fragment in ids, f"{path.relative_to(root)}: no #{parts.fragment} in {link}"
            checked += 1
    assert checked > 1000


def test_sitemap_lists_every_page(site, model):
    root = ET.parse(site / "sitemap.xml").getroot()
    locs = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert len(locs) == len(set(locs)) == len(model.pages)
    for loc in locs:
        assert loc.startswith(DEFAULT_BASE)
        assert (site / ((loc[len(DEFAULT_BASE):] or "index") + ".html")).is_file(), loc


# ---- RDF files parse and round-trip ------------------------------------------------------------------------------


def test_every_rdf_file_parses_and_round_trips(site):
    files = [p for p in site.rglob("*") if p.suffix in RDF_FORMATS]
    assert len(files) > 250
    for path in files:
        first = parse_rdf(path)
        assert first, path
        again = list(ox.parse(ox.serialize(first, format=RDF_FORMATS[path.suffix]), format=RDF_FORMATS[path.suffix]))
        assert same_rdf(again, first), path


def test_turtle_and_jsonld_alternates_hold_the_same_triples(site, model):
    for iri in model.resources:
        stem = site / iri[len(DEFAULT_BASE):]
        ttl = parse_rdf(stem.with_name(stem.name + ".ttl"))
        jsonld = parse_rdf(stem.with_name(stem.name + ".jsonld"))
        assert same_rdf(ttl, jsonld), iri
        assert same_rdf(ttl, model.description_triples(iri)), iri


def test_dumps_hold_the_whole_dataset(site, shipped):
    quads = set(shipped.store.quads_for_pattern(None, None, None, None))
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    for name, _media, _fmt, graphs in DUMPS:
        got = parse_rdf(site / "dumps" / name)
        assert same_rdf(got, quads if graphs else triples), name
    # and an independent parser agrees on the TriG dump
    ds = rdflib.Dataset()
    ds.parse(site / "dumps/wpsgraph.trig", format="trig")
    assert len(set(ds.quads((None, None, None, None)))) == len(quads)


def test_void_and_dcat_description(site, shipped):
    g = rdflib.Graph().parse(site / "dataset.ttl", format="turtle")
    void = rdflib.Namespace("http://rdfs.org/ns/void#")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    ds = rdflib.URIRef(DEFAULT_BASE + "dataset")
    assert (ds, rdflib.RDF.type, void.Dataset) in g and (ds, rdflib.RDF.type, dcat.Dataset) in g
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in shipped.store.quads_for_pattern(None, None, None, None)}
    assert int(g.value(ds, void.triples)) == len(triples)
    assert int(g.value(ds, void.entities)) > 100
    assert g.value(ds, rdflib.URIRef("http://purl.org/dc/terms/license")) is not None
    dumps = set(g.objects(ds, void.dataDump))
    assert len(dumps) == len(DUMPS)
    for dist in g.objects(ds, dcat.distribution):
        url = str(g.value(dist, dcat.downloadURL))
        path = site / url[len(DEFAULT_BASE):]
        assert path.is_file() and int(g.value(dist, dcat.byteSize)) == path.stat().st_size
    examples = list(g.objects(ds, void.exampleResource))
    assert len(examples) >= 3
    for ex in examples:
        assert (site / (str(ex)[len(DEFAULT_BASE):] + ".html")).is_file()
    assert len(list(g.objects(ds, void.classPartition))) > 10


# ---- base IRI and language ---------------------------------------------------------------------------------------


def test_base_iri_rebases_pages_and_rdf(rebased_es):
    for path in rebased_es.rglob("*"):
        if path.is_file() and path.name != "nginx.conf":
            assert DEFAULT_BASE not in path.read_text(encoding="utf-8"), path
    triples = parse_rdf(rebased_es / "id/organisation/usnorthcom.ttl")
    subjects = {t.subject.value for t in triples}
    assert OTHER_BASE + "id/organisation/usnorthcom" in subjects
    page = (rebased_es / "id/organisation/usnorthcom.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{OTHER_BASE}id/organisation/usnorthcom">' in page
    assert f"<loc>{OTHER_BASE}id/country/MX</loc>" in (rebased_es / "sitemap.xml").read_text(encoding="utf-8")
    assert same_rdf(parse_rdf(rebased_es / "dumps/wpsgraph.nq"), parse_rdf(rebased_es / "dumps/wpsgraph.trig"))


def test_lang_chooses_labels_with_fallback(rebased_es):
    mx = Page(rebased_es / "id/country/MX.html")
    assert mx.lang == "es"
    text = (rebased_es / "id/country/MX.html").read_text(encoding="utf-8")
    assert "<h1>México</h1>" in text and "Propiedades" in text
    # A resource labelled only in English: the English label, marked as English.
    diils = (rebased_es / "id/organisation/diils.html").read_text(encoding="utf-8")
    assert '<h1 lang="en">Defense Institute of International Legal Studies</h1>' in diils
    assert '<html lang="es">' in (rebased_es / "ontology.html").read_text(encoding="utf-8")


def test_bad_lang_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(main, ["publish", "--out", str(tmp_path / "x"), "--lang", "de"])
    assert result.exit_code == 2


# ---- accessibility basics (the browser test checks rendering) ----------------------------------------------------


def test_pages_are_accessible(site):
    for path in html_pages(site):
        page = Page(path)
        rel = path.relative_to(site)
        assert page.lang in ("en", "es", "fr"), rel
        tags = [t for t, _ in page.tags]
        metas = [a for t, a in page.tags if t == "meta"]
        assert any(a.get("name") == "viewport" for a in metas), rel
        assert page.headings.count(1) == 1 or rel.name == "ontology.html", rel
        for t, a in page.tags:
            if t == "img":
                assert a.get("alt"), f"{rel}: an image without alt text"
            assert not (a.get("tabindex") or "0").lstrip("-").isdigit() or int(a.get("tabindex") or 0) <= 0, rel
        if rel.name != "ontology.html":
            assert "main" in tags and "nav" in tags, rel
            levels = page.headings
            assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), f"{rel}: skips a heading level {levels}"


# ---- content negotiation -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("accept, expected", [
    (None, "text/html"),
    ("*/*", "text/html"),
    ("text/turtle", "text/turtle"),
    ("application/ld+json", "application/ld+json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ("text/turtle;q=0.9, application/ld+json", "application/ld+json"),
    ("application/ld+json;q=0.5, text/*;q=0.8", "text/html"),
    ("text/html;q=0, */*;q=0.1", "text/turtle"),
    ("image/png", None),
])
def test_negotiate(accept, expected):
    assert negotiate(accept, ["text/html", "text/turtle", "application/ld+json"]) == expected


@pytest.fixture(scope="module")
def server(site):
    srv = make_server(site, port=0)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}/"
    srv.shutdown()
    srv.server_close()


def fetch(url, accept=None):
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def test_server_answers_resource_iris_by_accept(server):
    iri = server + "id/organisation/usnorthcom"
    status, headers, body = fetch(iri, "text/html,application/xhtml+xml,*/*;q=0.8")
    assert status == 200 and headers["Content-Type"].startswith("text/html") and b"<h1>" in body
    assert headers["Vary"] == "Accept"
    status, headers, body = fetch(iri, "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    assert headers["Content-Location"] == "usnorthcom.ttl"
    assert any(t.subject.value == DEFAULT_BASE + "id/organisation/usnorthcom"
               for t in ox.parse(body, format=ox.RdfFormat.TURTLE))
    status, headers, body = fetch(iri, "application/ld+json")
    assert status == 200 and headers["Content-Type"].startswith("application/ld+json")
    assert list(ox.parse(body, format=ox.RdfFormat.JSON_LD))
    status, _, _ = fetch(iri, "image/png")
    assert status == 406
    assert fetch(server + "id/organisation/no-such-thing")[0] == 404
    assert fetch(server + "deploy/nginx.conf")[0] == 404
    assert fetch(server + "id/organisation/")[0] == 404


def test_server_answers_site_documents(server):
    assert fetch(server)[1]["Content-Type"].startswith("text/html")
    status, headers, _ = fetch(server + "ontology", "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    status, headers, _ = fetch(server + "dataset", "application/ld+json")
    assert status == 200 and headers["Content-Type"].startswith("application/ld+json")
    status, headers, _ = fetch(server + "dumps/wpsgraph.nq")
    assert status == 200 and headers["Content-Type"] == "application/n-quads"
    status, headers, _ = fetch(server + "id/organisation/usnorthcom.ttl", "text/html")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")   # a file is itself


def test_server_configs_negotiate_the_same_formats(site):
    apache = (site / ".htaccess").read_text(encoding="utf-8")
    for needle in ("AddType text/turtle .ttl", "AddType application/ld+json .jsonld", "RewriteEngine On",
                   "%{REQUEST_FILENAME}.ttl -f", "%{REQUEST_FILENAME}.jsonld -f", "%{REQUEST_FILENAME}.html -f",
                   "Vary Accept"):
        assert needle in apache
    nginx = (site / "deploy/nginx.conf").read_text(encoding="utf-8")
    for needle in ("map $http_accept $wpsgraph_ext", "text/turtle", "application/ld+json",
                   "try_files $uri $uri$wpsgraph_ext", f"root         {site.parent.resolve() / site.name}"):
        assert needle in nginx


# ---- pictures and the action-plans table ---------------------------------------------------------------------------


def test_pictures_on_country_actor_and_theme_pages(site):
    for path, kinds in [("id/country/MX", ["timeline", "network"]),
                        ("id/organisation/usnorthcom", ["timeline", "network"]),
                        ("id/theme/gender-based-violence", ["network"])]:
        page = Page(site / (path + ".html"))
        images = [a for t, a in page.tags if t == "img"]
        assert [a["src"].rsplit("-", 1)[1] for a in images] == [k + ".svg" for k in kinds], path
        for a in images:
            svg = (site / path).parent / a["src"]
            text = svg.read_text(encoding="utf-8")
            # the same picture `wpsgraph plot` draws, its alt text in the file and on the page
            assert 'role="img"' in text and "<desc" in text and a["alt"] in text.replace("&#x27;", "'")
    # pictures only where there is something to show: a resource with no event has none
    assert "<figure" not in (site / "id" / "resolution" / "1325.html").read_text(encoding="utf-8")


def test_action_plans_page_holds_the_canned_query_rows(site, shipped):
    from wpsgraph.query import find, render, run

    result = run(find("action-plans"), shipped.store, {}, shipped.names)
    assert (site / "doc" / "action-plans.csv").read_text(encoding="utf-8") == render(result, "csv", shipped.names)
    page = Page(site / "doc" / "action-plans.html")
    rows = [a for t, a in page.tags if t == "tr" and "data-row" in a]
    assert len(rows) == len(result.rows) > 60
    assert {r["data-country"] for r in rows} >= {"Mexico", "Ghana", "Ireland"}
    assert all(re.fullmatch(r"(\d{4})?", r["data-year"]) for r in rows)
    assert any(a.get("src", "").endswith("national-action-plans.svg") for t, a in page.tags if t == "img")
    # every page's navigation leads to it
    index = Page(site / "index.html")
    assert "doc/action-plans.html" in index.links


def test_no_pictures(rebased_es):
    assert not (rebased_es / "doc" / "pictures").exists()
    assert "<figure" not in (rebased_es / "id" / "country" / "MX.html").read_text(encoding="utf-8")
    assert (rebased_es / "doc" / "action-plans.html").is_file()  # the table needs no picture
