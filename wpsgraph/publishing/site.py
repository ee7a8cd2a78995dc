"""Linked-data publishing: a static site in which every wpsgraph IRI dereferences to something useful.

``publish(out, names, lang)`` loads and reasons the graph, then writes into ``out``:

- a page per named resource (``<BASE>id/organisation/usnorthcom`` → ``id/organisation/usnorthcom.html``) with its
  label in the chosen language, types, properties, incoming links and the sources stating each fact, plus Turtle and
  JSON-LD alternates (``.ttl``, ``.jsonld``) announced with ``<link rel="alternate">``;
- a page per named graph (``graph/source/<stem>``) whose alternates hold the graph's triples;
- the ontology documentation (pyLODE) at ``ontology.html`` and a class diagram at ``doc/class-diagram.html``;
- a dataset description (VoID + DCAT) at ``dataset.html``/``.ttl``/``.jsonld`` and dumps in ``dumps/``;
- ``index.html`` (browse by class), ``sitemap.xml``, ``robots.txt``;
- content-negotiation configuration for Apache (``.htaccess``) and nginx (``deploy/nginx.conf``).

Paths mirror IRI paths under the base, so relative links work from ``file://``, from a static host and from the
extension-less IRIs a negotiating server answers.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence
from xml.sax.saxutils import escape as xml_escape

import pyoxigraph as ox

from wpsgraph import __version__
from wpsgraph.errors import WpsError
from wpsgraph.namespaces import DCT, FOAF, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, XSD, Names

LANGUAGES = ("en", "es", "fr")
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
VANN = "http://purl.org/vocab/vann/"

MEDIA = {
    ".html": "text/html",
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".trig": "application/trig",
    ".nq": "application/n-quads",
}
DUMPS = (  # (file, media type, format, holds graphs)
    ("wpsgraph.trig", "application/trig", ox.RdfFormat.TRIG, True),
    ("wpsgraph.nq", "application/n-quads", ox.RdfFormat.N_QUADS, True),
    ("wpsgraph.ttl", "text/turtle", ox.RdfFormat.TURTLE, False),
    ("wpsgraph.jsonld", "application/ld+json", ox.RdfFormat.JSON_LD, True),
)
DUMPS_DIR = "dumps"
DIAGRAM = "doc/class-diagram"
SAFE_PATH = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*")
LABEL_PREDICATES = (RDFS + "label", SKOS + "prefLabel", DCT + "title", SCHEMA + "name", FOAF + "name")
DESCRIPTION_PREDICATES = (RDFS + "comment", SKOS + "definition", DCT + "description")

# Words of the pages themselves, in each language a page can be written in (a data file, for translators).
UI = json.loads((Path(__file__).parent / "templates" / "ui-strings.json").read_text(encoding="utf-8"))


EXTERNAL_LABELS = {
    RDF + "type": {"en": "type", "es": "tipo", "fr": "type"},
    RDFS + "label": {"en": "label", "es": "etiqueta", "fr": "libellé"},
    RDFS + "comment": {"en": "comment", "es": "comentario", "fr": "commentaire"},
    RDFS + "seeAlso": {"en": "see also", "es": "véase también", "fr": "voir aussi"},
    RDFS + "isDefinedBy": {"en": "defined by", "es": "definido por", "fr": "défini par"},
    RDFS + "subClassOf": {"en": "subclass of", "es": "subclase de", "fr": "sous-classe de"},
    SKOS + "altLabel": {"en": "alternative label", "es": "etiqueta alternativa", "fr": "libellé alternatif"},
    SKOS + "prefLabel": {"en": "preferred label", "es": "etiqueta preferida", "fr": "libellé préféré"},
    SKOS + "definition": {"en": "definition", "es": "definición", "fr": "définition"},
    SKOS + "inScheme": {"en": "in scheme", "es": "en el esquema", "fr": "dans le schéma"},
    SKOS + "topConceptOf": {"en": "top concept of", "es": "concepto superior de", "fr": "concept de tête de"},
    SKOS + "Concept": {"en": "concept", "es": "concepto", "fr": "concept"},
    SKOS + "ConceptScheme": {"en": "concept scheme", "es": "esquema de conceptos", "fr": "schéma de concepts"},
    SKOS + "notation": {"en": "notation", "es": "notación", "fr": "notation"},
    DCT + "title": {"en": "title", "es": "título", "fr": "titre"},
    DCT + "publisher": {"en": "publisher", "es": "editor", "fr": "éditeur"},
    DCT + "issued": {"en": "issued", "es": "publicado", "fr": "publié"},
    DCT + "identifier": {"en": "identifier", "es": "identificador", "fr": "identifiant"},
    DCT + "source": {"en": "source", "es": "fuente", "fr": "source"},
    DCT + "hasVersion": {"en": "version", "es": "versión", "fr": "version"},
    SCHEMA + "url": {"en": "URL", "es": "URL", "fr": "URL"},
    SCHEMA + "identifier": {"en": "identifier", "es": "identificador", "fr": "identifiant"},
    SCHEMA + "legalName": {"en": "legal name", "es": "nombre oficial", "fr": "nom officiel"},
}


@dataclass
class Link:
    href: str | None
    text: str
    lang: str | None = None
    iri: str = ""


@dataclass
class Value:
    link: Link | None = None
    text: str = ""
    lang: str | None = None
    datatype: str = ""
    sources: list[Link] = field(default_factory=list)


@dataclass
class PublishResult:
    out: Path
    pages: int = 0
    resources: int = 0
    rdf_files: int = 0
    counts: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)


def _env():
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("wpsgraph.publishing", "templates"),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    return env


class Site:
    """The loaded, reasoned graph seen as a set of pages."""

    def __init__(self, store: ox.Store, names: Names, lang: str = "en"):
        if lang not in LANGUAGES:
            raise WpsError(f"--lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
        if not names.base.endswith("/"):
            raise WpsError(f"publishing needs a base IRI ending in '/', got {names.base!r}")
        self.names, self.lang, self.t = names, lang, UI[lang]
        self.base = names.base
        self.ontology_iri = names.base + "ontology"
        self.dataset_iri = names.base + "dataset"
        self.inferred = names.inferred_graph.value
        self.quads = sorted(store.quads_for_pattern(None, None, None, None), key=_quad_key)
        self.by_subject: dict[str, list[ox.Quad]] = defaultdict(list)
        self.by_object: dict[str, list[ox.Quad]] = defaultdict(list)
        self.by_graph: dict[str, list[ox.Quad]] = defaultdict(list)
        self.literals: dict[str, dict[str, list[ox.Literal]]] = defaultdict(lambda: defaultdict(list))
        for q in self.quads:
            s = q.subject.value
            self.by_subject[s].append(q)
            if isinstance(q.object, ox.NamedNode):
                self.by_object[q.object.value].append(q)
            elif isinstance(q.object, ox.Literal) and q.object not in self.literals[s][q.predicate.value]:
                self.literals[s][q.predicate.value].append(q.object)
            self.by_graph[q.graph_name.value].append(q)
        self.types: dict[str, set[str]] = defaultdict(set)           # all types, asserted and inferred
        self.asserted_types: dict[str, set[str]] = defaultdict(set)
        for q in self.quads:
            if q.predicate.value == RDF + "type" and isinstance(q.object, ox.NamedNode):
                self.types[q.subject.value].add(q.object.value)
                if q.graph_name.value != self.inferred:
                    self.asserted_types[q.subject.value].add(q.object.value)
        self.graphs = sorted(g for g in self.by_graph)
        self.resources = self._named_resources()
        self.pages: dict[str, str] = {}     # IRI (without fragment) → page path
        for iri in self.resources:
            self.pages[iri] = self.path_of(iri) + ".html"
        for g in self.graphs:
            self.pages[g] = self.path_of(g) + ".html"
        self.pages[self.base] = "index.html"
        self.pages[self.ontology_iri] = "ontology.html"
        self.pages[self.dataset_iri] = "dataset.html"
        self.graph_sources = {g: self._source_of_graph(g) for g in self.graphs}

    # ---- what gets a page, and where ----------------------------------------------------------------------

    def _named_resources(self) -> list[str]:
        """Every IRI under the base, other than the base, the ontology (and its terms), dataset and graphs."""
        found = set()
        for q in self.quads:
            for term in (q.subject, q.predicate, q.object):
                if isinstance(term, ox.NamedNode) and term.value.startswith(self.base):
                    found.add(term.value.partition("#")[0])
        special = {self.base, self.ontology_iri, self.dataset_iri, *self.graphs}
        out = []
        for iri in sorted(found - special):
            if SAFE_PATH.fullmatch(iri[len(self.base):]):
                out.append(iri)
        return out

    def path_of(self, iri: str) -> str:
        return iri[len(self.base):]

    def target(self, iri: str) -> str | None:
        """The site path (with fragment) an IRI dereferences to, or None for an IRI outside the site."""
        doc, hash_, frag = iri.partition("#")
        page = self.pages.get(doc)
        if page is None:
            return None
        return page + (hash_ + frag if frag else "")

    def href(self, iri: str, page: str) -> str:
        """A link from ``page`` to ``iri``: relative inside the site, the IRI itself outside."""
        target = self.target(iri)
        return iri if target is None else relative(target, page)

    # ---- labels -------------------------------------------------------------------------------------------

    def pick(self, literals: Sequence[ox.Literal]) -> ox.Literal | None:
        """The literal in the page language, else English, else untagged, else any."""
        for want in (self.lang, "en", None):
            for lit in literals:
                if (lit.language or None) == want:
                    return lit
        return literals[0] if literals else None

    def label(self, iri: str) -> tuple[str, str | None]:
        for p in LABEL_PREDICATES:
            lit = self.pick(self.literals.get(iri, {}).get(p, []))
            if lit is not None:
                return lit.value, lit.language or None
        if iri in EXTERNAL_LABELS:
            return EXTERNAL_LABELS[iri][self.lang], self.lang
        return self.short(iri), None

    def short(self, iri: str) -> str:
        best = None
        for prefix, ns in self.names.prefixes().items():
            if iri.startswith(ns) and (best is None or len(ns) > len(best[1])):
                best = (prefix, ns)
        if best and re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9._-]*", iri[len(best[1]):] or "-"):
            return f"{best[0]}:{iri[len(best[1]):]}"
        return iri

    def link(self, iri: str, page: str) -> Link:
        text, lang = self.label(iri)
        return Link(self.href(iri, page), text, lang, iri)

    def description(self, iri: str) -> tuple[str, str | None] | None:
        for p in DESCRIPTION_PREDICATES:
            lit = self.pick(self.literals.get(iri, {}).get(p, []))
            if lit is not None:
                return lit.value, lit.language or None
        return None

    # ---- provenance -----------------------------------------------------------------------------------------

    def _source_of_graph(self, graph: str) -> list[str]:
        """The source documents a named graph comes from."""
        if graph == self.inferred:
            return []
        if graph == self.names.ontology_graph.value:
            return [self.ontology_iri]
        doc = self.names.term("SourceDocument").value
        return sorted({q.subject.value for q in self.by_graph[graph]
                       if q.predicate.value == RDF + "type" and doc in self.types.get(q.subject.value, ())
                       and isinstance(q.subject, ox.NamedNode)})

    def source_links(self, graphs: Iterable[str], page: str) -> list[Link]:
        out, seen = [], set()
        for g in sorted(set(graphs)):
            if g == self.inferred:
                key, link = g, Link(None, self.t["inference"], self.lang, g)
            else:
                docs = self.graph_sources.get(g) or [g]
                for d in docs:
                    if d not in seen:
                        seen.add(d)
                        out.append(self.link(d, page))
                continue
            if key not in seen:
                seen.add(key)
                out.append(link)
        return out

    # ---- RDF for one resource -----------------------------------------------------------------------------

    def description_triples(self, iri: str) -> list[ox.Triple]:
        """What a resource's Turtle and JSON-LD hold: every triple with it as subject or object."""
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in self.by_subject.get(iri, [])}
        triples |= {ox.Triple(q.subject, q.predicate, q.object) for q in self.by_object.get(iri, [])}
        return sorted(triples, key=_triple_key)

    def value(self, term, page: str) -> Value:
        if isinstance(term, ox.NamedNode):
            return Value(link=self.link(term.value, page))
        if isinstance(term, ox.Literal):
            dt = term.datatype.value if term.datatype else ""
            shown = "" if term.language or dt in (XSD + "string", RDF + "langString") else self.short(dt)
            return Value(text=term.value, lang=term.language or None, datatype=shown)
        return Value(text=str(term))


