"""The W3C Entity Reconciliation Service API (version 0.2, as OpenRefine 3.x speaks it),
without a web framework.

- :func:`manifest`: what the service offers (its id space is the graph's IRIs; ``view`` is the
  IRI itself, which resolves);
- :func:`parse_queries` and :func:`reconcile_batch`: a batch ``{"q0": {"query", "type",
  "limit", "properties", "type_strict"}}`` in, ``{"q0": {"result": [{"id", "name", "type",
  "score", "match", "description"}]}}`` out;
- :func:`reconcile_one`: one cell, for the spreadsheet import and the forms (plain
  :class:`~scidip_graph.curation.index.Candidate` values);
- :func:`suggest_entities`, :func:`suggest_types`, :func:`suggest_properties`: prefix
  search for autocomplete;
- :func:`preview`: what the small HTML card of a resource shows.

Scores and the match rule are :mod:`.index`'s. ``type`` keeps only candidates of the class
(or one of the classes) named, whatever ``type_strict`` says. Each of ``properties`` that
the candidate's own values agree with adds :data:`PROPERTY_BONUS` to its score (at most 100);
one it has values for, none of them agreeing, takes :data:`PROPERTY_PENALTY` off. A value
agrees when it is the same resource (an ``{"id"}``, or a name or code that matches it) or the
same text, folded.

>>> index = NameIndex.build(sample_store)
>>> batch = parse_queries('{"q0": {"query": "Suisse", "type": "schema:Country"}}')
>>> reconcile_batch(sample_store, index, batch)["q0"]["result"][0]["match"]
True
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pyoxigraph as ox

from scidip_graph.curation.extend import PropertyCatalogue, find_property, property_values
from scidip_graph.curation.index import MATCH_MIN, Candidate, Entity, NameIndex
from scidip_graph.curation.names import fold
from scidip_graph.errors import LimitError, UsageError
from scidip_graph.namespaces import ID, SCHEMA, SD, SKOS, compact, expand
from scidip_graph.pages.catalogue import KINDS
from scidip_graph.pages.presentation import term_label
from scidip_graph.store import Store

SERVICE_NAME = "scidip-graph: science diplomacy knowledge graph"
VERSIONS = ["0.1", "0.2"]
MAX_QUERIES = 1000
"""Queries one batch may hold (OpenRefine sends ten at a time)."""
MAX_LIMIT = 100
DEFAULT_LIMIT = 10
MAX_TEXT = 500
"""Characters of a query's text read at most."""
PROPERTY_BONUS, PROPERTY_PENALTY = 5.0, 10.0
PREVIEW_SIZE = (400, 160)
"""Width and height of the preview card, in CSS pixels."""

_S, _SD = str(SCHEMA), str(SD)
DEFAULT_TYPES = (
    _S + "Organization",
    _S + "Country",
    _S + "Person",
    _SD + "Example",
    _SD + "Treaty",
    _S + "City",
    _S + "Place",
    _SD + "Region",
    _S + "Event",
)
"""The classes a curator reconciles against most, offered first."""
_KIND = dict(KINDS)


@dataclass(frozen=True)
class ReconQuery:
    """One query of a batch.

    Attributes:
        query: the cell's text.
        types: class IRIs a candidate must have one of (empty: any).
        limit: candidates at most.
        properties: (property id, values) pairs to refine the scores with; a value is a
            string or ``{"id": IRI}``.
    """

    query: str
    types: tuple[str, ...] = ()
    limit: int = DEFAULT_LIMIT
    properties: tuple[tuple[str, tuple[Any, ...]], ...] = ()


def manifest(service_url: str) -> dict[str, Any]:
    """The service manifest; ``service_url`` is the absolute URL of ``/reconcile``.

    >>> m = manifest("https://kg.example.org/reconcile")
    >>> m["identifierSpace"], m["view"]["url"], m["suggest"]["entity"]["service_path"]
    ('https://w3id.org/scidip/id/', '{{id}}', '/suggest/entity')
    """
    service = {"service_url": service_url}
    return {
        "versions": VERSIONS,
        "name": SERVICE_NAME,
        "identifierSpace": str(ID),
        "schemaSpace": str(SD).rstrip("#") + "#",
        "defaultTypes": [type_json(t) for t in DEFAULT_TYPES],
        "view": {"url": "{{id}}"},
        "preview": {
            "url": f"{service_url}/preview?id={{{{id}}}}",
            "width": PREVIEW_SIZE[0],
            "height": PREVIEW_SIZE[1],
        },
        "suggest": {
            kind: {**service, "service_path": f"/suggest/{kind}"}
            for kind in ("entity", "property", "type")
        },
        "extend": {
            "propose_properties": {**service, "service_path": "/properties"},
            "property_settings": [],
        },
        "documentation": service_url.rsplit("/reconcile", 1)[0] + "/openapi.json",
    }


