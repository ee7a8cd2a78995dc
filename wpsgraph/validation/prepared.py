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
(``GUARD``); an update writes a new folder without them. The other entries carry their own keys and checks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

FOLDER = "prepared"
GUARD = "lists.json"  # the sha-256 of the manifest the lists were written beside
_MAX_LISTED = 5_000_000  # a longer list is not written: asked about a node, the store answers (as before)


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


def read_list(folder: Path, kind: str, term, at_most: int | None = None):
    """The listed N-Triples texts of ``term``'s instances or subjects; None when there are more than ``at_most``
    (not read: asking the store about each node costs less than reading them); ABSENT when there is no such list."""
    try:
        with open(folder / list_name(kind, term), encoding="utf-8") as f:
            if f.readline().rstrip("\n") != str(term):
                return ABSENT
            count = int(f.readline())
            if at_most is not None and count > at_most:
                return None
            nodes = f.read().split("\n")
    except (OSError, UnicodeDecodeError, ValueError):
        return ABSENT
    return set(nodes) if count else set()


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


def write(store: ox.Store, names, files: list[Path], folder: Path, cache: Path | None = None) -> None:
    """Write ``folder``: the lists from ``store`` (the reasoned graph, every graph read as one), and the memos
    (those already in the cache folder ``cache`` copied from there)."""
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
            rows = store.query(f"SELECT DISTINCT ?s WHERE {{ {pattern.format(term)} }} LIMIT {_MAX_LISTED + 1}",
                               use_default_graph_as_union=True)
            assert isinstance(rows, ox.QuerySolutions)
            # TSV writes each node as its N-Triples text, as the lists hold them; the first line is the header
            text = (rows.serialize(format=ox.QueryResultsFormat.TSV) or b"").decode("utf-8")
            nodes = text.split("\n")[1:]
            if nodes and not nodes[-1]:
                nodes.pop()
            if len(nodes) > _MAX_LISTED:
                continue
            nodes.sort()
            (folder / list_name(kind, term)).write_text("\n".join([str(term), str(len(nodes)), *nodes]),
                                                         encoding="utf-8")


def seal(build_folder: Path) -> None:
    """Tie the lists to the manifest just written beside them."""
    folder = Path(build_folder) / FOLDER
    if folder.is_dir():
        (folder / GUARD).write_text(json.dumps({"manifest": _digest(Path(build_folder) / "manifest.json")}),
                                    encoding="utf-8")


def carry(old_build: Path, new_build: Path) -> None:
    """Copy the memos of ``old_build``'s prepared folder into ``new_build`` (an update): they carry their own keys.
    Not the lists, which the update makes stale."""
    old = Path(old_build) / FOLDER
    if not old.is_dir():
        return
    import shutil

    new = Path(new_build) / FOLDER
    for path in old.iterdir():
        if path.name.startswith(("reach-", "starts-", "shapes-checked-")):
            new.mkdir(exist_ok=True)
            shutil.copyfile(path, new / path.name)


def asked(compiled, reach) -> tuple[set, set]:
    """The classes whose instances, and the properties whose subjects, ``validate --db`` may list: those the
    shapes' trees of reads name (``reach.reads``), rdf:type and the properties shapes target the subjects of."""
    classes: set = set()
    predicates: set = {ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")}
    for shape in compiled.roots:
        predicates.update(term for kind, term in shape.targets if kind == "targetSubjectsOf")
        tree = reach.reads(shape)
        todo = [tree] if tree is not None else []
        seen: set = set()
        while todo:
            node = todo.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            classes |= node.classes
            predicates.update(node.out)
            todo.extend(node.out.values())
            todo.extend(node.into.values())
    return classes, predicates


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
