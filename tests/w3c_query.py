"""The W3C SPARQL query evaluation tests: their manifests read, their answers compared.

The cases are those of ``tests/suites/w3c-query/`` (the query evaluation folders of the SPARQL 1.1
suite and of the SPARQL 1.0 "data-r2" suite, from w3c/rdf-tests, unchanged; see its README).
Each file of a case is named by its IRI in the suite (``http://www.w3.org/2009/sparql/docs/
tests/data-sparql11/...``, ``http://www.w3.org/2001/sw/DataAccess/tests/data-r2/...``), which is
the base its relative IRIs resolve against and the name of the graph it is loaded into.

An answer is compared with the expected one as the suite's implementers do: solutions as a
multiset (a sequence when the query orders them), each solution's blank nodes only told apart
from other terms, not from each other (the same weakening for every engine compared); graphs by
isomorphism; CSV and TSV files as the rows they hold.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

from tests.conftest import TESTS

SUITE = TESTS / "suites" / "w3c-query"
BASES = {
    "sparql11": "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/",
    "dawg-data-r2": "http://www.w3.org/2001/sw/DataAccess/tests/data-r2/",
}
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
DAWGT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-dawg#")
RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")
RDF_TYPE = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
NOT_RUN = {DAWGT.Withdrawn, DAWGT.Rejected}
FROM = re.compile(r"\bFROM\s+(NAMED\s+)?<([^>]*)>", re.IGNORECASE)
RDF_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".nt": ox.RdfFormat.N_TRIPLES,
}


@dataclass(frozen=True)
class Case:
    """One query evaluation test.

    Attributes:
        id: the suite folder and the test's local name (``sparql11/aggregates/agg01``).
        query: the query file's IRI.
        data: the IRIs of the files that make the default graph.
        graph_data: the IRIs of the files that are named graphs.
        result: the expected result file's IRI.
        from_graphs: the IRIs the query's own FROM and FROM NAMED name (its own dataset).
    """

    id: str
    query: str
    data: tuple[str, ...]
    graph_data: tuple[str, ...]
    result: str
    from_graphs: tuple[str, ...]

    @property
    def text(self) -> str:
        """The query, with its file's IRI as its base (the suite runs it from its file)."""
        return f"BASE <{self.query}>\n" + local(self.query).read_text(encoding="utf-8")

    @property
    def files(self) -> tuple[str, ...]:
        """Every data file the case needs loaded, as a named graph of its IRI."""
        return tuple(dict.fromkeys((*self.data, *self.graph_data, *self.from_graphs)))

    @property
    def ordered(self) -> bool:
        return "ORDER BY" in re.sub(r"\s+", " ", self.text.upper())


def local(iri: str) -> Path:
    """The file of the suite an IRI names."""
    for folder, base in BASES.items():
        if iri.startswith(base):
            return SUITE / folder / iri[len(base) :]
    raise ValueError(f"not a file of the suite: {iri}")


def cases() -> list[Case]:
    """Every approved query evaluation test of the suite's manifests, in manifest order."""
    found: list[Case] = []
    for folder, base in BASES.items():
        for manifest in sorted((SUITE / folder).glob("*/manifest.ttl")):
            found.extend(_cases(manifest, f"{base}{manifest.parent.name}/", folder))
    return found


def _cases(manifest: Path, base: str, folder: str) -> Iterator[Case]:
    g = Graph().parse(manifest, format="turtle", publicID=f"{base}manifest.ttl")
    for entries in g.objects(None, MF.entries):
        for test in Collection(g, entries):
            if (test, RDF_TYPE, MF.QueryEvaluationTest) not in g:
                continue
            if g.value(test, DAWGT.approval) in NOT_RUN:
                continue
            action, result = g.value(test, MF.action), g.value(test, MF.result)
            query = g.value(action, QT.query)
            if query is None or result is None:
                continue
            text = local(str(query)).read_text(encoding="utf-8")
            named = tuple(
                urljoin(str(query), iri)
                for _, iri in FROM.findall(text)
                if urljoin(str(query), iri).startswith(tuple(BASES.values()))
            )
            yield Case(
                id=f"{folder}/{manifest.parent.name}/{str(test).rsplit('#', 1)[-1]}",
                query=str(query),
                data=tuple(sorted(str(d) for d in g.objects(action, QT.data))),
                graph_data=tuple(sorted(str(d) for d in g.objects(action, QT.graphData))),
                result=str(result),
                from_graphs=named,
            )


def quads_of(iri: str) -> list[ox.Quad]:
    """A data file's triples, as quads of the named graph of its IRI."""
    path, graph = local(iri), ox.NamedNode(iri)
    parsed = ox.parse(path=path, format=RDF_FORMATS[path.suffix], base_iri=iri)
    return [ox.Quad(q.subject, q.predicate, q.object, graph) for q in parsed]


