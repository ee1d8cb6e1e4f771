"""The knowledge graph as a Python object: a store loaded with the bundled data.

>>> import scidip_graph
>>> kg = scidip_graph.open()                      # doctest: +SKIP
>>> kg.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # doctest: +SKIP
[{'n': 4143}]

Queries are read by the SPARQL endpoint's own lexer before the engine parses them, so a query
with a syntax error gets the same message here, from the command line and from ``/sparql``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from scidip_graph.errors import SparqlSyntaxError
from scidip_graph.ingest.loading import LoadedSources, load_sources
from scidip_graph.namespaces import RDF, XSD
from scidip_graph.sparql.analysis import analyse
from scidip_graph.sparql.syntax import explain_syntax_error
from scidip_graph.store import QueryResult, Store, open_store

_INTEGERS = frozenset(
    str(XSD[name])
    for name in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort",
        "unsignedByte",
    )
)  # fmt: skip
_FLOATS = frozenset({str(XSD.double), str(XSD.float)})
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


class IRI(str):
    """An IRI in a :meth:`KnowledgeGraph.select` row: a ``str`` that says it is one."""

    def __repr__(self) -> str:
        return f"IRI({super().__repr__()})"


class BlankNode(str):
    """A blank node in a :meth:`KnowledgeGraph.select` row: a ``str``, its label."""

    def __repr__(self) -> str:
        return f"BlankNode({super().__repr__()})"


class Literal(str):
    """A literal in a :meth:`KnowledgeGraph.select` row (other than a number or a boolean): a
    ``str``, its text, that keeps its language tag and datatype. It compares and hashes as its
    text.

    Attributes:
        language: the language tag (``"en"``), or None.
        datatype: the datatype IRI (``rdf:langString`` for a language-tagged string).

    >>> name = Literal("CERN", language="en")
    >>> name == "CERN", name.language, name.datatype
    (True, 'en', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString')
    """

    language: str | None
    datatype: str

    def __new__(
        cls, text: str, *, language: str | None = None, datatype: str | None = None
    ) -> Literal:
        literal = super().__new__(cls, text)
        literal.language = language or None
        literal.datatype = datatype or str(RDF.langString if language else XSD.string)
        return literal

    def __repr__(self) -> str:
        if self.language:
            return f"Literal({super().__repr__()}, language={self.language!r})"
        if self.datatype == str(XSD.string):
            return f"Literal({super().__repr__()})"
        return f"Literal({super().__repr__()}, datatype={self.datatype!r})"


@dataclass
class Stats:
    """Counts that describe the dataset.

    Attributes:
        statements: quads in the store (all graphs).
        graphs: triples per named graph (``""`` is the default graph).
        classes: instances per class (in the union of all graphs), largest first.
    """

    statements: int
    graphs: dict[str, int] = field(default_factory=dict)
    classes: dict[str, int] = field(default_factory=dict)


@dataclass
class KnowledgeGraph:
    """A store and the sources it was loaded from.

    Attributes:
        store: the store answering queries.
        sources: the parsed files (None when the store was filled another way).
    """

    store: Store
    sources: LoadedSources | None = None

    def query(self, sparql: str, **options: Any) -> QueryResult:
        """Run a SPARQL query; the default graph is the union of all graphs.

        Raises:
            SparqlSyntaxError: with the endpoint's message for the same query.
        """
        analyse(sparql)  # the endpoint's lexer first, as /sparql reads a query
        try:
            return self.store.query(sparql, **options)
        except SparqlSyntaxError as err:  # pointed at its cause, as /sparql does
            raise explain_syntax_error(err, sparql, base=options.get("base_iri")) from None

    def select(self, sparql: str) -> list[dict[str, Any]]:
        """Run a SELECT query; one dict per row, from variable name to a typed Python value.

        Values are as :func:`python_value` makes them: numbers and booleans as ``int``,
        ``Decimal``, ``float`` and ``bool``; every other literal as a :class:`Literal`, a
        ``str`` that keeps its ``language`` and ``datatype``; IRIs as :class:`IRI` and blank
        nodes as :class:`BlankNode`, both ``str``. Unbound variables are absent.

        >>> kg = KnowledgeGraph(sample_store)  # tests/data/sample.trig (conftest.py)
        >>> kg.select("SELECT ?name WHERE { ?c <http://schema.org/name> ?name "
        ...           "FILTER(lang(?name) = 'fr') } ORDER BY ?name")
        [{'name': Literal('CERN', language='fr')}, {'name': Literal('Suisse', language='fr')}]
        >>> kg.select("SELECT ?c ?n { ?c <https://w3id.org/scidip/ontology#statedMemberCount> ?n }")
        [{'c': IRI('https://w3id.org/scidip/id/organization/cern'), 'n': 23}]
        """
        result = self.query(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise TypeError("select() takes a SELECT query")
        names = [v.value for v in result.variables]
        return [{n: python_value(s[n]) for n in names if s[n] is not None} for s in result]

    def stats(self) -> Stats:
        """Triples per graph and instances per class."""
        graphs = {
            "": _count(self.store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_only=True)
        }
        for row in self.store.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        ):
            graphs[row["g"].value] = int(row["n"].value)
        classes = {
            row["c"].value: int(row["n"].value)
            for row in self.store.select(
                "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } "
                "GROUP BY ?c ORDER BY DESC(?n) ?c"
            )
        }
        return Stats(statements=len(self.store), graphs=graphs, classes=classes)


def python_value(term: Any) -> Any:
    """A pyoxigraph term as a Python value that keeps what the term says.

    Integers (of every XSD integer type) become ``int``, ``xsd:decimal`` ``Decimal``,
    ``xsd:double`` and ``xsd:float`` ``float``, ``xsd:boolean`` ``bool``; any other literal, or
    one whose text is not a valid value of its type, a :class:`Literal` with its language and
    datatype. IRIs become :class:`IRI`, blank nodes :class:`BlankNode`.

    >>> python_value(ox.Literal("1954", datatype=ox.NamedNode(str(XSD.gYear))))
    Literal('1954', datatype='http://www.w3.org/2001/XMLSchema#gYear')
    >>> python_value(ox.Literal("0.10", datatype=ox.NamedNode(str(XSD.decimal))))
    Decimal('0.10')
    """
    if isinstance(term, ox.NamedNode):
        return IRI(term.value)
    if isinstance(term, ox.BlankNode):
        return BlankNode(term.value)
    if not isinstance(term, ox.Literal):
        return term  # a triple term (RDF 1.2) stays a pyoxigraph Triple
    text, datatype = term.value, term.datatype.value
    try:
        if datatype in _INTEGERS:
            return int(text)
        if datatype == str(XSD.decimal):
            return Decimal(text)
        if datatype in _FLOATS:
            return float(text)
    except (ValueError, InvalidOperation):
        pass
    if datatype == str(XSD.boolean) and text in _BOOLEANS:
        return _BOOLEANS[text]
    return Literal(text, language=term.language, datatype=datatype)


def _count(store: Store, sparql: str, *, default_only: bool = False) -> int:
    rows = list(store.select(sparql, default_graph=[""] if default_only else None))
    return int(rows[0]["n"].value) if rows else 0


def open_graph(
    paths: Iterable[Path | str] | None = None, *, store: str = "embedded"
) -> KnowledgeGraph:
    """Load files (the bundled ``data/`` by default) into a new store.

    Args:
        paths: files or folders to load instead of the bundled data.
        store: the store backend's name (see ``scidip_graph.store.BACKENDS``).

    Raises:
        DataSyntaxError: when a file does not parse (file, line and column).
    """
    sources = load_sources(paths)
    backend = open_store(store)
    backend.add(sources.quads)
    return KnowledgeGraph(backend, sources)