def relative(target: str, page: str) -> str:
    path, hash_, frag = target.partition("#")
    rel = posixpath.relpath(path, posixpath.dirname(page) or ".")
    return rel + (hash_ + frag if frag else "")


def _term_key(term) -> tuple:
    if term is None:
        return (0, "")
    return (0 if isinstance(term, ox.NamedNode) else 1 if isinstance(term, ox.BlankNode) else 2, str(term))


def _triple_key(t) -> tuple:
    return (_term_key(t.subject), _term_key(t.predicate), _term_key(t.object))


def _quad_key(q) -> tuple:
    return (_term_key(q.subject), _term_key(q.predicate), _term_key(q.object), _term_key(q.graph_name))


# ---- the pages ----------------------------------------------------------------------------------------------


class Writer:
    def __init__(self, site: Site, out: Path):
        self.site, self.out, self.env = site, out, _env()
        self.written: list[str] = []
        self.rdf_files: list[str] = []
        self.final = out

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
        self.write(path_stem + ".ttl", ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes))
        self.write(path_stem + ".jsonld", ox.serialize(triples, format=ox.RdfFormat.JSON_LD))
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
        key = _term_key(q.object)
        objects[key] = q.object
        (inferred if q.graph_name.value == s.inferred else asserted)[p][key].add(q.graph_name.value)
    rows = _rows(s, asserted, objects, page)
    inferred_rows = _rows(s, {p: {k: g for k, g in v.items() if k not in asserted.get(p, {})}
                              for p, v in inferred.items()}, objects, page)
    incoming_map: dict[tuple[str, str], set[str]] = defaultdict(set)
    for q in s.by_object.get(iri, []):
        if q.graph_name.value != s.inferred and isinstance(q.subject, ox.NamedNode):
            incoming_map[(q.subject.value, q.predicate.value)].add(q.graph_name.value)
    incoming = [{"subject": s.link(subj, page), "property": s.link(p, page), "sources": s.source_links(g, page)}
                for (subj, p), g in sorted(incoming_map.items(),
                                           key=lambda kv: (s.label(kv[0][0])[0].casefold(), kv[0][1]))]
    types = [s.link(t, page) for t in sorted(s.asserted_types.get(iri, ()), key=lambda t: s.label(t)[0])]
    graphs = {q.graph_name.value for q in s.by_subject.get(iri, []) if q.graph_name.value != s.inferred}
    stated = set()
    for q in s.by_subject.get(iri, []):
        if q.predicate.value == s.names.term("statedIn").value and isinstance(q.object, ox.NamedNode):
            stated.add(q.object.value)
    sources = s.source_links(graphs, page)
    known = {l.iri for l in sources}
    sources += [s.link(d, page) for d in sorted(stated) if d not in known]
    alt_labels = [s.value(l, page) for l in s.literals.get(iri, {}).get(SKOS + "altLabel", [])]
    w.render(page, "resource.html", title=title, title_lang=title_lang, iri=iri, alternates=alternates,
             canonical=iri, types=types, rows=rows, inferred_rows=inferred_rows,
             inferred_count=sum(len(r["values"]) for r in inferred_rows), incoming=incoming, sources=sources,
             alt_labels=alt_labels, description=s.description(iri))


