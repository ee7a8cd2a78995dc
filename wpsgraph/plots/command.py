"""'wpsgraph plot KIND [SUBJECT] --out FILE': the subject given by IRI or by name, resolved as query parameters are."""

from __future__ import annotations

from pathlib import Path

from wpsgraph.errors import WpsError
from wpsgraph.namespaces import Names
from wpsgraph.plots.common import FORMATS, save
from wpsgraph.query import lookup
from wpsgraph.query.catalogue import Param, Query

KINDS = ("timeline", "network", "naps")


def subject_iri(index: lookup.Index, value: str, role: str) -> str:
    """The IRI of a subject given as an IRI, prefix:name or a name; ``role`` names the expected class (actor: any
    actor, resource: anything)."""
    query = Query("plot", Path("<plot>"), "", "", [Param(role, "iri", "")], "")
    given, _ = lookup.resolve_params(query, {role: value}, index)
    from wpsgraph.query.sparql import expand_iri

    return expand_iri(given[role].strip(), index.names)


def plot(kind: str, subject: str | None, out: Path, store, names: Names):
    """Draw and save one picture; returns the Picture (its .alt is the alt text)."""
    from wpsgraph.plots.naps import naps
    from wpsgraph.plots.network import network
    from wpsgraph.plots.timeline import timeline

    if Path(out).suffix.lower() not in FORMATS:
        raise WpsError(f"{out}: write a .svg or .png file")
    if kind == "naps":
        if subject:
            raise WpsError("plot naps takes no subject: it counts every National Action Plan")
        picture = naps(store, names)
    else:
        if not subject:
            raise WpsError(f"plot {kind} needs a subject: an actor, a country" + (" or a theme" if kind == "network"
                           else "") + " (an IRI or a name)")
        index = lookup.Index.of_store(store, names)
        iri = subject_iri(index, subject, "actor" if kind == "timeline" else "resource")
        label = index.label(iri) or names.compact(iri) or iri
        if kind == "timeline":
            picture = timeline(store, iri, names, label)
        else:
            is_theme = index.is_a(iri, names.wps + "Theme")
            if not is_theme and not index.is_a(iri, names.wps + "Actor"):
                raise WpsError(f"{names.compact(iri) or iri} is neither an actor, a country nor a theme")
            picture = network(store, iri, names, label, theme=is_theme)
    save(picture, out)
    return picture
