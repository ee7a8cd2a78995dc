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
    path = Path(path)
    newlines = [m.start() for m in re.finditer("\n", text)]

    def where(offset: int) -> tuple[int, int]:
        line = bisect.bisect_left(newlines, offset)
        return line + 1, offset - (newlines[line - 1] + 1 if line else 0) + 1

    idx = Index(path)
    prefixes: dict[str, str] = {}
    base = base if base is not None else (path.resolve().as_uri() if str(path) else "")
    counter = [0]

    def fresh():
        counter[0] += 1
        return ("_", f"#anon{counter[0]}")

    def add(s, p, o, s_pos, o_pos):
        idx.triples.setdefault((s, p, o), []).append(o_pos)
        idx.by_sp.setdefault((s, p), []).append(o_pos)
        idx.subjects.setdefault(s, s_pos)
        for term, pos in ((s, s_pos), (o, o_pos)):
            idx.mentions.setdefault(term, pos)
        idx.statements += 1

    # Each frame: [kind, subject, predicate, state, subject position, extra]
    #   kind 'top' | 'bnode' | 'list'; state: 'subject' 'predicate' 'object' 'after' (after an object)
    stack = [["top", None, None, "subject", None, None]]
    it = tokens(text)
    pending = None  # a term waiting for @lang or ^^ before it is complete

    def term_of(tok):
        if tok.kind == "iri":
            return urljoin(base, tok.value) if base and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", tok.value) \
                else tok.value
        if tok.kind == "pname":
            prefix, local = tok.value
            return prefixes.get(prefix, prefix + ":") + local
        if tok.kind == "a":
            return RDF_TYPE
        if tok.kind == "bnode":
            return ("_", tok.value)
        return None

    def literal_of(tok):
        if tok.kind == "number":
            m = tok.value
            dt = "double" if m.group(1) else "decimal" if m.group(2) else "integer"
            return ("lit", m.group(0), XSD + dt, None)
        if tok.kind == "bool":
            return ("lit", tok.value, XSD + "boolean", None)
        return ("lit", tok.value, XSD + "string", None)

    def place(term, pos, after_state="after"):
        """Put a complete term where the current frame expects one."""
        frame = stack[-1]
        kind, state = frame[0], frame[3]
        if kind == "list":
            frame[5].append((term, pos))
            return
        if state == "subject":
            frame[1], frame[4], frame[3] = term, pos, "predicate"
        elif state == "predicate":
            frame[2], frame[3] = term, "object"
        elif state in ("object", "after"):
            if frame[1] is not None and frame[2] is not None:
                add(frame[1], frame[2], term, frame[4], pos)
            frame[3] = after_state

    directive = None
    for tok in it:
        pos = where(tok.offset)
        if pending is not None:  # a literal may be followed by @lang or ^^datatype
            lit, lpos = pending
            if tok.kind == "lang":
                pending = None
                place(("lit", lit[1], RDF + "langString", tok.value.lower()), lpos)
                continue
            if tok.kind == "dt":
                pending = (("lit^^", lit[1]), lpos)
                continue
            if lit[0] == "lit^^" and tok.kind in ("iri", "pname"):
                pending = None
                place(("lit", lit[1], term_of(tok), None), lpos)
                continue
            pending = None
            place(("lit", lit[1], XSD + "string", None), lpos)
        if directive is not None:
            name, parts = directive
            if tok.kind == "pname" and name == "prefix" and not parts:
                parts.append(tok.value[0])
                continue
            if tok.kind == "iri":
                iri = term_of(tok)
                if name == "prefix" and parts:
                    prefixes[parts[0]] = iri
                elif name == "base":
                    base = iri
                directive = None
                continue
            directive = None
        if tok.kind == "directive":
            directive = (tok.value, [])
            continue
        if tok.kind == "dt":
            continue
        if tok.kind == "literal":
            pending = (("lit?", tok.value), pos)
            # peek is done through `pending` on the next token
            continue
        if tok.kind in ("number", "bool"):
            place(literal_of(tok), pos)
            continue
        if tok.kind in ("iri", "pname", "a", "bnode"):
            place(term_of(tok), pos)
            continue
        if tok.kind == "punct":
            c = tok.value
            frame = stack[-1]
            if c == "[":
                node = fresh()
                state = frame[3] if frame[0] != "list" else "item"
                if state in ("object", "after") and frame[0] != "list" and frame[1] is not None:
                    add(frame[1], frame[2], node, frame[4], pos)
                stack.append(["bnode", node, None, "predicate", pos, state])
            elif c == "]" and len(stack) > 1 and frame[0] == "bnode":
                stack.pop()
                node, came_from = frame[1], frame[5]
                parent = stack[-1]
                if parent[0] == "list":
                    parent[5].append((node, frame[4]))
                elif came_from == "subject":
                    parent[1], parent[4], parent[3] = node, frame[4], "predicate"
                else:
                    parent[3] = "after"
            elif c == "(":
                stack.append(["list", None, None, "item", pos, [], frame[3] if frame[0] != "list" else "item"])
            elif c == ")" and len(stack) > 1 and frame[0] == "list":
                stack.pop()
                items, came_from = frame[5], frame[6]
                head = ("_", f"#list{counter[0] + 1}") if items else RDF_NIL
                counter[0] += 1
                node = head
                for k, (item, ipos) in enumerate(items):
                    add(node, RDF_FIRST, item, ipos, ipos)
                    nxt = ("_", f"#list{counter[0]}-{k + 1}") if k + 1 < len(items) else RDF_NIL
                    add(node, RDF_REST, nxt, ipos, ipos)
                    node = nxt
                parent = stack[-1]
                if parent[0] == "list":
                    parent[5].append((head, frame[4]))
                elif came_from == "subject":
                    parent[1], parent[4], parent[3] = head, frame[4], "predicate"
                elif parent[1] is not None:
                    add(parent[1], parent[2], head, parent[4], frame[4])
                    parent[3] = "after"
            elif c == ",":
                frame[3] = "object"
            elif c == ";":
                frame[3] = "predicate"
            elif c == ".":
                while len(stack) > 1:  # a stray dot inside brackets: recover at the top level
                    stack.pop()
                stack[0][1:4] = [None, None, "subject"]
    if pending is not None:
        lit, lpos = pending
        place(("lit", lit[1], XSD + "string", None), lpos)
    return idx


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
    newlines = None
    for tok in tokens(text):
        if tok.end - tok.offset > limit:
            line = text.count("\n", 0, tok.offset) + 1
            return line, tok.offset - (text.rfind("\n", 0, tok.offset) + 1) + 1
    return newlines