def _rows(s: Site, facts: dict, objects: dict, page: str) -> list[dict]:
    rows = []
    for p in sorted(facts, key=lambda p: (p != RDFS + "label", s.label(p)[0].casefold())):
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
        return (0, s.label(term.value)[0].casefold())
    return (1, (term.language or "") != s.lang, str(term))


def graph_page(w: Writer, graph: str) -> None:
    s = w.site
    page = s.pages[graph]
    quads = s.by_graph[graph]
    alternates = w.rdf(page[: -len(".html")], [ox.Triple(q.subject, q.predicate, q.object) for q in quads])
    subjects = sorted({q.subject.value for q in quads if isinstance(q.subject, ox.NamedNode)
                       and s.target(q.subject.value)}, key=lambda i: s.label(i)[0].casefold())
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
    for c in sorted(by_class, key=lambda c: s.label(c)[0].casefold()):
        members = sorted(by_class[c], key=lambda i: s.label(i)[0].casefold())
        label, lang = s.label(c)
        classes.append({"link": s.link(c, page), "anchor": "class-" + _anchor(c), "label": label, "lang": lang,
                        "members": [s.link(m, page) for m in members]})
    graphs = [{"link": s.link(g, page), "triples": len(s.by_graph[g])} for g in s.graphs]
    w.render(page, "index.html", title=s.t["index_title"], classes=classes, graphs=graphs, canonical=s.base,
             alternates=[{"type": "text/turtle", "href": "dataset.ttl", "title": "VoID/DCAT (Turtle)"},
                         {"type": "application/ld+json", "href": "dataset.jsonld", "title": "VoID/DCAT (JSON-LD)"}])


