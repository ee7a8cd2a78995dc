"""Stage 2 — reason: OWL 2 RL entailment, written to its own named graph apart from asserted triples.

owlrl defines what is entailed. It is far too slow for large data (minutes for 100k triples), so the work is
split: owlrl closes the small ontology (the TBox) once; the TBox is then compiled into per-term rules
(superclasses, super-properties, inverses, symmetric and transitive properties, two-step property chains,
domains and ranges) that are applied to the instance data. That gives the same entailed triples as owlrl on the
whole graph (tests/test_reasoning.py and tests/test_scale_equivalence.py check it) for ontologies that use only
those constructs; ``compile_rules`` refuses any other OWL construct, and ``reason`` then falls back to owlrl.

At scale (a million triples in about 15 s) the rules are applied a relation at a time (``materialise_sets``):
whole sets of pairs are pushed through the closed sub-property/inverse map, transitive properties and chains are
closed on whole relations, classes are filled from domains, ranges and superclasses. Terms travel as their
N-Triples text: Oxigraph writes them (CONSTRUCT results serialised as N-Triples, one query per rule property)
and reads the entailments back as N-Triples, so Python only hashes strings and no Python object is
made per quad. ``materialise`` is the same fixpoint followed triple by triple, kept as a cross-check.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import owlrl
import pyoxigraph as ox
import rdflib
from rdflib import OWL, RDF, RDFS

from wpsgraph import namespaces as nsmod
from wpsgraph.bulk import holds_blank_mark, load_keeping_blank_nodes
from wpsgraph.collector import paused
from wpsgraph.pipeline.load import Loaded, first_schema_axiom
from wpsgraph.terms import from_rdflib, rdflib_graph, to_rdflib

# OWL vocabulary the compiled rules implement, or that carries no entailment under OWL RL (annotations, headers).
SUPPORTED_OWL = {
    OWL.Ontology, OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
    OWL.TransitiveProperty, OWL.SymmetricProperty, OWL.inverseOf, OWL.equivalentClass, OWL.equivalentProperty,
    OWL.propertyChainAxiom, OWL.versionIRI, OWL.versionInfo, OWL.priorVersion, OWL.imports, OWL.deprecated,
    OWL.Thing, OWL.NamedIndividual, OWL.DeprecatedClass, OWL.DeprecatedProperty, OWL.backwardCompatibleWith,
    OWL.incompatibleWith,
}


class UnsupportedAxiom(Exception):
    """The graph uses OWL the compiled rules do not implement; owlrl must do the work."""


@dataclass
class Rules:
    """The closed TBox, compiled for instance data."""

    tbox: list  # entailed TBox triples (rdflib terms), to add to the inferred graph
    superclasses: dict = field(default_factory=dict)      # class -> set of superclasses (excluding itself)
    implied: dict = field(default_factory=dict)           # property -> set of (property, flipped)
    transitive: set = field(default_factory=set)
    chains: list = field(default_factory=list)            # (p1, p2, q): x p1 y, y p2 z => x q z
    domains: dict = field(default_factory=dict)           # property -> set of classes
    ranges: dict = field(default_factory=dict)
    key: str = ""  # the ontology's and the code's key (``rules_for``): rules written out are read back only for it

    @property
    def properties(self) -> set:
        props = set(self.implied) | self.transitive | set(self.domains) | set(self.ranges)
        for implied in self.implied.values():
            props |= {q for q, _ in implied}
        for p1, p2, q in self.chains:
            props |= {p1, p2, q}
        return props


def owlrl_closure(graph: rdflib.Graph) -> rdflib.Graph:
    """owlrl's OWL RL closure of a copy of ``graph`` (the reference semantics)."""
    closed = rdflib.Graph()
    for t in graph:
        closed.add(t)
    # improved_datatypes=False: owlrl's own literal converters are left registered in rdflib afterwards and
    # reject valid xsd:gMonthDay values ("--05-13"), which this data uses for dates without a year.
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False,
                           datatype_axioms=False, improved_datatypes=False).expand(closed)
    return closed


_STANDARD = (nsmod.RDF, nsmod.RDFS, nsmod.OWL, nsmod.XSD)


def is_junk(s, p, o) -> bool:
    """Triples owlrl emits that say nothing about the data: literal subjects, x owl:sameAs x, x a owl:Thing (true of
    every individual: at a million triples, 131,000 statements and 6% of the inferred graph), and axiomatic triples
    about the RDF, RDFS, OWL and XSD vocabularies themselves (rdfs:label a owl:AnnotationProperty)."""
    return (isinstance(s, rdflib.Literal) or (p == OWL.sameAs and s == o) or (p == RDF.type and o == OWL.Thing)
            or (isinstance(s, rdflib.URIRef) and str(s).startswith(_STANDARD)))


