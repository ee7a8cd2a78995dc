"""The HTML pages and their RDF alternates: a page per resource, per named graph, the index, the sitemap and
the content-negotiation configuration of the servers."""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox

from wpsgraph import __version__
from wpsgraph.namespaces import RDF, RDFS, SKOS
from wpsgraph.publishing.action_plans import PAGE as ACTION_PLANS
from wpsgraph.publishing.site import DIAGRAM, MEDIA, Link, Site, graph_of, relative, template_env, term_key


class Writer:
    def __init__(self, site: Site, out: Path):
        self.site, self.out, self.env = site, out, template_env()
        self.written: list[str] = []
        self.rdf_files: list[str] = []
        self.final = out
        self.figures: dict = {}  # IRI -> the pictures drawn for its page (publishing.pictures.Figure)

    def write(self, path: str, text: str | bytes) -> None:
        dest = self.out / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            dest.write_bytes(text)
        else:
            dest.write_text(text, encoding="utf-8")
        if path.endswith(".html"):
            self.written.append(path)
        elif path.endswith(tuple(MEDIA)):
            self.rdf_files.append(path)

    def render(self, path: str, template: str, **context) -> None:
        s = self.site
        root = relative("index.html", path)[: -len("index.html")]
        nav = [
            Link(relative("index.html", path), s.t["home"]),
            Link(relative("ontology.html", path), s.t["ontology"]),
            Link(relative(DIAGRAM + ".html", path), s.t["diagram"]),
            Link(relative(ACTION_PLANS, path), s.t["action_plans"]),
            Link(relative("dataset.html", path), s.t["dataset"]),
            Link(relative("dataset.html", path) + "#downloads", s.t["dumps"]),
        ]
        html = self.env.get_template(template).render(lang=s.lang, t=s.t, root=root, nav=nav,
                                                      version=__version__, **context)
        self.write(path, html)

    def rdf(self, path_stem: str, triples, prefixes=None) -> list[dict]:
        """Write Turtle and JSON-LD for some triples; return the alternates to announce."""
        prefixes = prefixes or self.site.names.prefixes()
        triples = list(triples)
        self.write(path_stem + ".ttl", ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b"")
        self.write(path_stem + ".jsonld", ox.serialize(triples, format=ox.RdfFormat.JSON_LD) or b"")
        name = posixpath.basename(path_stem)
        return [{"type": "text/turtle", "href": name + ".ttl", "title": "Turtle"},
                {"type": "application/ld+json", "href": name + ".jsonld", "title": "JSON-LD"}]


def resource_page(w: Writer, iri: str) -> None:
    s = w.site
    page = s.pages[iri]
    stem = page[: -len(".html")]
    alternates = w.rdf(stem, s.description_triples(iri))
    title, title_lang = s.label(iri)
    asserted: dict[str, dict[tuple, set[str]]] = defaultdict(lambda: defaultdict(set))
    inferred: dict[str, dict[tuple, set[str]]] = defaultdict(lambda: defaultdict(set))
    objects = {}
    for q in s.by_subject.get(iri, []):
        p = q.predicate.value
        if p == RDF + "type":
            continue
        key = term_key(q.object)
        objects[key] = q.object
        graph = graph_of(q)
        (inferred if graph == s.inferred else asserted)[p][key].add(graph)
    rows = _rows(s, asserted, objects, page)
    inferred_rows = _rows(s, {p: {k: g for k, g in v.items() if k not in asserted.get(p, {})}
                              for p, v in inferred.items()}, objects, page)
    incoming_map: dict[tuple[str, str], set[str]] = defaultdict(set)
    for q in s.by_object.get(iri, []):
        if graph_of(q) != s.inferred and isinstance(q.subject, ox.NamedNode):
            incoming_map[(q.subject.value, q.predicate.value)].add(graph_of(q))
    incoming = [{"subject": s.link(subj, page), "property": s.link(p, page), "sources": s.source_links(g, page)}
                for (subj, p), g in sorted(incoming_map.items(),
                                           key=lambda kv: (s.label(kv[0][0])[0].casefold(), kv[0][0], kv[0][1]))]
    types = [s.link(t, page) for t in s.by_label(s.asserted_types.get(iri, ()))]
    graphs = {graph_of(q) for q in s.by_subject.get(iri, [])} - {s.inferred}
    stated = set()
    for q in s.by_subject.get(iri, []):
        if q.predicate.value == s.names.term("statedIn").value and isinstance(q.object, ox.NamedNode):
            stated.add(q.object.value)
    sources = s.source_links(graphs, page)
    known = {link.iri for link in sources}
    sources += [s.link(d, page) for d in sorted(stated) if d not in known]
    alt_labels = [s.value(lit, page) for lit in s.literals.get(iri, {}).get(SKOS + "altLabel", [])]
    w.render(page, "resource.html", title=title, title_lang=title_lang, iri=iri, alternates=alternates,
             canonical=iri, types=types, rows=rows, inferred_rows=inferred_rows,
             inferred_count=sum(len(r["values"]) for r in inferred_rows), incoming=incoming, sources=sources,
             alt_labels=alt_labels, description=s.description(iri),
             figures=[(f, f.href(page)) for f in w.figures.get(iri, [])])


