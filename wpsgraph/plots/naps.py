"""National Action Plan adoptions per year and per region: a plan counted in the year its adoption date states
(a plan whose sources give two years is counted in both, as the nap-adoptions-per-year query does), regions from
the UN M49 classification (continent and sub-region) that the loader generates into the countries graph."""

from __future__ import annotations

from wpsgraph.namespaces import Names
from wpsgraph.plots.common import PALETTE, Picture, ask

# Continents and sub-regions are read from the graph, where the loader generated them (pipeline/regions.py).
QUERY = """PREFIX wps: <https://w3id.org/wpsgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?plan ?code ?date ?continent ?region WHERE {
  ?plan a wps:NationalActionPlan ; wps:adoptionDate ?date .
  OPTIONAL {
    ?plan wps:country ?country . ?country wps:iso3166Alpha2 ?code .
    OPTIONAL { ?country wps:inContinent/rdfs:label ?continent }
    OPTIONAL { ?country wps:inSubregion/rdfs:label ?region }
  }
}"""


def adoptions(store, names: Names) -> list[dict]:
    """One row per plan and stated adoption year: plan, country code, year, continent, sub-region."""
    out = []
    for plan, code, date, continent, region in ask(store, QUERY, names).rows:
        year = date.value[:4]
        if not year.isdigit():
            continue
        out.append({"plan": plan.value, "country": code.value if code else "", "year": int(year),
                    "continent": continent.value if continent else "unknown",
                    "region": region.value if region else "unknown"})
    return sorted(out, key=lambda r: (r["year"], r["country"], r["plan"]))


def naps(store, names: Names) -> Picture:
    import matplotlib.pyplot as plt

    rows = adoptions(store, names)
    title = "National Action Plans on Women, Peace and Security: adoptions per year and region"
    fig, (left, right) = plt.subplots(1, 2, figsize=(14, 5.5), gridspec_kw={"width_ratios": [2.2, 1]})
    fig.suptitle(title, fontsize=13, x=0.01, ha="left")
    if not rows:
        left.text(0.5, 0.5, "no plan with an adoption date", ha="center", transform=left.transAxes)
        return Picture(fig, title, f"{title}: the graph holds no plan with an adoption date.")
    years = list(range(min(r["year"] for r in rows), max(r["year"] for r in rows) + 1))
    continents = sorted({r["continent"] for r in rows}, key=lambda c: (c == "unknown", c))
    bottom = [0] * len(years)
    for i, continent in enumerate(continents):
        counts = [sum(1 for r in rows if r["year"] == y and r["continent"] == continent) for y in years]
        left.bar(years, counts, bottom=bottom, color=PALETTE[i % len(PALETTE)], label=continent,
                 edgecolor="white", linewidth=0.5)
        bottom = [b + c for b, c in zip(bottom, counts)]
    left.set_xlabel("year of adoption (as the source states it)")
    left.set_ylabel("plans adopted")
    left.yaxis.get_major_locator().set_params(integer=True)
    left.set_xticks(years[::max(1, len(years) // 12)])
    left.legend(title="continent (UN M49)", loc="upper left", frameon=False, fontsize=9, title_fontsize=9)
    for side in ("top", "right"):
        left.spines[side].set_visible(False)
        right.spines[side].set_visible(False)
    by_region: dict[str, int] = {}
    colour_of = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(continents)}
    continent_of = {}
    for r in rows:
        by_region[r["region"]] = by_region.get(r["region"], 0) + 1
        continent_of[r["region"]] = r["continent"]
    ordered = sorted(by_region, key=lambda k: (by_region[k], k))
    right.barh(ordered, [by_region[k] for k in ordered], color=[colour_of[continent_of[k]] for k in ordered])
    for y, k in enumerate(ordered):
        right.text(by_region[k] + 0.1, y, str(by_region[k]), va="center", fontsize=9)
    right.set_title("all years, by UN sub-region", fontsize=10, loc="left")
    right.set_xlabel("plans adopted")
    right.tick_params(axis="y", labelsize=9)
    fig.tight_layout()
    peak = max(years, key=lambda y: (sum(1 for r in rows if r["year"] == y), -y))
    peak_n = sum(1 for r in rows if r["year"] == peak)
    per_continent = {c: sum(1 for r in rows if r["continent"] == c) for c in continents}
    alt = (f"{title}: {len({r['plan'] for r in rows})} plans with a stated adoption year, {years[0]}–{years[-1]}; "
           f"most in {peak} ({peak_n}); by continent: "
           + ", ".join(f"{c} {n}" for c, n in sorted(per_continent.items(), key=lambda x: -x[1]))
           + f"; largest sub-region: {ordered[-1]} ({by_region[ordered[-1]]}).")
    return Picture(fig, title, alt)
