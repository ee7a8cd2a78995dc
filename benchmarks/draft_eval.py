"""How good are `wpsgraph draft`'s drafts? Each seed article is drafted with its own hand-written file removed
from the graph, and the draft is compared with that file.

    .venv/bin/python benchmarks/draft_eval.py [--seeds DIR] [--json FILE] [--cli]

Categories (precision = right / drafted, recall = right / in the hand-written file):
- linked: IRIs of resources the graph already has (without this file: other sources, reference data, themes,
  countries) that the hand-written file uses and the draft refers to; linked-sure: the same, counting only what
  the draft asserts (not its '#?' lines);
- new: resources the hand-written file types and the rest of the graph does not have, matched to the draft's new
  resources by name (rapidfuzz token-set ratio >= 85 against the label or an alternative label);
- dates: (property, literal) pairs of wps:startDate/endDate/resolved*/publicationDate/adoptionDate, dct:issued;
- kinds: event classes (as a multiset over the file);
- roles: (role property, participant) pairs, participants of new resources mapped through the "new" matching.
Statements the draft writes commented out ('#?', unsure) count as drafted: the reviewer sees them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import rdflib
from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from wpsgraph.drafting import draft  # noqa: E402
from wpsgraph.drafting.assemble import expand  # noqa: E402
from wpsgraph.drafting.known import ID, load_known  # noqa: E402

WPS = rdflib.Namespace("https://w3id.org/wpsgraph/ontology#")
DCT = rdflib.Namespace("http://purl.org/dc/terms/")
SEEDS = {"000_2f32cd25bb357683": "jtfcs-wps-design-workshop-2024",
         "001_e96a8ccce94c7d77": "usnorthcom-wps-training-mexico-2021",
         "002_5105ac25b859e205": "osf-wps-nap-academy"}
LINKED_KINDS = ("organisation", "person", "post", "event", "commitment", "endstate", "place", "country",
                "resolution", "instrument", "theme")
DATE_PROPS = ["startDate", "endDate", "resolvedStartDate", "resolvedEndDate", "publicationDate", "adoptionDate"]
ROLE_PROPS = ["hasParticipant", "hostedBy", "coHostedBy", "chairedBy", "coChairedBy", "organisedBy", "openedBy",
              "closedBy", "deliveredBy", "briefedBy", "presentedBy", "moderatedBy", "facilitatedBy", "hasAudience",
              "keynoteSpeaker", "hasSpeaker", "participatingCountry"]
EVENT_CLASSES = None
CATEGORIES = ("linked", "linked-sure", "new", "dates", "kinds", "roles")


def event_classes() -> set[str]:
    g = rdflib.Graph().parse(ROOT / "ontology" / "wps.ttl")
    out, todo = set(), [WPS.Event]
    while todo:
        c = todo.pop()
        out.add(str(c).split("#")[1])
        todo += [s for s in g.subjects(rdflib.RDFS.subClassOf, c) if str(s).split("#")[1] not in out]
    return out


def gold(stem: str, known: set[str]):
    g = rdflib.Graph().parse(ROOT / "data" / "sources" / f"{stem}.ttl")
    iris = {str(t) for t in set(g.subjects()) | set(g.objects()) if isinstance(t, rdflib.URIRef)}
    linked = {i for i in iris if i.startswith(ID) and i[len(ID):].split("/")[0] in LINKED_KINDS and i in known}
    new = {}
    for s in set(g.subjects(rdflib.RDF.type)):
        if str(s).startswith(ID) and str(s) not in known and "/source/" not in str(s):
            names = [str(o) for p in (rdflib.RDFS.label, rdflib.SKOS.altLabel) for o in g.objects(s, p)]
            new[str(s)] = names
    dates = {(p, str(o)) for p in DATE_PROPS for o in g.objects(None, WPS[p])}
    dates |= {("issued", str(o)) for o in g.objects(None, DCT.issued)}
    kinds = Counter(str(o).split("#")[1] for s, o in g.subject_objects(rdflib.RDF.type)
                    if str(o).split("#")[-1] in EVENT_CLASSES)
    roles = {(p, str(o)) for p in ROLE_PROPS for o in g.objects(None, WPS[p])}
    return linked, new, dates, kinds, roles


def drafted(d):
    linked = d.linked()
    new = {it.iri: [it.label] + it.alt for it in d.items.values() if not it.known}
    dates, roles, kinds = set(), set(), Counter()
    for it in d.items.values():
        if it.kind == "event":
            kinds.update(it.types)
        for s in it.statements:
            p = s.predicate.split(":")[1]
            if p in DATE_PROPS:
                dates.add((p, s.object.split('"')[1]))
            if p in ROLE_PROPS:
                roles.add((p, expand(s.object)))
    for s in d.source_statements:
        if s.predicate == "dct:issued":
            dates.add(("issued", s.object.split('"')[1]))
    return linked, new, dates, kinds, roles


def match_new(gold_new: dict, draft_new: dict) -> dict[str, str]:
    """draft IRI -> gold IRI, greedily by best name similarity, case, hyphens and quotes aside (ties, such as a
    name contained in two longer ones, broken by the plain similarity of the whole names)."""
    pairs = []
    for di, dn in draft_new.items():
        for gi, gn in gold_new.items():
            if not gn:
                continue
            score = max(fuzz.token_set_ratio(a, b, processor=default_process) for a in dn for b in gn)
            whole = max(fuzz.ratio(a, b, processor=default_process) for a in dn for b in gn)
            if di.split("/id/")[1].split("/")[0] != gi.split("/id/")[1].split("/")[0]:
                score -= 20
            if score >= 85:
                pairs.append((score, whole, di, gi))
    out, used = {}, set()
    for _score, _whole, di, gi in sorted(pairs, reverse=True):
        if di not in out and gi not in used:
            out[di] = gi
            used.add(gi)
    return out


def pr(right: int, drafted_n: int, gold_n: int) -> dict:
    return {"right": right, "drafted": drafted_n, "gold": gold_n,
            "precision": round(right / drafted_n, 3) if drafted_n else None,
            "recall": round(right / gold_n, 3) if gold_n else None}


def evaluate(seed_dir: Path):
    global EVENT_CLASSES
    EVENT_CLASSES = event_classes()
    results, misses, totals = {}, {}, {}
    for seed, stem in SEEDS.items():
        text = (seed_dir / f"{seed}.txt").read_text(encoding="utf-8")
        known = set(load_known((stem,)).resources)
        t0 = time.perf_counter()
        d = draft(text, stem=stem, exclude=(stem,), identifier=seed)
        seconds = time.perf_counter() - t0
        gl, gn, gd, gk, gr = gold(stem, known)
        dl, dn, dd, dk, dr = drafted(d)
        mapping = match_new(gn, dn)
        dr = {(p, mapping.get(o, o)) for p, o in dr}
        kinds_right = sum((gk & dk).values())
        sure = d.linked(certain_only=True)
        res = {"seconds": round(seconds, 2),
               "linked": pr(len(gl & dl), len(dl), len(gl)),
               "linked-sure": pr(len(gl & sure), len(sure), len(gl)),
               "new": pr(len(mapping), len(dn), len(gn)),
               "dates": pr(len(gd & dd), len(dd), len(gd)),
               "kinds": pr(kinds_right, sum(dk.values()), sum(gk.values())),
               "roles": pr(len(gr & dr), len(dr), len(gr))}
        results[stem] = res
        short = lambda xs: sorted(x.replace(ID, "") if isinstance(x, str) else  # noqa: E731
                                  (x[0], x[1].replace(ID, "")) for x in xs)
        misses[stem] = {"linked, not drafted": short(gl - dl), "linked, wrong": short(dl - gl),
                        "new, not found": short(set(gn) - set(mapping.values())),
                        "new, extra": short(set(dn) - set(mapping)),
                        "dates, not drafted": sorted(gd - dd), "dates, wrong": sorted(dd - gd),
                        "kinds, not drafted": sorted((gk - dk).elements()),
                        "kinds, wrong": sorted((dk - gk).elements()),
                        "roles, not drafted": short(gr - dr), "roles, wrong": short(dr - gr)}
        for cat in CATEGORIES:
            t = totals.setdefault(cat, [0, 0, 0])
            t[0] += res[cat]["right"]
            t[1] += res[cat]["drafted"]
            t[2] += res[cat]["gold"]
    overall = {cat: pr(*t) for cat, t in totals.items()}
    return results, overall, misses


def cli_seconds(article: Path, runs: int = 3) -> float:
    """Wall time of the fastest of a few whole `wpsgraph draft` processes (start-up and imports included)."""
    import subprocess
    import tempfile

    exe = Path(sys.executable).with_name("wpsgraph")
    best = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run([str(exe), "draft", str(article), "--out", str(Path(tmp) / "draft.ttl")], check=True,
                           capture_output=True)
            best = min(best, time.perf_counter() - t0)
    return round(best, 2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--cli", action="store_true", help="also time a whole `wpsgraph draft` process per seed")
    args = ap.parse_args()
    if not args.seeds.is_dir():
        sys.exit(f"error: {args.seeds}: no such folder (the seed articles)")
    results, overall, misses = evaluate(args.seeds)
    if args.cli:
        for seed, stem in SEEDS.items():
            results[stem]["cli seconds"] = cli_seconds(args.seeds / f"{seed}.txt")
    print(f"{'source':40} {'category':11} {'P':>6} {'R':>6}  right/drafted/gold")
    for stem, res in list(results.items()) + [("ALL", overall)]:
        for cat in CATEGORIES:
            r = res[cat]
            print(f"{stem:40} {cat:11} {str(r['precision']):>6} {str(r['recall']):>6}  "
                  f"{r['right']}/{r['drafted']}/{r['gold']}")
        if stem != "ALL":
            print(f"{stem:40} seconds     {res['seconds']}")
            if "cli seconds" in res:
                print(f"{stem:40} cli seconds {res['cli seconds']}")
    if args.json:
        args.json.write_text(json.dumps({"per_source": results, "overall": overall, "misses": misses}, indent=1))
    print("\nmisses:")
    for stem, m in misses.items():
        print(f"  {stem}")
        for k, v in m.items():
            if v:
                print(f"    {k}: {v}")


if __name__ == "__main__":
    main()