def _rows(s: Site, facts: dict, objects: dict, page: str) -> list[dict]:
    rows = []
    for p in sorted(facts, key=lambda p: (p != RDFS + "label", s.label(p)[0].casefold(), p)):
        values = []
        for key in sorted(facts[p], key=lambda k: _value_sort(s, objects[k])):
            v = s.value(objects[key], page)
            v.sources = s.source_links(facts[p][key], page)
            values.append(v)
        if values:
            rows.append({"property": s.link(p, page), "values": values})
    return rows


def _value_sort(s: Site, term) -> tuple:
    if isinstance(term, ox.NamedNode):
        return (0, s.label(term.value)[0].casefold(), term.value)
    if isinstance(term, ox.Literal):
        return (1, (term.language or "") != s.lang, str(term))
    return (2, False, str(term))  # a blank node (rdfs:comment [] validates): after the named values and literals


def graph_page(w: Writer, graph: str) -> None:
    s = w.site
    page = s.pages[graph]
    quads = s.by_graph[graph]
    alternates = w.rdf(page[: -len(".html")], [ox.Triple(q.subject, q.predicate, q.object) for q in quads])
    subjects = s.by_label({q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)
                           and s.target(q.subject.value)})
    w.render(page, "graph.html", title=s.short(graph) if s.short(graph) != graph else graph, iri=graph,
             canonical=graph, alternates=alternates, triples=len(quads),
             sources=s.source_links([graph], page), subjects=[s.link(i, page) for i in subjects])


def index_page(w: Writer) -> None:
    s = w.site
    page = "index.html"
    by_class: dict[str, list[str]] = defaultdict(list)
    for iri in s.resources:
        for t in s.asserted_types.get(iri, ()):
            by_class[t].append(iri)
    classes = []
    for c in s.by_label(by_class):
        members = s.by_label(by_class[c])
        label, lang = s.label(c)
        classes.append({"link": s.link(c, page), "anchor": "class-" + anchor(c), "label": label, "lang": lang,
                        "members": [s.link(m, page) for m in members]})
    graphs = [{"link": s.link(g, page), "triples": len(s.by_graph[g])} for g in s.graphs]
    w.render(page, "index.html", title=s.t["index_title"], classes=classes, graphs=graphs, canonical=s.base,
             alternates=[{"type": "text/turtle", "href": "dataset.ttl", "title": "VoID/DCAT (Turtle)"},
                         {"type": "application/ld+json", "href": "dataset.jsonld", "title": "VoID/DCAT (JSON-LD)"}])


def anchor(iri: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]).strip("-") or "x"



def sitemap(w: Writer) -> None:
    s = w.site
    urls = [s.base] + [iri for iri in sorted(s.pages) if iri != s.base]
    body = "".join(f"  <url><loc>{xml_escape(u)}</loc></url>\n" for u in urls)
    w.write("sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
                           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "</urlset>\n")
    w.write("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {s.base}sitemap.xml\n")


def server_configs(w: Writer) -> None:
    w.write(".htaccess", w.env.get_template("htaccess.txt").render())
    root = w.final.parent.resolve() / w.final.name  # the link, not the version it points at today
    w.write("deploy/nginx.conf", w.env.get_template("nginx.conf").render(root=str(root), base=w.site.base))
