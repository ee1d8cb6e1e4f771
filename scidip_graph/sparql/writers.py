"""Streaming writers of query results, with a row cap.

SELECT results are written here rather than by pyoxigraph's serialiser so that a result can
stop at the row cap and say so. CONSTRUCT and DESCRIBE results go through pyoxigraph's RDF
serialisers (JSON-LD through the project's compact writer), capped the same way.

>>> import io
>>> from scidip_graph.store import OxigraphStore
>>> from scidip_graph.rdf.formats import get_format
>>> out = io.BytesIO()
>>> r = write_result(OxigraphStore().query("SELECT ?x { VALUES ?x { 1 2 3 } }"),
...                  get_format("tsv"), out, max_rows=2)
>>> (r.rows, r.capped, out.getvalue())
(2, True, b'?x\\n1\\n2\\n')
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from json.encoder import encode_basestring as _quote  # C-accelerated
from typing import Any, BinaryIO
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from scidip_graph.errors import NotAcceptableError
from scidip_graph.namespaces import PREFIXES, SPARQL_RESULTS, XSD
from scidip_graph.rdf.formats import Format
from scidip_graph.rdf.jsonld import jsonld_bytes
from scidip_graph.sparql.native import drops_its_result
from scidip_graph.store import QueryResult

XSD_STRING = str(XSD.string)
XSD_INTEGER = str(XSD.integer)


@dataclass(frozen=True)
class WriteReport:
    """What was written: rows (or triples), and which cap cut the result (None: complete).

    ``capped_by`` is ``"rows"`` or ``"bytes"``.
    """

    rows: int
    capped_by: str | None = None

    @property
    def capped(self) -> bool:
        """Whether a cap cut the result."""
        return self.capped_by is not None


@drops_its_result
def write_result(
    result: QueryResult,
    fmt: Format,
    out: BinaryIO,
    *,
    max_rows: int | None = None,
    max_bytes: int | None = None,
) -> WriteReport:
    """Write a query result in a format; stop after ``max_rows`` rows or triples, or at the
    first row that ends past ``max_bytes`` bytes (the document is then closed properly).

    Raises:
        NotAcceptableError: when the format cannot carry this kind of result.
    """
    if isinstance(result, ox.QueryBoolean):
        writer = _BOOLEAN_WRITERS.get(fmt.name)
        if writer is None:
            raise NotAcceptableError(f"an ASK result cannot be written as {fmt.media_type}")
        out.write(writer(bool(result)))
        return WriteReport(1)
    if isinstance(result, ox.QueryTriples):
        if fmt.kind not in ("graph", "dataset"):
            raise NotAcceptableError(
                f"a CONSTRUCT or DESCRIBE result cannot be written as {fmt.media_type}"
            )
        return _write_triples(result, fmt, out, _Counter(result, max_rows, out, max_bytes))
    solutions_writer = _SOLUTION_WRITERS.get(fmt.name)
    if solutions_writer is None:
        raise NotAcceptableError(f"a SELECT result cannot be written as {fmt.media_type}")
    variables = [v.value for v in result.variables]
    counter = _Counter(result, max_rows, out, max_bytes)
    solutions_writer(variables, counter, out)
    return WriteReport(counter.rows, counter.capped_by)


class _Counter:
    """Iterates solutions up to the caps, counting, and notes which cap stopped it.

    The byte cap is read on ``out`` (its ``size``, or ``tell()``) before each row, so the
    result ends with the first row that passes it; for JSON-LD, written at the end in one go,
    the triples' own length stands for the output's.
    """

    def __init__(
        self, items: Any, cap: int | None, out: Any = None, max_bytes: int | None = None
    ) -> None:
        self._items, self._cap = iter(items), cap
        self._max_bytes = max_bytes if out is not None else None
        self._out = out
        self.rows = 0
        self.capped_by: str | None = None
        self.estimate = 0  # bytes of the items, for writers that write at the end

    def written(self) -> int:
        size = getattr(self._out, "size", None)
        return (int(size) if size is not None else int(self._out.tell())) + self.estimate

    def __iter__(self) -> Iterator[Any]:
        cap, max_bytes = self._cap, self._max_bytes
        for item in self._items:
            if cap is not None and self.rows >= cap:
                self.capped_by = "rows"
                return
            if max_bytes is not None and self.written() >= max_bytes:
                self.capped_by = "bytes"
                return
            self.rows += 1
            yield item


def _write_triples(
    result: ox.QueryTriples, fmt: Format, out: BinaryIO, counter: _Counter
) -> WriteReport:
    if fmt.name == "jsonld":
        # The project's one JSON-LD writer (it orders the output itself).
        quads = []
        for t in counter:
            quads.append(ox.Quad(t.subject, t.predicate, t.object))
            counter.estimate += len(str(t))
        out.write(jsonld_bytes(quads))
    else:
        prefixes = PREFIXES if fmt.name in ("turtle", "trig") else None
        ox.serialize(
            counter, out, format=getattr(ox.RdfFormat, fmt.oxigraph or ""), prefixes=prefixes
        )
    return WriteReport(counter.rows, counter.capped_by)


# --- SPARQL 1.1 Query Results JSON ---------------------------------------------------------


def _json_term(term: Any) -> str:
    """One RDF term as SPARQL JSON text, built from C-escaped strings (this is the hot path)."""
    if isinstance(term, ox.NamedNode):
        return '{"type":"uri","value":' + _quote(term.value) + "}"
    if isinstance(term, ox.Literal):
        value = _quote(term.value)
        if term.language:
            return (
                '{"type":"literal","value":' + value + ',"xml:lang":' + _quote(term.language) + "}"
            )
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return '{"type":"literal","value":' + value + "}"
        return '{"type":"literal","value":' + value + ',"datatype":' + _quote(datatype) + "}"
    if isinstance(term, ox.BlankNode):
        return '{"type":"bnode","value":' + _quote(term.value) + "}"
    return (
        '{"type":"triple","value":{"subject":'
        + _json_term(term.subject)
        + ',"predicate":'
        + _json_term(term.predicate)
        + ',"object":'
        + _json_term(term.object)
        + "}}"
    )


def _write_json(variables: list[str], solutions: Any, out: BinaryIO) -> None:
    keys = [(name, _quote(name) + ":") for name in variables]
    out.write(
        b'{"head":{"vars":['
        + ",".join(_quote(v) for v, _ in keys).encode()
        + b']},"results":{"bindings":['
    )
    separator = ""
    for solution in solutions:
        fields = []
        for name, key in keys:
            term = solution[name]
            if term is not None:
                fields.append(key + _json_term(term))
        out.write((separator + "{" + ",".join(fields) + "}").encode())
        separator = ",\n"
    out.write(b"]}}\n")


# --- SPARQL Query Results XML ----------------------------------------------------------------


def _xml_term(term: Any) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.Literal):
        value = escape(term.value)
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{value}</literal>"
        if term.datatype.value == XSD_STRING:
            return f"<literal>{value}</literal>"
        return f"<literal datatype={quoteattr(term.datatype.value)}>{value}</literal>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    return (
        f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>"
        f"{_xml_term(term.predicate)}</predicate><object>{_xml_term(term.object)}"
        "</object></triple>"
    )


_XML_HEAD = f'<?xml version="1.0"?>\n<sparql xmlns="{SPARQL_RESULTS}">\n'


def _write_xml(variables: list[str], solutions: Any, out: BinaryIO) -> None:
    head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
    out.write(f"{_XML_HEAD}<head>{head}</head>\n<results>\n".encode())
    for solution in solutions:
        bindings = "".join(
            f"<binding name={quoteattr(name)}>{_xml_term(solution[name])}</binding>"
            for name in variables
            if solution[name] is not None
        )
        out.write(f"<result>{bindings}</result>\n".encode())
    out.write(b"</results>\n</sparql>\n")


# --- CSV and TSV -------------------------------------------------------------------------------


def _csv_field(text: str) -> str:
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_term(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return _csv_field(term.value)
    return _csv_field(_csv_triple(term))


def _csv_triple(term: Any) -> str:
    """A triple term as SPARQL 1.2 CSV has it: ``<<( s p "o" )>>``, literals always quoted.

    >>> t = ox.Triple(ox.NamedNode("http://s"), ox.NamedNode("http://p"), ox.Literal("a, b"))
    >>> print(_csv_term(t))
    "<<( http://s http://p ""a, b"" )>>"
    """
    if isinstance(term, ox.Triple):
        parts = (_csv_triple(term.subject), term.predicate.value, _csv_triple(term.object))
        return "<<( " + " ".join(parts) + " )>>"
    if isinstance(term, ox.Literal):
        return '"' + term.value.replace('"', '""') + '"'
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term.value)


def _write_csv(variables: list[str], solutions: Any, out: BinaryIO) -> None:
    out.write((",".join(_csv_field(v) for v in variables) + "\r\n").encode())
    for solution in solutions:
        out.write((",".join(_csv_term(solution[v]) for v in variables) + "\r\n").encode())


def _tsv_term(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.Triple):
        parts = (_tsv_term(term.subject), _tsv_term(term.predicate), _tsv_term(term.object))
        return "<<( " + " ".join(parts) + " )>>"
    if isinstance(term, ox.Literal) and term.datatype.value == XSD_INTEGER and not term.language:
        return term.value  # the spec's abbreviated form for integers
    return str(term)  # N-Triples syntax: strings are escaped, so no raw tab or newline


def _write_tsv(variables: list[str], solutions: Any, out: BinaryIO) -> None:
    out.write(("\t".join(f"?{v}" for v in variables) + "\n").encode())
    for solution in solutions:
        out.write(("\t".join(_tsv_term(solution[v]) for v in variables) + "\n").encode())


_SOLUTION_WRITERS: dict[str, Callable[[list[str], Any, BinaryIO], None]] = {
    "json": _write_json,
    "xml-results": _write_xml,
    "csv": _write_csv,
    "tsv": _write_tsv,
}

_BOOLEAN_WRITERS: dict[str, Callable[[bool], bytes]] = {
    "json": lambda b: b'{"head":{},"boolean":' + (b"true" if b else b"false") + b"}\n",
    "xml-results": lambda b: (
        f"{_XML_HEAD}<head/>\n<boolean>{'true' if b else 'false'}</boolean>\n</sparql>\n"
    ).encode(),
}
