"""Query results in every format: SPARQL results (JSON, XML, CSV, TSV), RDF, and a text table.

>>> from scidip_graph.store import OxigraphStore
>>> store = OxigraphStore()
>>> print(render_table(store.query('SELECT ?x WHERE { VALUES ?x { "a" <http://schema.org/b> } }')))
x
--------
"a"
schema:b
"""

from __future__ import annotations

import io
from typing import Any

import pyoxigraph as ox

from scidip_graph.namespaces import XSD, compact
from scidip_graph.rdf.formats import Format, get_format
from scidip_graph.sparql.writers import write_result
from scidip_graph.store import QueryResult


def result_kind(result: QueryResult) -> str:
    """What a result is, as negotiation names it: ``results`` (SELECT), ``boolean`` (ASK),
    ``graph`` (CONSTRUCT, DESCRIBE)."""
    if isinstance(result, ox.QueryTriples):
        return "graph"
    return "boolean" if isinstance(result, ox.QueryBoolean) else "results"


def serialize_result(result: QueryResult, format: str | Format) -> bytes:
    """Serialise a whole query result in a format that suits it.

    Raises:
        NotAcceptableError: when the format does not suit the result (e.g. CSV for CONSTRUCT).
    """
    fmt = format if isinstance(format, Format) else get_format(format)
    out = io.BytesIO()
    write_result(result, fmt, out)
    return out.getvalue()


def term_text(term: Any) -> str:
    """A term as Turtle-like text, IRIs compacted with the project prefixes."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        short = compact(term.value)
        return short if short != term.value else f"<{term.value}>"
    if isinstance(term, ox.Literal):
        if term.language or term.datatype.value == _STRING:
            return str(term)
        if term.datatype.value in _PLAIN_DATATYPES:
            return term.value
        return f'"{term.value}"^^{compact(term.datatype.value)}'
    return str(term)


_STRING = str(XSD.string)
_PLAIN_DATATYPES = {str(XSD.integer), str(XSD.decimal), str(XSD.boolean)}


def result_rows(result: QueryResult) -> tuple[list[str], list[list[str]]]:
    """Variables and rows of text, for tables and tests."""
    if isinstance(result, ox.QueryBoolean):
        return ["result"], [["true" if bool(result) else "false"]]
    if isinstance(result, ox.QueryTriples):
        return ["subject", "predicate", "object"], [
            [term_text(t.subject), term_text(t.predicate), term_text(t.object)] for t in result
        ]
    variables = [v.value for v in result.variables]
    return variables, [[term_text(s[v]) for v in variables] for s in result]


def render_table(result: QueryResult) -> str:
    """A plain-text table of a result."""
    header, rows = result_rows(result)
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)
