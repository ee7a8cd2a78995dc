"""The graph behind and in front of SPARQL servers: serve (Oxigraph's server), remote (any SPARQL 1.1 endpoint),
push (any Graph Store Protocol store)."""
