"""The dataset description: VoID + DCAT (counts, class partitions, named graphs, licence, dumps, examples)."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from wpsgraph.namespaces import DCT, FOAF, RDF, RDFS, XSD
from wpsgraph.publishing.pages import Writer, anchor
from wpsgraph.publishing.site import DCAT, DUMPS, DUMPS_DIR, MEDIA, UI, VOID, Site, triple_key


def dataset_triples(s: Site, dump_sizes: dict[str, int], license_iri: str | None) -> list[ox.Triple]:
    """The VoID + DCAT description of the dataset: what it is, its statistics, dumps, class partitions, named
    graphs and example resources."""
    ds = ox.NamedNode(s.dataset_iri)
    out = _about(s, ds, license_iri) + _statistics(s, ds) + _distributions(s, ds, dump_sizes, license_iri)
    out += _class_partitions(s, ds) + _graph_subsets(s, ds)
    out += [ox.Triple(ds, ox.NamedNode(VOID + "exampleResource"), ox.NamedNode(ex)) for ex in example_resources(s)]
    return sorted(set(out), key=triple_key)


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(XSD + "integer"))


def _about(s: Site, ds: ox.NamedNode, license_iri: str | None) -> list[ox.Triple]:
    N, L = ox.NamedNode, ox.Literal
    out = [
        ox.Triple(ds, N(RDF + "type"), N(VOID + "Dataset")),
        ox.Triple(ds, N(RDF + "type"), N(DCAT + "Dataset")),
        ox.Triple(ds, N(DCT + "title"), L("wpsgraph: Women, Peace and Security knowledge graph", language="en")),
        ox.Triple(ds, N(DCT + "description"), L(UI["en"]["index_intro"], language="en")),
        ox.Triple(ds, N(FOAF + "homepage"), N(s.base)),
        ox.Triple(ds, N(DCAT + "landingPage"), N(s.base)),
        ox.Triple(ds, N(VOID + "uriSpace"), L(s.names.id)),
        ox.Triple(ds, N(VOID + "vocabulary"), N(s.names.wps)),
        ox.Triple(ds, N(VOID + "rootResource"), N(s.base)),
        ox.Triple(ds, N(DCT + "conformsTo"), N(s.ontology_iri)),
    ]
    out += [ox.Triple(ds, N(VOID + "feature"), N("http://www.w3.org/ns/formats/" + f))
            for f in ("TriG", "N-Quads", "Turtle", "JSON-LD")]
    out += [ox.Triple(ds, N(RDFS + "label"), L(UI[lang]["index_title"], language=lang)) for lang in ("en", "es", "fr")]
    if license_iri:
        out.append(ox.Triple(ds, N(DCT + "license"), N(license_iri)))
    return out


def _statistics(s: Site, ds: ox.NamedNode) -> list[ox.Triple]:
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in s.quads}
    counts = {
        "triples": len(triples),
        "entities": len(s.resources),
        "distinctSubjects": len({t.subject for t in triples}),
        "properties": len({t.predicate for t in triples}),
        "classes": len({t.object for t in triples if t.predicate.value == RDF + "type"}),
    }
    return [ox.Triple(ds, ox.NamedNode(VOID + k), _integer(v)) for k, v in counts.items()]


def _distributions(s: Site, ds: ox.NamedNode, dump_sizes: dict[str, int], license_iri: str | None) -> list[ox.Triple]:
    N, L = ox.NamedNode, ox.Literal
    out = []
    for name, media, _fmt, _graphs in DUMPS:
        url = N(s.base + DUMPS_DIR + "/" + name)
        dist = N(s.dataset_iri + "#dump-" + name.rsplit(".", 1)[1])
        out += [
            ox.Triple(ds, N(VOID + "dataDump"), url),
            ox.Triple(ds, N(DCAT + "distribution"), dist),
            ox.Triple(dist, N(RDF + "type"), N(DCAT + "Distribution")),
            ox.Triple(dist, N(DCAT + "downloadURL"), url),
            ox.Triple(dist, N(DCAT + "accessURL"), url),
            ox.Triple(dist, N(DCAT + "mediaType"), N("https://www.iana.org/assignments/media-types/" + media)),
            ox.Triple(dist, N(DCAT + "byteSize"), L(str(dump_sizes[name]), datatype=N(XSD + "nonNegativeInteger"))),
            ox.Triple(dist, N(DCT + "title"), L(f"wpsgraph dump ({name.rsplit('.', 1)[1]})", language="en")),
        ]
        if license_iri:
            out.append(ox.Triple(dist, N(DCT + "license"), N(license_iri)))
    return out


def _class_partitions(s: Site, ds: ox.NamedNode) -> list[ox.Triple]:
    N = ox.NamedNode
    class_counts: dict[str, int] = defaultdict(int)
    for iri in s.resources:
        for c in s.asserted_types.get(iri, ()):
            class_counts[c] += 1
    out = []
    for c, count in sorted(class_counts.items()):
        part = N(s.dataset_iri + "#class-" + anchor(c))
        out += [ox.Triple(ds, N(VOID + "classPartition"), part), ox.Triple(part, N(VOID + "class"), N(c)),
                ox.Triple(part, N(VOID + "entities"), _integer(count))]
    return out


def _graph_subsets(s: Site, ds: ox.NamedNode) -> list[ox.Triple]:
    N = ox.NamedNode
    out = []
    for g in s.graphs:
        node = N(g)
        out += [ox.Triple(ds, N(VOID + "subset"), node), ox.Triple(node, N(RDF + "type"), N(VOID + "Dataset")),
                ox.Triple(node, N(VOID + "triples"), _integer(len(s.by_graph[g]))),
                ox.Triple(node, N(VOID + "dataDump"), N(g + ".ttl"))]
        out += [ox.Triple(node, N(DCT + "source"), N(d)) for d in s.graph_sources.get(g, [])]
    return out


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
            prefixes = s.names.prefixes() if fmt == ox.RdfFormat.TRIG else None
            data = ox.serialize(s.quads, format=fmt, prefixes=prefixes) or b""
        else:
            triples = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in s.quads}, key=triple_key)
            data = ox.serialize(triples, format=fmt, prefixes=s.names.prefixes()) or b""
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
