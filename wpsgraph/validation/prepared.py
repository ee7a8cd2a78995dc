"""What ``validate FILE --db BUILD`` reads of a build on its first run, written by the build into its own folder.

A contributor's check in CI runs once, on a fresh machine, against a build it downloaded: its cache folder is empty
every time. What such a run would otherwise work out from the build's on-disk store or files, and keep in the cache
folder for next time, the build writes while it still has the graph in memory (a query there costs a fraction of
one on disk), into ``prepared/``:

- the instances of every class the shapes ask a value's membership of (``sh:class``), and the subjects of every
  property they read forwards, as sorted N-Triples text after the term and the count (``_Copier._listed`` in
  ``against.py``, which asks the store about each node instead when a list is long for the nodes it asks about);
- the line starts of the large source files (``locate._Starts``), the reaches of the shapes' SPARQL constraints
  (``reach.sparql_reach``) and the note that the shapes passed SHACL for SHACL (``engines.compiled_shapes``): the
  same entries as in a cache folder, read from here when the cache folder has none.

The lists depend on the build's content, so they count only beside the manifest they were written with
(``GUARD``). An update keeps them (``refresh``): each list it changes gets a file of changes beside it (the nodes
asked about again, each in or out), so that the update costs what its change costs, not a rewrite of every long
list. The other entries carry their own keys and checks.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

FOLDER = "prepared"
GUARD = "lists.json"  # the sha-256 of the manifest the lists were written beside
_MAX_LISTED = 5_000_000  # a longer list is not written: asked about a node, the store answers (as before)
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_MEMOS = ("reach-", "starts-", "shapes-checked-")  # the entries that carry their own keys


def list_name(kind: str, term) -> str:
    """The file of ``kind`` ("members" or "subjects") for ``term`` (its N-Triples text)."""
    return f"{kind}-{hashlib.sha256(str(term).encode()).hexdigest()[:16]}.txt"


def lists_folder(build_folder: Path) -> Path | None:
    """The build's prepared folder if its lists belong to the build's current manifest, else None."""
    folder = Path(build_folder) / FOLDER
    try:
        doc = json.loads((folder / GUARD).read_text(encoding="utf-8"))
        if doc.get("manifest") == _digest(Path(build_folder) / "manifest.json"):
            return folder
    except (OSError, ValueError, AttributeError):
        pass
    return None


ABSENT = "absent"  # read_list: the build wrote no such list


def read_list(folder: Path, kind: str, term):
    """The listed N-Triples texts of ``term``'s instances or subjects, with the changes of later updates applied;
    ABSENT when there is no such list, or it or its changes name another term."""
    listed = open_list(folder, kind, term)
    return ABSENT if listed is ABSENT else listed.whole()


def open_list(folder: Path, kind: str, term):
    """``term``'s list (``Listed``), with the changes of later updates; ABSENT as ``read_list``."""
    path = folder / list_name(kind, term)
    listed = Listed.read(path, str(term))
    if listed is ABSENT:
        return ABSENT
    changes = _read_changes(_changes_path(path), str(term))
    if changes is ABSENT:
        return ABSENT
    listed.changes = changes
    return listed


class Listed:
    """A list of N-Triples texts, read whole only when first used: its length, in its second line, tells a caller
    whether the list pays for the nodes it asks about (``_Copier._listed`` in ``against.py``)."""

    def __init__(self, path: Path | None = None, count: int = 0, nodes: set | None = None):
        self.path, self.count = path, count
        self.changes: dict = {}  # node -> listed now (an update's changes)
        self.nodes = nodes  # the whole list, once read

    @classmethod
    def of(cls, nodes: set) -> Listed:
        return cls(count=len(nodes), nodes=nodes)

    @classmethod
    def read(cls, path: Path, term: str):
        """The list in ``path`` (its first two lines read), or ABSENT if it is missing, names another term or does
        not read."""
        try:
            with open(path, encoding="utf-8") as f:
                if f.readline().rstrip("\n") != term:
                    return ABSENT
                count = int(f.readline())
        except (OSError, UnicodeDecodeError, ValueError):
            return ABSENT
        return cls(path, count)

    def whole(self) -> set:
        """Every node listed (a build folder is never written again once swapped in: the file is as it was)."""
        if self.nodes is None:
            nodes: set = set()
            if self.count and self.path is not None:
                # undecodable bytes (a damaged file) become text no node's N-Triples can equal
                with open(self.path, encoding="utf-8", errors="replace") as f:
                    f.readline()
                    f.readline()
                    nodes = set(f.read().split("\n"))
            self.nodes = _applied(nodes, self.changes)
        return self.nodes

    def matching(self, texts) -> set:
        """Those of ``texts`` the list holds."""
        return set(texts) & self.whole()


