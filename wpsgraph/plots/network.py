"""The network around an actor, a country or a theme: the events it took part in (or, for a theme, the events that
address it or a narrower theme), the other actors in those events, each edge named by the most specific role the
graph states (hosts, organises, delivers, co-chairs...)."""

from __future__ import annotations

from wpsgraph.namespaces import Names
from wpsgraph.plots.common import PALETTE, Picture, ask, wrap

ACTOR_QUERY = """PREFIX wps: <https://w3id.org/wpsgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?who ?role ?event WHERE {
  ?focus wps:involvedIn ?event . ?event a wps:Event .
  ?who ?role ?event . ?role rdfs:subPropertyOf wps:participatesIn .
}"""

THEME_QUERY = """PREFIX wps: <https://w3id.org/wpsgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?who ?role ?event WHERE {
  ?event a wps:Event ; wps:addresses ?t . ?t skos:broader* ?focus .
  ?who ?role ?event . ?role rdfs:subPropertyOf wps:participatesIn .
}"""

INFO_QUERY = """PREFIX wps: <https://w3id.org/wpsgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?node ?label ?group WHERE {
  ?node rdfs:label|skos:prefLabel ?label . FILTER(LANG(?label) = "en")
  OPTIONAL {
    VALUES (?class ?group) { (wps:Event "event") (wps:Country "country") (wps:Person "person") (wps:Post "post")
                             (wps:ParticipantGroup "group") (wps:Organisation "organisation") }
    ?node a ?class .
  }
}"""

GROUPS = ["focus", "event", "organisation", "country", "person", "post", "group", "other"]
COLOURS = {"focus": PALETTE[5], "event": PALETTE[1], "organisation": PALETTE[0], "country": PALETTE[2],
           "person": PALETTE[3], "post": PALETTE[4], "group": "#999999", "other": "#cccccc"}
MAX_EVENTS = 18


def edges(store, focus: str, names: Names, theme: bool) -> list[tuple[str, str, str]]:
    """(actor, role local name, event), the most specific roles only."""
    result = ask(store, THEME_QUERY if theme else ACTOR_QUERY, names, focus)
    generic = {names.wps + "participatesIn", names.wps + "involvedIn"}
    roles: dict[tuple[str, str], set[str]] = {}
    for who, role, event in result.rows:
        roles.setdefault((who.value, event.value), set()).add(role.value)
    supers = _super_properties(store, names)
    out = []
    for (who, event), found in roles.items():
        specific = {r for r in found if not any(r in supers.get(o, ()) for o in found if o != r)} - generic \
            or found & {names.wps + "participatesIn"} or found
        for r in sorted(specific):
            out.append((who, r.rsplit("#", 1)[-1], event))
    return out


def _super_properties(store, names: Names) -> dict[str, set[str]]:
    result = ask(store, "SELECT ?a ?b WHERE { ?a <http://www.w3.org/2000/01/rdf-schema#subPropertyOf> ?b "
                        "FILTER(?a != ?b) }", names)
    out: dict[str, set[str]] = {}
    for a, b in result.rows:
        out.setdefault(a.value, set()).add(b.value)
    return out


def network(store, focus: str, names: Names, title_label: str, theme: bool = False) -> Picture:
    import matplotlib.pyplot as plt
    import networkx as nx
    from matplotlib.lines import Line2D

    found = edges(store, focus, names, theme)
    # keep the events with most participants when there are too many to read
    per_event: dict[str, int] = {}
    for _, _, e in found:
        per_event[e] = per_event.get(e, 0) + 1
    kept = set(sorted(per_event, key=lambda e: (-per_event[e], e))[:MAX_EVENTS])
    found = [x for x in found if x[2] in kept]
    if theme:
        found += [(focus, "addresses", e) for e in sorted(kept)]
    else:  # involved only through its parts, people or members: say so on the edge
        direct = {e for w, _, e in found if w == focus}
        found += [(focus, "through its parts", e) for e in sorted(kept - direct)]
    info = ask(store, INFO_QUERY, names)
    labels: dict = {}
    groups: dict = {}
    wanted = {focus} | {w for w, _, _ in found} | {e for _, _, e in found}
    for node, label, group in info.rows:
        if node.value in wanted:
            labels.setdefault(node.value, label.value)
            if group is not None:
                g = group.value
                held = groups.get(node.value)
                if held is None or GROUPS.index(g) < GROUPS.index(held):
                    groups[node.value] = g
    graph = nx.Graph()
    graph.add_node(focus)
    for who, role, event in found:
        graph.add_edge(who, event, role=role)
    group_of = {n: "focus" if n == focus else groups.get(n, "other") for n in graph.nodes}
    n = graph.number_of_nodes()
    size = 7 if n < 15 else 9 if n < 40 else 12
    fig, ax = plt.subplots(figsize=(size * 1.35, size))
    title = f"Network around {title_label}"
    ax.set_title(title, fontsize=13, loc="left")
    ax.axis("off")
    if graph.number_of_edges() == 0:
        ax.text(0.5, 0.5, "no events or participants in the graph", transform=ax.transAxes, ha="center")
    else:
        pos = _radial(graph, focus, group_of)
        roles = nx.get_edge_attributes(graph, "role")
        nx.draw_networkx_edges(graph, pos, ax=ax, edge_color="#bbbbbb", width=1.0)
        for group in GROUPS:
            nodes = [x for x in graph.nodes if group_of[x] == group]
            if nodes:
                nx.draw_networkx_nodes(graph, pos, nodelist=nodes, ax=ax, node_color=COLOURS[group],
                                       node_shape="s" if group == "event" else "o",
                                       node_size=[700 if x == focus else 260 if group == "event" else 200
                                                  for x in nodes], edgecolors="white", linewidths=1.0)
        show_roles = {k: v for k, v in roles.items() if focus in k or v not in ("participatesIn", "audienceOf")}
        nx.draw_networkx_edge_labels(graph, pos, edge_labels=show_roles, ax=ax, font_size=7,
                                     font_color="#555555", bbox={"alpha": 0})
        for node, (x, y) in pos.items():
            text = wrap(labels.get(node, names.compact(node) or node), 24, 2)
            ax.annotate(text, (x, y), xytext=(0, -11 if node != focus else -16), textcoords="offset points",
                        ha="center", va="top", fontsize=10 if node == focus else 7.5,
                        fontweight="bold" if node == focus else "normal")
        ax.margins(0.12)
    handles = [Line2D([], [], marker="s" if g == "event" else "o", linestyle="", markersize=9,
                      markerfacecolor=COLOURS[g], markeredgecolor="white", label=g)
               for g in GROUPS if g in group_of.values()]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9,
              title="edges are roles (hosts, organises, …)", title_fontsize=8)
    fig.tight_layout()
    return Picture(fig, title, _alt(title, graph, group_of, labels, focus, len(per_event), len(kept)))