def check_supported(ontology: rdflib.Graph) -> None:
    for s, p, o in ontology:
        for term in (p, o) if p == RDF.type else (p,):
            if isinstance(term, rdflib.URIRef) and term.startswith(nsmod.OWL) and term not in SUPPORTED_OWL:
                raise UnsupportedAxiom(f"{term.n3()} (on {s.n3()})")


def compile_rules(ontology: rdflib.Graph) -> Rules:
    """Close the ontology with owlrl and compile the result into rules for instance data."""
    check_supported(ontology)
    closed = owlrl_closure(ontology)
    tbox = [t for t in closed if t not in ontology and not is_junk(*t)]
    rules = Rules(tbox=tbox)

    def add(mapping, key, value):
        mapping.setdefault(key, set()).add(value)

    # owl:Thing as a superclass, domain or range would only type nodes owl:Thing, which ``is_junk`` leaves out
    for c, d in closed.subject_objects(RDFS.subClassOf):
        if c != d and d != OWL.Thing:
            add(rules.superclasses, c, d)
    superprops = defaultdict(set)
    for p, q in closed.subject_objects(RDFS.subPropertyOf):
        superprops[p].add(q)
    for p, q in closed.subject_objects(OWL.equivalentProperty):
        superprops[p].add(q)
        superprops[q].add(p)
    inverses = defaultdict(set)
    for p, q in closed.subject_objects(OWL.inverseOf):
        inverses[p].add(q)
        inverses[q].add(p)
    symmetric = set(closed.subjects(RDF.type, OWL.SymmetricProperty))
    rules.transitive = set(closed.subjects(RDF.type, OWL.TransitiveProperty))
    for p, c in closed.subject_objects(RDFS.domain):
        if c != OWL.Thing:
            add(rules.domains, p, c)
    for p, c in closed.subject_objects(RDFS.range):
        if c != OWL.Thing:
            add(rules.ranges, p, c)
    for q, head in closed.subject_objects(OWL.propertyChainAxiom):
        chain = list(rdflib.collection.Collection(closed, head))
        if len(chain) != 2:
            raise UnsupportedAxiom(f"property chain of length {len(chain)} on {q.n3()}")
        rules.chains.append((chain[0], chain[1], q))

    # What one asserted edge of p entails about the same pair of nodes: a closure over sub-properties,
    # inverses and symmetry, computed once per property instead of once per triple.
    for p in set(superprops) | set(inverses) | symmetric:
        reached = {(p, False)}
        todo = [(p, False)]
        while todo:
            q, flipped = todo.pop()
            steps = [(r, flipped) for r in superprops.get(q, ())]
            steps += [(r, not flipped) for r in inverses.get(q, ())]
            if q in symmetric:
                steps.append((q, not flipped))
            for step in steps:
                if step not in reached:
                    reached.add(step)
                    todo.append(step)
        reached.discard((p, False))
        if reached:
            rules.implied[p] = reached
    return rules


# ---------------------------------------------------------------------------------------------- instance data

def materialise(triples_by_property: dict, types: dict, rules: Rules) -> tuple[dict, dict]:
    """Apply the rules to the instance data to a fixpoint.

    ``triples_by_property`` maps a property to its set of (subject, object) pairs; ``types`` maps a node to its
    set of classes. Both are completed in place and returned. Terms may be of any hashable kind.
    """
    edges = defaultdict(set, triples_by_property)
    out_index: dict = defaultdict(lambda: defaultdict(set))  # property -> subject -> objects
    in_index: dict = defaultdict(lambda: defaultdict(set))   # property -> object -> subjects
    indexed = set(rules.transitive) | {p for p1, p2, _ in rules.chains for p in (p1, p2)}
    for p in indexed:
        for s, o in edges.get(p, ()):
            out_index[p][s].add(o)
            in_index[p][o].add(s)
    chains_by_first = defaultdict(list)
    chains_by_second = defaultdict(list)
    for p1, p2, q in rules.chains:
        chains_by_first[p1].append((p2, q))
        chains_by_second[p2].append((p1, q))

    todo = [(p, s, o) for p, pairs in edges.items() for s, o in pairs]

    def emit(p, s, o):
        if (s, o) not in edges[p]:
            edges[p].add((s, o))
            if p in indexed:
                out_index[p][s].add(o)
                in_index[p][o].add(s)
            todo.append((p, s, o))

    while todo:
        p, s, o = todo.pop()
        for q, flipped in rules.implied.get(p, ()):
            if not (flipped and is_literal(o)):
                emit(q, o, s) if flipped else emit(q, s, o)
        if p in rules.transitive:
            for z in list(out_index[p].get(o, ())):
                emit(p, s, z)
            for x in list(in_index[p].get(s, ())):
                emit(p, x, o)
        for p2, q in chains_by_first.get(p, ()):
            for z in list(out_index[p2].get(o, ())):
                emit(q, s, z)
        for p1, q in chains_by_second.get(p, ()):
            for x in list(in_index[p1].get(s, ())):
                emit(q, x, o)

    for p, classes in rules.domains.items():
        for s, _ in edges.get(p, ()):
            types.setdefault(s, set()).update(classes)
    for p, classes in rules.ranges.items():
        for _, o in edges.get(p, ()):
            if not is_literal(o):
                types.setdefault(o, set()).update(classes)
    for classes in types.values():
        for c in list(classes):
            classes.update(rules.superclasses.get(c, ()))
    return edges, types


