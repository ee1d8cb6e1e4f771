"""Micro-benchmark: the policy check on realistic queries, next to rdflib's SPARQL parser.

Run: ``/tmp/venv/bin/python bench/bench_policy.py [runs]``. Prints medians in microseconds.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

from rdflib.plugins.sparql.parser import parseQuery

from scidip_graph.sparql.lexer import tokenize
from scidip_graph.sparql.policy import Policy, check

PREFIXES = (
    "PREFIX sd: <https://w3id.org/scidip/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
)
QUERIES = {
    "lookup": "SELECT ?p ?o WHERE { <https://w3id.org/scidip/id/cern> ?p ?o } LIMIT 100",
    "typical (~300 chars)": PREFIXES + "SELECT ?a ?label (COUNT(?c) AS ?n) WHERE {\n"
    "  ?a a sd:Agreement ; rdfs:label ?label ; sd:party ?c .\n"
    "  FILTER(LANGMATCHES(LANG(?label), 'en'))\n"
    "} GROUP BY ?a ?label ORDER BY DESC(?n) LIMIT 20",
    "3-hop with paths": PREFIXES + "SELECT DISTINCT ?x ?y WHERE {\n"
    "  ?x sd:memberOf+/sd:partOf ?o . ?o (sd:hosts|^sd:hostedBy) ?y .\n"
    '  OPTIONAL { ?y rdfs:label ?l FILTER(STRSTARTS(STR(?l), "Sci")) }\n'
    "  VALUES ?kind { sd:Programme sd:Fellowship } ?y a ?kind .\n"
    "  BIND(YEAR(NOW()) - 10 AS ?since)  # a comment\n"
    "} LIMIT 100",
}


def median_us(function: Callable[[], object], runs: int) -> float:
    """Median wall time of ``function`` in microseconds over ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def main(runs: int = 2000) -> None:
    """Time tokenize(), check() and rdflib's parseQuery() on each query; print a table."""
    policy = Policy()
    print(f"{'query':24} {'chars':>6} {'tokens':>6} {'tokenize':>10} {'check':>10} {'rdflib':>10}")
    for name, query in QUERIES.items():
        check(query, policy)  # warm up, and fail loudly if the policy refuses it
        lexed = median_us(lambda q=query: tokenize(q), runs)
        checked = median_us(lambda q=query: check(q, policy), runs)
        rdflib = median_us(lambda q=query: parseQuery(q), max(runs // 50, 20))
        print(
            f"{name:24} {len(query):>6} {len(tokenize(query)):>6} {lexed:>8.1f}us "
            f"{checked:>8.1f}us {rdflib:>8.0f}us  (rdflib/check: {rdflib / checked:.0f}x)"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