def _applied(nodes: set, changes: dict) -> set:
    """``nodes`` with the changes (node -> listed now) made."""
    nodes |= {n for n, now in changes.items() if now}
    nodes -= {n for n, now in changes.items() if not now}
    return nodes


def _changes_path(path: Path) -> Path:
    return path.with_suffix(".changes")


def _read_changes(path: Path, term: str):
    """node -> whether it is listed now, from a file of changes (none: no changes); ABSENT if it names another term
    or does not read."""
    try:
        with open(path, encoding="utf-8") as f:
            if f.readline().rstrip("\n") != term:
                return ABSENT
            lines = f.read().split("\n")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError):
        return ABSENT
    changes = {}
    for line in lines:
        if line[:1] not in ("+", "-") or len(line) < 2:
            return ABSENT
        changes[line[1:]] = line[0] == "+"
    return changes


def _write_list(path: Path, term: str, nodes: Iterable[str]) -> None:
    nodes = sorted(nodes)
    path.write_text("\n".join([term, str(len(nodes)), *nodes]), encoding="utf-8")


@contextmanager
def memo_folder(folder: Path, read_also: list) -> Iterator[None]:
    """The commands' memos (reaches, line starts, the shapes' check) written into ``folder`` for the time being, and
    read from ``read_also`` too (a memo found there is copied)."""
    from wpsgraph.validation.shacl import reach

    saved = list(reach.CACHE_DIR), list(reach.READ_ALSO)
    reach.CACHE_DIR[:], reach.READ_ALSO[:] = [folder], read_also
    try:
        yield
    finally:
        reach.CACHE_DIR[:], reach.READ_ALSO[:] = saved


def write(store: ox.Store, names, files: list[Path], folder: Path, cache: Path | None = None,
          given: dict | None = None) -> None:
    """Write ``folder``: the lists from ``store`` (the reasoned graph, every graph read as one) or, for those in
    ``given`` ((kind, term as N-Triples) -> nodes as N-Triples, over the whole graph: the reasoner's), from there;
    and the memos (those already in the cache folder ``cache`` copied from there)."""
    from wpsgraph import resources
    from wpsgraph.validation.engines import compiled_shapes
    from wpsgraph.validation.locate import LARGE, write_starts
    from wpsgraph.validation.shacl import reach

    folder.mkdir(parents=True, exist_ok=True)
    with memo_folder(folder, [cache] if cache is not None else []):
        compiled = compiled_shapes([resources.DATA_SHAPES], names)
        classes, predicates = asked(compiled, reach)
        for path in files:
            if Path(path).stat().st_size > LARGE:
                write_starts(Path(path))
    for kind, terms, pattern in (("members", classes, "?s a {}"), ("subjects", predicates, "?s {} ?o")):
        for term in sorted(terms, key=str):
            nodes = (given or {}).get((kind, str(term)))
            if nodes is None:
                rows = store.query(f"SELECT DISTINCT ?s WHERE {{ {pattern.format(term)} }} LIMIT {_MAX_LISTED + 1}",
                                   use_default_graph_as_union=True)
                assert isinstance(rows, ox.QuerySolutions)
                # TSV writes each node as its N-Triples text, as the lists hold them; the first line is the header
                text = (rows.serialize(format=ox.QueryResultsFormat.TSV) or b"").decode("utf-8")
                nodes = text.split("\n")[1:]
                if nodes and not nodes[-1]:
                    nodes.pop()
            if len(nodes) <= _MAX_LISTED:
                _write_list(folder / list_name(kind, term), str(term), nodes)


