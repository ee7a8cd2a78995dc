"""Stage 4 — query: the canned questions and ad-hoc SPARQL over the graph.

The public API of the stage; the parts live in ``catalogue`` (the .rq files and their headers), ``sparql``
(query text: parameters bound in a VALUES block), ``order`` (ORDER BY in Python), ``run`` (answering on
Oxigraph or rdflib) and ``render`` (table, csv, tsv, json).
"""

from wpsgraph.query.catalogue import PARAM_KINDS, Param, Query, catalogue, find, read_query
from wpsgraph.query.render import FORMATS, render, term_text, terminal_width
from wpsgraph.query.run import Result, open_db, run, run_rdflib
from wpsgraph.query.sparql import bindings, expand_iri, query_text, term_for

__all__ = ["FORMATS", "PARAM_KINDS", "Param", "Query", "Result", "bindings", "catalogue", "expand_iri", "find",
           "open_db", "query_text", "read_query", "render", "run", "run_rdflib", "term_for", "term_text",
           "terminal_width"]
