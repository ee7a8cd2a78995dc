"""SHACL 4.1, value type constraint components."""

from __future__ import annotations

import pyoxigraph as ox

from wpsgraph.validation.shacl.base import EngineBase
from wpsgraph.validation.shacl.data import ill_typed
from wpsgraph.validation.shacl.graph import RDF_LANGSTRING


class ValueTypeConstraints(EngineBase):
    """SHACL 4.1, value type constraint components: ``sh:class`` (each value node is a SHACL instance
    of the class), ``sh:datatype`` (each value node is a well-formed literal of the datatype), ``sh:nodeKind`` (each
    value node is of the node kind)."""

    def _v_class(self, cls, values):
        return values.distinct() - self.data.instances(cls)

    def _v_datatype(self, dt, values):
        def ok(v):
            if not isinstance(v, ox.Literal):
                return False
            if dt == RDF_LANGSTRING:
                return v.language is not None
            if v.language is not None:
                return False
            return v.datatype == dt and not ill_typed(v)
        return {v for v in values.distinct() if not ok(v)}

    def _v_nodeKind(self, kind, values):
        allowed = {
            "BlankNode": (ox.BlankNode,), "IRI": (ox.NamedNode,), "Literal": (ox.Literal,),
            "BlankNodeOrIRI": (ox.BlankNode, ox.NamedNode), "BlankNodeOrLiteral": (ox.BlankNode, ox.Literal),
            "IRIOrLiteral": (ox.NamedNode, ox.Literal),
        }[kind.value.rsplit("#", 1)[-1]]
        return {v for v in values.distinct() if not isinstance(v, allowed)}
