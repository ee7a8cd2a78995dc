"""SHACL property paths (SHACL 2.3.1): parsed from the shapes graph, written as SPARQL property paths."""

from __future__ import annotations

import pyoxigraph as ox

from wpsgraph.validation.shacl.graph import RDF_FIRST, ShapesGraph, Unsupported, sh


def parse_path(g: ShapesGraph, node):
    """A path expression: ("pred", p) | ("inv", path) | ("seq", [paths]) | ("alt", [paths])
    | ("star"|"plus"|"opt", path)."""
    if isinstance(node, ox.NamedNode):
        return ("pred", node)
    if g.value(node, RDF_FIRST) is not None:
        return ("seq", [parse_path(g, x) for x in g.items(node)])
    for local, kind in (("inversePath", "inv"), ("zeroOrMorePath", "star"), ("oneOrMorePath", "plus"),
                        ("zeroOrOnePath", "opt")):
        inner = g.value(node, sh(local))
        if inner is not None:
            return (kind, parse_path(g, inner))
    alt = g.value(node, sh("alternativePath"))
    if alt is not None:
        return ("alt", [parse_path(g, x) for x in g.items(alt)])
    raise Unsupported(f"path {node}")


def path_sparql(path) -> str:
    kind, arg = path
    if kind == "pred":
        return f"<{arg.value}>"
    if kind == "inv":
        return f"^({path_sparql(arg)})"
    if kind == "seq":
        return "/".join(f"({path_sparql(p)})" for p in arg)
    if kind == "alt":
        return "|".join(f"({path_sparql(p)})" for p in arg)
    return f"({path_sparql(arg)}){ {'star': '*', 'plus': '+', 'opt': '?'}[kind] }"


def path_text(path) -> str:
    """How a path is named in a finding: the property IRI, or a SPARQL property path."""
    return path[1].value if path[0] == "pred" else path_sparql(path)