_LITERALS = (ox.Literal, rdflib.Literal)


def is_literal(term) -> bool:
    """A literal: an Oxigraph or rdflib literal, or the N-Triples text of one (which starts with a quote)."""
    return term[0] == '"' if isinstance(term, str) else isinstance(term, _LITERALS)


# ---------------------------------------------------------------------------------------------- on the store

@dataclass
class Reasoned:
    inferred: int          # triples written to the inferred graph
    engine: str            # "compiled" or "owlrl"
    note: str = ""
    rules: Rules | None = None  # the compiled rules used (kept by the build for incremental updates)
    streamed: bool = False      # the entailments were also given to the caller's sink
    # The store gives the inferred graph back sorted, with no blank node to relabel: its dump is stable as it is
    # (the compiled engine's loading order, ``_reason_compiled``).
    ordered: bool = False
    # The inferred graph went to the caller's ``dump`` instead (sorted, no blank node), and the store holds only
    # what ``hold`` asked for.
    dumped: bool = False
    # ("members", class) or ("subjects", property), as N-Triples text -> the nodes, as N-Triples text, over the
    # asserted and inferred graphs: those of ``Hold.members_of`` and ``Hold.subjects_of`` the reasoner knows whole
    lists: dict = field(default_factory=dict)


@dataclass
class Hold:
    """What of the entailments the in-memory store must hold when the whole inferred graph is kept elsewhere (the
    build's store on disk and ``inferred.ttl``): what is read there afterwards. The entailed TBox is always held;
    beyond it the statements of ``predicates``, membership of ``classes`` (of every class if rdf:type is one of
    ``predicates``), and every statement of the focus nodes of ``about`` (targets, as (kind, term), of shapes that
    read all a focus node says) and into those of ``into``. ``members_of`` and ``subjects_of``: classes and
    properties whose instances and subjects over the whole graph the caller wants listed (``Reasoned.lists``)."""

    predicates: set = field(default_factory=set)  # Oxigraph named nodes
    classes: set = field(default_factory=set)
    about: list = field(default_factory=list)
    into: list = field(default_factory=list)
    members_of: set = field(default_factory=set)
    subjects_of: set = field(default_factory=set)


def ontology_rdflib(loaded: Loaded) -> rdflib.Graph:
    return rdflib_graph(loaded.store.quads_for_pattern(None, None, None, loaded.names.ontology_graph))


def dependency_versions() -> list[str]:
    """The versions a cached result depends on: this package's and the libraries' that parse, reason and name."""
    from importlib.metadata import PackageNotFoundError, version

    from wpsgraph import __version__

    out = [f"wpsgraph {__version__}"]
    for package in ("owlrl", "rdflib", "pyoxigraph", "pycountry"):
        try:
            out.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            out.append(f"{package} -")
    return out


def _cache_key(ontology: rdflib.Graph) -> str:
    """What the compiled rules depend on: the ontology's content and the versions of the code that compiles them
    (this package, owlrl, rdflib, pyoxigraph, pycountry)."""
    # Blank nodes (property chains, lists) get new labels at every parse: canonical labels keep the key stable.
    from rdflib.compare import to_canonical_graph

    lines = sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in to_canonical_graph(ontology))
    return hashlib.sha256("\n".join(dependency_versions() + lines).encode()).hexdigest()[:24]


def _tree_key(quads) -> str | None:
    """The same kind of key, fast, when every blank node of the ontology is the object of at most one triple and
    on no cycle (lists, property chains): each blank node is then written as the sorted text of what it says,
    which is label-free. None otherwise."""
    by_subject: dict = defaultdict(list)
    referenced: dict = defaultdict(int)
    triples = []
    for q in quads:
        triples.append((q.subject, q.predicate, q.object))
        by_subject[q.subject].append((q.predicate, q.object))
        if isinstance(q.object, ox.BlankNode):
            referenced[q.object] += 1
    if any(n > 1 for n in referenced.values()):
        return None

    def text(term, seen=()):
        if not isinstance(term, ox.BlankNode):
            return str(term)
        if term in seen:
            raise ValueError("cycle")
        return "[" + " ; ".join(sorted(f"{p} {text(o, seen + (term,))}" for p, o in by_subject[term])) + "]"

    try:
        lines = sorted(f"{text(s)} {p} {text(o)}" for s, p, o in triples
                       if not (isinstance(s, ox.BlankNode) and referenced.get(s)))
    except ValueError:
        return None
    return "tree-" + hashlib.sha256("\n".join(dependency_versions() + lines).encode()).hexdigest()[:24]


