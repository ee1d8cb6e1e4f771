"""Faceted browsing of the examples and the treaties: filters that combine, a count per value.

No Flask. A view costs one SPARQL query whatever its filters: every (item, facet, value) of
the class with the value's English label, filtered and counted here in Python (a few thousand
rows for the bundled data). The semantics are Datasette's: every filter of a view holds (two
values of one facet too: ``theme=health&theme=security`` is the examples of both themes); the
counts are over the items the filters leave; a value's link adds it to the filters of the view,
an active filter's link removes it and keeps the others.

The rows of a class change only with the data, so :class:`FacetCache` keeps them per data
version (:attr:`Store.version`): a view then costs no query at all until the next write.

A filter names a value by its key: the last segment of an ``id:`` IRI (``theme=health``,
``host=CH``, ``region=middle-east``, ``category=science-for-diplomacy``, ``institution=cern``),
a decade by its first year (``decade=1960``).

>>> from scidip_graph.namespaces import SD
>>> view = browse_view(read_facets(sample_store, str(SD.Example)), [])
>>> view.total == len(view.items), [f.key for f in view.facets][:3]
(True, ['theme', 'primary', 'category'])
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from scidip_graph.namespaces import ID, PREFIXES, SD, compact
from scidip_graph.pages.presentation import local_path
from scidip_graph.pages.readers import LABEL_PROPERTIES, rows, values
from scidip_graph.store import Store


@dataclass(frozen=True)
class Facet:
    """One way to filter a class: a SPARQL pattern that binds ``?v`` from ``?item``.

    Attributes:
        key: its query parameter; ``title`` what the page calls it.
        pattern: a group graph pattern over ``?item`` and ``?v`` (prefixes of
            :data:`scidip_graph.namespaces.PREFIXES`).
        decade: the values are dates, faceted by the decade of the earliest one.
        column: how the list of items shows it: ``"list"`` (the labels), ``"count"``, ``"date"``
            (the earliest date), or ``""`` (not shown); ``heading`` the column's heading.
    """

    key: str
    title: str
    pattern: str
    decade: bool = False
    column: str = ""
    heading: str = ""


_COUNTRY_REGION = "?c schema:containedInPlace ?v . ?v a sd:Region"

BROWSABLE: dict[str, tuple[Facet, ...]] = {
    str(SD.Example): (
        Facet("theme", "Theme", "?item sd:theme ?v", column="list", heading="Themes"),
        Facet(
            "primary",
            "Primary category",
            "?item sd:primaryCategory ?v",
            column="list",
            heading="Primary category",
        ),
        Facet("category", "Category (primary or not)", "?item sd:category ?v"),
        Facet("host", "Host country", "?item sd:hostCountry ?v"),
        Facet("participant", "Participant country", "?item sd:participantCountry ?v"),
        Facet(
            "institution",
            "Institution (host, participant or involved)",
            "?item sd:hostOrganization|sd:participantOrganization|sd:involvesOrganization ?v",
        ),
        Facet(
            "region",
            "Region of a host or participant country",
            f"?item sd:hostCountry|sd:participantCountry ?c . {_COUNTRY_REGION}",
        ),
        Facet(
            "decade",
            "Decade (start, opening, or signature of the treaty it is about)",
            "{ ?item schema:startDate|sd:openingDate ?v } UNION "
            "{ ?item schema:about|dct:relation ?t . ?t a sd:Treaty ; sd:signatureDate ?v }",
            decade=True,
            column="date",
            heading="Date",
        ),
    ),
    str(SD.Treaty): (
        Facet(
            "decade",
            "Decade of signature",
            "?item sd:signatureDate ?v",
            decade=True,
            column="date",
            heading="Signed",
        ),
        Facet("party", "Party", "?v sd:partyTo ?item", column="count", heading="Parties"),
        Facet("region", "Region of a party", f"?c sd:partyTo ?item . {_COUNTRY_REGION}"),
        Facet(
            "theme", "Theme of a case about it", "?e schema:about|dct:relation ?item ; sd:theme ?v"
        ),
    ),
}
"""The classes with a faceted view, and their facets in the order the page shows them."""

_LABEL = "|".join(f"<{p}>" for p in LABEL_PROPERTIES)
"""The label path of items and values: the label properties every page reads."""


@dataclass
class FacetValue:
    """A value of a facet: its key, label, description, count and the link that adds it."""

    key: str
    label: str
    count: int
    href: str
    iri: str | None = None
    description: str = ""
    selected: bool = False


@dataclass
class FacetCounts:
    """A facet of the view and its values (count first; decades in time order)."""

    key: str
    title: str
    values: list[FacetValue] = field(default_factory=list)


@dataclass
class ActiveFilter:
    """A filter of the view and the link that removes it."""

    facet: str
    title: str
    key: str
    label: str
    remove_href: str


@dataclass
class Item:
    """An item the filters leave, with the facet values its columns show."""

    iri: str
    label: str
    href: str
    columns: dict[str, str] = field(default_factory=dict)


@dataclass
class BrowseView:
    """A faceted view of a class: its filters, facets and items (the page and its JSON twin)."""

    class_iri: str
    name: str
    path: str
    total: int
    filters: list[ActiveFilter]
    facets: list[FacetCounts]
    items: list[Item]
    columns: list[str]
    json_href: str


@dataclass
class _Row:
    label: str = ""
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # facet -> key -> raw value


@dataclass
class FacetData:
    """What one query says about a class: its items and their values, the values' labels."""

    class_iri: str
    facets: tuple[Facet, ...]
    items: dict[str, _Row]
    labels: dict[str, str]
    descriptions: dict[str, str]


