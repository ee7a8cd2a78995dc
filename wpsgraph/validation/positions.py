"""Where each statement of a Turtle file is written: a position index (line and column per triple).

rdflib and Oxigraph keep no positions, so this module reads the file a second time with a small tokenizer
that tracks prefixes and base, the current subject and predicate through ``;`` ``,`` ``.`` ``[ ]`` ``( )``,
strings (long strings included), comments and escapes, and records for every (subject, predicate, object) the
line and column of the object (where the statement ends up being "about" a value) and of the subject.
Parsing for meaning stays Oxigraph's job: the file has already been accepted by it, so this reader is lenient
and never raises. It uses no recursion (nesting depth is a list), and finds the end of a long string with
``str.find``, so a 20 MB literal or ten thousand nested blank nodes cost linear time.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE, RDF_FIRST, RDF_REST, RDF_NIL = RDF + "type", RDF + "first", RDF + "rest", RDF + "nil"

_PN_CHARS = r"A-Za-z0-9_\-\u00B7\u00C0-\uFFFF"
_LOCAL_ESC = r"\\[_~.\-!$&'()*+,;=/?#@%]"
_PLX = rf"(?:[{_PN_CHARS}:]|%[0-9A-Fa-f]{{2}}|{_LOCAL_ESC})"
_PNAME = re.compile(rf"((?:[A-Za-z\u00C0-\uFFFF](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)?):"
                    rf"({_PLX}(?:(?:{_PLX}|\.)*{_PLX})?)?")
_BNODE = re.compile(rf"_:([{_PN_CHARS}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)")
_NUMBER = re.compile(r"[+-]?(?:(\d+\.\d*[eE][+-]?\d+|\.\d+[eE][+-]?\d+|\d+[eE][+-]?\d+)|(\d*\.\d+)|(\d+))")
_LANG = re.compile(r"@([A-Za-z]+(?:-[A-Za-z0-9]+)*)")
_WORD = re.compile(r"[A-Za-z_@][A-Za-z0-9_\-]*")
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_STRING_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return _STRING_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if (m.group(1) or m.group(2))
                              else _ESCAPES.get(m.group(3), m.group(3)), text)


@dataclass(frozen=True)
class Token:
    kind: str      # iri | pname | bnode | literal | number | bool | a | punct | directive | lang | dt | error
    value: object
    offset: int
    end: int


def tokens(text: str):
    """Turtle tokens of ``text`` with their offsets; unknown characters become 'error' tokens (skipped)."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            i += 1
            continue
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
            continue
        start = i
        if c == "<":
            j = text.find(">", i + 1)
            if j < 0 or any(ch in text[i + 1:j] for ch in " \n"):
                yield Token("punct" if j < 0 else "error", "<", i, i + 1)
                i += 1
                continue
            yield Token("iri", _unescape(text[i + 1:j]), start, j + 1)
            i = j + 1
            continue
        if c in "\"'":
            long = text.startswith(c * 3, i)
            quote = c * 3 if long else c
            j = i + len(quote)
            while True:
                k = text.find(quote, j)
                if not long:
                    nl = text.find("\n", j)
                    if nl >= 0 and (k < 0 or nl < k):
                        k = -1
                if k < 0:
                    yield Token("error", "unterminated string", start, n)
                    return
                backslashes = 0
                while text[k - 1 - backslashes] == "\\":
                    backslashes += 1
                if backslashes % 2 == 0:
                    break
                j = k + 1
            if long:  # a long string may end with extra quotes: """a"""" is 'a"'
                while text.startswith(c, k + 3):
                    k += 1
            value = _unescape(text[i + len(quote):k])
            i = k + len(quote)
            yield Token("literal", value, start, i)
            continue
        if c in ";,.[]()":
            if c == "." and i + 1 < n and text[i + 1].isdigit():
                m = _NUMBER.match(text, i)
                if m:
                    yield Token("number", m, start, m.end())
                    i = m.end()
                    continue
            yield Token("punct", c, start, i + 1)
            i += 1
            continue
        if c == "^" and text.startswith("^^", i):
            yield Token("dt", "^^", start, i + 2)
            i += 2
            continue
        if c == "@":
            m = _LANG.match(text, i)
            if m:
                word = m.group(1)
                kind = "directive" if word in ("prefix", "base") else "lang"
                yield Token(kind, word.lower() if kind == "directive" else word, start, m.end())
                i = m.end()
                continue
        if c in "+-0123456789":
            m = _NUMBER.match(text, i)
            if m:
                yield Token("number", m, start, m.end())
                i = m.end()
                continue
        if c == "_" and text.startswith("_:", i):
            m = _BNODE.match(text, i)
            if m:
                yield Token("bnode", m.group(1), start, m.end())
                i = m.end()
                continue
        m = _PNAME.match(text, i)
        if m:
            yield Token("pname", (m.group(1), re.sub(r"\\(.)", r"\1", m.group(2) or "")), start, m.end())
            i = m.end()
            continue
        m = _WORD.match(text, i)
        if m:
            word = m.group(0)
            if word == "a":
                yield Token("a", RDF_TYPE, start, m.end())
            elif word in ("true", "false"):
                yield Token("bool", word, start, m.end())
            elif word.upper() in ("PREFIX", "BASE"):
                yield Token("directive", word.lower(), start, m.end())
            else:
                yield Token("error", word, start, m.end())
            i = m.end()
            continue
        yield Token("error", c, start, i + 1)
        i += 1