def _anchor(iri: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]).strip("-") or "x"


# ---- the dataset description --------------------------------------------------------------------------------


def dataset_triples(s: Site, dump_sizes: dict[str, int], license_iri: str | None) -> list[ox.Triple]:
    N, L = ox.NamedNode, ox.Literal
    ds = N(s.dataset_iri)
    a = N(RDF + "type")
    integer = N(XSD + "integer")

    def n(v):
        return L(str(v), datatype=integer)

    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in s.quads}
    subjects = {t.subject for t in triples}
    props = {t.predicate for t in triples}
    classes = {t.object for t in triples if t.predicate.value == RDF + "type"}
    out = [
        ox.Triple(ds, a, N(VOID + "Dataset")),
        ox.Triple(ds, a, N(DCAT + "Dataset")),
        ox.Triple(ds, N(DCT + "title"), L("wpsgraph: Women, Peace and Security knowledge graph", language="en")),
        ox.Triple(ds, N(DCT + "description"), L(UI["en"]["index_intro"], language="en")),
        ox.Triple(ds, N(RDFS + "label"), L(UI["en"]["index_title"], language="en")),
        ox.Triple(ds, N(FOAF + "homepage"), N(s.base)),
        ox.Triple(ds, N(DCAT + "landingPage"), N(s.base)),
        ox.Triple(ds, N(VOID + "uriSpace"), L(s.names.id)),
        ox.Triple(ds, N(VOID + "vocabulary"), N(s.names.wps)),
        ox.Triple(ds, N(VOID + "rootResource"), N(s.base)),
        ox.Triple(ds, N(VOID + "triples"), n(len(triples))),
        ox.Triple(ds, N(VOID + "entities"), n(len(s.resources))),
        ox.Triple(ds, N(VOID + "distinctSubjects"), n(len(subjects))),
        ox.Triple(ds, N(VOID + "properties"), n(len(props))),
        ox.Triple(ds, N(VOID + "classes"), n(len(classes))),
        ox.Triple(ds, N(DCT + "conformsTo"), N(s.ontology_iri)),
        ox.Triple(ds, N(VOID + "feature"), N("http://www.w3.org/ns/formats/TriG")),
        ox.Triple(ds, N(VOID + "feature"), N("http://www.w3.org/ns/formats/N-Quads")),
        ox.Triple(ds, N(VOID + "feature"), N("http://www.w3.org/ns/formats/Turtle")),
        ox.Triple(ds, N(VOID + "feature"), N("http://www.w3.org/ns/formats/JSON-LD")),
    ]
    for lang in ("es", "fr"):
        out.append(ox.Triple(ds, N(RDFS + "label"), L(UI[lang]["index_title"], language=lang)))
    if license_iri:
        out.append(ox.Triple(ds, N(DCT + "license"), N(license_iri)))
    for name, media, _fmt, _graphs in DUMPS:
        url = N(s.base + DUMPS_DIR + "/" + name)
        dist = N(s.dataset_iri + "#dump-" + name.rsplit(".", 1)[1])
        out += [
            ox.Triple(ds, N(VOID + "dataDump"), url),
            ox.Triple(ds, N(DCAT + "distribution"), dist),
            ox.Triple(dist, a, N(DCAT + "Distribution")),
            ox.Triple(dist, N(DCAT + "downloadURL"), url),
            ox.Triple(dist, N(DCAT + "accessURL"), url),
            ox.Triple(dist, N(DCAT + "mediaType"), N("https://www.iana.org/assignments/media-types/" + media)),
            ox.Triple(dist, N(DCAT + "byteSize"), L(str(dump_sizes[name]), datatype=N(XSD + "nonNegativeInteger"))),
            ox.Triple(dist, N(DCT + "title"), L(f"wpsgraph dump ({name.rsplit('.', 1)[1]})", language="en")),
        ]
        if license_iri:
            out.append(ox.Triple(dist, N(DCT + "license"), N(license_iri)))
    class_counts: dict[str, int] = defaultdict(int)
    for iri in s.resources:
        for c in s.asserted_types.get(iri, ()):
            class_counts[c] += 1
    for c, count in sorted(class_counts.items()):
        part = N(s.dataset_iri + "#class-" + _anchor(c))
        out += [ox.Triple(ds, N(VOID + "classPartition"), part), ox.Triple(part, N(VOID + "class"), N(c)),
                ox.Triple(part, N(VOID + "entities"), n(count))]
    for g in s.graphs:
        node = N(g)
        out += [ox.Triple(ds, N(VOID + "subset"), node), ox.Triple(node, a, N(VOID + "Dataset")),
                ox.Triple(node, N(VOID + "triples"), n(len(s.by_graph[g]))),
                ox.Triple(node, N(VOID + "dataDump"), N(g + ".ttl"))]
        for d in s.graph_sources.get(g, []):
            out.append(ox.Triple(node, N(DCT + "source"), N(d)))
    for ex in example_resources(s):
        out.append(ox.Triple(ds, N(VOID + "exampleResource"), N(ex)))
    return sorted(set(out), key=_triple_key)


