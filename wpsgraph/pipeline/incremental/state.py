"""``incremental.json``: what an update needs besides the previous build's store.

The compiled OWL RL rules of ``reason`` (as ``reason.rules_doc`` writes them, with their key) and the shapes' read
patterns (``patterns.read_patterns``). A full build writes them and each update rewrites them, so that neither an
update nor ``validate --db`` compiles the ontology or the shapes again. Terms are kept as their N-Triples text.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyoxigraph as ox

from wpsgraph import __version__, resources
from wpsgraph.folders import OutputError, atomic_write
from wpsgraph.namespaces import Names
from wpsgraph.pipeline.incremental.patterns import read_patterns
from wpsgraph.pipeline.incremental.plan import FORMAT, fixed_inputs
from wpsgraph.pipeline.reason import Rules, rules_doc


def _term(text: str):
    if text.startswith("<"):
        return ox.NamedNode(text[1:-1])
    if text.startswith("_:"):
        return ox.BlankNode(text[2:])
    return next(iter(ox.parse(f"<x:s> <x:p> {text} .", format=ox.RdfFormat.N_TRIPLES))).object


def _patterns_json(patterns: set) -> list:
    return sorted(([[[kind, str(term)] for kind, term in targets],
                    [[None if p is None else p.value, inverse] for p, inverse in steps]]
                   for targets, steps in patterns), key=json.dumps)


def _patterns_from_json(data: list) -> set:
    return {(tuple((kind, _term(term)) for kind, term in targets),
             tuple((None if p is None else ox.NamedNode(p), inverse) for p, inverse in steps))
            for targets, steps in data}


def write_state(path: Path, rules: Rules, patterns: set | None = None) -> None:
    """What an update of this build needs besides the store (the build writes it; each update rewrites it)."""
    state: dict = {"format": FORMAT, "rules": rules_doc(rules)}
    if patterns is not None:
        state["patterns"] = _patterns_json(patterns)
    path.write_text(json.dumps(state), encoding="utf-8")


def read_state(path: Path) -> dict:
    """The state a build wrote; empty when absent, unreadable or of another format."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) and state.get("format") == FORMAT else {}


def shape_patterns(state: dict, names: Names, cache_dir: Path | None) -> set:
    """The shapes' read patterns: from the build's state, else the cache (keyed by the shapes' content), else
    computed (about a second: rdflib parses the SPARQL constraints). Raises patterns.Unbounded."""
    from wpsgraph.validation.engines import compiled_shapes

    if "patterns" in state:
        try:
            return _patterns_from_json(state["patterns"])
        except (TypeError, ValueError):
            pass  # written by an older wpsgraph: computed again
    key = hashlib.sha256(b"patterns 2" + json.dumps(fixed_inputs(names)["shapes"]).encode() + names.base.encode()
                         + __version__.encode()).hexdigest()[:20]
    cache = Path(cache_dir) / f"read-patterns-{key}.json" if cache_dir is not None else None
    if cache is not None and cache.exists():
        try:
            return _patterns_from_json(json.loads(cache.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            pass
    patterns = read_patterns(compiled_shapes([resources.DATA_SHAPES], names))
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(cache, json.dumps(_patterns_json(patterns)))
        except (OSError, OutputError):
            pass  # a cache that cannot be written is only slower
    return patterns
