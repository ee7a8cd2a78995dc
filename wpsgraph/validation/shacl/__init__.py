"""The set-based SHACL engine: shapes compiled to set evaluations over the Oxigraph store."""
