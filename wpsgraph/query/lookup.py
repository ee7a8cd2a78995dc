"""Finding resources by name: labels and alternative labels in every language, acronyms, local names; tolerant of
accents, case, punctuation and small misspellings (rapidfuzz); and query parameters given as a name.

    index = Index.of_store(store, names)
    index.search("usnorthcom")            # ranked Matches: IRI, type, label, the text matched, score
    resolve_params(query, {"country": "Mexico"}, index)   # {"country": "<https://w3id.org/wpsgraph/id/country/MX>"}

The index is read from the graph by two fixed SELECT queries (no user text in them); a name given for a parameter
becomes an IRI, which is then bound as an RDF term like any other (``sparql.bindings``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rapidfuzz import fuzz, process

from wpsgraph.errors import QueryError
from wpsgraph.namespaces import OWL, RDF, RDFS, SKOS, XSD, Names
from wpsgraph.query.catalogue import Query
from wpsgraph.query.run import Result

LABELS = (RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel")
EXACT = 100.0
CUTOFF = 65.0          # below this a key does not match at all
RESOLVE_AT = 80.0      # a parameter's best candidate this close, and well ahead of the next, is taken
AHEAD_BY = 8.0

# The class a parameter's values are expected to belong to, by the parameter's name (inferred types count, so an
# actor may be any organisation, person or country). A parameter not listed here may be any resource.
PARAM_CLASSES = {
    "actor": "Actor", "deliverer": "Actor", "organisation": "Organisation", "country": "Country",
    "event": "Event", "theme": "Theme", "resolution": "Resolution", "region": "Place",
}

_STOP = {"of", "the", "and", "for", "on", "in", "a", "an", "to", "de", "del", "la", "las", "los", "el", "y", "et",
         "le", "les", "des", "du", "en"}

_LABELS_QUERY = f"""SELECT ?s ?p ?label WHERE {{
  VALUES ?p {{ {' '.join(f'<{p}>' for p in LABELS)} }}
  ?s ?p ?label . FILTER(isIRI(?s) && isLITERAL(?label))
}}"""
_TYPES_QUERY = f"SELECT ?s ?type WHERE {{ ?s <{RDF}type> ?type . FILTER(isIRI(?s) && isIRI(?type)) }}"
_SUBCLASS_QUERY = f"SELECT ?a ?b WHERE {{ ?a <{RDFS}subClassOf> ?b . FILTER(isIRI(?a) && isIRI(?b)) }}"


def normalise(text: str) -> str:
    """Lower case, accents dropped, punctuation made space: 'U.S. Northern Command' → 'u s northern command'."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+|_", " ", text).split())


def acronym(label: str) -> str | None:
    """Initials of the significant words of a label of two or more such words, else None:
    'United Nations Security Council' → 'unsc', 'U.S. Northern Command' → 'usnc'."""
    words = [w for w in normalise(re.sub(r"['’]s\b", "", label)).split() if w not in _STOP]
    initials = "".join(w[0] for w in words if not w.isdigit())
    return initials if len(words) >= 2 and len(initials) >= 2 else None


@dataclass
class Match:
    iri: str
    score: float
    label: str             # the resource's English label, else any label
    matched: str           # the label (or local name, or acronym) that matched best
    types: list[str] = field(default_factory=list)  # most specific classes first

    @property
    def exact(self) -> bool:
        return self.score >= EXACT


@dataclass
class _Key:
    text: str     # normalised
    iri: str
    shown: str    # as it stands in the data
    weight: float
    exact_only: bool = False


