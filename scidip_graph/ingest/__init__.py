"""Files into quads: parsing with file:line:column errors, SHACL validation and its report.

``loading`` (files -> quads, one named graph per source), ``validation`` (pyshacl, the report
people and programs read), ``countries`` (the ISO 3166 data and shapes, generated from
pycountry by ``scidip-graph build-countries``).

May import: rdf and the rooms below it. Knows nothing of stores, SPARQL or HTTP.
"""
