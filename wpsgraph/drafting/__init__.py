"""The drafting assistant: a first Turtle draft of a new source, linked to what the graph already knows.

text (header, sentences) → link (mentions of known resources) → dates, cues (kinds, roles, titles, counts)
→ assemble (resources and statements, each with its sentence and a certainty) → turtle (the draft and the
review list). ``draft()`` is the one entry point; the CLI only passes arguments to it.
"""

from wpsgraph.drafting.assemble import Draft, draft  # noqa: E402

__all__ = ["Draft", "draft"]
