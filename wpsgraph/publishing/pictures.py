"""The site's pictures: the same timelines and networks as `wpsgraph plot` (``wpsgraph.plots``) on the pages of
countries, actors and themes, and the chart of National Action Plan adoptions on the action-plans page.

A picture is drawn only where it has something to show (a few events or commitments): a network of one event says
less than the page's own table, and drawing every one of the graph's hundreds of actors would make publishing
slow. Each picture is an SVG under ``doc/pictures/`` with its alt text on the page (and in the file).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wpsgraph.plots import naps, network, save, timeline
from wpsgraph.plots.common import ask
from wpsgraph.publishing.site import Site, relative

FOLDER = "doc/pictures"
# the least an actor, country or theme must have for its picture to be drawn
MIN_EVENTS = 3          # events an actor took part in (itself or through its parts): timeline and network
MIN_COUNTRY_ITEMS = 3   # events and commitments of a country: timeline
MIN_COUNTRY_EVENTS = 4  # events of a country: network
MIN_THEME_EVENTS = 5    # events that address a theme or a narrower one: network

COUNTS = """PREFIX wps: <https://w3id.org/wpsgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?subject ?what (COUNT(DISTINCT ?item) AS ?n) WHERE {
  { ?subject wps:involvedIn ?item . ?item a wps:Event . BIND("events" AS ?what) }
  UNION { ?item wps:heldInCountry ?subject . BIND("events" AS ?what) }
  UNION { ?item a wps:Commitment . { ?item wps:country ?subject } UNION { ?item wps:adoptedBy ?subject }
          BIND("commitments" AS ?what) }
  UNION { ?item a wps:Event ; wps:addresses ?t . ?t skos:broader* ?subject . ?subject a wps:Theme .
          BIND("theme events" AS ?what) }
} GROUP BY ?subject ?what"""


@dataclass
class Figure:
    src: str       # the SVG's site path
    title: str
    alt: str
    kind: str      # timeline, network, naps

    def href(self, page: str) -> str:
        return relative(self.src, page)


def chosen(site: Site, store) -> dict[str, list[str]]:
    """Which pictures each resource page gets: {iri: ["timeline", "network"]}."""
    counts: dict[str, dict[str, int]] = {}
    for subject, what, n in ask(store, COUNTS, site.names).rows:
        counts.setdefault(subject.value, {})[what.value] = int(n.value)
    wps = site.names.wps
    out: dict[str, list[str]] = {}
    for iri in site.resources:
        c = counts.get(iri)
        if not c:
            continue
        types = site.types.get(iri, ())
        events = c.get("events", 0)
        kinds = []
        if wps + "Country" in types:
            if events + c.get("commitments", 0) >= MIN_COUNTRY_ITEMS:
                kinds.append("timeline")
            if events >= MIN_COUNTRY_EVENTS:
                kinds.append("network")
        elif wps + "Theme" in types:
            if c.get("theme events", 0) >= MIN_THEME_EVENTS:
                kinds.append("network")
        elif wps + "Actor" in types and events >= MIN_EVENTS:
            kinds += ["timeline", "network"]
        if kinds:
            out[iri] = kinds
    return out


def draw(site: Site, store, out: Path, say=lambda _m: None) -> dict[str, list[Figure]]:
    """Draw every chosen picture into ``out``; the figures of each resource page, by IRI."""
    figures: dict[str, list[Figure]] = {}
    for iri, kinds in chosen(site, store).items():
        label = site.label(iri)[0]
        stem = FOLDER + "/" + site.pages[iri][: -len(".html")].removeprefix("id/")
        for kind in kinds:
            if kind == "timeline":
                picture = timeline(store, iri, site.names, label)
            else:
                picture = network(store, iri, site.names, label,
                                  theme=site.names.wps + "Theme" in site.types.get(iri, ()))
            src = f"{stem}-{kind}.svg"
            save(picture, out / src)
            figures.setdefault(iri, []).append(Figure(src, picture.title, picture.alt, kind))
    say(f"{sum(map(len, figures.values()))} pictures on {len(figures)} pages")
    return figures


def draw_naps(site: Site, store, out: Path) -> Figure:
    picture = naps(store, site.names)
    src = f"{FOLDER}/national-action-plans.svg"
    save(picture, out / src)
    return Figure(src, picture.title, picture.alt, "naps")