_COMPILED: dict[str, Rules] = {}
# Of the rules written out, and of what they entail: an update of a build reasoned with another refuses (plan.py).
RULES_FORMAT = 2  # 2: no x a owl:Thing


def rules_for(loaded: Loaded, cache_dir: Path | None = None, offered: dict | None = None) -> Rules:
    """Compiled rules for the loaded ontology, cached on disk by the ontology's content and the versions of the
    code (closing the ontology takes seconds). The cache is JSON holding RDF terms as N-Triples text, read back by
    a parser: it cannot run code, and an entry that does not read back whole is rebuilt, never trusted.
    ``offered``: rules written by a build (``rules_doc``), taken if they are for the same key."""
    key = _tree_key(loaded.store.quads_for_pattern(None, None, None, loaded.names.ontology_graph))
    if key in _COMPILED:   # one process builds the same ontology many times (tests, serve, publish)
        return _COMPILED[key]
    # the ontology as an rdflib graph (a fifth of a second) only when it is needed: for the slow key, or to compile
    ontology = None
    if key is None:
        ontology = ontology_rdflib(loaded)
        key = _cache_key(ontology)
    if key in _COMPILED:
        return _COMPILED[key]
    cache = Path(cache_dir) / f"rules-{key}.json" if cache_dir is not None else None
    rules, cached = None, False
    for doc, in_cache in ((_read_json(cache), True), (offered, False)):
        if rules is None and doc is not None:
            # a stale, partial or tampered entry is passed over: rebuilt below
            with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError, SyntaxError):
                rules, cached = rules_from_doc(doc, key), in_cache
    if rules is None:
        rules = compile_rules(ontology if ontology is not None else ontology_rdflib(loaded))
        rules.key = key
    _COMPILED[key] = rules
    if cache is not None and not cached:
        from wpsgraph.folders import OutputError, atomic_write

        try:  # a reader sees a whole entry or none
            cache.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(cache, json.dumps(rules_doc(rules)))
        except (OSError, OutputError):
            pass  # an unwritable cache only costs time
    return rules


def _read_json(path: Path | None):
    if path is None or not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None


def rules_doc(rules: Rules) -> dict:
    """The rules as JSON-ready data, terms as N-Triples text, with their key."""
    t = _nt
    return {
        "format": RULES_FORMAT, "key": rules.key,
        "tbox": [[t(s), t(p), t(o)] for s, p, o in rules.tbox],
        "superclasses": {t(c): sorted(t(d) for d in ds) for c, ds in rules.superclasses.items()},
        "implied": {t(p): sorted([t(q), f] for q, f in qs) for p, qs in rules.implied.items()},
        "transitive": sorted(t(p) for p in rules.transitive),
        "chains": [[t(a), t(b), t(c)] for a, b, c in rules.chains],
        "domains": {t(p): sorted(t(c) for c in cs) for p, cs in rules.domains.items()},
        "ranges": {t(p): sorted(t(c) for c in cs) for p, cs in rules.ranges.items()},
    }


def rules_from_doc(doc: dict, key: str) -> Rules:
    """Rules read back from ``rules_doc``; ValueError (or KeyError, TypeError, AttributeError, SyntaxError) if
    ``doc`` is not a whole entry for ``key``."""
    if doc.get("format") != RULES_FORMAT or doc.get("key") != key:
        raise ValueError("another key or format")
    texts: list[str] = []

    def ref(term: str) -> int:
        if not isinstance(term, str):
            raise TypeError("a term is not a string")
        texts.append(term)
        return len(texts) - 1

    tbox = [[ref(x) for x in triple] for triple in doc["tbox"]]
    superclasses = {ref(c): [ref(d) for d in ds] for c, ds in doc["superclasses"].items()}
    implied = {ref(p): [(ref(q), bool(f)) for q, f in qs] for p, qs in doc["implied"].items()}
    transitive = [ref(p) for p in doc["transitive"]]
    chains = [[ref(x) for x in chain] for chain in doc["chains"]]
    domains = {ref(p): [ref(c) for c in cs] for p, cs in doc["domains"].items()}
    ranges = {ref(p): [ref(c) for c in cs] for p, cs in doc["ranges"].items()}
    # every term parsed as the object of one N-Triples line: any text that is not exactly one term fails
    lines = "".join(f"<urn:t:{i}> <urn:t:p> {term} .\n" for i, term in enumerate(texts))
    terms: list = [None] * len(texts)
    for q in ox.parse(lines, format=ox.RdfFormat.N_TRIPLES):
        terms[int(q.subject.value[6:])] = to_rdflib(q.object)
    if any(term is None for term in terms):
        raise ValueError("a term did not read back")
    if any(len(triple) != 3 for triple in tbox) or any(len(chain) != 3 for chain in chains):
        raise ValueError("a triple or chain of the wrong length")

    def term(i):
        return terms[i]

    return Rules(
        tbox=[tuple(map(term, triple)) for triple in tbox],
        superclasses={term(c): {term(d) for d in ds} for c, ds in superclasses.items()},
        implied={term(p): {(term(q), f) for q, f in qs} for p, qs in implied.items()},
        transitive={term(p) for p in transitive},
        chains=[tuple(map(term, chain)) for chain in chains],
        domains={term(p): {term(c) for c in cs} for p, cs in domains.items()},
        ranges={term(p): {term(c) for c in cs} for p, cs in ranges.items()},
        key=key,
    )


