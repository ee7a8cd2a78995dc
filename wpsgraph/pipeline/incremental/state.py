"""``incremental.json``: what an update needs besides the previous build's store.

The compiled OWL RL rules of ``reason`` (``rules.TermRules``) and the shapes' read patterns
(``patterns.read_patterns``). A full build writes them and each update rewrites them, so that an update compiles
neither the ontology nor the shapes again. Terms are kept as their N-Triples text.
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
from wpsgraph.pipeline.incremental.rules import TermRules, indexed, term_rules
from wpsgraph.pipeline.reason import Rules


def _text(term) -> str:
    return str(term)  # N-Triples


def _term(text: str):
    if text.startswith("<"):
        return ox.NamedNode(text[1:-1])
    if text.startswith("_:"):
        return ox.BlankNode(text[2:])
    return next(iter(ox.parse(f"<x:s> <x:p> {text} .", format=ox.RdfFormat.N_TRIPLES))).object


def _rules_json(r: TermRules) -> dict:
    t = _text
    return {
        "implied": [[t(p), t(q), f] for p, qs in r.implied.items() for q, f in qs],
        "transitive": sorted(t(p) for p in r.transitive),
        "chains": [[t(p1), t(p2), t(q)] for q, pairs in r.chains_head.items() for p1, p2 in pairs],
        "domains": {t(p): sorted(t(c) for c in cs) for p, cs in r.domains.items()},
        "ranges": {t(p): sorted(t(c) for c in cs) for p, cs in r.ranges.items()},
        "superclasses": {t(c): sorted(t(d) for d in ds) for c, ds in r.superclasses.items()},
        "props": sorted(t(p) for p in r.props),
        "tbox": sorted([t(s), t(p), t(o)] for s, p, o in r.tbox),
    }


def rules_from_json(d: dict) -> TermRules:
    return indexed(_term, d["implied"], d["transitive"], d["chains"], d["domains"], d["ranges"],
                    d["superclasses"], d["props"], d["tbox"])


def _patterns_json(patterns: set) -> list:
    return sorted(([[[kind, str(term)] for kind, term in targets],
                    [[None if p is None else p.value, inverse] for p, inverse in steps]]
                   for targets, steps in patterns), key=json.dumps)


def _patterns_from_json(data: list) -> set:
    return {(tuple((kind, _term(term)) for kind, term in targets),
             tuple((None if p is None else ox.NamedNode(p), inverse) for p, inverse in steps))
            for targets, steps in data}


def write_state(path: Path, rules: Rules | TermRules, patterns: set | None = None) -> None:
    """What an update of this build needs besides the store (the build writes it; each update rewrites it)."""
    rules = rules if isinstance(rules, TermRules) else term_rules(rules)
    state: dict = {"format": FORMAT, "rules": _rules_json(rules)}
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
