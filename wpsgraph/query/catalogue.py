"""The canned queries: plain .rq files that run on any SPARQL 1.1 engine, with a header of comment lines.

    # title: Events an actor took part in
    # description: Every event the actor took part in, in any role.
    # param: actor iri organisation:usnorthcom  -- the actor (an IRI or prefix:name)

A header line may go on over the following comment lines, indented by two spaces or more after the '#'.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from wpsgraph import resources
from wpsgraph.errors import QueryError
from wpsgraph.query.lexer import query_form

PARAM_KINDS = ("iri", "string", "integer", "date", "year")
_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*)$")
_CONTINUED = re.compile(r"^#\s{2,}(\S.*)$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<kind>\w+)\s+(?P<default>\S+)(?:\s+--\s*(?P<doc>.*))?$")


@dataclass
class Param:
    name: str
    kind: str
    default: str
    doc: str = ""


@dataclass
class Query:
    name: str
    path: Path
    title: str
    description: str
    params: list[Param] = field(default_factory=list)
    text: str = ""

    @property
    def kind(self) -> str:
        return query_form(self.text)


def read_query(path: Path) -> Query:
    """Read a .rq file and its header; a file without a header is still a valid ad-hoc query."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise QueryError(f"{path}: cannot read query: {e}") from None
    meta = {"title": "", "description": ""}
    params: list[Param] = []
    last: str | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        match = _HEADER.match(line)
        more = _CONTINUED.match(line) if not match else None
        if more and last == "param" and params:
            params[-1].doc = (params[-1].doc + " " + more.group(1).strip()).strip()
            continue
        if more and last is not None and last in meta:
            meta[last] = (meta[last] + " " + more.group(1).strip()).strip()
            continue
        last = match.group(1) if match else None
        if not match:
            continue
        key, value = match.group(1), match.group(2).strip()
        if key == "param":
            p = _PARAM.match(value)
            if not p or p.group("kind") not in PARAM_KINDS:
                raise QueryError(f"{path}:{number}: a parameter line reads 'param: NAME KIND DEFAULT -- doc' "
                                 f"with KIND one of {', '.join(PARAM_KINDS)}")
            params.append(Param(p.group("name"), p.group("kind"), p.group("default"), (p.group("doc") or "").strip()))
        else:
            meta[key] = (meta[key] + " " + value).strip()
    return Query(path.stem, path, meta["title"], meta["description"], params, text)


def catalogue() -> dict[str, Query]:
    """The canned queries shipped in queries/, by name."""
    return {q.name: q for q in map(read_query, resources.query_files())}


def find(name_or_path: str) -> Query:
    path = Path(name_or_path)
    if path.suffix == ".rq":
        if not path.exists():
            raise QueryError(f"{path}: no such query file")
        return read_query(path)
    queries = catalogue()
    if name_or_path not in queries:
        close = [n for n in queries if name_or_path in n or n in name_or_path]
        hint = f" (did you mean {', '.join(close)}?)" if close else " (run 'wpsgraph queries' to list them)"
        raise QueryError(f"no canned query named {name_or_path!r}{hint}")
    return queries[name_or_path]