class Index:
    """Every labelled resource of a graph, searchable by name."""

    def __init__(self, label_rows, type_rows, subclass_rows, names: Names | None = None):
        self.names = names or Names()
        self.labels: dict[str, dict[str, str]] = {}     # iri -> language -> label (first seen)
        self.types: dict[str, set[str]] = {}
        self._keys: list[_Key] = []
        supers: dict[str, set[str]] = {}
        for a, b in subclass_rows:
            supers.setdefault(a, set()).add(b)
        self._supers = supers
        for s, t in type_rows:
            self.types.setdefault(s, set()).add(t)
        for s, p, label, lang in label_rows:
            if not s.startswith(self.names.base):
                continue
            self.labels.setdefault(s, {}).setdefault(lang or "", label)
            if not s.startswith(self.names.id):  # ontology terms: labelled (for --type), not searched
                continue
            key = normalise(label)
            if key:
                self._keys.append(_Key(key, s, label, 1.0 if p != SKOS + "altLabel" else 0.99))
                short = acronym(label)
                if short:
                    self._keys.append(_Key(short, s, label, 0.97, exact_only=True))
        for s in self.labels:
            if not s.startswith(self.names.id):
                continue
            local = re.split(r"[/#]", s)[-1]
            if local:
                self._keys.append(_Key(normalise(local), s, self.names.compact(s) or s, 0.98))
        self._texts = [k.text for k in self._keys]

    @classmethod
    def of_store(cls, store: ox.Store, names: Names | None = None) -> Index:
        """The index of an Oxigraph store (its union graph: asserted and inferred)."""
        from wpsgraph.query.run import run

        return cls.of(lambda text: run(adhoc(text), store, names=names), names)

    @classmethod
    def of(cls, ask: Callable[[str], Result], names: Names | None = None) -> Index:
        """The index from any engine: ``ask`` answers a SELECT text with a Result (an embedded store, a remote
        endpoint)."""
        labels = [(r[0].value, r[1].value, r[2].value, r[2].language) for r in ask(_LABELS_QUERY).rows]
        types = [(r[0].value, r[1].value) for r in ask(_TYPES_QUERY).rows]
        subclasses = [(r[0].value, r[1].value) for r in ask(_SUBCLASS_QUERY).rows]
        return cls(labels, types, subclasses, names)

    # -- what a resource is ------------------------------------------------------------------------------------

    def label(self, iri: str, lang: str = "en") -> str:
        by_lang = self.labels.get(iri, {})
        return by_lang.get(lang) or by_lang.get("en") or by_lang.get("") or next(iter(by_lang.values()), "")

    def specific_types(self, iri: str) -> list[str]:
        """The resource's classes that no other of its classes is a subclass of, the project's own first."""
        types = self.types.get(iri, set())
        keep = [t for t in types if not any(t != o and t in self._supers.get(o, ()) and o not in
                                            self._supers.get(t, ()) for o in types)]
        return sorted(keep, key=lambda t: (not t.startswith(self.names.wps), t.startswith(OWL), t))

    def has(self, iri: str) -> bool:
        return iri in self.labels or iri in self.types

    def classes(self) -> set[str]:
        return set(self._supers) | {b for bs in self._supers.values() for b in bs}

    def class_iri(self, value: str) -> str:
        """A class given as wps:Name, a full IRI, a bare local name (Organisation) or its English label."""
        prefixes = self.names.prefixes()
        prefix, sep, local = value.partition(":")
        if sep and prefix in prefixes:
            candidate = prefixes[prefix] + local
        elif re.match(r"^https?://", value):
            candidate = value
        else:
            candidate = self.names.wps + value
        known = self.classes()
        if candidate in known:
            return candidate
        wanted = normalise(value)
        by_label = [c for c in known if c.startswith(self.names.wps)
                    and (normalise(c[len(self.names.wps):]) == wanted.replace(" ", "")
                         or any(normalise(x) == wanted for x in self.labels_any(c)))]
        if len(by_label) == 1:
            return by_label[0]
        locals_ = {c[len(self.names.wps):]: c for c in known if c.startswith(self.names.wps)}
        close = [name for name, _, _ in process.extract(value, list(locals_), scorer=fuzz.WRatio, limit=3,
                                                         score_cutoff=70)]
        hint = f" (did you mean {', '.join('wps:' + c for c in close)}?)" if close else ""
        raise QueryError(f"no class {value!r} in the graph{hint}")

    def labels_any(self, iri: str) -> list[str]:
        return list(self.labels.get(iri, {}).values())

    def is_a(self, iri: str, cls: str) -> bool:
        return cls in self.types.get(iri, ())

    # -- search --------------------------------------------------------------------------------------------------

    def search(self, text: str, cls: str | None = None, limit: int | None = 10) -> list[Match]:
        """Resources whose names match ``text``, best first; ``cls`` keeps only instances of that class (inferred
        types included)."""
        wanted = normalise(text)
        if not wanted:
            return []
        squeezed = wanted.replace(" ", "")
        best: dict[str, tuple[float, str]] = {}

        def offer(key: _Key, score: float):
            if cls is not None and not self.is_a(key.iri, cls):
                return
            held = best.get(key.iri, (-1.0, ""))
            if score > held[0] or score == held[0] and key.shown.casefold() == text.strip().casefold():
                best[key.iri] = (score, key.shown)

        for key in self._keys:
            if key.text == wanted or key.text.replace(" ", "") == squeezed:
                offer(key, EXACT if key.weight >= 0.99 else EXACT * key.weight)
        for _, score, i in process.extract(wanted, self._texts, scorer=fuzz.WRatio, limit=None,
                                           score_cutoff=CUTOFF):
            key = self._keys[i]
            if key.exact_only or key.text == wanted:
                continue
            if len(key.text) < len(wanted) or len(wanted) <= 3:
                # a name does not match by being part of what was asked; nor a short query by being part of a name
                score = fuzz.ratio(wanted, key.text)
                if score < CUTOFF:
                    continue
            offer(key, min(score * key.weight, EXACT - 1))
        ranked = sorted(best.items(), key=lambda x: (-x[1][0], len(self.label(x[0])), x[0]))
        if limit is not None:
            ranked = ranked[:limit]
        return [Match(iri, round(score, 1), self.label(iri), shown, self.specific_types(iri))
                for iri, (score, shown) in ranked]

    def describe(self, match: Match) -> str:
        """'country:MX (Mexico)' for messages."""
        return f"{self.names.compact(match.iri) or match.iri} ({match.label})"


