"""Incremental builds: bring an existing build folder up to date when only some data files changed.

A full build records, in its manifest, a content hash of every input (ontology, shapes, each data file with its
graph) and the country codes the files mention (``plan``). An update compares them with the files given now; when
only data files were added, edited or removed it works on a copy of the previous build (the store is copied as a
RocksDB checkpoint, hard links, so the copy is cheap) and swaps the copy in at the end, so an interrupted update
leaves the previous build as it was (``update``, which runs the stages below in order):

1. **asserted graphs**: each changed file is parsed by ``load`` (same checks and errors as a full build) and its
   graph replaced, by the difference of its statements (the generated countries graph is regenerated for the new
   set of country codes and replaced the same way);
2. **entailments** (``maintain``): maintained by delete-and-rederive over the compiled OWL RL rules of ``reason``,
   kept with the build in ``incremental.json`` (``state``);
3. **validation**: only the focus nodes whose results can differ are validated again. From the compiled shapes
   come the ways a shape reads the data from its focus node (``patterns``); a changed statement is walked back
   along them, before and after the change, to the focus nodes that read it (``focus``). Their old results are
   replaced by new ones; every other result stands (``reports``);
4. **dumps** (``dumps``): ``dataset.trig`` and ``inferred.ttl`` are spliced (the blocks of changed graphs, or of
   subjects whose inferred statements changed, are written anew; the rest is copied), the manifest updated.

An ontology or shapes change, a different wpsgraph or base, files moved or reordered, schema statements in the
data (the owlrl fallback) or a previous build made without these records fall back to a full build, and the
build says why. ``tests/test_incremental.py`` holds the result to a full rebuild over random edits.
"""

from wpsgraph.pipeline.incremental.plan import manifest_inputs
from wpsgraph.pipeline.incremental.state import write_state
from wpsgraph.pipeline.incremental.update import try_update

__all__ = ["manifest_inputs", "try_update", "write_state"]
