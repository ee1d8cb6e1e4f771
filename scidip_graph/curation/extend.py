"""Data extension: the values of a matched resource's properties, for a spreadsheet's columns.

Two kinds of property (the ids a client sends back):

- **derived** (:data:`DERIVED`), what a curator asks for without knowing the model:
  ``country`` (the country a resource is in, or a person's nationality), ``wikidata``,
  ``ror``, ``geonames`` (the bare IDs of its links), ``iso3166`` (a country's alpha-2 code),
  ``memberships`` (its roles in memberships: ``associate member of CERN (2024)``);
- **any property of the data**, by CURIE or IRI (``schema:foundingDate``): its values as the
  protocol types them (an IRI as ``{"id", "name"}``, a number as ``int``/``float``, a date as
  ``date``, the rest as ``str``).

No Flask; the web room wraps these in the protocol's JSON.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from scidip_graph.curation.index import Entity, NameIndex, Term
from scidip_graph.curation.names import link_keys
from scidip_graph.namespaces import ID, ORG, RDF, SCHEMA, SD, TIME, XSD, compact, expand
from scidip_graph.pages.presentation import term_label
from scidip_graph.pages.readers import rows, values
from scidip_graph.store import Store

Value = dict[str, object]
"""One value as the protocol writes it: ``{"id", "name"}``, ``{"str"}``, ``{"int"}``,
``{"float"}``, ``{"date"}`` or ``{"bool"}``."""

_S = str(SCHEMA)
_RDF_TYPE = str(RDF.type)
COUNTRY_TYPE = _S + "Country"
COUNTRY_LINKS = tuple(
    _S + p for p in ("location", "addressCountry", "country", "nationality", "containedInPlace")
)
"""Links from a resource to the country it is in (a place's own links followed once)."""


@dataclass(frozen=True)
class Property:
    """A property a client may ask for: its id, name, and the classes it fits (none: any)."""

    id: str
    name: str
    description: str = ""
    types: tuple[str, ...] = ()

    def to_json(self) -> dict[str, str]:
        """As suggest and the property proposals list it."""
        return {"id": self.id, "name": self.name, "description": self.description}


DERIVED = (
    Property(
        "country",
        "Country",
        "The country it is located in (through its place, if need be), or a person's nationality",
    ),
    Property("wikidata", "Wikidata ID", "Its Wikidata QID, where the sources confirm it"),
    Property("ror", "ROR ID", "Its ROR identifier, where the sources confirm it"),
    Property("geonames", "GeoNames ID", "Its GeoNames feature number, where confirmed"),
    Property("iso3166", "ISO 3166-1 alpha-2", "A country's two-letter code", (COUNTRY_TYPE,)),
    Property(
        "memberships",
        "Roles in memberships",
        "Each membership it holds: its role, the organisation, the period",
    ),
)
"""The derived properties, proposed for every class before the data's own."""
_DERIVED = {p.id: p for p in DERIVED}

_XSD = str(XSD)
_INTS = {_XSD + t for t in ("integer", "int", "long", "nonNegativeInteger", "positiveInteger")}
_FLOATS = {_XSD + t for t in ("decimal", "double", "float")}
_YEAR_PATH = "time:inXSDDate|time:inXSDgYear|time:inXSDDateTimeStamp|time:inXSDDateTime"


def find_property(pid: str) -> Property:
    """The property an id names: a derived one, else the data's property by CURIE or IRI.

    >>> find_property("country").name, find_property("schema:foundingDate").id
    ('Country', 'http://schema.org/foundingDate')
    """
    if pid in _DERIVED:
        return _DERIVED[pid]
    iri = expand(pid)
    return Property(iri, term_label(iri), compact(iri))


def property_values(store: Store, index: NameIndex, iri: str, pid: str) -> list[Value]:
    """The values of one property of one resource, as the protocol writes them.

    >>> index = NameIndex.build(sample_store)
    >>> cern = "https://w3id.org/scidip/id/organization/cern"
    >>> property_values(sample_store, index, cern, "sd:statedMemberCount")
    [{'int': 23}]
    >>> property_values(sample_store, index, cern, "memberships")
    []
    """
    view = store.view()
    subject = ox.NamedNode(iri)
    if pid == "country":
        return [_entity_value(index, c) for c in countries(store, iri)]
    if pid in ("wikidata", "ror", "geonames"):
        links = view.quads_for_pattern(subject, ox.NamedNode(_S + "sameAs"), None, None)
        found = {
            key.removeprefix(f"{pid}:")
            for q in links
            if isinstance(q.object, ox.NamedNode)
            for key in link_keys(q.object.value)
            if key.startswith(f"{pid}:")
        }
        return [{"str": v} for v in sorted(found)]
    if pid == "iso3166":
        pid = str(SD.iso3166Alpha2)
    if pid == "memberships":
        return [{"str": text} for text in memberships(store, index, iri)]
    seen: dict[str, Value] = {}
    for q in view.quads_for_pattern(subject, ox.NamedNode(expand(pid)), None, None):
        value = _value(index, q.object)
        if value is not None:
            seen.setdefault(repr(sorted(value.items())), value)
    return sorted(seen.values(), key=lambda v: str(sorted(v.items())))


def countries(store: Store, iri: str) -> list[str]:
    """The countries a resource is in: linked by :data:`COUNTRY_LINKS`, directly or through
    a place it names (Geneva, then Switzerland); empty for a country itself."""
    view = store.view()
    rdf_type = ox.NamedNode(_RDF_TYPE)
    country = ox.NamedNode(COUNTRY_TYPE)

    def is_country(node: ox.NamedNode) -> bool:
        return any(True for _ in view.quads_for_pattern(node, rdf_type, country, None))

    def linked(node: ox.NamedNode) -> set[ox.NamedNode]:
        return {
            q.object
            for p in COUNTRY_LINKS
            for q in view.quads_for_pattern(node, ox.NamedNode(p), None, None)
            if isinstance(q.object, ox.NamedNode)
        }

    start = ox.NamedNode(iri)
    if is_country(start):
        return []
    found: set[str] = set()
    for node in linked(start):
        if is_country(node):
            found.add(node.value)
        else:
            found.update(n.value for n in linked(node) if is_country(n))
    return sorted(found)


def memberships(store: Store, index: NameIndex, iri: str) -> list[str]:
    """A resource's memberships, each as ``role of organisation (period)``, sorted.

    The period is the membership's beginning and end, or the year it is attested in.
    """
    query = f"""
PREFIX org: <{ORG}>
PREFIX time: <{TIME}>
SELECT DISTINCT ?org ?role ?begin ?end ?inside WHERE {{
  ?m org:member {values([iri])} ; org:organization ?org .
  OPTIONAL {{ ?m org:role ?role }}
  OPTIONAL {{ ?m org:memberDuring ?period .
    OPTIONAL {{ ?period time:hasBeginning/({_YEAR_PATH}) ?begin }}
    OPTIONAL {{ ?period time:hasEnd/({_YEAR_PATH}) ?end }}
    OPTIONAL {{ ?period time:inside/({_YEAR_PATH}) ?inside }} }}
}}"""
    found = set()
    for r in rows(store, query):
        org = _name(index, r["org"].value)
        role = _name(index, r["role"].value) if r["role"] is not None else "member"
        period = _period(*(r[k].value if r[k] is not None else "" for k in ("begin", "end")))
        if not period and r["inside"] is not None:
            period = r["inside"].value
        found.add(f"{role} of {org}" + (f" ({period})" if period else ""))
    return sorted(found)


def _period(begin: str, end: str) -> str:
    """``1954-`` , ``1954-2001``, ``-2001`` or empty.

    >>> _period("1954-09-29", ""), _period("", "2001")
    ('1954-09-29-', '-2001')
    """
    return f"{begin}-{end}" if begin or end else ""


def _name(index: NameIndex, iri: str) -> str:
    entity = index.entities.get(iri)
    return entity.name if entity is not None else term_label(iri)


def _entity_value(index: NameIndex, iri: str) -> Value:
    return {"id": iri, "name": _name(index, iri)}


def _value(index: NameIndex, term: Term) -> Value | None:
    if isinstance(term, ox.NamedNode):
        return _entity_value(index, term.value)
    if not isinstance(term, ox.Literal):
        return None  # a blank node: no value a spreadsheet can hold
    datatype = term.datatype.value
    try:
        if datatype in _INTS:
            return {"int": int(term.value)}
        if datatype in _FLOATS:
            return {"float": float(term.value)}
    except ValueError:
        pass
    if datatype == _XSD + "boolean":
        return {"bool": term.value in ("true", "1")}
    if datatype == _XSD + "date" and len(term.value) == 10:
        return {"date": f"{term.value}T00:00:00Z"}
    if datatype == _XSD + "dateTime":
        return {"date": term.value}
    return {"str": term.value}


class PropertyCatalogue:
    """The properties the data's resources have, by class, read once per data version: what
    :func:`propose` and property suggest offer after :data:`DERIVED`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version = ""
        self._by_type: dict[str, list[tuple[str, int]]] = {}

    def by_type(self, store: Store) -> dict[str, list[tuple[str, int]]]:
        """Class IRI -> (property IRI, how many statements) of its instances, most used first."""
        with self._lock:
            if store.version != self._version or not self._by_type:
                self._by_type = _read_properties(store)
                self._version = store.version
            return self._by_type

    def propose(self, store: Store, type_iri: str | None, *, limit: int = 20) -> list[Property]:
        """The properties worth fetching for instances of a class: the derived ones that fit,
        then the class's most used properties.

        >>> [p.id for p in PropertyCatalogue().propose(sample_store, None)][:3]
        ['country', 'wikidata', 'ror']
        """
        derived = [p for p in DERIVED if not p.types or type_iri in p.types]
        used = self.by_type(store)
        if type_iri:
            counts = used.get(type_iri, [])
        else:
            totals: dict[str, int] = {}
            for pairs in used.values():
                for p, n in pairs:
                    totals[p] = totals.get(p, 0) + n
            counts = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
        data = [find_property(p) for p, _ in counts]
        return [*derived, *data][:limit]

    def every(self, store: Store) -> list[Property]:
        """Every property on offer: the derived ones, then the data's by CURIE."""
        iris = sorted({p for pairs in self.by_type(store).values() for p, _ in pairs})
        return [*DERIVED, *(find_property(p) for p in iris)]


def _read_properties(store: Store) -> dict[str, list[tuple[str, int]]]:
    query = (
        "SELECT ?t ?p (COUNT(*) AS ?n) WHERE { ?s a ?t ; ?p ?o . "
        f"FILTER(isIRI(?s) && STRSTARTS(STR(?s), {ox.Literal(str(ID))})) }} "
        "GROUP BY ?t ?p"
    )
    found: dict[str, list[tuple[str, int]]] = {}
    for r in rows(store, query):
        if isinstance(r["t"], ox.NamedNode) and r["p"].value != _RDF_TYPE:
            found.setdefault(r["t"].value, []).append((r["p"].value, int(r["n"].value)))
    for pairs in found.values():
        pairs.sort(key=lambda kv: (-kv[1], kv[0]))
    return found


def extend(
    store: Store, index: NameIndex, ids: Iterable[str], pids: Iterable[str]
) -> dict[str, object]:
    """The protocol's data extension answer: ``meta`` (each property's id and name) and
    ``rows`` (per id, per property, its values). An id the graph does not know has no values.

    >>> cern = "https://w3id.org/scidip/id/organization/cern"
    >>> extend(sample_store, NameIndex.build(sample_store), [cern], ["schema:name"])["rows"]
    {'https://w3id.org/scidip/id/organization/cern': {'schema:name': [{'str': 'CERN'}]}}
    """
    pids = list(dict.fromkeys(pids))
    meta = [{"id": pid, "name": find_property(pid).name} for pid in pids]
    rows_: dict[str, dict[str, list[Value]]] = {}
    for iri in dict.fromkeys(ids):
        known = iri in index.entities
        rows_[iri] = {pid: property_values(store, index, iri, pid) if known else [] for pid in pids}
    return {"meta": meta, "rows": rows_}


def entity_json(entity: Entity) -> dict[str, object]:
    """A resource as suggest and reconciliation results name it."""
    return {"id": entity.iri, "name": entity.name}
