"""What the pages say, computed from the store: no Flask, no HTML.

``resource`` and ``page_model`` (everything a resource page shows), ``presentation`` (labels,
sections, external identifiers), ``readers`` (small store readers the pages share),
``catalogue`` (counts, classes, search, the concept scheme), ``ontology_docs``, ``void`` (VoID
and DCAT), ``dumps`` (the downloadable files, generated once per data version).

May import: store and the rooms below it. Never Flask.
"""