def known(ask: Callable[[str], Result], names: Names) -> Callable[[str], bool]:
    """``Index.has`` without the index: one ASK about the IRI (written into the text by Oxigraph's serialiser,
    which validates it), answered by ``ask`` like the index's own queries."""
    labels = " ".join(f"<{p}>" for p in LABELS)

    def has(iri: str) -> bool:
        try:
            term = str(ox.NamedNode(iri))
        except ValueError:
            return False
        typed = f"{{ {term} <{RDF}type> ?type . FILTER(isIRI(?type)) }}"
        if iri.startswith(names.base):  # the index keeps labels of the project's own resources only
            typed += f" UNION {{ VALUES ?p {{ {labels} }} {term} ?p ?label . FILTER(isLITERAL(?label)) }}"
        return bool(ask(f"ASK {{ {typed} }}").boolean)

    return has


def as_result(matches: list[Match], names: Names) -> Result:
    """Matches as a query result (resource, type, label, matched, score), for the usual table/CSV/JSON writers;
    ``matched`` is empty when it was the label or the IRI itself."""
    rows = [[ox.NamedNode(m.iri), ox.NamedNode(m.types[0]) if m.types else None, ox.Literal(m.label),
             ox.Literal(m.matched) if m.matched not in (m.label, names.compact(m.iri)) else None,
             ox.Literal(f"{m.score:g}", datatype=ox.NamedNode(XSD + "decimal"))] for m in matches]
    return Result(["resource", "type", "label", "matched", "score"], rows)


def adhoc(text: str) -> Query:
    return Query("lookup", Path("<lookup>"), "", "", [], text)


