"""Locating findings: the file, line and column of the statement a finding is about (positions from
``wpsgraph/validation/positions.py``); a result about an inferred statement points to the asserted statement(s)
it follows from (``related``)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from wpsgraph.pipeline.load import Loaded
from wpsgraph.validation.findings import Finding, Location
from wpsgraph.validation.positions import index_file, key_of

_SUB = ("(<http://www.w3.org/2000/01/rdf-schema#subPropertyOf>"
        "|<http://www.w3.org/2002/07/owl#equivalentProperty>)*")
_INV = "(<http://www.w3.org/2002/07/owl#inverseOf>|^<http://www.w3.org/2002/07/owl#inverseOf>)"


_Q, _P = ox.Variable("q"), ox.Variable("p")
_IMPLIES = f"ASK {{ ?q {_SUB} ?p }}"
_IMPLIES_FLIPPED = (f"ASK {{ {{ ?q {_SUB}/{_INV}/{_SUB} ?p }} UNION "
                    f"{{ ?q a <http://www.w3.org/2002/07/owl#SymmetricProperty> ; {_SUB} ?p }} }}")


def _implies(store: ox.Store, q, p, flipped: bool) -> bool:
    """Whether an asserted q-statement entails a p-statement (the other way round when ``flipped``)."""
    if not flipped and q == p:
        return True
    return bool(store.query(_IMPLIES_FLIPPED if flipped else _IMPLIES, substitutions={_Q: q, _P: p},
                            use_default_graph_as_union=True))


def locate(findings: list[Finding], loaded: Loaded) -> None:
    """Point each finding at the statement it is about, in the file that writes it (line and column).

    - with a property and a value: the statement (focus property value) where it is asserted; for an inferred
      statement (a sub-property, an inverse, a symmetric property), the asserted statement(s) between the same
      two resources it follows from;
    - a node shape targeting the subjects of a property: the statement using that property;
    - otherwise the focus resource's first statement; a resource that is only used as a value (typed by the
      range of the property that points to it), the statement using it.
    """
    statements = _Statements(loaded)
    for f in findings:
        if f.location is None and f.focus_node is not None:
            _locate_one(f, statements)


class _Statements:
    """The asserted statements of the loaded files, and where each is written."""

    def __init__(self, loaded: Loaded):
        self.store = loaded.store
        self.files: dict = {g: Path(p) for g, p in loaded.graphs.items() if p is not None}
        self.order = list(self.files.values())

    def __call__(self, s, p, o) -> list:
        """(file, quad) for asserted quads matching the pattern, files in load order."""
        if isinstance(s, ox.Literal):
            return []
        out = [(self.files[q.graph_name], q) for q in self.store.quads_for_pattern(s, p, o, None)
               if q.graph_name in self.files]
        out.sort(key=lambda x: self.order.index(x[0]))
        return out

    @staticmethod
    def position(path: Path, q) -> tuple[int, int] | None:
        return _index(path, q.subject).find(key_of(q.subject), key_of(q.predicate), key_of(q.object))


def _locate_one(f: Finding, statements: _Statements) -> None:
    focus, path, value = f.focus_node, f.result_path, f.value_node
    if f.statement is not None:  # the check names the statement itself
        path, value = ("pred", f.statement.predicate), f.statement.object
    hits = _statement_hits(f, focus, path, value, statements) if value is not None else []
    if not hits and path is not None and path[0] == "pred":
        hits = statements(focus, path[1], None)
    subject_only = False
    if not hits:
        hits = statements(focus, None, None)
        subject_only = True
    if not hits:  # only used as a value: where it is used
        hits = statements(None, None, focus)
        subject_only = False
    if not hits:
        return
    file = hits[0][0]
    if subject_only:
        where = _index(file, focus).find(key_of(focus))
    else:
        found = [w for path_, q in hits if path_ == file for w in [statements.position(file, q)] if w]
        where = min(found) if found else None
    f.location = Location(str(file), *where) if where else Location(str(file))


def _statement_hits(f: Finding, focus, path, value, statements: _Statements) -> list:
    """The statements a finding with a value is about: (focus path value) for a predicate or inverse path (for an
    inferred one, the asserted statements it follows from, kept in ``f.related``); for a node shape targeting the
    subjects of a property, the focus node's statements with that property."""
    if path is None:
        for kind, term in f.shape_targets:
            if kind == "targetSubjectsOf":
                hits = statements(focus, term, None)
                if hits:
                    return hits
        return []
    if path[0] not in ("pred", "inv"):
        return []
    p = path[1] if path[0] == "pred" else (path[1][1] if path[1][0] == "pred" else None)
    if p is None:
        return []
    s, o = (focus, value) if path[0] == "pred" else (value, focus)
    hits = statements(s, p, o)
    if hits:
        return hits
    # inferred: the asserted statements between the same two resources it follows from
    forward, backward = statements(s, None, o), statements(o, None, s)
    implied = [h for h in forward if _implies(statements.store, h[1].predicate, p, False)] + \
        [h for h in backward if _implies(statements.store, h[1].predicate, p, True)]
    hits = implied or forward + backward
    f.related = [Location(str(file), *(statements.position(file, q) or ())) for file, q in hits]
    return hits


