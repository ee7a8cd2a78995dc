"""Recount docs/coverage.md, the per-source log of facts and how each is encoded.

The log's source-by-source sections are the record: one numbered line per fact a source states, ending in
" — encoded (how)", " — in a comment only: why", " — not encoded: why" or " — opinion, not encoded". This
script rewrites the summary and the table at the top from those lines, so the counts cannot drift from the facts.

    python tools/coverage.py           rewrite the table in place
    python tools/coverage.py --check   exit 1 if the table is stale, a fact line has no status, or a source file
                                       in data/sources/ has no section (and the other way round)
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "docs" / "coverage.md"
SOURCES = ROOT / "data" / "sources"
BEGIN = "<!-- coverage table: written by tools/coverage.py from the sections below; do not edit by hand -->"
END = "<!-- end of coverage table -->"
FACT = re.compile(r"^(\d+)\. (.+?) — (encoded|in a comment only|not encoded|opinion, not encoded)\b(.*)$")
KINDS = {"encoded": "encoded", "in a comment only": "comment", "not encoded": "not", "opinion, not encoded": "opinion"}


@dataclass
class Section:
    slug: str
    facts: list[tuple[str, str]] = field(default_factory=list)   # (kind, whole line)
    bad: list[str] = field(default_factory=list)                 # numbered lines without a status

    def count(self, kind: str) -> int:
        return sum(1 for k, _ in self.facts if k == kind)


def parse(text: str) -> list[Section]:
    sections: list[Section] = []
    for line in text.splitlines():
        if line.startswith("### "):
            sections.append(Section(line[4:].strip()))
        elif sections and re.match(r"^\d+\. ", line):
            m = FACT.match(line)
            if m:
                sections[-1].facts.append((KINDS[m.group(3)], line))
            else:
                sections[-1].bad.append(line)
    return sections


def table(sections: list[Section]) -> str:
    tot = {k: sum(s.count(k) for s in sections) for k in ("encoded", "comment", "not", "opinion")}
    facts = tot["encoded"] + tot["comment"] + tot["not"]
    ratio = 100 * tot["encoded"] / facts if facts else 0.0
    rows = [f"| [{s.slug}](#{s.slug}) | {s.count('encoded') + s.count('comment') + s.count('not')} | "
            f"{s.count('encoded')} | {s.count('comment')} | {s.count('not')} | {s.count('opinion')} |"
            for s in sections]
    return "\n".join([
        BEGIN, "",
        f"**{len(sections)} sources; {facts} facts (opinions excluded); {tot['encoded']} encoded as statements "
        f"({ratio:.1f} %), {tot['comment']} in a comment only, {tot['not']} not encoded (each with its reason); "
        f"{tot['opinion']} opinions, not encoded.**", "",
        "| source | facts | encoded as statements | in a comment only | not encoded | opinions |",
        "|---|---|---|---|---|---|", *rows, "", END])


def render(text: str) -> str:
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return head + table(parse(text)) + tail


def problems(text: str) -> list[str]:
    sections = parse(text)
    found = []
    logged = [s.slug for s in sections]
    files = sorted(p.stem for p in SOURCES.glob("*.ttl"))
    found += [f"{slug}: source file without a section in the log" for slug in files if slug not in logged]
    found += [f"{slug}: section without a source file" for slug in logged if slug not in files]
    found += [f"{slug}: logged twice" for slug in set(logged) if logged.count(slug) > 1]
    found += [f"{s.slug}: no facts listed" for s in sections if not s.facts]
    found += [f"{s.slug}: fact line without a status: {line[:80]}" for s in sections for line in s.bad]
    if BEGIN not in text or END not in text:
        found.append("the table's begin and end markers are missing: restore them around the table")
    elif render(text) != text:
        found.append("the table is stale: run python tools/coverage.py")
    return found


def main(argv: list[str]) -> int:
    text = LOG.read_text(encoding="utf-8")
    if "--check" in argv:
        found = problems(text)
        for p in found:
            print(f"{LOG.relative_to(ROOT)}: {p}", file=sys.stderr)
        return 1 if found else 0
    LOG.write_text(render(text), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
