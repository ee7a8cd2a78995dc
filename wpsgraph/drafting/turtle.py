"""The draft as Turtle, every statement under the sentence it comes from; what the tool is unsure of is written
commented out with '#?' and the reason, so it is never asserted without a reviewer's say. And the review list."""

from __future__ import annotations

from wpsgraph.drafting.assemble import Draft, Item, Statement, term

PREFIXES = ["wps: <https://w3id.org/wpsgraph/ontology#>"] + [
    f"{k}: <https://w3id.org/wpsgraph/id/{k}/>" for k in (
        "source", "organisation", "person", "post", "event", "commitment", "endstate", "place", "country",
        "resolution", "instrument", "theme", "status", "group", "dateresolution", "statement", "observation",
        "indicator", "unit")] + [
    "rdfs: <http://www.w3.org/2000/01/rdf-schema#>", "xsd: <http://www.w3.org/2001/XMLSchema#>",
    "skos: <http://www.w3.org/2004/02/skos/core#>", "dct: <http://purl.org/dc/terms/>",
    "schema: <https://schema.org/>"]
SECTIONS = [("organisation", "Organisations"), ("person", "Persons and posts"), ("post", None),
            ("place", "Places"), ("event", "Events"), ("commitment", "Commitments"), ("endstate", None),
            ("instrument", "Instruments"), ("group", "Participant groups"), ("statement", "Statements"),
            ("observation", "Figures")]
WIDTH = 118


def _quote(sentence) -> str:
    text = " ".join(sentence.text.split())
    if len(text) > WIDTH - 14:
        text = text[:WIDTH - 17] + "…"
    return f"# [s{sentence.index}] {text}"


def _lines(statements: list[Statement], last: str) -> list[str]:
    out, said = [], None
    for st in statements:
        if st.sentence is not None and st.sentence is not said:
            out.append("    " + _quote(st.sentence))
            said = st.sentence
        if st.certain:
            out.append(f"    {st.predicate} {st.object} ;" + (f"   # {st.note}" if st.note else ""))
        else:
            out.append(f"    #? {st.predicate} {st.object} ;   # unsure: {st.note or 'check'}")
    out.append(last)
    return out


def _block(it: Item, source: str) -> list[str]:
    types = " , ".join(f"wps:{t}" for t in it.types)
    head = [term(it.iri)]
    if it.known:
        head.append("    # already in the graph: its type and label as the graph has them")
    if it.first is not None:
        head.append("    " + _quote(it.first))
    if it.type_note:
        head.append(f"    a {types} ;   # unsure: {it.type_note}")
    else:
        head.append(f"    a {types} ;")
    label = it.label.replace("\\", "\\\\").replace('"', '\\"')
    head.append(f'    rdfs:label "{label}"@en ;')
    for a in it.alt:
        head.append(f'    skos:altLabel "{a}"@en ;')
    order = sorted(it.statements, key=lambda s: (s.sentence.index if s.sentence else 0))
    return head + _lines(order, f"    wps:statedIn {term(source)} .")


def write(d: Draft) -> str:
    a = d.article
    out = [f"@prefix {p} ." for p in PREFIXES]
    out += ["", f"# DRAFT by `wpsgraph draft` of: {a.title or '(untitled)'}",
            "# Every statement sits under the sentence it comes from ([sN] = sentence N). Lines starting '#?' are",
            "# what the tool is unsure of: check each, then uncomment it or delete it. Then run `wpsgraph validate`.",
            "", "################ Source document", "", term(d.source_iri), f"    a wps:{d.source_kind} ;"]
    src = d.source_statements
    for st in src[:-1]:
        out.append(f"    {st.predicate} {st.object} ;" if st.certain else
                   f"    #? {st.predicate} {st.object} ;   # unsure: {st.note}")
    out.append(f"    {src[-1].predicate} {src[-1].object} .")
    done = set()
    for kind, title in SECTIONS:
        items = [it for it in d.items.values() if it.kind == kind]
        if not items:
            continue
        if title:
            out += ["", f"################ {title}"]
        for it in sorted(items, key=lambda i: (not i.known, i.first.index if i.first else 0, i.iri)):
            out += [""] + _block(it, d.source_iri)
            done.add(it.iri)
    rest = [it for it in d.items.values() if it.iri not in done]
    for it in rest:
        out += [""] + _block(it, d.source_iri)
    return "\n".join(out) + "\n"


def write_review(d: Draft) -> str:
    linked = sorted(it for it in d.linked() if "/source/" not in it)
    new = [it for it in d.items.values() if not it.known]
    unsure = [(it, s) for it in d.items.values() for s in it.statements if not s.certain]
    lines = [f"Review list for {term(d.source_iri)} (drafted in {d.seconds:.2f} s)", "",
             f"Linked to the graph ({len(linked)}): " + ", ".join(term(i) for i in linked), "",
             f"New resources ({len(new)}): check each name, type and IRI:"]
    for it in new:
        lines.append(f"  - {term(it.iri)}  a {', '.join('wps:' + t for t in it.types)}  \"{it.label}\""
                     + (f"  (s{it.first.index})" if it.first else "")
                     + (f"  — {it.type_note}" if it.type_note else ""))
    lines += ["", f"Unsure, written commented out ({len(unsure)}):"]
    for it, s in unsure:
        lines.append(f"  - {term(it.iri)} {s.predicate} {s.object}  (s{s.sentence.index if s.sentence else '-'}):"
                     f" {s.note or 'check'}")
    lines += ["", f"Left open ({len(d.review)}):"] + [f"  - {r}" for r in d.review]
    lines += ["", "Sentences:"] + [f"  [s{s.index}] {s.text}" for s in d.article.sentences]
    return "\n".join(lines) + "\n"