def example_resources(s: Site) -> list[str]:
    """One resource of each of a few central classes, the first by IRI."""
    wanted = ("MilitaryCommand", "Event", "NationalActionPlan", "Resolution", "Person")
    out = []
    for local in wanted:
        cls = s.names.term(local).value
        members = [r for r in s.resources if cls in s.types.get(r, ())]
        if members:
            out.append(members[0])
    return out or s.resources[:3]


def dataset_page(w: Writer, license_iri: str | None) -> None:
    s = w.site
    sizes = {}
    for name, _media, fmt, graphs in DUMPS:
        if graphs:
            data = ox.serialize(s.quads, format=fmt, **({"prefixes": s.names.prefixes()}
                                                         if fmt == ox.RdfFormat.TRIG else {}))
        else:
            triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in s.quads}, key=_triple_key)
            data = ox.serialize(triples, format=fmt, prefixes=s.names.prefixes())
        w.write(DUMPS_DIR + "/" + name, data)
        sizes[name] = len(data)
    triples = dataset_triples(s, sizes, license_iri)
    prefixes = {**s.names.prefixes(), "void": VOID, "dcat": DCAT}
    alternates = w.rdf("dataset", triples, prefixes)
    page = "dataset.html"
    stats = [(s.t["triples"], _count(triples, VOID + "triples", s.dataset_iri)),
             (s.t["entities"], len(s.resources)),
             (s.t["classes"], _count(triples, VOID + "classes", s.dataset_iri)),
             (s.t["properties_count"], _count(triples, VOID + "properties", s.dataset_iri)),
             (s.t["graphs"], len(s.graphs))]
    dists = [{"anchor": "dump-" + name.rsplit(".", 1)[1], "href": DUMPS_DIR + "/" + name, "name": name,
              "media": media, "size": sizes[name]} for name, media, _f, _g in DUMPS]
    dists += [{"anchor": "dump-description-" + ext, "href": "dataset." + ext, "name": "dataset." + ext,
               "media": MEDIA["." + ext], "size": (w.out / ("dataset." + ext)).stat().st_size}
              for ext in ("ttl", "jsonld")]
    w.render(page, "dataset.html", title=s.t["dataset"], iri=s.dataset_iri, canonical=s.dataset_iri,
             alternates=alternates, stats=stats, dists=dists,
             license=s.link(license_iri, page) if license_iri else None,
             examples=[s.link(e, page) for e in example_resources(s)],
             graphs=[{"link": s.link(g, page), "triples": len(s.by_graph[g])} for g in s.graphs])


