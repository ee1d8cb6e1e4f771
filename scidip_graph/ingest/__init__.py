"""Files into quads: parsing with file:line:column errors, SHACL validation and its report.

``loading`` (files -> quads, one named graph per source), ``validation`` (pyshacl, the report
people and programs read), ``gate`` (the SHACL gate: the state a change would give, validated
where the change lands; with ``reach``, the lookups shapes make, and ``views``, triples by
pattern over rdflib, pyoxigraph and a change), ``countries`` (the ISO 3166 data and shapes,
generated from pycountry by ``scidip-graph build-countries``).

May import: rdf and the rooms below it. Knows nothing of stores, SPARQL or HTTP.
"""