def type_json(iri: str) -> dict[str, str]:
    """A class as the protocol names it: its IRI and a readable name.

    >>> type_json("http://schema.org/Organization")
    {'id': 'http://schema.org/Organization', 'name': 'Organisation (schema:Organization)'}
    """
    kind = _KIND.get(iri)
    label = kind.capitalize() if kind else term_label(iri).capitalize()
    return {"id": iri, "name": f"{label} ({compact(iri)})"}


def parse_queries(text: str) -> dict[str, ReconQuery]:
    """A batch as the ``queries`` parameter sends it (JSON), checked and read.

    Raises:
        UsageError: not JSON, not an object of queries, a query without text or properties,
            a value of the wrong kind.
        LimitError: more than :data:`MAX_QUERIES` queries.

    >>> parse_queries('{"q0": {"query": "CERN", "limit": 3}}')["q0"].limit
    3
    >>> parse_queries('{"q0": {"limit": 3}}')
    Traceback (most recent call last):
    ...
    scidip_graph.errors.UsageError: query q0 has neither a query nor properties
    """
    try:
        batch = json.loads(text)
    except ValueError as err:
        raise UsageError(f"queries is not JSON: {err}") from None
    if not isinstance(batch, dict):
        raise UsageError('queries must be a JSON object of queries: {"q0": {"query": ...}}')
    if len(batch) > MAX_QUERIES:
        raise LimitError(f"a batch holds at most {MAX_QUERIES} queries; this one {len(batch)}")
    return {str(key): _query(str(key), value) for key, value in batch.items()}


def _query(key: str, value: Any) -> ReconQuery:
    if isinstance(value, str):  # the 0.1 shorthand of a bare string
        value = {"query": value}
    if not isinstance(value, dict):
        raise UsageError(f"query {key} must be an object")
    text = value.get("query", "")
    props = value.get("properties", [])
    if not isinstance(text, str) or not isinstance(props, list):
        raise UsageError(f"query {key}: query must be a string and properties a list")
    if not text.strip() and not props:
        raise UsageError(f"query {key} has neither a query nor properties")
    types = value.get("type") or []
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise UsageError(f"query {key}: type must be a class id or a list of them")
    limit = value.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int | float) or limit < 0:
        raise UsageError(f"query {key}: limit must be a number of candidates")
    pairs = []
    for prop in props:
        if not isinstance(prop, dict) or not isinstance(prop.get("pid"), str) or "v" not in prop:
            raise UsageError(f'query {key}: each property is {{"pid": ..., "v": ...}}')
        values = prop["v"] if isinstance(prop["v"], list) else [prop["v"]]
        pairs.append((prop["pid"], tuple(values)))
    return ReconQuery(
        text[:MAX_TEXT],
        tuple(expand(t) for t in types),
        min(int(limit) or DEFAULT_LIMIT, MAX_LIMIT),
        tuple(pairs),
    )


def reconcile_one(store: Store, index: NameIndex, query: ReconQuery) -> list[Candidate]:
    """The candidates for one cell, best first, each with its score and whether it matches.

    The spreadsheet import calls this per cell; :func:`reconcile_batch` per query.

    >>> index = NameIndex.build(sample_store)
    >>> found = reconcile_one(sample_store, index, ReconQuery("SWITZERLAND"))
    >>> [(c.entity.name, c.match) for c in found]
    [('Switzerland', True)]
    """
    if not query.query.strip():
        return []
    wide = query.limit if not query.properties else max(query.limit * 3, 20)
    found = index.find(query.query, types=query.types, limit=wide)
    if not query.properties:
        return found
    rescored = []
    for candidate in found:
        score = candidate.score
        for pid, wanted in query.properties:
            verdict = _agrees(store, index, candidate.entity.iri, pid, wanted)
            if verdict is True:
                score = min(100.0, score + PROPERTY_BONUS)
            elif verdict is False:
                score = max(0.0, score - PROPERTY_PENALTY)
        rescored.append(replace(candidate, score=score))
    rescored.sort(key=lambda c: (-c.score, c.entity.name, c.entity.iri))
    sure = [c for c in rescored if c.score >= MATCH_MIN]
    return [replace(c, match=len(sure) == 1 and c is sure[0]) for c in rescored[: query.limit]]


def _agrees(
    store: Store, index: NameIndex, iri: str, pid: str, wanted: Sequence[Any]
) -> bool | None:
    """Whether a candidate's values of a property agree with the wanted ones (None: it has
    none, so they say nothing)."""
    have = property_values(store, index, iri, find_property(pid).id)
    if not have:
        return None
    ids = {str(v["id"]) for v in have if "id" in v}
    texts = {fold(str(v.get("str", v.get("name", next(iter(v.values())))))) for v in have}
    for value in wanted:
        if isinstance(value, dict) and "id" in value:
            if str(value["id"]) in ids:
                return True
            continue
        text = str(value).strip()
        if fold(text) in texts:
            return True
        if ids and any(c.match and c.entity.iri in ids for c in index.find(text, limit=3)):
            return True
    return False


def reconcile_batch(
    store: Store, index: NameIndex, batch: Mapping[str, ReconQuery]
) -> dict[str, Any]:
    """The answer to a batch: per key, its candidates as the protocol writes them."""
    return {
        key: {"result": [candidate_json(c) for c in reconcile_one(store, index, q)]}
        for key, q in batch.items()
    }