def _schema_in_data(loaded: Loaded) -> bool:
    """Whether a data graph says something the TBox compilation would miss (OWL or RDFS schema statements; the
    annotations ``load`` lets through, owl:versionInfo and owl:deprecated, entail nothing)."""
    return first_schema_axiom(loaded.store, loaded.names) is not None


def materialise_sets(edges: dict, members: dict, rules: Rules) -> tuple[dict, dict]:
    """The same fixpoint as :func:`materialise`, computed a property and a class at a time with set operations.

    ``edges`` maps a property to its set of (subject, object) pairs, ``members`` a class to its set of
    instances; both are completed in place and returned. Rather than following each triple through the rules,
    a whole round of new pairs of a property is pushed at once to every property it implies (``rules.implied``
    is already closed over sub-properties, inverses and symmetry, so one step suffices), then transitive
    properties and property chains are closed on whole relations; their new pairs start the next round.
    Classes come last: domains and ranges of the final relations, then superclasses (already closed).
    """
    edges = defaultdict(set, edges)
    delta = {p: set(pairs) for p, pairs in edges.items() if pairs}
    while delta:
        changed: defaultdict = defaultdict(set)
        for p, pairs in delta.items():
            changed[p] |= pairs
            for q, flipped in rules.implied.get(p, ()):
                if flipped:
                    implied = {(o, s) for s, o in pairs if not is_literal(o)}
                else:
                    implied = pairs
                fresh = implied - edges[q]
                if fresh:
                    edges[q] |= fresh
                    changed[q] |= fresh
        nxt: defaultdict = defaultdict(set)
        for q in rules.transitive:
            if changed.get(q):
                fresh = _transitive_closure(edges[q]) - edges[q]
                if fresh:
                    edges[q] |= fresh
                    nxt[q] |= fresh
        for p1, p2, q in rules.chains:
            # Semi-naive: only joins with a pair this chain has not met yet. Every pair of a relation passes
            # through ``changed`` or ``nxt`` in the round it is added or the next, and the loop runs until neither
            # has any, so each is met once against the whole other relation as it is then.
            new1 = changed.get(p1, _NONE) | nxt.get(p1, _NONE)
            new2 = changed.get(p2, _NONE) | nxt.get(p2, _NONE)
            if not new1 and not new2:
                continue
            joined: set = set()
            if new1:
                succ = _grouped(edges.get(p2, ()), {y for _, y in new1})
                joined.update((x, z) for x, y in new1 for z in succ.get(y, ()))
            if new2:
                pred = _grouped(edges.get(p1, ()), {y for y, _ in new2}, by_second=True)
                joined.update((x, z) for y, z in new2 for x in pred.get(y, ()))
            fresh = joined - edges[q]
            if fresh:
                edges[q] |= fresh
                nxt[q] |= fresh
        delta = {p: pairs for p, pairs in nxt.items() if pairs}

    members = defaultdict(set, members)
    for p, classes in rules.domains.items():
        found = edges.get(p)
        if found:
            subjects = {s for s, _ in found}
            for c in classes:
                members[c] |= subjects
    for p, classes in rules.ranges.items():
        found = edges.get(p)
        if found:
            objects = {o for _, o in found if not is_literal(o)}
            for c in classes:
                members[c] |= objects
    before = {c: set(nodes) for c, nodes in members.items()}
    for c, nodes in before.items():
        for d in rules.superclasses.get(c, ()):
            members[d] |= nodes
    return edges, members


_NONE: frozenset = frozenset()


def _grouped(pairs, keep: set, by_second: bool = False) -> dict:
    """first -> [second] for the pairs whose first element is in ``keep`` (``by_second``: second -> [first], for
    those whose second element is)."""
    index: dict = defaultdict(list)
    for a, b in pairs:
        if by_second:
            a, b = b, a
        if a in keep:
            index[a].append(b)
    return index


