"""Curator tools without a web framework: reconciliation of names against the graph, the
history of writes and their revert.

A room of its own between ``web`` and ``sparql | pages``: it reads the store and the pages'
helpers, and writes through the one write core (:func:`scidip_graph.sparql.update.commit_change`).

- :mod:`.names`: how names and identifiers are compared (accents, case, punctuation, order).
- :mod:`.index`: every name, alternate name, label and identifier of the graph, indexed once
  per data version.
- :mod:`.reconcile`: the W3C Entity Reconciliation Service API (manifest, queries, suggest,
  preview), the per-cell API the spreadsheet import calls (:func:`.reconcile.reconcile_one`).
- :mod:`.extend`: data extension (property proposals and values).
- :mod:`.history`: the change log as pages and a feed, one change's diff, revert.
"""
