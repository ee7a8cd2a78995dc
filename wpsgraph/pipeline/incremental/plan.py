"""What changed since a build, and whether an update can be incremental at all.

A full build records in its manifest (``"inputs"``) a content hash of every input: the ontology, the shapes, each
data file with its graph, plus the wpsgraph version, the format of the reasoner's rules (``RULES_FORMAT``, which
changes with what they entail), the base IRI and the country codes the files mention.
``plan`` compares that record with the files given now and says which data graphs changed, or raises
``FullBuild`` with the reason a full build is needed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from wpsgraph import __version__, resources
from wpsgraph.namespaces import Names
from wpsgraph.pipeline.load import Loaded, assign_graphs
from wpsgraph.pipeline.reason import RULES_FORMAT

FORMAT = 1  # of the manifest's "inputs" record, and of incremental.json


class FullBuild(Exception):
    """The update cannot be done incrementally; the message says why."""


def sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fixed_inputs(names: Names) -> dict:
    """What, when changed, needs a full build."""
    return {"format": FORMAT, "wpsgraph": __version__, "rules": RULES_FORMAT, "base": names.base,
            "ontology": {p.name: sha(p) for p in resources.ontology_files()},
            "shapes": {p.name: sha(p) for p in (resources.DATA_SHAPES,)}}


def inputs_record(names: Names, files: list, countries: list) -> dict:
    """The manifest's ``"inputs"``: ``files`` as [graph IRI, resolved path, sha] in load order."""
    return {**fixed_inputs(names), "files": files, "countries": countries}


def manifest_inputs(loaded: Loaded) -> dict:
    """The manifest's record of what a build was made from (called by the full build)."""
    ontology = loaded.names.ontology_graph
    files = [[g.value, str(Path(p).resolve()), sha(p)] for g, p in loaded.graphs.items()
             if p is not None and g != ontology]
    return inputs_record(loaded.names, files, list(loaded.countries))


@dataclass
class Plan:
    out: Path
    names: Names
    manifest: dict
    order: list                       # [(graph, path)] of the data files now, in load order
    changed: dict                     # graph -> new path, or None when removed
    hashes: dict                      # graph IRI -> sha of the file now


def updatable_inputs(manifest: dict, names: Names) -> dict:
    """The manifest's record of its inputs, when a build made from them can be updated: FullBuild otherwise (no
    record, reasoned by owlrl, another wpsgraph, base IRI, ontology or shapes)."""
    before = manifest.get("inputs")
    if not isinstance(before, dict) or before.get("format") != FORMAT:
        raise FullBuild("the previous build has no record of its inputs")
    if manifest.get("reasoner") != "compiled":
        raise FullBuild("the previous build was reasoned by owlrl")
    now = fixed_inputs(names)
    for key, what in (("wpsgraph", "wpsgraph version"), ("rules", "reasoner's rules"), ("base", "base IRI"),
                      ("ontology", "ontology"), ("shapes", "shapes")):
        if before.get(key) != now[key]:
            raise FullBuild(f"the {what} changed")
    return before


def plan(data_files: Sequence[Path] | None, out: Path, names: Names) -> Plan:
    """What changed since the build in ``out``; FullBuild when the update cannot be incremental."""
    manifest_path = out / "manifest.json"
    if not manifest_path.exists():
        raise FullBuild("no previous build")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise FullBuild("the previous manifest cannot be read") from None
    before = updatable_inputs(manifest, names)
    files = list(resources.ontology_files()) + list(
        resources.reference_files() + resources.source_files() if data_files is None else data_files)
    ontology = names.ontology_graph
    order = [(g, p) for g, p in assign_graphs(files, names) if g != ontology]
    old = {g: (path, digest) for g, path, digest in before["files"]}
    hashes: dict = {}
    changed: dict[ox.NamedNode, Path | None] = {}
    for g, p in order:
        hashes[g.value] = sha(p)
        if g.value in old:
            if old[g.value][0] != str(Path(p).resolve()):
                raise FullBuild(f"{p} was {old[g.value][0]}")
            if old[g.value][1] == hashes[g.value]:
                continue
        changed[g] = p
    now_graphs = {g.value for g, _ in order}
    for g in old:
        if g not in now_graphs:
            changed[ox.NamedNode(g)] = None
    kept = [g.value for g, _ in order if g.value in old]
    if kept != [g for g in old if g in now_graphs]:
        raise FullBuild("the files are given in another order")
    return Plan(out, names, manifest, order, changed, hashes)