@dataclass
class Index:
    """Positions of the statements of one file. Terms are keyed as strings (IRIs), ('_', label) for blank
    nodes and ('lit', lexical, datatype, language) for literals."""

    path: Path
    triples: dict = field(default_factory=dict)   # (s, p, o) -> [(line, col)]  position of the object
    by_sp: dict = field(default_factory=dict)     # (s, p) -> [(line, col)]
    subjects: dict = field(default_factory=dict)  # s -> (line, col) of its first statement's subject
    mentions: dict = field(default_factory=dict)  # term -> (line, col) of its first occurrence anywhere
    statements: int = 0

    def find(self, s, p=None, o=None):
        """The position of the statement (s p o); of the first (s p _); of the subject s; or None."""
        if p is not None and o is not None and (s, p, o) in self.triples:
            return self.triples[(s, p, o)][0]
        if p is not None and o is not None and isinstance(o, tuple) and o[0] == "lit":
            for (s2, p2, o2), where in self.triples.items():   # same lexical form, other datatype spelling
                if s2 == s and p2 == p and isinstance(o2, tuple) and o2[0] == "lit" and o2[1] == o[1]:
                    return where[0]
        if p is not None and (s, p) in self.by_sp:
            return self.by_sp[(s, p)][0]
        return self.subjects.get(s)


def index_text(text: str, path: Path | str = "", base: str | None = None) -> Index:
    """Build the position index of a Turtle document."""
    return _Indexer(text, Path(path), base).run()


@dataclass(slots=True)
class _Frame:
    """Where the reader is: the top level, inside ``[ ]`` or inside ``( )``.

    ``state`` is what the frame expects next: 'subject', 'predicate', 'object', or 'after' (an object was read);
    a list frame's is always 'item'. ``came_from`` is the state of the enclosing frame when the brackets opened,
    which tells whether the bracketed node is a subject or an object there.
    """

    kind: str                       # 'top' | 'bnode' | 'list'
    subject: object = None
    predicate: object = None
    state: str = "subject"
    pos: tuple | None = None        # of the subject, or of the opening bracket
    came_from: str = ""
    items: list = field(default_factory=list)   # a list's (term, position) pairs