def _transitive_closure(pairs: set) -> set:
    """All (x, z) with a path from x to z through ``pairs``; memoised on acyclic parts, correct on cycles."""
    succ = defaultdict(set)
    for x, y in pairs:
        succ[x].add(y)
    reach: dict = {}
    out: set = set()
    for start in succ:
        if start in reach:
            continue
        seen = set()
        stack = list(succ[start])
        while stack:
            y = stack.pop()
            if y in seen:
                continue
            seen.add(y)
            done = reach.get(y)
            if done is not None:
                seen |= done
            else:
                stack.extend(succ.get(y, ()))
        reach[start] = seen
    for x, ys in reach.items():
        out.update((x, y) for y in ys)
    return out


def reason(loaded: Loaded, cache_dir: Path | None = None,
           sink: Callable[[bytes | None, bool], None] | None = None,
           schema_checked: bool = False, dump: Callable[[Iterable[ox.Triple]], None] | None = None,
           hold: Hold | None = None) -> Reasoned:
    """Materialise the OWL RL entailments of the asserted graphs into the inferred graph.

    ``sink``: also given the compiled reasoner's entailments as N-Triples (of the inferred graph), a slice at a time,
    then None once it has them all, before they are loaded into the store (the build writes them to its on-disk
    store meanwhile); ``Reasoned.streamed`` says whether it was.
    ``schema_checked``: the store is as ``load`` left it, which refuses schema statements in data files, so the
    scan for them (a second pass over every statement) is not made again.
    ``dump`` (with ``sink``): given the compiled reasoner's inferred graph as triples sorted by their N-Triples text,
    once, when it names no blank node (``Reasoned.dumped``); the store then holds only what ``hold`` says (None:
    all of it). Writing the graph's Turtle from the reasoner's text rather than from the store, and keeping out of
    the store the statements nothing reads there, halves what it is given of the inferred graph (a million triples:
    1.07M of 2.14M entailments)."""
    store, target = loaded.store, loaded.names.inferred_graph
    store.remove_graph(target) if target in set(store.named_graphs()) else None
    try:
        if not schema_checked and _schema_in_data(loaded):
            raise UnsupportedAxiom("schema statements (subClassOf, domain, sameAs, ...) outside the ontology")
        rules = rules_for(loaded, cache_dir)
    except UnsupportedAxiom as e:
        return _reason_with_owlrl(loaded, f"owlrl used: {e}")
    with paused():  # millions of tuples of strings, none in a cycle
        lists: dict = {}
        count, blank, dumped = _reason_compiled(store, rules, target, sink, dump if sink is not None else None,
                                                hold, lists)
    return Reasoned(count, "compiled", rules=rules, streamed=sink is not None, ordered=not blank and not dumped,
                    dumped=dumped, lists=lists)


# Terms are handled as their N-Triples text: Oxigraph writes it (CONSTRUCT results serialised as N-Triples) and
# reads it back (N-Triples), Python only hashes and compares strings, whose hashes are cached. An IRI is "<...>",
# a blank node "_:...", a literal starts with a quote.
_RDF_TYPE = "<" + str(RDF.type) + ">"


def _nt(term) -> str:
    """The N-Triples text of an rdflib term, as Oxigraph writes it."""
    return str(from_rdflib(term))


