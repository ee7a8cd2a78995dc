"""Pictures of the graph: a country's or an actor's timeline, the network around an actor, a country or a theme,
and National Action Plan adoptions per year and region. Each is a matplotlib figure saved as SVG (with <title>
and <desc> for screen readers) or PNG (Title and Description text chunks); each comes with its alt text.

The data come from SPARQL over the reasoned graph, the focus bound as an RDF term (``wpsgraph.query.sparql``).
"""

from wpsgraph.plots.common import Picture, save
from wpsgraph.plots.naps import naps
from wpsgraph.plots.network import network
from wpsgraph.plots.timeline import timeline

__all__ = ["Picture", "naps", "network", "save", "timeline"]
