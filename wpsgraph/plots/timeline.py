"""A country's or an actor's timeline: events it took part in (itself, or through its parts, people and members),
events held in it, and its commitments; each at the precision its source gives (a day is a dot, a month or a year
a bar over that period); undated entries listed below."""

from __future__ import annotations

import datetime as dt

from wpsgraph.namespaces import Names
from wpsgraph.plots.common import PALETTE, Picture, ask, short

KINDS = ["took part", "through its parts, people or members", "held there", "commitment"]

QUERY = """PREFIX wps: <https://w3id.org/wpsgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?item ?itemLabel ?kind ?date ?resolvedDate WHERE {
  {
    ?focus wps:participatesIn ?item . BIND("took part" AS ?kind)
    OPTIONAL { ?item wps:startDate ?date } OPTIONAL { ?item wps:resolvedStartDate ?resolvedDate }
  } UNION {
    ?focus wps:involvedIn ?item . ?item a wps:Event .
    FILTER NOT EXISTS { ?focus wps:participatesIn ?item }
    BIND("through its parts, people or members" AS ?kind)
    OPTIONAL { ?item wps:startDate ?date } OPTIONAL { ?item wps:resolvedStartDate ?resolvedDate }
  } UNION {
    ?item wps:heldInCountry ?focus . BIND("held there" AS ?kind)
    OPTIONAL { ?item wps:startDate ?date } OPTIONAL { ?item wps:resolvedStartDate ?resolvedDate }
  } UNION {
    ?item a wps:Commitment .
    { ?item wps:country ?focus } UNION { ?item wps:adoptedBy ?focus } UNION { ?item wps:involvedAgency ?focus }
    BIND("commitment" AS ?kind)
    OPTIONAL { ?item wps:adoptionDate ?adopted } OPTIONAL { ?item wps:publicationDate ?published }
    BIND(COALESCE(?adopted, ?published) AS ?date)
    OPTIONAL { ?item wps:resolvedDate ?resolvedDate }
  }
  OPTIONAL { ?item rdfs:label ?itemLabel . FILTER(LANG(?itemLabel) = "en") }
}"""


def _period(term):
    """(start, end, precision) of a stated date literal; None without a year."""
    if term is None:
        return None
    text, kind = term.value, term.datatype.value.rsplit("#", 1)[-1]
    try:
        if kind in ("date", "dateTime"):
            day = dt.date.fromisoformat(text[:10])
            return day, day + dt.timedelta(days=1), "day"
        if kind == "gYearMonth":
            y, m = int(text[:4]), int(text[5:7])
            return dt.date(y, m, 1), dt.date(y + (m == 12), m % 12 + 1, 1), "month"
        if kind == "gYear":
            y = int(text[:4])
            return dt.date(y, 1, 1), dt.date(y + 1, 1, 1), "year"
    except ValueError:
        return None
    return None


def entries(store, focus: str, names: Names) -> list[dict]:
    """One entry per item: its label, kind (the first of KINDS that applies), stated date and period."""
    result = ask(store, QUERY, names, focus)
    at = {v: i for i, v in enumerate(result.variables)}
    items: dict[str, dict] = {}
    for row in result.rows:
        iri = row[at["item"]].value
        kind = row[at["kind"]].value
        stated, resolved = row[at["date"]], row[at["resolvedDate"]]
        period = _period(resolved) or _period(stated)
        entry = {"iri": iri, "label": row[at["itemLabel"]].value if row[at["itemLabel"]] else
                 (names.compact(iri) or iri), "kind": kind, "stated": stated.value if stated else "",
                 "period": period}
        held = items.get(iri)
        if held is None or KINDS.index(kind) < KINDS.index(held["kind"]) or (
                held["period"] is None and period is not None):
            items[iri] = entry
    return sorted(items.values(), key=lambda e: (e["period"] is None, e["period"] or (), e["label"]))


def timeline(store, focus: str, names: Names, title_label: str) -> Picture:
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    rows = entries(store, focus, names)
    dated = [e for e in rows if e["period"]]
    undated = [e for e in rows if not e["period"]]
    colours = {k: PALETTE[i] for i, k in enumerate(KINDS)}
    height = max(2.6, 0.42 * len(dated) + 1.6 + (0.25 * min(len(undated), 12) + 0.4 if undated else 0))
    fig, ax = plt.subplots(figsize=(11, height))
    for y, e in enumerate(dated):
        start, end, precision = e["period"]
        colour = colours[e["kind"]]
        if precision == "day":
            ax.plot([start], [y], "o", color=colour, markersize=8, zorder=3)
        else:
            ax.barh(y, (end - start).days, left=start, height=0.5, color=colour,
                    alpha=0.85 if precision == "month" else 0.35, edgecolor=colour, zorder=2)
        stated = e["stated"] and e["stated"] != start.isoformat()
        ax.annotate(f"{short(e['label'], 70)}" + (f"  (stated: {e['stated']})" if stated else ""),
                    (end if precision != "day" else start, y), xytext=(6, 0), textcoords="offset points",
                    va="center", fontsize=9)
    title = f"Timeline of {title_label}"
    ax.set_title(title, fontsize=13, loc="left")
    ax.set_yticks([])
    ax.invert_yaxis()
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", color="#dddddd", zorder=0)
    if dated:
        first = min(e["period"][0] for e in dated)
        last = max(e["period"][1] for e in dated)
        span = max((last - first).days, 120)
        ax.set_xlim(first - dt.timedelta(days=span * 0.05), last + dt.timedelta(days=span * 0.9))
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=10))
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
        ax.set_ylim(len(dated) - 0.4, -0.8)
    else:
        ax.set_xticks([])
        ax.text(0.5, 0.5, "no dated entries", transform=ax.transAxes, ha="center", color="#555555")
    used = [k for k in KINDS if any(e["kind"] == k for e in rows)]
    handles: list = [Patch(color=colours[k], label=k) for k in used]
    handles += [Line2D([], [], marker="o", linestyle="", color="#555555", label="a day"),
                Patch(color="#555555", alpha=0.85, label="a month"),
                Patch(color="#555555", alpha=0.35, label="a year")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=9, frameon=False,
              title="kind · stated precision", title_fontsize=9)
    if undated:
        lines = [f"• {short(e['label'], 80)} ({e['kind']})" for e in undated[:12]]
        if len(undated) > 12:
            lines.append(f"… and {len(undated) - 12} more")
        fig.text(0.01, 0.0, "Undated (the sources give no date):\n" + "\n".join(lines), fontsize=9,
                 va="top", ha="left", color="#333333")
    fig.tight_layout()
    alt = _alt(title, dated, undated)
    return Picture(fig, title, alt)


def _alt(title: str, dated: list[dict], undated: list[dict]) -> str:
    if not dated and not undated:
        return f"{title}: the graph holds no events or commitments for it."
    parts = [f"{title}: {len(dated)} dated entr{'y' if len(dated) == 1 else 'ies'}"]
    if dated:
        parts[0] += f", from {dated[0]['stated'] or dated[0]['period'][0]} ({short(dated[0]['label'], 60)})" \
                    f" to {dated[-1]['stated'] or dated[-1]['period'][0]} ({short(dated[-1]['label'], 60)})"
    if undated:
        parts.append(f"{len(undated)} undated")
    counts: dict = {}
    for e in dated + undated:
        counts[e["kind"]] = counts.get(e["kind"], 0) + 1
    parts.append("by kind: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
    return "; ".join(parts) + "."
