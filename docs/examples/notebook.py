"""wpsgraph from Python: the same steps a notebook takes. Run it with `python docs/examples/notebook.py`
(a test executes it, so it stays true)."""

from wpsgraph.api import Graph

g = Graph.open()  # the shipped data, loaded and reasoned in memory; Graph.open("build") opens a build instead

# Find by name: labels in every language, acronyms, small misspellings
for match in g.find("USNORTHCOM", limit=2):
    print(match.iri, match.label, match.score)

# A canned query, the parameter given by name, as a DataFrame with typed columns
timeline = g.frame("country-timeline", country="Mexico")
print(timeline[["date", "date_precision", "date_date", "kind", "itemLabel"]].to_string())

# Sort on the resolved date, keep the stated form beside it
print(timeline.dropna(subset=["date_date"]).sort_values("date_date")[["date", "itemLabel"]].to_string())

# An ad-hoc query: the project's prefixes need not be declared
plans = g.frame("""
SELECT ?country (COUNT(DISTINCT ?plan) AS ?plans) WHERE {
  ?plan a wps:NationalActionPlan ; wps:country ?country .
} GROUP BY ?country ORDER BY DESC(?plans) ?country LIMIT 5""")
print(plans.dtypes.to_dict())
print(plans.to_string())

# Labels in Spanish where the data has them
print(g.frame("national-action-plans", lang="es")[["country", "countryLabel"]].drop_duplicates().head(3).to_string())

# Rows as plain Python values
print(g.rows("events-of-actor", actor="organisation:usnorthcom")[0])
