"""wpsgraph: the Women, Peace and Security knowledge graph.

Pipeline stages, one module each: ``load`` → ``reason`` → ``validate`` → ``query``;
``build`` runs them in order and writes the outputs; ``cli`` is a thin layer over them.
"""

__version__ = "0.1.0"