# A file larger than this (a build of a million triples is one file of 50 MB) is not indexed whole to place a few
# findings: the block of statements about the subject is found by its name and only that block is read.
LARGE = 1024 * 1024
_texts: dict = {}
_blocks: dict = {}


def _index(path: Path, subject):
    """The position index of ``path``, or for a large file of the block about ``subject`` (lines as in the file)."""
    if path.stat().st_size <= LARGE or isinstance(subject, ox.BlankNode):
        return index_file(path)
    if (path, subject) not in _blocks:
        _blocks[(path, subject)] = _Block(path, subject)
    return _blocks[(path, subject)]


class _Block:
    def __init__(self, path: Path, subject):
        import re

        from wpsgraph.validation.positions import index_text

        text = _texts.get(path)
        if text is None:
            text = _texts[path] = path.read_text(encoding="utf-8", errors="replace")
        head_end = 0
        prefixes = {}
        for m in re.finditer(r"[^\n]*\n", text):
            line = m.group(0).strip()
            if line and not line.startswith(("@prefix", "PREFIX", "prefix", "@base", "BASE", "#")):
                break
            head_end = m.end()
            pm = re.match(r"@?prefix\s+([\w.-]*):\s*<([^>]*)>", line, re.IGNORECASE)
            if pm:
                prefixes[pm.group(1)] = pm.group(2)
        iri = subject.value
        spellings = [f"<{iri}>"] + [f"{p}:{iri[len(ns):]}" for p, ns in prefixes.items()
                                    if iri.startswith(ns) and iri != ns]
        header = text[:head_end]
        self.head_lines = header.count("\n")
        starts = _line_starts(path, text)
        self.windows = []  # (index, file line = window line + offset), a window per block about the subject
        for start in sorted(o for spelling in spellings for o in starts.get(spelling, ())):
            end = text.find("\n\n", start)
            end = len(text) if end < 0 else end
            offset = text.count("\n", 0, start) - self.head_lines
            self.windows.append((index_text(header + text[start:end], path), offset))

    def find(self, s, p=None, o=None):
        """As Index.find over the whole file: the statement, else the first (s p _), else the subject."""
        tiers: list = [[], [], []]
        for index, offset in self.windows:
            if p is not None and o is not None and (s, p, o) in index.triples:
                tiers[0].append((index.triples[(s, p, o)][0], offset))
            elif p is not None and o is not None and isinstance(o, tuple) and o[0] == "lit" and \
                    index.find(s, p, o) not in (index.by_sp.get((s, p), [None])[0], index.subjects.get(s)):
                tiers[0].append((index.find(s, p, o), offset))
            if p is not None and (s, p) in index.by_sp:
                tiers[1].append((index.by_sp[(s, p)][0], offset))
            if s in index.subjects:
                tiers[2].append((index.subjects[s], offset))
        for tier in tiers:
            placed = sorted((line + offset, col) for (line, col), offset in tier if line > self.head_lines)
            if placed:
                return placed[0]
        return None


_starts: dict = {}


def _line_starts(path: Path, text: str) -> dict:
    """Where each name that opens a line opens it (offsets), for a large file: read once."""
    import re

    if path not in _starts:
        found: dict = {}
        for m in re.finditer(r"(?m)^([^\s#@;,.][^\s;,]*)", text):
            name = m.group(1).rstrip(".")
            found.setdefault(name, []).append(m.start())
        _starts[path] = found
    return _starts[path]