def _count(triples, predicate: str, subject: str) -> int:
    return next(int(t.object.value) for t in triples
                if t.predicate.value == predicate and t.subject.value == subject)


# ---- ontology documentation and class diagram ---------------------------------------------------------------


def ontology_graph_for_docs(s: Site):
    """The ontology (without SKOS vocabularies, which get pages of their own) in one language, for pyLODE."""
    import rdflib

    from wpsgraph.terms import to_rdflib

    graph = s.names.ontology_graph.value
    concepts = {q.subject.value for q in s.by_graph[graph] if q.predicate.value == RDF + "type"
                and q.object.value in (SKOS + "Concept", SKOS + "ConceptScheme")}
    by_sp: dict[tuple, list] = defaultdict(list)
    for q in s.by_graph[graph]:
        if q.subject.value in concepts:
            continue
        if q.subject.value == s.ontology_iri and q.predicate.value == RDFS + "label":
            continue  # pyLODE would run dct:title and rdfs:label together as the page title
        by_sp[(q.subject, q.predicate)].append(q.object)
    g = rdflib.Graph()
    for (subj, pred), objs in by_sp.items():
        tagged = [o for o in objs if isinstance(o, ox.Literal) and o.language]
        keep = objs
        if tagged:
            chosen = s.pick(tagged)
            keep = [o for o in objs if not (isinstance(o, ox.Literal) and o.language)
                    or o.language == chosen.language]
        for o in keep:
            g.add((to_rdflib(subj), to_rdflib(pred), to_rdflib(o)))
    return g, [ox.Triple(q.subject, q.predicate, q.object) for q in s.by_graph[graph]]


def ontology_page(w: Writer) -> None:
    s = w.site
    doc_graph, triples = ontology_graph_for_docs(s)
    w.rdf("ontology", triples)
    html = _pylode(doc_graph)
    html = _fix_pylode(html, s)
    w.write("ontology.html", html)


def _pylode(graph) -> str:
    import logging

    from pylode import OntPub

    quiet = [logging.getLogger(n) for n in ("", "asyncio", "httpx")]
    levels = [lg.level for lg in quiet]
    for lg in quiet:
        lg.setLevel(logging.WARNING)
    try:
        return OntPub(ontology=graph).make_html()
    finally:
        for lg, level in zip(quiet, levels):
            lg.setLevel(level)


def _fix_pylode(html: str, s: Site) -> str:
    """pyLODE's page, made part of the site: language, phone viewport, alternates, a way home, and anchors that
    are the terms' local names (so ``ontology#Actor`` lands on Actor)."""
    # pyLODE names each section after the term's title; rename the anchors to local names.
    renames = {}
    for m in re.finditer(r'<div class="[^"]*entity[^"]*" id="([^"]+)">.*?<code>([^<]+)</code>', html, re.S):
        fid, iri = m.group(1), m.group(2)
        if iri.startswith(s.names.wps):
            local = iri[len(s.names.wps):]
            if fid != local:
                renames[fid] = local
    if renames:
        pattern = re.compile(r'(id="|href="#)(' + "|".join(re.escape(k) for k in renames) + r')"')
        html = pattern.sub(lambda m: m.group(1) + renames[m.group(2)] + '"', html)
    html = html.replace("<html>", f'<html lang="{s.lang}">', 1)
    head = ('<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<link rel="alternate" type="text/turtle" href="ontology.ttl" title="Turtle">\n'
            '<link rel="alternate" type="application/ld+json" href="ontology.jsonld" title="JSON-LD">\n'
            '<style>body{max-width:100%;overflow-wrap:anywhere}table{display:block;overflow-x:auto}'
            '#wpsgraph-nav{padding:.5em 1em;background:#1d3557}#wpsgraph-nav a{color:#fff;margin-right:1em}'
            '#pylode{display:none}@media (max-width:40em){#content{padding:0 .5em}}</style>\n')
    html = html.replace("<head>", "<head>\n" + head, 1)
    nav = (f'<nav id="wpsgraph-nav" aria-label="{s.t["site"]}"><a href="index.html">{s.t["home"]}</a>'
           f'<a href="{DIAGRAM}.html">{s.t["diagram"]}</a><a href="dataset.html">{s.t["dataset"]}</a></nav>')
    html = re.sub(r"<body([^>]*)>", lambda m: f"<body{m.group(1)}>\n{nav}", html, count=1)
    return html