def seal(build_folder: Path) -> None:
    """Tie the lists to the manifest just written beside them."""
    folder = Path(build_folder) / FOLDER
    if folder.is_dir():
        (folder / GUARD).write_text(json.dumps({"manifest": _digest(Path(build_folder) / "manifest.json")}),
                                    encoding="utf-8")


def refresh(old_build: Path, new_build: Path, store: ox.Store, changed: Iterable) -> bool:
    """Write ``new_build``'s prepared folder for an update of ``old_build``: its memos, which carry their own keys,
    and its lists, when they counted for ``old_build``, with the subjects of the ``changed`` statements (s, p, o)
    asked about again in ``store`` (the updated store). Whether the lists were kept (to be sealed once the
    manifest is written)."""
    old, new = Path(old_build) / FOLDER, Path(new_build) / FOLDER
    if not old.is_dir():
        return False
    new.mkdir(exist_ok=True)
    for path in old.iterdir():
        if path.name.startswith(_MEMOS):
            _link_or_copy(path, new / path.name)
    if lists_folder(old_build) is None:
        return False
    lists = _list_files(old)
    asked: dict = {}  # list file -> the nodes to ask about
    for s, p, o in changed:
        if p == _RDF_TYPE and ("members", str(o)) in lists:
            asked.setdefault(lists[("members", str(o))], set()).add(s)
        if ("subjects", str(p)) in lists:
            asked.setdefault(lists[("subjects", str(p))], set()).add(s)
    for (kind, term), path in lists.items():
        target = new / path.name
        changes = _read_changes(_changes_path(path), term)
        if changes is ABSENT:
            continue  # not kept: a run asks the store instead
        named = ox.NamedNode(term[1:-1])
        p, o = (_RDF_TYPE, named) if kind == "members" else (named, None)
        for node in asked.get(path, ()):
            changes[str(node)] = next(store.quads_for_pattern(node, p, o, None), None) is not None
        if len(changes) > _REWRITE_AFTER:
            listed = Listed.read(path, term)
            if listed is not ABSENT:
                listed.changes = changes
                _write_list(target, term, listed.whole())
            continue
        _link_or_copy(path, target)
        if changes:
            _changes_path(target).write_text("\n".join([term, *(("+" if now else "-") + node
                                                                for node, now in sorted(changes.items()))]),
                                              encoding="utf-8")
    return True


# Changes to a list beyond which an update writes it whole again (a first run reads the list and its changes).
_REWRITE_AFTER = 20_000


def _link_or_copy(source: Path, target: Path) -> None:
    """A file of a build folder, which is never written again once swapped in: shared by a hard link when the
    file system allows it (a long list costs nothing to keep), else copied."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _list_files(folder: Path) -> dict:
    """(kind, term text) -> the file of each list in ``folder``."""
    out = {}
    for path in Path(folder).glob("*.txt"):
        kind = path.name.split("-", 1)[0]
        if kind in ("members", "subjects"):
            with open(path, encoding="utf-8") as f:
                out[(kind, f.readline().rstrip("\n"))] = path
    return out


def lists(folder: Path) -> dict:
    """Every list of a prepared folder as (kind, term text) -> its nodes now (for tests and checks)."""
    return {(kind, term): read_list(Path(folder), kind, ox.NamedNode(term[1:-1])) for kind, term in _list_files(folder)}


def asked(compiled, reach) -> tuple[set, set]:
    """The classes whose instances, and the properties whose subjects, ``validate --db`` may list: those the
    shapes' trees of reads name (``reach.reads``), rdf:type and the properties shapes target the subjects of."""
    classes: set = set()
    predicates: set = {ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")}
    for shape in compiled.roots:
        predicates.update(term for kind, term in shape.targets if kind == "targetSubjectsOf")
        tree = reach.reads(shape)
        for node in tree.nodes() if tree is not None else ():
            classes |= node.classes
            predicates.update(node.out)
    return classes, predicates


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
