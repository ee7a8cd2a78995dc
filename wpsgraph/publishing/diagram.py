"""The class diagram: classes under their superclasses, with their properties, as SVG and as text."""

from __future__ import annotations

import posixpath
from collections import defaultdict
from xml.sax.saxutils import escape as xml_escape

from wpsgraph.namespaces import OWL, RDF, RDFS, Names
from wpsgraph.publishing.pages import Writer
from wpsgraph.publishing.site import DIAGRAM, Link, relative, statement


def diagram_page(w: Writer) -> None:
    s = w.site
    graph = s.names.ontology_graph.value
    wps = s.names.wps
    statements = [statement(q) for q in s.by_graph[graph]]
    classes = sorted({subj for subj, pred, obj in statements
                      if pred == RDF + "type" and obj == OWL + "Class" and subj.startswith(wps)})
    parents: dict[str, list[str]] = {c: [] for c in classes}
    for subj, pred, obj in statements:
        if pred == RDFS + "subClassOf" and subj in parents and obj in parents:
            parents[subj].append(obj)
    ranges = {subj: obj for subj, pred, obj in statements if pred == RDFS + "range"}
    attrs: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for subj, pred, obj in statements:
        if pred == RDFS + "domain" and obj in parents:
            range_ = _local(ranges.get(subj, ""), s.names) if subj in ranges else ""
            attrs[obj].append((_local(subj, s.names), range_))
    children: dict[str | None, list[str]] = defaultdict(list)
    for c in classes:
        children[sorted(parents[c])[0] if parents[c] else None].append(c)
    order: list[tuple[str, int]] = []

    def walk(node: str | None, depth: int) -> None:
        for c in sorted(children.get(node, []), key=lambda c: _local(c, s.names)):
            order.append((c, depth))
            walk(c, depth + 1)

    walk(None, 0)
    svg = class_diagram_svg(order, parents, attrs, s.names)
    w.write(DIAGRAM + ".svg", svg)
    page = DIAGRAM + ".html"
    tree = [{"link": Link(relative("ontology.html#" + _local(c, s.names), page), _local(c, s.names), None, c),
             "depth": depth, "label": s.label(c),
             "others": [Link(relative("ontology.html#" + _local(p, s.names), page), _local(p, s.names), None, p)
                        for p in sorted(parents[c])[1:]],
             "attrs": sorted(attrs.get(c, []))} for c, depth in order]
    w.render(page, "diagram.html", title=s.t["diagram"], svg=posixpath.basename(DIAGRAM) + ".svg", tree=tree)


def _local(iri: str, names: Names) -> str:
    """A term as the diagram names it: an ontology term by its local name, any other by prefix:name."""
    if iri.startswith(names.wps):
        return iri[len(names.wps):]
    return names.compact(iri) or iri


def class_diagram_svg(order: list[tuple[str, int]], parents: dict[str, list[str]],
                      attrs: dict[str, list[tuple[str, str]]], names: Names) -> str:
    """A UML-style class diagram: each class a box with its properties, indented under its superclass."""
    indent, line, head, gap, char = 26, 15, 22, 10, 7.4
    y = 10
    boxes: dict[str, tuple[int, int, float, int]] = {}
    parts = []
    width: float = 0
    for c, depth in order:
        props = sorted(attrs.get(c, []))
        name = _local(c, names)
        rows = [f"{p} : {r}" if r else p for p, r in props]
        w = max([len(name) * 8.0] + [len(r) * char for r in rows]) + 16
        h = head + (len(rows) * line + 6 if rows else 0)
        x = 10 + depth * indent
        boxes[c] = (x, y, w, h)
        width = max(width, x + w + 10)
        y += h + gap
    height = y
    for c, _ in order:
        x, y0, w, h = boxes[c]
        for p in parents[c][:1]:
            if p in boxes:
                px, py, pw, ph = boxes[p]
                vx = px + 10
                parts.append(f'<path d="M{vx},{py + ph} V{y0 + 11} H{x}" class="edge"/>')
                parts.append(f'<path d="M{x - 7},{y0 + 7} L{x},{y0 + 11} L{x - 7},{y0 + 15} Z" class="arrow"/>')
    for c, _ in order:
        x, y0, w, h = boxes[c]
        name = _local(c, names)
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
