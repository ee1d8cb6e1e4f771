"""Small store readers the pages share: rows of a SELECT, labels of IRIs, graph sources.

No Flask. IRIs put into a query are :class:`pyoxigraph.NamedNode` values written with
``str()``, which yields a well-formed ``<...>`` (pyoxigraph refuses invalid IRIs).

>>> store = sample_store  # tests/data/sample.trig, given to the examples by conftest.py
>>> label_map(store, {"https://w3id.org/scidip/id/organization/cern"})
{'https://w3id.org/scidip/id/organization/cern': 'CERN'}
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from scidip_graph.namespaces import DCTERMS, PROV, RDFS, SCHEMA, SD, SKOS
from scidip_graph.store import Store

LABEL_PROPERTIES = tuple(str(p) for p in (SCHEMA.name, SKOS.prefLabel, DCTERMS.title, RDFS.label))
_CHUNK = 400


def rows(store: Store, sparql: str) -> list[dict[str, Any]]:
    """The solutions of a SELECT query as dicts of pyoxigraph terms (None when unbound)."""
    result = store.query(sparql)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError("rows() takes a SELECT query")
    names = [v.value for v in result.variables]
    return [{n: s[n] for n in names} for s in result]


def values(iris: Iterable[str]) -> str:
    """IRIs as the body of a SPARQL ``VALUES`` block (each checked by pyoxigraph).

    >>> values(["http://a.org/x"])
    '<http://a.org/x>'
    """
    return " ".join(str(ox.NamedNode(i)) for i in iris)


def label_map(store: Store, iris: Iterable[str], *, lang: str = "en") -> dict[str, str]:
    """The best label of each IRI: a name or preferred label in ``lang``, else without a
    language tag, else in any language; IRIs without a label are left out."""
    todo = sorted(set(iris))
    best: dict[str, tuple[int, str]] = {}
    props = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    for start in range(0, len(todo), _CHUNK):
        chunk = todo[start : start + _CHUNK]
        query = (
            f"SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {values(chunk)} }} "
            f"VALUES ?p {{ {props} }} ?x ?p ?l }}"
        )
        for r in rows(store, query):
            label = r["l"]
            if not isinstance(label, ox.Literal):
                continue
            ranked = label_rank(r["p"].value, label, lang=lang)
            key = r["x"].value
            if key not in best or ranked < best[key]:
                best[key] = ranked
    return {k: v for k, (_, v) in best.items()}


def label_rank(prop: str, label: ox.Literal, *, lang: str = "en") -> tuple[int, str]:
    """How good a label is, lowest best: by its property's place in :data:`LABEL_PROPERTIES`,
    then ``lang``, no language tag, another language; then the text.

    >>> label_rank(str(SCHEMA.name), ox.Literal("CERN", language="en"))
    (0, 'CERN')
    """
    rank = LABEL_PROPERTIES.index(prop) * 3
    rank += 0 if label.language == lang else 1 if not label.language else 2
    return rank, label.value


def treaty_party_labels(store: Store, iris: Iterable[str]) -> dict[str, str]:
    """A label for each nameless ``sd:TreatyParty`` among ``iris``: ``Italy: party to X``."""
    iris = set(iris)
    if not iris:
        return {}
    query = f"""
SELECT ?tp ?party ?treaty WHERE {{
  VALUES ?tp {{ {values(iris)} }}
  ?tp a <{SD.TreatyParty}> ; <{SD.party}> ?party ; <{SD.treaty}> ?treaty .
}}"""
    found = rows(store, query)
    names = label_map(store, {r[k].value for r in found for k in ("party", "treaty")})
    return {
        r["tp"].value: (
            f"{names.get(r['party'].value, r['party'].value)}: party to "
            f"{names.get(r['treaty'].value, r['treaty'].value)}"
        )
        for r in found
    }


@dataclass
class Document:
    """A source document a graph was derived from."""

    iri: str
    title: str
    url: str | None = None


@dataclass
class SourceRef:
    """A named graph (``""``: the dataset's own default graph) and its source documents."""

    graph: str
    title: str
    documents: list[Document] = field(default_factory=list)
    number: int = 0
    """Its footnote number, the same on every page (:func:`graph_numbers`)."""

    @property
    def short(self) -> str:
        """The graph's local name (``article``), or ``default`` for the default graph."""
        return self.graph.rstrip("/").rsplit("/", 1)[-1] if self.graph else "default"


def graph_numbers(store: Store) -> dict[str, int]:
    """The footnote number of every graph, the same on every page of the site: the named
    graphs from 1 in the order of their IRIs, the dataset's default graph 0.

    >>> numbers = graph_numbers(sample_store)
    >>> numbers[""], sorted(numbers.values()) == list(range(len(numbers)))
    (0, True)
    """
    return {"": 0} | {g: i for i, g in enumerate(sorted(store.graph_names()), 1)}


def graph_sources(store: Store, graphs: Iterable[str]) -> list[SourceRef]:
    """Each graph with its title, the documents it was derived from and its footnote number
    (:func:`graph_numbers`), in the given order."""
    graphs = list(dict.fromkeys(graphs))
    numbers = graph_numbers(store)
    named = [g for g in graphs if g]
    found: dict[str, SourceRef] = {}
    if named:
        query = f"""
SELECT ?g ?title ?doc ?dtitle ?url WHERE {{
  VALUES ?g {{ {values(named)} }}
  OPTIONAL {{ ?g <{DCTERMS.title}> ?title }}
  OPTIONAL {{ ?g <{PROV.wasDerivedFrom}> ?doc .
             OPTIONAL {{ ?doc <{DCTERMS.title}> ?dtitle }}
             OPTIONAL {{ ?doc <{SCHEMA.url}> ?url }} }}
}} ORDER BY ?g ?doc"""
        for r in rows(store, query):
            g = r["g"].value
            ref = found.setdefault(g, SourceRef(g, r["title"].value if r["title"] else g))
            if r["doc"] is not None and all(d.iri != r["doc"].value for d in ref.documents):
                doc = r["doc"].value
                title = r["dtitle"].value if r["dtitle"] is not None else doc
                ref.documents.append(Document(doc, title, r["url"].value if r["url"] else None))
    result = []
    for g in graphs:
        if g:
            ref = found.get(g, SourceRef(g, g))
        else:
            ref = SourceRef("", "The dataset's description of its sources (default graph)")
        ref.number = numbers.get(g, 0)
        result.append(ref)
    return result