def diagram_page(w: Writer) -> None:
    s = w.site
    graph = s.names.ontology_graph.value
    wps = s.names.wps
    classes = sorted({q.subject.value for q in s.by_graph[graph] if q.predicate.value == RDF + "type"
                      and q.object.value == OWL + "Class" and q.subject.value.startswith(wps)})
    parents: dict[str, list[str]] = {c: [] for c in classes}
    for q in s.by_graph[graph]:
        if q.predicate.value == RDFS + "subClassOf" and q.subject.value in parents and q.object.value in parents:
            parents[q.subject.value].append(q.object.value)
    ranges = {q.subject.value: q.object.value for q in s.by_graph[graph] if q.predicate.value == RDFS + "range"}
    attrs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for q in s.by_graph[graph]:
        if q.predicate.value == RDFS + "domain" and q.object.value in parents:
            p = q.subject.value
            attrs[q.object.value].append((_local(p, wps), _local(ranges.get(p, ""), wps) if p in ranges else ""))
    children: dict[str | None, list[str]] = defaultdict(list)
    for c in classes:
        children[sorted(parents[c])[0] if parents[c] else None].append(c)
    order: list[tuple[str, int]] = []

    def walk(node, depth):
        for c in sorted(children.get(node, []), key=lambda c: _local(c, wps)):
            order.append((c, depth))
            walk(c, depth + 1)

    walk(None, 0)
    svg = class_diagram_svg(order, parents, attrs, wps)
    w.write(DIAGRAM + ".svg", svg)
    page = DIAGRAM + ".html"
    tree = [{"link": Link(relative("ontology.html#" + _local(c, wps), page), _local(c, wps), None, c),
             "depth": depth, "label": s.label(c),
             "others": [Link(relative("ontology.html#" + _local(p, wps), page), _local(p, wps), None, p)
                        for p in sorted(parents[c])[1:]],
             "attrs": sorted(attrs.get(c, []))} for c, depth in order]
    w.render(page, "diagram.html", title=s.t["diagram"], svg=posixpath.basename(DIAGRAM) + ".svg", tree=tree)


def _local(iri: str, wps: str) -> str:
    if iri.startswith(wps):
        return iri[len(wps):]
    for prefix, ns in (("xsd", XSD), ("rdfs", RDFS), ("skos", SKOS), ("schema", SCHEMA), ("foaf", FOAF),
                       ("dct", DCT), ("owl", OWL), ("prov", PROV), ("org", ORG)):
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def class_diagram_svg(order, parents, attrs, wps) -> str:
    """A UML-style class diagram: each class a box with its properties, indented under its superclass."""
    indent, line, head, gap, char = 26, 15, 22, 10, 7.4
    y = 10
    boxes = {}
    parts = []
    width = 0
    for c, depth in order:
        props = sorted(attrs.get(c, []))
        name = _local(c, wps)
        rows = [f"{p} : {r}" if r else p for p, r in props]
        w = max([len(name) * 8.0] + [len(r) * char for r in rows]) + 16
        h = head + (len(rows) * line + 6 if rows else 0)
        x = 10 + depth * indent
        boxes[c] = (x, y, w, h)
        width = max(width, x + w + 10)
        y += h + gap
    height = y
    for c, depth in order:
        x, y0, w, h = boxes[c]
        for p in parents[c][:1]:
            if p in boxes:
                px, py, pw, ph = boxes[p]
                vx = px + 10
                parts.append(f'<path d="M{vx},{py + ph} V{y0 + 11} H{x}" class="edge"/>')
                parts.append(f'<path d="M{x - 7},{y0 + 7} L{x},{y0 + 11} L{x - 7},{y0 + 15} Z" class="arrow"/>')
    for c, depth in order:
        x, y0, w, h = boxes[c]
        name = _local(c, wps)
        parts.append(f'<g><title>{xml_escape(c)}</title>'
                     f'<rect x="{x}" y="{y0}" width="{w:.0f}" height="{h}" rx="3" class="box"/>'
                     f'<text x="{x + 8}" y="{y0 + 15}" class="name">{xml_escape(name)}</text>')
        props = sorted(attrs.get(c, []))
        if props:
            parts.append(f'<line x1="{x}" y1="{y0 + head}" x2="{x + w:.0f}" y2="{y0 + head}" class="sep"/>')
        for i, (p, r) in enumerate(props):
            text = f"{p} : {r}" if r else p
            parts.append(f'<text x="{x + 8}" y="{y0 + head + 14 + i * line}" class="attr">{xml_escape(text)}</text>')
        parts.append("</g>")
    style = ("<style>.box{fill:#f1f5fb;stroke:#1d3557;stroke-width:1}.name{font:bold 13px sans-serif;fill:#1d3557}"
             ".attr{font:12px monospace;fill:#333}.sep{stroke:#1d3557}.edge{fill:none;stroke:#777}"
             ".arrow{fill:#fff;stroke:#777}</style>")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height}" '
            f'viewBox="0 0 {width:.0f} {height}" role="img" aria-labelledby="diagram-title">'
            f'<title id="diagram-title">wpsgraph ontology: class diagram</title>{style}' + "".join(parts) + "</svg>\n")


