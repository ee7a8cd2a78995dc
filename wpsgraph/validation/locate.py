"""Locating findings: the file, line and column of the statement a finding is about (positions from
``wpsgraph/validation/positions.py``); a result about an inferred statement points to the asserted statement(s)
it follows from (``related``)."""

from __future__ import annotations

import contextlib
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
        from wpsgraph.validation.positions import index_text

        header, prefixes = _header(path)
        iri = subject.value
        spellings = [f"<{iri}>"] + [f"{p}:{iri[len(ns):]}" for p, ns in prefixes.items()
                                    if iri.startswith(ns) and iri != ns]
        self.head_lines = header.count("\n")
        self.windows = []  # (index, file line = window line + offset), a window per block about the subject
        starts = _Starts.of(path)
        with open(path, "rb") as f:
            for start, line in sorted(x for spelling in spellings for x in starts.get(spelling)):
                f.seek(start)
                chunk = b""
                while True:  # the block ends at the first blank line
                    more = f.read(1 << 16)
                    chunk += more
                    end = chunk.find(b"\n\n")
                    if end >= 0 or not more:
                        chunk = chunk if end < 0 else chunk[:end]
                        break
                self.windows.append((index_text(header + chunk.decode("utf-8", errors="replace"), path),
                                     line - self.head_lines))

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


_headers: dict = {}


def _header(path: Path) -> tuple[str, dict]:
    """The file's opening lines of prefixes, base, comments and blank lines, and the prefixes they declare."""
    import re

    if path not in _headers:
        lines = []
        prefixes = {}
        with open(path, "rb") as f:
            for raw in f:
                if not raw.endswith(b"\n"):
                    break
                line = raw.decode("utf-8", errors="replace")
                stripped = line.strip()
                if stripped and not stripped.startswith(("@prefix", "PREFIX", "prefix", "@base", "BASE", "#")):
                    break
                lines.append(line)
                pm = re.match(r"@?prefix\s+([\w.-]*):\s*<([^>]*)>", stripped, re.IGNORECASE)
                if pm:
                    prefixes[pm.group(1)] = pm.group(2)
        _headers[path] = ("".join(lines), prefixes)
    return _headers[path]


def write_starts(path: Path) -> None:
    """Work out the line starts of ``path`` into the cache folder (a build writing its ``prepared/`` folder), without
    keeping them in this process."""
    _Starts(path)


class _Starts:
    """Where each name that opens a line of a large file opens it: (byte offset, line), found in one pass over
    the file and kept in the command's cache folder as sorted text, so that a later run looks names up (a binary
    search of the mapped file) instead of reading the file. Keyed by the file's path, size and modification time;
    an entry whose offsets do not hold the names (the file changed within the same second and size) is rebuilt."""

    FORMAT = 1
    _open: dict = {}

    @classmethod
    def of(cls, path: Path) -> _Starts:
        if path not in cls._open:
            cls._open[path] = cls(path)
        return cls._open[path]

    def __init__(self, path: Path):
        import hashlib

        self.path = path
        self.memory: dict | None = None
        self.mapped = None
        st = path.stat()
        key = hashlib.sha256(f"{self.FORMAT}\0{path.resolve()}\0{st.st_size}\0{st.st_mtime_ns}".encode())
        from wpsgraph.validation.shacl.reach import CACHE_DIR, memo_entries

        name = f"starts-{key.hexdigest()[:24]}.txt"
        self.entry = CACHE_DIR[0] / name if CACHE_DIR else None
        for entry in memo_entries(name):  # the cache folder's, else one a build wrote (``prepared.py``)
            if entry.exists():
                import mmap

                try:
                    with open(entry, "rb") as f:
                        self.mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
                    break
                except (OSError, ValueError):
                    self.mapped = None
        if self.mapped is None:
            self._build()

    def _build(self) -> None:
        import re

        name = re.compile(r"[^\s#@;,.][^\s;,]*")
        # The lines that may open with a name, found by the regex engine (a search for each line break): their
        # bytes up to the first ASCII space, ";" or ",". As text, Python's spaces also take in Unicode's and four
        # ASCII separators, so such a name is matched again once decoded.
        opening = re.compile(rb"\n([^\s#@;,.][^\s;,]*)")
        unusual = re.compile(rb"[\x1c-\x1f\x80-\xff]")
        found: dict = {}
        data = b"\n" + self.path.read_bytes()  # the first line too follows a line break
        number, counted = 0, 1
        for candidate in opening.finditer(data):
            offset = candidate.start(1)
            number += data.count(b"\n", counted, offset)
            counted = offset
            offset -= 1
            raw = candidate.group(1)
            if unusual.search(raw) is None:
                text = raw.decode("ascii")
            else:
                m = name.match(raw.decode("utf-8", errors="replace"))
                if m is None:
                    continue
                text = m.group(0)
            found.setdefault(text.rstrip("."), []).append((offset, number))
        self.memory, self.mapped = found, None
        if self.entry is not None:
            from wpsgraph.folders import OutputError, atomic_write

            text = "".join(f"{n}\t{o}\t{line}\n" for n in sorted(found, key=lambda n: n.encode("utf-8"))
                           for o, line in found[n])
            with contextlib.suppress(OSError, OutputError):  # an unwritable cache only costs time
                atomic_write(self.entry, text.encode("utf-8"))

    def get(self, spelling: str) -> list:
        if self.memory is not None:
            return self.memory.get(spelling, [])
        found = self._search(spelling.encode("utf-8"))
        with open(self.path, "rb") as f:  # the entry must still describe the file
            for offset, _ in found:
                f.seek(offset)
                if f.read(len(spelling.encode("utf-8"))) != spelling.encode("utf-8"):
                    self._build()
                    return self.get(spelling)
        return found

    def _search(self, name: bytes) -> list:
        """The entries of ``name`` in the sorted, mapped file (lines ``name TAB offset TAB line``)."""
        m = self.mapped
        assert m is not None
        lo, hi = 0, len(m)
        while lo < hi:  # the first line whose name is not below ``name``: lines are found from a byte position
            mid = (lo + hi) // 2
            start = m.rfind(b"\n", 0, mid) + 1
            end = m.find(b"\n", start)
            if m[start:m.find(b"\t", start)] < name:
                lo = end + 1
            else:
                hi = start
        out = []
        while lo < len(m):
            end = m.find(b"\n", lo)
            fields = m[lo:end].split(b"\t")
            if fields[0] != name:
                break
            out.append((int(fields[1]), int(fields[2])))
            lo = end + 1
        return out