class _Indexer:
    """One pass over the tokens of a document, a method per kind of token."""

    def __init__(self, text: str, path: Path, base: str | None):
        self.text, self.idx = text, Index(path)
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.base = base if base is not None else (path.resolve().as_uri() if str(path) else "")
        self.prefixes: dict[str, str] = {}
        self.stack = [_Frame("top")]
        self.counter = 0
        self.pending: tuple | None = None    # a string literal waiting for its @lang or ^^datatype
        self.directive: tuple | None = None  # ('prefix' | 'base', parts read so far)

    def run(self) -> Index:
        for tok in tokens(self.text):
            pos = self.where(tok.offset)
            if self.pending is not None and self.finish_literal(tok):
                continue
            if self.directive is not None and self.continue_directive(tok):
                continue
            if tok.kind == "directive":
                self.directive = (tok.value, [])
            elif tok.kind == "literal":
                self.pending = (("lit?", tok.value), pos)
            elif tok.kind in ("number", "bool"):
                self.place(self.literal_of(tok), pos)
            elif tok.kind in ("iri", "pname", "a", "bnode"):
                self.place(self.term_of(tok), pos)
            elif tok.kind == "punct":
                self.punctuation(tok.value, pos)
        if self.pending is not None:
            lit, lpos = self.pending
            self.place(("lit", lit[1], XSD + "string", None), lpos)
        return self.idx

    def where(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_left(self.newlines, offset)
        return line + 1, offset - (self.newlines[line - 1] + 1 if line else 0) + 1

    def fresh(self, form: str) -> tuple:
        self.counter += 1
        return ("_", form.format(self.counter))

    def add(self, s, p, o, s_pos, o_pos) -> None:
        idx = self.idx
        idx.triples.setdefault((s, p, o), []).append(o_pos)
        idx.by_sp.setdefault((s, p), []).append(o_pos)
        idx.subjects.setdefault(s, s_pos)
        for term, pos in ((s, s_pos), (o, o_pos)):
            idx.mentions.setdefault(term, pos)
        idx.statements += 1

    # -- terms

    def term_of(self, tok):
        if tok.kind == "iri":
            absolute = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", tok.value)
            return urljoin(self.base, tok.value) if self.base and not absolute else tok.value
        if tok.kind == "pname":
            prefix, local = tok.value
            return self.prefixes.get(prefix, prefix + ":") + local
        if tok.kind == "a":
            return RDF_TYPE
        if tok.kind == "bnode":
            return ("_", tok.value)
        return None

    @staticmethod
    def literal_of(tok):
        if tok.kind == "number":
            m = tok.value
            dt = "double" if m.group(1) else "decimal" if m.group(2) else "integer"
            return ("lit", m.group(0), XSD + dt, None)
        if tok.kind == "bool":
            return ("lit", tok.value, XSD + "boolean", None)
        return ("lit", tok.value, XSD + "string", None)

    def finish_literal(self, tok) -> bool:
        """A string literal may be followed by @lang or ^^datatype; True when ``tok`` was consumed by it."""
        assert self.pending is not None
        lit, lpos = self.pending
        if tok.kind == "lang":
            self.pending = None
            self.place(("lit", lit[1], RDF + "langString", tok.value.lower()), lpos)
            return True
        if tok.kind == "dt":
            self.pending = (("lit^^", lit[1]), lpos)
            return True
        self.pending = None
        if lit[0] == "lit^^" and tok.kind in ("iri", "pname"):
            self.place(("lit", lit[1], self.term_of(tok), None), lpos)
            return True
        self.place(("lit", lit[1], XSD + "string", None), lpos)
        return False

    def continue_directive(self, tok) -> bool:
        """Read the parts of @prefix / @base; True when ``tok`` belonged to the directive."""
        assert self.directive is not None
        name, parts = self.directive
        if tok.kind == "pname" and name == "prefix" and not parts:
            parts.append(tok.value[0])
            return True
        self.directive = None
        if tok.kind != "iri":
            return False
        iri = self.term_of(tok)
        if name == "prefix" and parts:
            self.prefixes[parts[0]] = iri
        elif name == "base":
            self.base = iri
        return True

    def place(self, term, pos) -> None:
        """Put a complete term where the current frame expects one."""
        frame = self.stack[-1]
        if frame.kind == "list":
            frame.items.append((term, pos))
        elif frame.state == "subject":
            frame.subject, frame.pos, frame.state = term, pos, "predicate"
        elif frame.state == "predicate":
            frame.predicate, frame.state = term, "object"
        elif frame.state in ("object", "after"):
            if frame.subject is not None and frame.predicate is not None:
                self.add(frame.subject, frame.predicate, term, frame.pos, pos)
            frame.state = "after"

    def place_bracketed(self, node, pos, came_from: str) -> None:
        """A ``[ ]`` or ``( )`` node has closed: it is a list item, a subject, or an already-linked object."""
        parent = self.stack[-1]
        if parent.kind == "list":
            parent.items.append((node, pos))
        elif came_from == "subject":
            parent.subject, parent.pos, parent.state = node, pos, "predicate"
        else:
            parent.state = "after"

    # -- punctuation

    def punctuation(self, c: str, pos) -> None:
        frame = self.stack[-1]
        if c == "[":
            self.open_blank_node(frame, pos)
        elif c == "]" and len(self.stack) > 1 and frame.kind == "bnode":
            self.stack.pop()
            self.place_bracketed(frame.subject, frame.pos, frame.came_from)
        elif c == "(":
            came_from = frame.state if frame.kind != "list" else "item"
            self.stack.append(_Frame("list", state="item", pos=pos, came_from=came_from))
        elif c == ")" and len(self.stack) > 1 and frame.kind == "list":
            self.stack.pop()
            self.close_list(frame)
        elif c == ",":
            frame.state = "object"
        elif c == ";":
            frame.state = "predicate"
        elif c == ".":
            del self.stack[1:]  # a stray dot inside brackets: recover at the top level
            top = self.stack[0]
            top.subject, top.predicate, top.state = None, None, "subject"

    def open_blank_node(self, frame: _Frame, pos) -> None:
        node = self.fresh("#anon{}")
        state = frame.state if frame.kind != "list" else "item"
        if state in ("object", "after") and frame.kind != "list" and frame.subject is not None:
            self.add(frame.subject, frame.predicate, node, frame.pos, pos)
        self.stack.append(_Frame("bnode", node, None, "predicate", pos, state))

    def close_list(self, frame: _Frame) -> None:
        """Write a closed collection as its rdf:first / rdf:rest chain, each link at its item's position."""
        items = frame.items
        head = ("_", f"#list{self.counter + 1}") if items else RDF_NIL
        self.counter += 1
        node = head
        for k, (item, ipos) in enumerate(items):
            self.add(node, RDF_FIRST, item, ipos, ipos)
            nxt = ("_", f"#list{self.counter}-{k + 1}") if k + 1 < len(items) else RDF_NIL
            self.add(node, RDF_REST, nxt, ipos, ipos)
            node = nxt
        parent = self.stack[-1]
        if parent.kind == "list" or frame.came_from == "subject":
            self.place_bracketed(head, frame.pos, frame.came_from)
        elif parent.subject is not None:  # unlike a blank node, a list is linked to its subject once closed
            self.add(parent.subject, parent.predicate, head, parent.pos, frame.pos)
            parent.state = "after"


_cache: dict = {}


def index_file(path: Path) -> Index:
    """The position index of a file, cached by path, size and modification time."""
    path = Path(path)
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _cache:
        _cache[key] = index_text(path.read_text(encoding="utf-8", errors="replace"), path)
    return _cache[key]


def key_of(term) -> object:
    """The index key of an Oxigraph term."""
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return ("_", term.value)
    if isinstance(term, ox.Literal):
        return ("lit", term.value, term.datatype.value, term.language.lower() if term.language else None)
    return term


def long_token(text: str, limit: int):
    """(line, column) of the first token longer than ``limit`` characters, or None."""
    for tok in tokens(text):
        if tok.end - tok.offset > limit:
            line = text.count("\n", 0, tok.offset) + 1
            return line, tok.offset - (text.rfind("\n", 0, tok.offset) + 1) + 1
    return None
