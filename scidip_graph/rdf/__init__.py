"""RDF as bytes and text: the one format table, term notation, JSON-LD, serialisers.

``formats`` (every format's names, media types, suffix and Content-Type), ``negotiation`` (an
Accept header or ``format=`` -> a format, for every route and the CLI), ``notation`` (terms
and paths in reports), ``jsonld`` (the project's JSON-LD writer and context), ``exporters``
(deterministic dumps of any quad source in every format).

May import: errors, namespaces, resources, settings, and Werkzeug's header parsing. Knows
nothing of stores, SPARQL or web frameworks.
"""
