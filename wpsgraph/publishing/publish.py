"""``publish``: load and reason the graph, write every page into a folder beside ``out``, then swap it in."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pyoxigraph as ox

from wpsgraph.errors import WpsError
from wpsgraph.folders import replace_folder, staging_folder
from wpsgraph.namespaces import DCT, Names
from wpsgraph.publishing.action_plans import action_plans_page
from wpsgraph.publishing.dataset import dataset_page
from wpsgraph.publishing.diagram import diagram_page
from wpsgraph.publishing.ontology_docs import ontology_page
from wpsgraph.publishing.pages import Writer, graph_page, index_page, resource_page, server_configs, sitemap
from wpsgraph.publishing.pictures import draw, draw_naps
from wpsgraph.publishing.site import VANN, PublishResult, Site


def publish(out: Path, names: Names | None = None, lang: str = "en", data_files: Sequence[Path] | None = None,
            progress: Callable[[str], None] | None = None, loaded=None, pictures: bool = True) -> PublishResult:
    """Write the site into ``out`` (replaced whole: written beside it, then swapped in); ``pictures``: draw the
    timelines, networks and NAP chart (the slowest part)."""
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
    tmp = staging_folder(out)
    try:
        w = Writer(site, tmp)
        w.final = out
        chart = None
        if pictures:
            clock = time.perf_counter()
            w.figures = draw(site, loaded.store, tmp)
            chart = draw_naps(site, loaded.store, tmp)
            timings["pictures"] = time.perf_counter() - clock
            say(f"pictures: {sum(map(len, w.figures.values())) + 1} SVG on {len(w.figures) + 1} pages "
                f"({timings['pictures']:.2f} s)")
        clock = time.perf_counter()
        for iri in site.resources:
            resource_page(w, iri)
        for g in site.graphs:
            graph_page(w, g)
        index_page(w)
        action_plans_page(w, loaded.store, chart)
        license_iri = next((getattr(q.object, "value", None) for q in site.by_subject.get(site.ontology_iri, [])
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
    replace_folder(tmp, out, lambda folder: (folder / "sitemap.xml").exists(),
                   WpsError(f"{out}: exists and is not a wpsgraph site; refusing to replace it"))

