"""The SPARQL protocol, without a web framework: request -> policy -> run -> answer.

``protocol`` (what a request asks), ``lexer`` and ``analysis`` (the query's tokens, what it
touches, how deep it nests), ``policy`` and ``egress`` (what a query may do, and the barrier that
reads no query), ``runner`` (time and memory limits on the engine thread), ``writers`` and
``results`` (answers in every format, chosen by :mod:`scidip_graph.rdf.negotiation`),
``cache``, ``service_description``, ``tokens`` and ``tokens_file`` (who may write, and
which graphs), and ``service`` (the endpoint's logic that the web layer,
the CLI and the tests call).

May import: store and the rooms below it. Never Flask.
"""
