"""The set-based SHACL engine: shapes compiled to set evaluations over the Oxigraph store.

``graph`` reads the shapes graph, ``paths`` the property paths, ``shapes`` compiles the shapes, ``data`` reads
the data graph set at a time, ``engine`` runs targets and nested shapes; the constraint components are one module
per section of the SHACL specification: ``value_type`` (4.1), ``cardinality`` (4.2), ``value_range`` (4.3),
``string_based`` (4.4), ``property_pair`` (4.5), ``logical`` (4.6), ``shape_based`` (4.7), ``other`` (4.8) and
``sparql`` (5, SPARQL-based constraints).
"""

from wpsgraph.validation.shacl.data import Data
from wpsgraph.validation.shacl.engine import Engine, validate
from wpsgraph.validation.shacl.graph import ShapesGraph, Unsupported, load_shapes
from wpsgraph.validation.shacl.paths import path_sparql, path_text
from wpsgraph.validation.shacl.shapes import Compiled, Result, Shape

__all__ = ["Compiled", "Data", "Engine", "Result", "Shape", "ShapesGraph", "Unsupported", "load_shapes",
           "path_sparql", "path_text", "validate"]