def _radial(graph, focus, group_of) -> dict:
    """The focus in the middle, its events on a ring, each event's own participants fanned out beyond it, and
    actors shared by several events between them."""
    import math

    events = sorted((x for x in graph.nodes if group_of[x] == "event"), key=str)
    pos = {focus: (0.0, 0.0)}
    step = 2 * math.pi / max(len(events), 1)
    for i, e in enumerate(events):
        pos[e] = (math.cos(i * step), math.sin(i * step))
    for i, e in enumerate(events):
        own = sorted((a for a in graph.neighbors(e) if a != focus and a not in events
                      and all(b == e for b in graph.neighbors(a) if b in events)), key=str)
        spread = min(step * 0.9, math.pi * 0.9) if len(events) > 1 else 2 * math.pi * (1 - 1 / max(len(own), 1))
        for j, a in enumerate(own):
            angle = i * step + (spread * (j / (len(own) - 1) - 0.5) if len(own) > 1 else 0)
            rings = 3 if len(own) > 8 else 2  # a crowded event's participants on three staggered rings
            radius = 1.8 + 0.6 * (j % rings) + 0.02 * len(own)
            pos[a] = (math.cos(i * step) + (radius - 1) * math.cos(angle) * 1.1,
                      math.sin(i * step) + (radius - 1) * math.sin(angle) * 1.1)
    # actors shared by several events: between those events, away from the focus, side by side when several
    # share the same events (golden-angle turns for those whose events face each other across the focus)
    shared: dict[tuple, list] = {}
    for a in sorted(graph.nodes, key=str):
        if a not in pos:
            shared.setdefault(tuple(sorted(e for e in graph.neighbors(a) if e in pos and e != focus)), []).append(a)
    for n, (linked_events, members) in enumerate(sorted(shared.items())):
        linked = [pos[e] for e in linked_events] or [(0.5, 0.5)]
        x, y = sum(p[0] for p in linked) / len(linked), sum(p[1] for p in linked) / len(linked)
        centre = math.hypot(x, y)
        angle = math.atan2(y, x) if centre > 0.05 else n * 2.39996
        radius = max(centre * 0.8, 0.5)
        across = (-math.sin(angle), math.cos(angle))
        for k, a in enumerate(members):
            offset = (k - (len(members) - 1) / 2) * 0.3
            pos[a] = (radius * math.cos(angle) + across[0] * offset, radius * math.sin(angle) + across[1] * offset)
    return pos


def _alt(title, graph, group_of, labels, focus, events_all, events_kept) -> str:
    counts: dict = {}
    for node, g in group_of.items():
        if node != focus:
            counts[g] = counts.get(g, 0) + 1
    if not counts:
        return f"{title}: the graph holds no events or participants for it."
    others = sorted((x for x in graph.nodes if x != focus and group_of[x] != "event"),
                    key=lambda x: (-graph.degree(x), labels.get(x, x)))[:3]
    plural = {"country": "countries", "person": "people"}
    parts = [f"{title}: " + ", ".join(f"{n} {g if n == 1 else plural.get(g, g + 's')}" for g, n in counts.items())]
    if events_all > events_kept:
        parts.append(f"the {events_kept} events with most participants of {events_all}")
    if others:
        def events(n: int) -> str:
            return f"{n} event" + ("" if n == 1 else "s")
        parts.append("most connected: " + ", ".join(f"{labels.get(x, x)} ({events(graph.degree(x))})" for x in others))
    return "; ".join(parts) + "."