def candidate_json(candidate: Candidate) -> dict[str, Any]:
    """One candidate as the protocol writes it."""
    entity = candidate.entity
    return {
        "id": entity.iri,
        "name": entity.name,
        "type": [type_json(t) for t in entity.types],
        "score": candidate.score,
        "match": candidate.match,
        "description": _description(entity, candidate),
    }


def _description(entity: Entity, candidate: Candidate) -> str:
    found = f"{candidate.how} {candidate.matched!r}" if candidate.matched != entity.name else ""
    return ", ".join(x for x in (entity.kind, found) if x)


def suggest_entities(
    index: NameIndex, prefix: str, *, types: Sequence[str] = (), limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    """Resources whose names start with ``prefix`` (or have a word that does).

    >>> suggest_entities(NameIndex.build(sample_store), "swi")["result"][0]["name"]
    'Switzerland'
    """
    found = index.prefix(prefix, types=[expand(t) for t in types], limit=_limit(limit))
    return {
        "result": [
            {
                "id": e.iri,
                "name": e.name,
                "description": e.kind,
                "notable": [type_json(t) for t in e.types],
            }
            for e in found
        ]
    }


def suggest_types(index: NameIndex, prefix: str, *, limit: int = DEFAULT_LIMIT) -> dict[str, Any]:
    """Classes of the graph's resources whose name or CURIE starts with ``prefix`` (or has a
    word that does), the most used first.

    >>> suggest_types(NameIndex.build(sample_store), "coun")["result"][0]["id"]
    'http://schema.org/Country'
    """
    key = fold(prefix)
    hits = [
        (t, n)
        for t, n in index.types.items()
        if _starts(key, type_json(t)["name"], compact(t), t.rsplit("/", 1)[-1])
    ]
    hits.sort(key=lambda tn: (-tn[1], tn[0]))
    return {
        "result": [
            {**type_json(t), "description": f"{n} resources"} for t, n in hits[: _limit(limit)]
        ]
    }


def suggest_properties(
    store: Store, catalogue: PropertyCatalogue, prefix: str, *, limit: int = DEFAULT_LIMIT
) -> dict[str, Any]:
    """Properties (derived ones first, then the data's) whose name or CURIE starts with
    ``prefix`` (or has a word that does).

    >>> suggest_properties(sample_store, PropertyCatalogue(), "count")["result"][0]["id"]
    'country'
    """
    key = fold(prefix)
    found = [p for p in catalogue.every(store) if _starts(key, p.name, p.id, p.description)]
    return {"result": [p.to_json() for p in found[: _limit(limit)]]}


def propose_properties(
    store: Store, catalogue: PropertyCatalogue, type_id: str | None, *, limit: int = 20
) -> dict[str, Any]:
    """The properties worth fetching for a class (the data extension's proposals)."""
    iri = expand(type_id) if type_id else None
    found = catalogue.propose(store, iri, limit=_limit(limit))
    answer: dict[str, Any] = {"properties": [p.to_json() for p in found], "limit": _limit(limit)}
    if type_id:
        answer["type"] = type_id
    return answer


def _starts(key: str, *names: str) -> bool:
    if not key:
        return True
    return any(f" {key}" in f" {fold(name)}" for name in names)


def _limit(limit: int) -> int:
    return max(1, min(int(limit), MAX_LIMIT))


@dataclass(frozen=True)
class Preview:
    """What the preview card of a resource shows (the web room writes it as HTML, escaped)."""

    iri: str
    name: str
    kind: str
    description: str
    other_names: list[str]
    facts: list[tuple[str, str]]


def preview(store: Store, index: NameIndex, iri: str) -> Preview | None:
    """The preview of a resource of the graph; None for an IRI it does not know.

    >>> p = preview(sample_store, NameIndex.build(sample_store), str(ID) + "country/CH")
    >>> p.name, p.other_names, p.facts
    ('Switzerland', ['Suisse', '瑞士'], [])
    """
    entity = index.entities.get(iri)
    if entity is None:
        return None
    view = store.view()
    descriptions = [
        q.object
        for p in (SCHEMA.description, SKOS.definition)
        for q in view.quads_for_pattern(ox.NamedNode(iri), ox.NamedNode(str(p)), None, None)
        if isinstance(q.object, ox.Literal)
    ]
    english = [d.value for d in descriptions if d.language in ("en", None)]
    text = (english or [d.value for d in descriptions] or [""])[0]
    facts = []
    for pid in ("country", "iso3166", "wikidata", "ror", "geonames"):
        prop = find_property(pid)
        if prop.types and not set(prop.types) & set(entity.types):
            continue
        found = property_values(store, index, iri, pid)
        if found:
            shown = ", ".join(str(v.get("name", v.get("str", ""))) for v in found)
            facts.append((prop.name, shown))
    return Preview(
        iri,
        entity.name,
        entity.kind,
        text[:400],
        sorted(set(entity.names) - {entity.name}),
        facts,
    )