class FacetCache:
    """The :class:`FacetData` of each browsable class, read once per data version.

    >>> from scidip_graph.namespaces import SD
    >>> cache = FacetCache()
    >>> cache.get(sample_store, str(SD.Example)) is cache.get(sample_store, str(SD.Example))
    True
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version = ""
        self._data: dict[str, FacetData | None] = {}

    def get(self, store: Store, class_iri: str) -> FacetData | None:
        """The class's data for the store's current version (None: not browsable)."""
        version = store.version
        with self._lock:
            if version != self._version:
                self._version, self._data = version, {}
            if class_iri not in self._data:
                self._data[class_iri] = read_facets(store, class_iri)
            return self._data[class_iri]


def value_key(value: str) -> str:
    """The key a filter names a value by: an ``id:`` IRI's last segment, else the value.

    >>> value_key("https://w3id.org/scidip/id/country/CH"), value_key("http://x.org/a")
    ('CH', 'http://x.org/a')
    """
    return value.rsplit("/", 1)[-1] if value.startswith(str(ID)) else value


def decade_of(value: str) -> int | None:
    """The decade of a date, gYearMonth or gYear (``1968-07-01`` -> 1960).

    >>> decade_of("1968-07-01"), decade_of("2017"), decade_of("n.d.")
    (1960, 2010, None)
    """
    match = re.match(r"-?\d{4,}", value)
    return int(match[0]) // 10 * 10 if match else None


def read_facets(store: Store, class_iri: str) -> FacetData | None:
    """One query: each item's name, each facet's values, the values' English labels and
    definitions. None when the class has no faceted view (:data:`BROWSABLE`)."""
    facets = BROWSABLE.get(class_iri)
    if facets is None:
        return None
    prefixes = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("sd", "schema", "skos", "dct"))
    branches = " UNION\n  ".join(f'{{ BIND("{f.key}" AS ?k) {f.pattern} }}' for f in facets)
    query = f"""{prefixes}SELECT ?item ?k ?v ?vl ?vd WHERE {{
  ?item a {values([class_iri])} .
  {{ BIND("" AS ?k) ?item a {values([class_iri])} BIND("" AS ?v) }} UNION
  {{ BIND("" AS ?k) ?item {_LABEL} ?v FILTER(LANGMATCHES(LANG(?v), "en")) }} UNION
  {branches}
  OPTIONAL {{ ?v {_LABEL} ?vl FILTER(LANGMATCHES(LANG(?vl), "en")) }}
  OPTIONAL {{ ?v skos:definition ?vd FILTER(LANGMATCHES(LANG(?vd), "en")) }}
}}"""
    data = FacetData(class_iri, facets, {}, {}, {})
    for r in rows(store, query):
        row = data.items.setdefault(r["item"].value, _Row())
        key, v = r["k"].value, r["v"].value
        if not key:  # the item's own rows: one for every item, named or not, and its names
            row.label = min(row.label, v) if row.label and v else v or row.label
            continue
        row.values.setdefault(key, {})[value_key(v)] = v
        if r["vl"] is not None and (v not in data.labels or r["vl"].value < data.labels[v]):
            data.labels[v] = r["vl"].value
        if r["vd"] is not None:
            data.descriptions[v] = r["vd"].value
    return data


def browse_view(data: FacetData, params: Iterable[tuple[str, str]]) -> BrowseView:
    """The faceted view of a class under the filters ``params`` ((facet, key) pairs, in order).

    Pairs whose name is no facet of the class (``format``...) are ignored; a key no item has
    leaves no items.
    """
    facets, items, labels = data.facets, data.items, data.labels
    class_iri = data.class_iri
    by_key = {f.key: f for f in facets}
    chosen = list(dict.fromkeys((k, v) for k, v in params if k in by_key and v))
    raw_of: dict[str, dict[str, str]] = {}  # facet -> key -> the value (an IRI...)
    for row in items.values():
        for name, raws_of_row in row.values.items():
            raw_of.setdefault(name, {}).update(raws_of_row)

    def label(facet: Facet, key: str) -> str:
        if facet.decade:
            return f"{key}s"
        return labels.get(raw_of.get(facet.key, {}).get(key, key), key)

    path = "/browse/" + compact(class_iri)

    def href(pairs: Sequence[tuple[str, str]]) -> str:
        return path + ("?" + urlencode(pairs) if pairs else "")

    keys = {iri: _keys(row, by_key) for iri, row in items.items()}
    kept = [iri for iri in items if all(v in keys[iri].get(k, ()) for k, v in chosen)]
    blocks = []
    for facet in facets:
        counts: dict[str, int] = {}
        for iri in kept:
            for key in keys[iri].get(facet.key, ()):
                counts[key] = counts.get(key, 0) + 1
        for k, v in chosen:
            if k == facet.key:
                counts.setdefault(v, 0)
        raws = {} if facet.decade else raw_of.get(facet.key, {})
        found = [
            FacetValue(
                key,
                label(facet, key),
                n,
                href([*chosen, (facet.key, key)]),
                raws.get(key),
                data.descriptions.get(raws.get(key, ""), ""),
                (facet.key, key) in chosen,
            )
            for key, n in counts.items()
        ]
        for value in found:
            if value.selected:
                value.href = href([p for p in chosen if p != (facet.key, value.key)])
        if facet.decade:
            found.sort(key=lambda v: int(v.key) if v.key.lstrip("-").isdigit() else 0)
        else:
            found.sort(key=lambda v: (-v.count, v.label.lower()))
        blocks.append(FacetCounts(facet.key, facet.title, found))

    filters = [
        ActiveFilter(
            k,
            by_key[k].title,
            v,
            label(by_key[k], v),
            href([p for p in chosen if p != (k, v)]),
        )
        for k, v in chosen
    ]
    shown = [f for f in facets if f.column]
    listed = [
        Item(
            iri,
            items[iri].label or value_key(iri),
            local_path(iri) or iri,
            _columns(items[iri], shown, labels),
        )
        for iri in kept
    ]
    listed.sort(key=lambda i: (i.label.lower(), i.iri))
    return BrowseView(
        class_iri,
        compact(class_iri),
        path,
        len(items),
        filters,
        blocks,
        listed,
        [f.heading or f.title for f in shown],
        href([*chosen, ("format", "json")]),
    )


def _keys(row: _Row, facets: dict[str, Facet]) -> dict[str, set[str]]:
    """The filter keys of an item per facet (a dated facet: the decade of its earliest date)."""
    keys: dict[str, set[str]] = {}
    for name, found in row.values.items():
        if facets[name].decade:
            decades = [d for d in map(decade_of, found.values()) if d is not None]
            keys[name] = {str(min(decades))} if decades else set()
        else:
            keys[name] = set(found)
    return keys


def _columns(row: _Row, shown: Sequence[Facet], labels: dict[str, str]) -> dict[str, str]:
    out = {}
    for f in shown:
        found = row.values.get(f.key, {})
        title = f.heading or f.title
        if f.column == "count":
            out[title] = str(len(found)) if found else ""
        elif f.column == "date":
            out[title] = min(found.values(), default="")
        else:
            out[title] = ", ".join(
                sorted(labels.get(raw, value_key(raw)) for raw in found.values())
            )
    return out