# -- answers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    """An answer made comparable: a boolean, solutions, a graph, or rows of a CSV file."""

    kind: str  # "boolean", "solutions", "graph", "rows"
    value: object

    def same_as(self, other: Answer, *, ordered: bool) -> bool:
        if self.kind != other.kind:
            return False
        if self.kind == "graph":
            return isomorphic(self.value, other.value)  # type: ignore[arg-type]
        if self.kind in ("solutions", "rows") and not ordered:
            return Counter(self.value) == Counter(other.value)  # type: ignore[call-overload]
        return bool(self.value == other.value)


def _term(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:"
    return str(term)


def from_results(results: ox.QuerySolutions | ox.QueryBoolean) -> Answer:
    if isinstance(results, ox.QueryBoolean):
        return Answer("boolean", bool(results))
    names = [v.value for v in results.variables]
    rows = [tuple(sorted((n, _term(s[n])) for n in names if s[n] is not None)) for s in results]
    return Answer("solutions", tuple(rows))


def from_triples(triples: Iterable[ox.Triple | ox.Quad]) -> Answer:
    g = Graph()
    for t in triples:
        g.add((_rdflib(t.subject), _rdflib(t.predicate), _rdflib(t.object)))  # type: ignore[arg-type]
    return Answer("graph", g)


def from_csv(text: str, *, tab: bool) -> Answer:
    rows = list(csv.reader(io.StringIO(text), delimiter="\t" if tab else ","))
    if rows:  # columns in the order of their names: engines order SELECT * differently
        order = sorted(range(len(rows[0])), key=lambda i: rows[0][i])
        rows = [[row[i] for i in order if i < len(row)] for row in rows]
    rows = [["_:" if cell.startswith("_:") else cell for cell in row] for row in rows]
    return Answer("rows", (tuple(rows[0]), *(tuple(r) for r in rows[1:])) if rows else ())


def _rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> URIRef | BNode | Literal:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def expected(case: Case) -> Answer:
    """The answer the suite expects."""
    path = local(case.result)
    suffix = path.suffix
    if suffix in (".srx", ".srj"):
        fmt = ox.QueryResultsFormat.XML if suffix == ".srx" else ox.QueryResultsFormat.JSON
        return from_results(ox.parse_query_results(path=path, format=fmt))
    if suffix in (".csv", ".tsv"):
        return from_csv(path.read_text(encoding="utf-8"), tab=suffix == ".tsv")
    triples = list(ox.parse(path=path, format=RDF_FORMATS[suffix], base_iri=case.result))
    result_sets = [t.subject for t in triples if t.object == ox.NamedNode(str(RS.ResultSet))]
    if result_sets:
        return _result_set(triples)
    return from_triples(triples)


def _result_set(triples: list[ox.Triple]) -> Answer:
    """The solutions, or the boolean, of a result set written in the DAWG vocabulary."""

    def objects(s: object, p: str) -> list[ox.NamedNode | ox.BlankNode | ox.Literal]:
        return [t.object for t in triples if t.subject == s and t.predicate.value == p]

    root = next(t.subject for t in triples if t.object == ox.NamedNode(str(RS.ResultSet)))
    boolean = objects(root, str(RS.boolean))
    if boolean:
        return Answer("boolean", boolean[0].value == "true")  # type: ignore[union-attr]
    rows = []
    solutions = objects(root, str(RS.solution))
    indexed = []
    for solution in solutions:
        row = []
        for binding in objects(solution, str(RS.binding)):
            name = objects(binding, str(RS.variable))[0].value  # type: ignore[union-attr]
            row.append((name, _term(objects(binding, str(RS.value))[0])))  # type: ignore[arg-type]
        index = objects(solution, str(RS["index"]))
        indexed.append((int(index[0].value) if index else 0, tuple(sorted(row))))  # type: ignore[union-attr]
    rows = [row for _, row in sorted(indexed, key=lambda item: item[0])]
    return Answer("solutions", tuple(rows))


def reference(case: Case) -> Answer | str:
    """pyoxigraph's own answer on a store of its own (the dataset as the manifest gives it),
    or the error it raised."""
    store = ox.Store()
    for iri in case.files:
        store.extend(quads_of(iri))
    for iri in case.data:  # the default graph: the data files, merged
        store.extend(
            ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads_of(iri)
        )
    keep = set(case.graph_data) | set(case.from_graphs)
    for iri in case.files:
        if iri not in keep:
            store.clear_graph(ox.NamedNode(iri))
            store.remove_graph(ox.NamedNode(iri))
    try:
        result = store.query(case.text)
    except (SyntaxError, OSError, RuntimeError, ValueError) as err:
        return f"{type(err).__name__}: {err}"
    if isinstance(result, ox.QueryTriples):
        return from_triples(result)
    suffix = local(case.result).suffix
    if suffix in (".csv", ".tsv"):
        fmt = ox.QueryResultsFormat.CSV if suffix == ".csv" else ox.QueryResultsFormat.TSV
        text = result.serialize(format=fmt).decode()  # type: ignore[union-attr]
        return from_csv(text, tab=suffix == ".tsv")
    return from_results(result)  # type: ignore[arg-type]
