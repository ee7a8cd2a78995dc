"""The action-plans page: every national and regional action plan, source by source (the canned query
`action-plans`), in a table a reader filters by country, region and year and downloads as CSV, under the chart of
adoptions per year and region that `wpsgraph plot naps` draws.

The table is complete without a script; a short script adds the filters and a download of the rows shown.
"""

from __future__ import annotations

import csv
import io
import json
import re

from wpsgraph.query import find, render, run
from wpsgraph.query.render import term_text

PAGE = "doc/action-plans.html"
CSV = "doc/action-plans.csv"
QUERY = "action-plans"


def _year(*texts: str) -> str:
    for text in texts:
        match = re.match(r"(\d{4})", text or "")
        if match:
            return match.group(1)
    return ""


def action_plans_page(w, store, chart=None) -> None:
    """Write the page and the CSV of all its rows (``w`` is the site's Writer; ``chart`` the NAP chart Figure)."""
    s = w.site
    result = run(find(QUERY), store, {}, s.names)
    full = render(result, "csv", s.names)
    w.write(CSV, full)
    at = {v: i for i, v in enumerate(result.variables)}

    def text(row, var):
        return term_text(row[at[var]], s.names, compact=False)

    rows = []
    for row in result.rows:
        start, end, years = text(row, "periodStart"), text(row, "periodEnd"), text(row, "durationYears")
        period = f"{start}–{end}" if start or end else (f"{years} y" if years else "")
        rows.append({
            "scope": s.link(text(row, "scope"), PAGE) if text(row, "scope") else None,
            "scope_name": text(row, "scopeLabel"), "continent": text(row, "continent"),
            "subregion": text(row, "subregion"),
            "plan": s.link(text(row, "plan"), PAGE), "kind": text(row, "kind"), "edition": text(row, "edition"),
            "adopted": text(row, "adoptionDate"), "published": text(row, "publicationDate"), "period": period,
            "lead": text(row, "leadAgency"), "status": text(row, "status"),
            "source": s.link(text(row, "source"), PAGE) if text(row, "source") else None,
            "year": _year(text(row, "adoptionDate"), text(row, "publicationDate"), text(row, "launched")),
        })
    regions: dict[str, set[str]] = {}
    for r in rows:
        if r["continent"]:
            regions.setdefault(r["continent"], set()).add(r["subregion"])
    years = sorted({r["year"] for r in rows if r["year"]})
    # the CSV's header and rows, in table order, for the download of the rows shown (the full file's values)
    table = list(csv.reader(io.StringIO(full)))
    w.render(PAGE, "action-plans.html", title=s.t["action_plans"], rows=rows, csv=CSV.rsplit("/", 1)[1],
             countries=sorted({r["scope_name"] for r in rows if r["scope_name"]}, key=str.casefold),
             regions=[(c, sorted(x for x in subs if x)) for c, subs in sorted(regions.items())], years=years,
             chart=chart, chart_src=chart.href(PAGE) if chart else None,
             csv_rows=json.dumps(table, ensure_ascii=False).replace("</", "<\\/"), canonical=None, alternates=[])