def _read_pairs(store: ox.Store, predicate: str) -> set:
    """The (subject, object) pairs of one predicate over all graphs, as N-Triples text."""
    result = store.query(f"CONSTRUCT {{ ?s {predicate} ?o }} WHERE {{ GRAPH ?g {{ ?s {predicate} ?o }} }}")
    assert isinstance(result, ox.QueryTriples)
    text = (result.serialize(format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")
    cut = len(predicate) + 2
    pairs: set = set()
    add = pairs.add
    # Interned: a node is one string however many statements name it (at a million triples, a third of the
    # reasoner's memory was copies of the same IRIs).
    intern = sys.intern
    for line in text.split("\n"):
        if line:
            s, rest = line.split(" ", 1)
            add((intern(s), intern(rest[cut - 1:-2])))
    return pairs


def _reason_compiled(store: ox.Store, rules: Rules, target: ox.NamedNode,
                     sink: Callable[[bytes | None, bool], None] | None = None,
                     dump: Callable[[Iterable[ox.Triple]], None] | None = None,
                     hold: Hold | None = None, lists: dict | None = None) -> tuple[int, bool, bool]:
    """Materialise into ``target``; the number of statements entailed, whether any text of them held "_:" (a blank
    node, or those characters inside a literal), and whether they went to ``dump`` (``reason``). ``lists`` is
    filled with those of ``hold``'s lists the reasoned relations give whole."""
    tbox = [(_nt(s), _nt(p), _nt(o)) for s, p, o in rules.tbox]

    # Only the triples a rule can fire on are read: rdf:type and the properties the rules mention.
    props = {_nt(p) for p in rules.properties}
    edges: dict = {}
    for p in props:
        pairs = _read_pairs(store, p)
        if pairs:
            edges[p] = pairs
    members: dict = defaultdict(set)
    for node, cls in _read_pairs(store, _RDF_TYPE):
        members[cls].add(node)
    for s, p, o in tbox:
        if p == _RDF_TYPE:
            members[o].add(s)
        elif p in props:
            edges.setdefault(p, set()).add((s, o))
    asserted_edges = {p: set(pairs) for p, pairs in edges.items()}
    asserted_members = {c: set(nodes) for c, nodes in members.items()}
    in_text = _rules_in_text(rules)

    # The entailed TBox triples are written as they are; they were also put into ``edges`` and ``members`` (so that
    # rules fire on them) before the asserted snapshot was taken, so the differences below leave them out.
    lines = [f"{s} {p} {o} .\n" for s, p, o in set(tbox)]
    held: list = list(lines) if dump is not None else []  # what the store gets when the graph is dumped from here
    given = 0  # lines already given to the sink
    blank = False

    def give(last: bool = False) -> None:
        # The sink has each slice as soon as it is made, in the order made: the build's on-disk copy is
        # bulk-loaded from it, in any order, while the rest is made, sorted and loaded into this store. (The text is
        # made again for this store, not kept: 0.3 GB.)
        nonlocal given, blank
        if sink is None:
            return
        while len(lines) - given >= _CHUNK or (last and given < len(lines)):
            text = "".join(lines[given:given + _CHUNK]).encode("utf-8")
            marked = holds_blank_mark(text)  # the sink is told, and need not look again
            blank = blank or marked
            sink(text, marked)
            given = min(given + _CHUNK, len(lines))
        if last:
            sink(None, False)

    # The memberships that asserted types give by superclasses alone are final before the fixpoint (classes come
    # last in it, and only add to them): with a sink they are given first, so that the store writer has its first
    # spool file seconds sooner, instead of waiting for the fixpoint. Left out of the lines written below.
    early = _superclass_memberships(asserted_members, in_text) if sink is not None else {}
    for c, nodes in early.items():
        lines.extend(f"{n} {_RDF_TYPE} {c} .\n" for n in nodes)
    give()

    edges, members = materialise_sets(edges, members, in_text)
    held_predicates, held_classes, about, into = _held(hold if dump is not None else None, edges, members, store)
    if hold is not None and lists is not None:
        _lists(hold, edges, members, lists)

    # Each relation dropped once written out, so that the sets and the lines are not all held at once.
    while edges:
        p, pairs = edges.popitem()
        fresh = pairs - asserted_edges.pop(p) if p in asserted_edges else pairs
        made = [f"{s} {p} {o} .\n" for s, o in fresh]
        if dump is None:
            pass
        elif held_predicates is None or p in held_predicates:
            held.extend(made)
        elif about or into:
            held.extend(line for line, (s, o) in zip(made, fresh) if s in about or o in into)
        lines.extend(made)
        del pairs, fresh, made
        give()
    while members:
        c, nodes = members.popitem()
        fresh = nodes - asserted_members.pop(c) if c in asserted_members else nodes
        typed = [n for n in fresh if n[0] != '"']
        made = [f"{n} {_RDF_TYPE} {c} .\n" for n in typed]
        if dump is None:
            pass
        elif held_classes is None or c in held_classes:
            held.extend(made)
        elif about or into:
            held.extend(line for line, n in zip(made, typed) if n in about or n in into)
        written = early.pop(c, None)
        lines.extend(made if not written else (line for line, n in zip(made, typed) if n not in written))
        del nodes, fresh, made, typed, written
        give()
    give(last=True)
    count = len(lines)
    if dump is not None and not blank:
        # Sorted, the statements of a subject come together (one Turtle block each) and the file is the same bytes
        # whatever Python's hash seed. Each slice is let go once written.
        lines.sort()
        dump(_parsed(lines))
        lines = held
        del held
    else:
        # Loaded in descending order: the in-memory store hands a graph's quads back newest first, so the inferred
        # graph comes out sorted by subject (one Turtle block each) and the same bytes whatever Python's hash seed,
        # straight from the store (``stable.write_stable_turtle``), without reading the slow on-disk copy back.
        del held
        lines.sort(reverse=True)
    # Loaded a hundred thousand statements at a time: the text of all of them at once (joined string, bytes) would
    # double the reasoner's peak memory.
    while lines:  # each slice dropped once loaded: the store grows as the list shrinks
        chunk = lines[:_CHUNK]
        del lines[:_CHUNK]
        # with a sink, give() has looked for "_:" in every line already
        blank |= _load_lines(store, chunk, target, None if sink is None else blank)
    return count, blank, dump is not None and not blank


def _superclass_memberships(asserted: dict, rules: Rules) -> dict:
    """class -> the nodes an asserted type puts in it by a superclass (``rules`` in N-Triples text), but for those
    asserted in it already and literals."""
    out: dict = defaultdict(set)
    for c, nodes in asserted.items():
        for d in rules.superclasses.get(c, ()):
            out[d] |= nodes
    for d, nodes in out.items():
        nodes -= asserted.get(d, _NONE)
        nodes.difference_update([n for n in nodes if n[0] == '"'])
    return {d: nodes for d, nodes in out.items() if nodes}


def _parsed(lines: list) -> Iterator[ox.Triple]:
    """The triples of N-Triples ``lines`` (Oxigraph's own text, read leniently), in order; the list is emptied as
    they are read, a slice at a time."""
    while lines:
        text = "".join(lines[:_CHUNK]).encode("utf-8")
        del lines[:_CHUNK]
        yield from ox.parse(text, format=ox.RdfFormat.N_TRIPLES, lenient=True)


def _held(hold: Hold | None, edges: dict, members: dict, store: ox.Store) -> tuple:
    """``hold`` in N-Triples text: the predicates held whole and the classes whose membership is (None: everything),
    and the nodes every statement of which, and into which, is held (the focus nodes of ``hold.about`` and
    ``hold.into``, from the reasoned relations: a class's members include its subclasses' and a property's pairs
    its sub-properties')."""
    if hold is None:
        return None, None, set(), set()
    sides = []
    for targets in (hold.about, hold.into):
        nodes: set = set()
        for kind, term in targets:
            t = str(term)
            if kind == "targetClass":
                nodes |= members.get(t, set())
            elif kind in ("targetSubjectsOf", "targetObjectsOf"):
                pairs = edges.get(t) or _read_pairs(store, t)
                nodes |= {s for s, _ in pairs} if kind == "targetSubjectsOf" else {o for _, o in pairs}
            elif kind == "targetNode":
                nodes.add(t)
            else:  # a target whose nodes are not known here: everything is held
                return None, None, set(), set()
        sides.append(nodes)
    predicates = {str(p) for p in hold.predicates}
    classes = None if _RDF_TYPE in predicates else {str(c) for c in hold.classes}
    return predicates, classes, sides[0], sides[1]


def _lists(hold: Hold, edges: dict, members: dict, lists: dict) -> None:
    """The lists of ``hold.members_of`` and ``hold.subjects_of`` the reasoned relations hold whole: every class's
    members, the subjects of rdf:type and those of the properties the rules name (any other property has no
    entailed statement, so the store lists it whole)."""
    for c in hold.members_of:
        lists[("members", str(c))] = {n for n in members.get(str(c), ()) if n[0] != '"'}
    for p in hold.subjects_of:
        t = str(p)
        if t == _RDF_TYPE:
            typed: set = set()
            for nodes in members.values():
                typed |= nodes
            lists[("subjects", t)] = {n for n in typed if n[0] != '"'}
        elif t in edges:
            lists[("subjects", t)] = {s for s, _ in edges[t] if s[0] != '"'}


_CHUNK = 100_000


def _load_lines(store: ox.Store, lines: list, graph: ox.NamedNode, marked: bool | None = None) -> bool:
    """Load N-Triples lines into ``graph``; whether their text holds "_:" (``marked``: known already)."""
    text = "".join(lines).encode("utf-8")
    if marked is None:
        marked = holds_blank_mark(text)
    if text:
        # A transaction: into an in-memory store that already holds the asserted graphs, ``load`` takes half the
        # time ``bulk_load`` does (7.5 s against 14 s for 2.3 million statements after a million).
        load_keeping_blank_nodes(store, text, ox.RdfFormat.N_TRIPLES, to_graph=graph, bulk=False, marked=marked)
    return marked


def _rules_in_text(rules: Rules) -> Rules:
    t = _nt
    return Rules(
        tbox=[],
        superclasses={t(c): {t(d) for d in ds} for c, ds in rules.superclasses.items()},
        implied={t(p): {(t(q), f) for q, f in qs} for p, qs in rules.implied.items()},
        transitive={t(p) for p in rules.transitive},
        chains=[(t(a), t(b), t(c)) for a, b, c in rules.chains],
        domains={t(p): {t(c) for c in cs} for p, cs in rules.domains.items()},
        ranges={t(p): {t(c) for c in cs} for p, cs in rules.ranges.items()},
    )


def _reason_with_owlrl(loaded: Loaded, note: str) -> Reasoned:
    store, target = loaded.store, loaded.names.inferred_graph
    asserted = rdflib_graph(q for q in store.quads_for_pattern(None, None, None, None) if q.graph_name != target)
    closed = owlrl_closure(asserted)
    new = [ox.Quad(from_rdflib(s), from_rdflib(p), from_rdflib(o), target)
           for s, p, o in closed if (s, p, o) not in asserted and not is_junk(s, p, o)]
    store.extend(new)
    return Reasoned(len(new), "owlrl", note)