# -- query parameters given as names ---------------------------------------------------------------------------

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def looks_like_iri(value: str, names: Names) -> bool:
    """<IRI>, an absolute IRI (http:, https:, urn: ...), or prefix:name with one of the project's prefixes."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        return True
    if re.search(r"\s", value):
        return False
    prefix, sep, _ = value.partition(":")
    return bool(sep) and (prefix in names.prefixes() or prefix.lower() in ("http", "https", "urn", "mailto")
                          or bool(_SCHEME.match(value)) and "//" in value)


@dataclass
class Resolution:
    param: str
    given: str
    iri: str
    match: Match | None = None   # None when an IRI was given

    def note(self, names: Names) -> str:
        how = "" if self.match is None or self.match.exact else f", matched {self.match.matched!r}"
        return (f"{self.param}={self.given} is {names.compact(self.iri) or self.iri}"
                f" ({self.match.label if self.match else ''}{how})")


def resolve_params(query: Query, given: dict[str, str], index: Index | Callable[[], Index],
                   names: Names | None = None, known: Callable[[str], bool] | None = None,
                   ) -> tuple[dict[str, str], list[Resolution]]:
    """Turn every IRI-kind parameter given as a name into its IRI; check that every IRI given is in the graph.

    ``index`` may instead be a function that builds the index (of the graph whose namespaces are ``names``), with
    ``known(iri)`` answering ``Index.has`` by a small query (``known_query``): the index is then built only for a
    name, or to suggest a resource for an IRI not in the graph. Reading every label and type of a million-triple
    store takes seconds; asking about one IRI, milliseconds.

    Raises QueryError (exit 2) for an ambiguous name (listing the candidates), a name that matches nothing, or an
    IRI the graph does not hold ("did you mean")."""
    from wpsgraph.query.sparql import expand_iri

    built: list[Index] = []
    if isinstance(index, Index):
        built.append(index)
        names, known = index.names, index.has
    elif names is None or known is None:
        raise TypeError("an index builder needs the graph's names and a known(iri) check")
    build = index

    def the_index() -> Index:
        if not built:
            built.append(build())  # type: ignore[operator]  # a builder: an Index was put in built above
        return built[0]

    declared = {p.name: p for p in query.params}
    out, notes = dict(given), []
    for key, value in given.items():
        param = declared.get(key)
        if param is None or param.kind != "iri":
            continue
        cls = PARAM_CLASSES.get(key)
        cls = names.wps + cls if cls else None
        if looks_like_iri(value, names):
            try:
                iri = expand_iri(value.strip(), names)
            except ValueError:
                iri = None
            if iri is not None and known(iri):
                continue
            index = the_index()
            local = re.split(r"[/#:]", value.strip("<> "))[-1]
            close = index.search(local, cls, limit=3) or index.search(local, None, limit=3)
            hint = f" (did you mean {', '.join(index.describe(m) for m in close)}?)" if close else ""
            raise QueryError(f"parameter {key}={value}: not in the graph{hint}")
        index = the_index()
        matches = index.search(value, cls, limit=None)
        exact = [m for m in matches if m.exact]
        if len(exact) == 1:
            chosen = exact[0]
        elif not exact and matches and matches[0].score >= RESOLVE_AT and (
                len(matches) == 1 or matches[1].score <= matches[0].score - AHEAD_BY) and \
                fuzz.ratio(normalise(value), normalise(matches[0].matched)) >= RESOLVE_AT:
            # a misspelling of the whole name ('Mexcio'), not a word shared with it
            chosen = matches[0]
        elif not matches:
            kind = f" ({names.compact(cls)})" if cls else ""
            raise QueryError(f"parameter {key}={value!r}: nothing in the graph{kind} has that name "
                             f"(try 'wpsgraph find {value}')")
        else:
            shown = exact or [m for m in matches if m.score >= matches[0].score - 15]
            shown = shown[:8]
            raise QueryError(f"parameter {key}={value!r} is ambiguous: "
                             f"{'; '.join(index.describe(m) for m in shown)} — give one of these IRIs")
        out[key] = f"<{chosen.iri}>"
        notes.append(Resolution(key, value, chosen.iri, chosen))
    return out, notes
