"""The compiled OWL RL rules of ``reason`` with Oxigraph terms, indexed for ``maintain``'s lookups from either
side of a rule (what a statement implies, what implies it)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from wpsgraph.namespaces import RDF_TYPE
from wpsgraph.pipeline.reason import Rules
from wpsgraph.terms import from_rdflib


@dataclass
class TermRules:
    """The compiled rules with Oxigraph terms, indexed for lookups from either side."""

    implied: dict = field(default_factory=lambda: defaultdict(list))      # p -> [(q, flipped)]
    implied_by: dict = field(default_factory=lambda: defaultdict(list))   # q -> [(p, flipped)]
    transitive: set = field(default_factory=set)
    chains_first: dict = field(default_factory=lambda: defaultdict(list))   # p1 -> [(p2, q)]
    chains_second: dict = field(default_factory=lambda: defaultdict(list))  # p2 -> [(p1, q)]
    chains_head: dict = field(default_factory=lambda: defaultdict(list))    # q -> [(p1, p2)]
    domains: dict = field(default_factory=dict)
    ranges: dict = field(default_factory=dict)
    superclasses: dict = field(default_factory=dict)
    props: set = field(default_factory=set)
    tbox: set = field(default_factory=set)                 # (s, p, o)
    tbox_types: dict = field(default_factory=lambda: defaultdict(set))


def indexed(t, implied, transitive, chains, domains: dict, ranges: dict, superclasses: dict, props,
            tbox) -> TermRules:
    """TermRules from the rules' parts, each term made by ``t`` (from rdflib, or from N-Triples text)."""
    r = TermRules()
    for p, q, flipped in implied:
        r.implied[t(p)].append((t(q), flipped))
        r.implied_by[t(q)].append((t(p), flipped))
    r.transitive = {t(p) for p in transitive}
    for p1, p2, q in chains:
        r.chains_first[t(p1)].append((t(p2), t(q)))
        r.chains_second[t(p2)].append((t(p1), t(q)))
        r.chains_head[t(q)].append((t(p1), t(p2)))
    r.domains = {t(p): {t(c) for c in cs} for p, cs in domains.items()}
    r.ranges = {t(p): {t(c) for c in cs} for p, cs in ranges.items()}
    r.superclasses = {t(c): {t(d) for d in ds} for c, ds in superclasses.items()}
    r.props = {t(p) for p in props}
    for s, p, o in tbox:
        triple = (t(s), t(p), t(o))
        r.tbox.add(triple)
        if triple[1] == RDF_TYPE:
            r.tbox_types[triple[0]].add(triple[2])
    return r


def term_rules(rules: Rules) -> TermRules:
    implied = [(p, q, flipped) for p, qs in rules.implied.items() for q, flipped in qs]
    return indexed(from_rdflib, implied, rules.transitive, rules.chains, rules.domains, rules.ranges,
                   rules.superclasses, rules.properties, rules.tbox)