# ---- sitemap and server configuration -----------------------------------------------------------------------


def sitemap(w: Writer) -> None:
    s = w.site
    urls = [s.base] + [iri for iri in sorted(s.pages) if iri != s.base]
    body = "".join(f"  <url><loc>{xml_escape(u)}</loc></url>\n" for u in urls)
    w.write("sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
                           '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + body + "</urlset>\n")
    w.write("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {s.base}sitemap.xml\n")


def server_configs(w: Writer) -> None:
    w.write(".htaccess", w.env.get_template("htaccess.txt").render())
    w.write("deploy/nginx.conf", w.env.get_template("nginx.conf").render(root=str(w.final.resolve()),
                                                                           base=w.site.base))


# ---- the whole site -----------------------------------------------------------------------------------------


def publish(out: Path, names: Names | None = None, lang: str = "en", data_files: Sequence[Path] | None = None,
            progress: Callable[[str], None] | None = None, loaded=None) -> PublishResult:
    """Write the site into ``out`` (replaced whole: written beside it, then swapped in)."""
    from wpsgraph.pipeline.build import in_memory

    names = names or Names()
    say = progress or (lambda _m: None)
    out = Path(out)
    timings = {}
    clock = time.perf_counter()
    if loaded is None:
        loaded = in_memory(data_files, names)
    _rebase_namespace_literals(loaded)
    site = Site(loaded.store, loaded.names, lang)
    timings["load"] = time.perf_counter() - clock
    say(f"load and reason: {len(site.quads)} quads, {len(site.resources)} named resources "
        f"({timings['load']:.2f} s)")
    tmp = out.parent / f".{out.name}.partial"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    try:
        w = Writer(site, tmp)
        w.final = out
        clock = time.perf_counter()
        for iri in site.resources:
            resource_page(w, iri)
        for g in site.graphs:
            graph_page(w, g)
        index_page(w)
        license_iri = next((q.object.value for q in site.by_subject.get(site.ontology_iri, [])
                            if q.predicate.value == DCT + "license"), None)
        dataset_page(w, license_iri)
        diagram_page(w)
        timings["pages"] = time.perf_counter() - clock
        say(f"pages: {len(w.written)} HTML pages ({timings['pages']:.2f} s)")
        clock = time.perf_counter()
        ontology_page(w)
        timings["ontology"] = time.perf_counter() - clock
        say(f"ontology documentation: pyLODE ({timings['ontology']:.2f} s)")
        w.write("style.css", (Path(__file__).parent / "templates" / "style.css").read_text(encoding="utf-8"))
        sitemap(w)
        server_configs(w)
        _check_no_stale_base(site, tmp)
        _swap(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    result = PublishResult(out, pages=len(w.written), resources=len(site.resources), rdf_files=len(w.rdf_files),
                           counts={"quads": len(site.quads), "graphs": len(site.graphs)}, timings=timings)
    say(f"published {out}: {result.pages} pages, {result.rdf_files} RDF files")
    return result


def _rebase_namespace_literals(loaded) -> None:
    """The ontology states its namespace as a literal (vann:preferredNamespaceUri), which loading does not rebase."""
    from wpsgraph.namespaces import DEFAULT_BASE

    names = loaded.names
    if names.base == DEFAULT_BASE:
        return
    pred = ox.NamedNode(VANN + "preferredNamespaceUri")
    for q in list(loaded.store.quads_for_pattern(None, pred, None, None)):
        if isinstance(q.object, ox.Literal) and q.object.value.startswith(DEFAULT_BASE):
            loaded.store.remove(q)
            loaded.store.add(ox.Quad(q.subject, q.predicate,
                                     ox.Literal(names.rebase(q.object.value), datatype=q.object.datatype),
                                     q.graph_name))


def _check_no_stale_base(site: Site, folder: Path) -> None:
    """Nothing may mention the default base when another was asked for (a rebasing bug would show here)."""
    from wpsgraph.namespaces import DEFAULT_BASE

    if site.base == DEFAULT_BASE or site.base.startswith(DEFAULT_BASE):
        return
    for path in folder.rglob("*"):
        if path.is_file() and DEFAULT_BASE in path.read_text(encoding="utf-8", errors="replace"):
            raise RuntimeError(f"{path.relative_to(folder)} still mentions {DEFAULT_BASE}")


def _swap(tmp: Path, out: Path) -> None:
    if out.exists():
        if any(out.iterdir()) and not (out / "sitemap.xml").exists():
            raise WpsError(f"{out}: exists and is not a wpsgraph site; refusing to replace it")
        old = out.parent / f".{out.name}.old"
        if old.exists():
            shutil.rmtree(old)
        out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(out)


__all__ = ["publish", "Site", "PublishResult", "LANGUAGES", "MEDIA", "DUMPS"]
