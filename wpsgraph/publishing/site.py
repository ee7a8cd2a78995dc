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
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from wpsgraph.errors import WpsError, require
from wpsgraph.namespaces import DCT, FOAF, RDF, RDFS, SCHEMA, SKOS, XSD, Names
from wpsgraph.pipeline.stable import stable_quads

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
# What the site itself writes at the top of the base (the home page, the sitemap...): no data IRI may take them
RESERVED_PAGES = frozenset({"index", "sitemap", "robots", "style"})
RESERVED_FOLDERS = ("doc/", "deploy/", DUMPS_DIR + "/")
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


def template_env():
    jinja2 = require("jinja2", "publish", "wpsgraph publish")

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
        # blank nodes (the ontology's lists) canonically labelled: the files and pages that show them are then
        # the same bytes on every run, not the labels Oxigraph happened to draw
        self.quads = sorted(stable_quads(store.quads_for_pattern(None, None, None, None)), key=quad_key)
        self.by_subject: dict[str, list[ox.Quad]] = defaultdict(list)
        self.by_object: dict[str, list[ox.Quad]] = defaultdict(list)
        self.by_graph: dict[str, list[ox.Quad]] = defaultdict(list)
        self.literals: dict[str, dict[str, list[ox.Literal]]] = defaultdict(lambda: defaultdict(list))
        for q in self.quads:
            s = subject_of(q)
            self.by_subject[s].append(q)
            if isinstance(q.object, ox.NamedNode):
                self.by_object[q.object.value].append(q)
            elif isinstance(q.object, ox.Literal) and q.object not in self.literals[s][q.predicate.value]:
                self.literals[s][q.predicate.value].append(q.object)
            self.by_graph[graph_of(q)].append(q)
        self.types: dict[str, set[str]] = defaultdict(set)           # all types, asserted and inferred
        self.asserted_types: dict[str, set[str]] = defaultdict(set)
        for q in self.quads:
            if q.predicate.value == RDF + "type" and isinstance(q.object, ox.NamedNode):
                self.types[subject_of(q)].add(q.object.value)
                if graph_of(q) != self.inferred:
                    self.asserted_types[subject_of(q)].add(q.object.value)
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
            path = iri[len(self.base):]
            if SAFE_PATH.fullmatch(path):
                if path in RESERVED_PAGES or path.startswith(RESERVED_FOLDERS):
                    raise WpsError(f"<{iri}>: this data IRI would take the site's own page /{path} (reserved: "
                                   f"{', '.join(sorted(RESERVED_PAGES))} and the folders "
                                   f"{', '.join(RESERVED_FOLDERS)}): give the resource another IRI")
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

    def by_label(self, iris: Iterable[str]) -> list[str]:
        """``iris`` in the order of their labels; two with the same label in the order of their IRIs, so that a
        page lists them the same way on every run."""
        return sorted(iris, key=lambda i: (self.label(i)[0].casefold(), i))

    def short(self, iri: str) -> str:
        curie = self.names.compact(iri)
        # only a local name that reads as one (no '/', '?', ...) makes a prefixed name worth showing
        if curie and re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9._-]*", curie.split(":", 1)[1] or "-"):
            return curie
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
                       if isinstance(q.subject, ox.NamedNode) and q.predicate.value == RDF + "type"
                       and doc in self.types.get(q.subject.value, ())})

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
        return sorted(triples, key=triple_key)

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


def subject_of(q: ox.Quad) -> str:
    """The IRI or blank-node label of a quad's subject (Oxigraph 0.5 refuses a triple term as a subject, though its
    type stubs allow one)."""
    assert not isinstance(q.subject, ox.Triple), q
    return q.subject.value


def graph_of(q: ox.Quad) -> str:
    """The IRI of a quad's graph: loading and reasoning put every statement in a named graph."""
    assert isinstance(q.graph_name, ox.NamedNode), q
    return q.graph_name.value


def statement(q: ox.Quad) -> tuple[str, str, str]:
    """A quad's subject, predicate and object as text (IRIs, blank-node labels, lexical forms), for a graph without
    triple terms such as the ontology's."""
    assert not isinstance(q.object, ox.Triple), q
    return subject_of(q), q.predicate.value, q.object.value


def term_key(term) -> tuple:
    if term is None:
        return (0, "")
    return (0 if isinstance(term, ox.NamedNode) else 1 if isinstance(term, ox.BlankNode) else 2, str(term))


def triple_key(t) -> tuple:
    return (term_key(t.subject), term_key(t.predicate), term_key(t.object))


def quad_key(q) -> tuple:
    return (term_key(q.subject), term_key(q.predicate), term_key(q.object), term_key(q.graph_name))


__all__ = ["Site", "PublishResult", "LANGUAGES", "MEDIA", "DUMPS"]
