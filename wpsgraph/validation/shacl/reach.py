"""What part of the data a shape reads around a focus node, for validating only what a change can affect.

A focus node's results depend only on the triples the shape's evaluation reads: along its paths (predicates read
forward or backward), the rdf:type of the nodes it checks with sh:class, the other properties of sh:equals and
its kind, every property of a node of a closed shape, and the triple patterns of its SPARQL constraints. ``of``
computes this for a shape as a ``Reach``; ``affected`` walks the data backwards from the nodes of changed triples
to the focus nodes whose results may have changed. A shape whose reading cannot be bounded (a SPARQL pattern not
connected to $this) is ``unbounded``: all its focus nodes are validated.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

import pyoxigraph as ox

from wpsgraph.validation.shacl.graph import RDF_TYPE
from wpsgraph.validation.shacl.shapes import Shape

NEVER = -1


def _deeper(a, b):
    """The larger of two depths, where None is unbounded and NEVER is no reading at all."""
    if a is None or b is None:
        return None if NEVER not in (a, b) else (a if b == NEVER else b)
    return max(a, b)


def _shift(depth, offset):
    if depth == NEVER:
        return NEVER
    return None if depth is None or offset is None else depth + offset


@dataclass
class Reach:
    forward: set = field(default_factory=set)   # predicates read from a node to its objects
    inverse: set = field(default_factory=set)   # predicates read from a node to its subjects
    depth: int | None = 0                        # steps from the focus node to the farthest node read; None: any
    read_out: int | None = NEVER                 # deepest node all of whose statements are read (sh:closed, ?p)
    read_in: int | None = NEVER                  # deepest node all statements about which are read (?s ?p $this)
    walk_any: bool = False                       # nodes are reached through any property (a ?p followed further)
    unbounded: bool = False                      # reads data not connected to the focus node

    def add(self, other: Reach, offset: int | None) -> None:
        self.forward |= other.forward
        self.inverse |= other.inverse
        self.walk_any |= other.walk_any
        self.unbounded |= other.unbounded
        self.depth = _deeper(self.depth, _shift(other.depth, offset))
        self.read_out = _deeper(self.read_out, _shift(other.read_out, offset))
        self.read_in = _deeper(self.read_in, _shift(other.read_in, offset))


def _path(path, reach: Reach) -> int | None:
    """Record the predicates of a path; its length (None when repeated without bound)."""
    kind, arg = path
    if kind == "pred":
        reach.forward.add(arg)
        return 1
    if kind == "inv":
        inner = Reach()
        n = _path(arg, inner)
        reach.forward |= inner.inverse
        reach.inverse |= inner.forward
        return n
    if kind in ("seq", "alt"):
        lengths = [_path(p, reach) for p in arg]
        if any(n is None for n in lengths):
            return None
        known = [n for n in lengths if n is not None]
        return sum(known) if kind == "seq" else max(known)
    n = _path(arg, reach)
    return n if kind == "opt" else None


def of(shape: Shape, memo: dict | None = None) -> Reach:
    memo = {} if memo is None else memo
    if shape in memo:
        # recursion through shapes: the depth is unknown, the predicates are those already collected
        return memo[shape] if memo[shape] is not None else Reach(depth=None)
    memo[shape] = None
    reach = Reach()
    for kind, term in shape.targets:
        if kind == "targetClass":
            reach.forward.add(RDF_TYPE)
        elif kind == "targetSubjectsOf":
            reach.forward.add(term)
        elif kind == "targetObjectsOf":
            reach.inverse.add(term)
    offset: int | None = 0
    if shape.path is not None:
        offset = _path(shape.path, reach)
        reach.depth = offset
    for component, param in shape.constraints:
        if component == "class":
            reach.forward.add(RDF_TYPE)
        elif component in ("node", "not"):
            reach.add(of(param, memo), offset)
        elif component in ("and", "or", "xone"):
            for inner in param:
                reach.add(of(inner, memo), offset)
        elif component in ("qualifiedMinCount", "qualifiedMaxCount"):
            for inner in [param[0]] + list(param[2]):
                reach.add(of(inner, memo), offset)
        elif component in ("equals", "disjoint", "lessThan", "lessThanOrEquals"):
            reach.forward.add(param)
            reach.add(Reach(depth=1), 0)
        elif component == "closed" and param not in (True, False):
            reach.read_out = _deeper(reach.read_out, offset)
        elif component == "sparql":
            reach.add(sparql_reach(param, shape), 0)
    for prop in shape.properties:
        reach.add(of(prop, memo), offset if shape.is_property else 0)
    memo[shape] = reach
    return reach


_SPARQL: dict = {}
_ALGORITHM = 3  # raised when what is worked out changes, so that memos of an older way are not read
CACHE_DIR: list = []  # the folder of the on-disk memo of SPARQL reaches, when a command sets one
READ_ALSO: list = []  # folders whose memos are read when the cache folder has none (a build's prepared/ folder)


def memo_entries(name: str) -> list:
    """Where a memo called ``name`` may be read: the cache folder, then the folders read as well."""
    return [folder / name for folder in [*CACHE_DIR[:1], *READ_ALSO]]


def sparql_reach(c: dict, shape: Shape) -> Reach:
    """The triple patterns of a SPARQL constraint, walked from $this (rdflib's parser reads the query: a tenth of
    a second per query, so the answer is kept per query text, in the process and in the cache folder)."""
    import hashlib
    import json

    from wpsgraph import __version__
    from wpsgraph.validation.shacl.sparql import prepared_text

    text = prepared_text(c, shape)
    digest = hashlib.sha256(f"{__version__}\0{_ALGORITHM}\0{text}".encode()).hexdigest()[:24]
    name = f"reach-{digest}.json"
    entry = CACHE_DIR[0] / name if CACHE_DIR else None
    if text not in _SPARQL:
        for path in memo_entries(name):
            try:
                doc = json.loads(path.read_text(encoding="utf-8"))
                if doc["text"] == text:
                    _SPARQL[text] = Reach({ox.NamedNode(p) for p in doc["forward"]},
                                          {ox.NamedNode(p) for p in doc["inverse"]}, doc["depth"], doc["read_out"],
                                          doc["read_in"], bool(doc["walk_any"]), bool(doc["unbounded"]))
                    if path == entry:
                        return _copy(_SPARQL[text])
                    break
            except (OSError, ValueError, KeyError, TypeError):
                pass  # absent or damaged: worked out again
    reach = _SPARQL[text] if text in _SPARQL else _sparql_reach(text)
    _SPARQL[text] = reach
    if entry is not None and not entry.exists():
        with contextlib.suppress(OSError):  # a torn entry fails its text check and is worked out again
            entry.write_text(json.dumps({
                "text": text, "forward": sorted(p.value for p in reach.forward),
                "inverse": sorted(p.value for p in reach.inverse), "depth": reach.depth,
                "read_out": reach.read_out, "read_in": reach.read_in, "walk_any": reach.walk_any,
                "unbounded": reach.unbounded}),
                encoding="utf-8")
    return _copy(reach)


def _copy(reach: Reach) -> Reach:
    return Reach(set(reach.forward), set(reach.inverse), reach.depth, reach.read_out, reach.read_in, reach.walk_any,
                 reach.unbounded)


def _sparql_reach(text: str) -> Reach:
    import rdflib
    from rdflib.paths import Path
    from rdflib.plugins.sparql import prepareQuery
    from rdflib.term import Variable

    reach = Reach()
    try:
        query = prepareQuery(text)
    except Exception:  # rdflib cannot read it: nothing is known of what it reads
        return Reach(unbounded=True)
    patterns: list = []

    def walk(node, seen):
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "triples" and isinstance(value, list):
                    patterns.extend(tuple(t) for t in value if isinstance(t, (tuple, list)) and len(t) == 3)
                else:
                    walk(value, seen)
        elif isinstance(node, (list, tuple)):
            for x in node:
                walk(x, seen)
    walk(query.algebra, set())
    this = Variable("this")
    distance = {this: 0}
    todo = [this]
    used: set = set()
    deepest = 0
    while todo:
        n = todo.pop(0)
        for i, (s, p, o) in enumerate(patterns):
            if n not in (s, o) or i in used:
                continue
            used.add(i)
            deepest = max(deepest, distance[n])  # the pattern reads the triples of n
            if isinstance(p, Variable):
                if n == s:
                    reach.read_out = _deeper(reach.read_out, distance[n])
                else:
                    reach.read_in = _deeper(reach.read_in, distance[n])
                far = o if n == s else s
                if any(far in (s2, o2) for j, (s2, _, o2) in enumerate(patterns) if j != i):
                    reach.walk_any = True
            elif isinstance(p, Path):
                for term in _path_terms(p):
                    reach.forward.add(ox.NamedNode(str(term)))
                    reach.inverse.add(ox.NamedNode(str(term)))
                reach.depth = None
            elif isinstance(p, rdflib.URIRef):
                (reach.forward if n == s else reach.inverse).add(ox.NamedNode(str(p)))
            other = o if n == s else s
            if other not in distance:
                distance[other] = distance[n] + 1
                todo.append(other)
    if any(s not in distance and o not in distance for s, _, o in patterns):
        reach.unbounded = True
    if reach.depth is not None:
        reach.depth = deepest
    return reach


def _path_terms(path) -> list:
    import rdflib

    out: list = []
    for attr in ("arg", "args", "path"):
        inner = getattr(path, attr, None)
        for x in inner if isinstance(inner, list) else [inner] if inner is not None else []:
            out += [x] if isinstance(x, rdflib.URIRef) else _path_terms(x)
    return out


def affected(reach: Reach, changed: list, quads) -> set | None:
    """The nodes whose evaluation by a shape of this reach may read a changed triple; None if that is unknown.

    ``changed``: (subject, predicate, object) of every triple added or removed; ``quads(s, p, o)`` reads the data
    (after the change; a removed triple's nodes are seeds themselves, so the data before is not needed)."""
    if reach.unbounded:
        return None
    specific: set = set()
    every: set = set()   # nodes all of whose statements (out, or in) a shape reads
    for s, p, o in changed:
        if p in reach.forward:
            specific.add(s)
        if p in reach.inverse and not isinstance(o, ox.Literal):
            specific.add(o)
        if reach.read_out != NEVER:
            every.add(s)
        if reach.read_in != NEVER and not isinstance(o, ox.Literal):
            every.add(o)
    found = _walk_back(reach, specific, reach.depth, quads)
    if every:
        deepest = _deeper(reach.read_out, reach.read_in)
        found |= _walk_back(reach, every, deepest, quads)
    return found


def _walk_back(reach: Reach, seeds: set, depth, quads) -> set:
    """The nodes from which one of ``seeds`` is reached within ``depth`` steps along the shape's paths."""
    found = set(seeds)
    frontier = set(seeds)
    steps = 0
    while frontier and (depth is None or steps < depth):
        steps += 1
        nxt: set = set()
        for n in frontier:
            # a node read at this step was reached from a node one step nearer the focus: walk back
            if reach.walk_any:
                nxt.update(q.subject for q in quads(None, None, n))
            else:
                for p in reach.forward:
                    if p != RDF_TYPE:
                        nxt.update(q.subject for q in quads(None, p, n))
            if isinstance(n, ox.Literal):
                continue
            if reach.walk_any:
                nxt.update(q.object for q in quads(n, None, None) if not isinstance(q.object, ox.Literal))
            else:
                for p in reach.inverse:
                    nxt.update(q.object for q in quads(n, p, None))
        frontier = nxt - found
        found |= frontier
    return found


def restrictions(compiled, store, changed: list, mentioned: set) -> set | None:
    """The focus nodes to validate after a change (``store``: an Oxigraph store, or a function giving the quads of a
    pattern): every node the new data mentions, and every node some shape
    may read a changed triple from (all of its shapes are then validated on it, so that an affected resource gets
    all its results); None (validate everything) when a shape's reading is unbounded."""
    memo: dict = {}
    if callable(store):  # quads(s, p, o) over some union of stores
        quads = store
    else:
        def quads(s, p, o):
            return store.quads_for_pattern(s, p, o, None)

    out = set(mentioned)
    for shape in compiled.roots:
        nodes = affected(of(shape, memo), changed, quads)
        if nodes is None:
            return None
        out |= nodes
    return out


@dataclass(eq=False)
class Read:
    """What a shape's evaluation reads of a node, and of the nodes reached from it along each property: a tree,
    walked from the focus nodes to copy exactly that from a large store (the types a ``sh:class`` asks about rather
    than a value's whole description). ``reads`` gives it for the shapes it can bound precisely."""

    classes: set = field(default_factory=set)   # membership in these classes is read (sh:class)
    out: dict = field(default_factory=dict)     # predicate -> Read of its objects (statements node p ?o read)
    into: dict = field(default_factory=dict)    # predicate -> Read of its subjects (statements ?s p node read)
    all_out: bool = False                       # every statement about the node is read (sh:closed, ?p)
    all_in: bool = False                        # every statement into the node is read (?s ?p $this)

    def nodes(self) -> list:
        """This Read and every Read under it, each once (a tree may share a node between branches)."""
        out: dict = {}
        todo = [self]
        while todo:
            node = todo.pop()
            if id(node) not in out:
                out[id(node)] = node
                todo.extend(node.out.values())
                todo.extend(node.into.values())
        return list(out.values())

    def merge(self, other: Read) -> None:
        self.classes |= other.classes
        self.all_out |= other.all_out
        self.all_in |= other.all_in
        for mine, theirs in ((self.out, other.out), (self.into, other.into)):
            for p, child in theirs.items():
                if p in mine:
                    mine[p].merge(child)
                else:
                    mine[p] = child


def reads(shape: Shape) -> Read | None:
    """What ``shape`` reads from its focus node on; None where that is not a finite tree of predicates (a path
    repeated without bound, a shape reaching itself, a SPARQL constraint whose reach is unbounded or follows any
    property): those are walked as ``of`` says. A SPARQL constraint reads, at every step up to its depth, every
    predicate its patterns name (``sparql_reach`` does not say which at which step).
    A focus node's own targets are not part of it (validation reads them from every statement of the node)."""
    root = Read()
    return root if _reads(shape, root, set()) else None


def _reads(shape: Shape, at: Read, active: set) -> bool:
    if shape in active:
        return False
    active = active | {shape}
    if shape.path is None:
        values = [at]
    else:
        found = _path_reads(shape.path, [at], False)
        if found is None:
            return False
        values = found
    for component, param in shape.constraints:
        if component == "class":
            for v in values:
                v.classes.add(param)
        elif component in ("node", "not"):
            if not all(_reads(param, v, active) for v in values):
                return False
        elif component in ("and", "or", "xone"):
            if not all(_reads(inner, v, active) for inner in param for v in values):
                return False
        elif component in ("qualifiedMinCount", "qualifiedMaxCount"):
            if not all(_reads(inner, v, active) for inner in [param[0]] + list(param[2]) for v in values):
                return False
        elif component in ("equals", "disjoint", "lessThan", "lessThanOrEquals"):
            at.out.setdefault(param, Read())  # the other property's values at the focus node, compared as terms
        elif component == "closed" and param not in (True, False):
            for v in values:
                v.all_out = True
        elif component == "sparql":
            r = sparql_reach(param, shape)
            if r.unbounded or r.walk_any or r.depth is None or r.read_out is None or r.read_in is None:
                return False
            level = [at]
            for step in range(r.depth + 1):
                reached: dict = {}
                for node in level:
                    node.all_out |= step <= r.read_out
                    node.all_in |= step <= r.read_in
                    reached.update((id(x), x) for x in [node.out.setdefault(p, Read()) for p in r.forward]
                                   + [node.into.setdefault(p, Read()) for p in r.inverse])
                level = list(reached.values())
    for prop in shape.properties:
        if not all(_reads(prop, v, active) for v in (values if shape.is_property else [at])):
            return False
    return True


def _path_reads(path, starts: list, inverse: bool) -> list | None:
    """The Reads of the nodes a path reaches from ``starts`` (the predicates it reads recorded on the way); None
    when it repeats without bound."""
    kind, arg = path
    if kind == "pred":
        reached = [(s.into if inverse else s.out).setdefault(arg, Read()) for s in starts]
        return list({id(r): r for r in reached}.values())
    if kind == "inv":
        return _path_reads(arg, starts, not inverse)
    if kind == "seq":
        current: list | None = starts
        for step in (reversed(arg) if inverse else arg):
            current = _path_reads(step, current, inverse) if current is not None else None
        return current
    if kind == "alt":
        out: dict = {}
        for p in arg:
            found = _path_reads(p, starts, inverse)
            if found is None:
                return None
            out.update((id(r), r) for r in found)
        return list(out.values())
    if kind == "opt":
        found = _path_reads(arg, starts, inverse)
        return None if found is None else list({id(r): r for r in starts + found}.values())
    return None
