"""The ontology documentation, written by pyLODE from the ontology graph and fitted into the site."""

from __future__ import annotations

import re
from collections import defaultdict

import pyoxigraph as ox

from wpsgraph.errors import require
from wpsgraph.namespaces import RDF, RDFS, SKOS
from wpsgraph.publishing.pages import Writer
from wpsgraph.publishing.site import DIAGRAM, Site, statement, subject_of


def ontology_graph_for_docs(s: Site):
    """The ontology (without SKOS vocabularies, which get pages of their own) in one language, for pyLODE."""
    import rdflib

    from wpsgraph.terms import to_rdflib

    graph = s.names.ontology_graph.value
    concepts = {subj for subj, pred, obj in map(statement, s.by_graph[graph])
                if pred == RDF + "type" and obj in (SKOS + "Concept", SKOS + "ConceptScheme")}
    by_sp: dict[tuple, list] = defaultdict(list)
    for q in s.by_graph[graph]:
        subject = subject_of(q)
        if subject in concepts:
            continue
        if subject == s.ontology_iri and q.predicate.value == RDFS + "label":
            continue  # pyLODE would run dct:title and rdfs:label together as the page title
        by_sp[(q.subject, q.predicate)].append(q.object)
    g = rdflib.Graph()
    for (subj, pred), objs in by_sp.items():
        tagged = [o for o in objs if isinstance(o, ox.Literal) and o.language]
        keep = objs
        chosen = s.pick(tagged)  # None when no object is tagged
        if chosen is not None:
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

    OntPub = require("pylode", "publish", "wpsgraph publish").OntPub

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
