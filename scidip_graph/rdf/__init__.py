"""RDF as bytes and text: the one format table, term notation, JSON-LD, serialisers.

``formats`` (every format's names, media types, suffixes), ``notation`` (terms and paths in
reports), ``jsonld`` (the project's JSON-LD writer and context), ``exporters`` (deterministic
dumps of any quad source in every format).

May import: errors, namespaces, resources, settings. Knows nothing of stores, SPARQL or HTTP.
"""
