"""The page model of a resource: values, facts, sections, memberships, the description.

Plain dataclasses filled by :mod:`scidip_graph.pages.resource` and read by the templates.

>>> Value("CERN", iri="https://w3id.org/scidip/id/organization/cern").text
'CERN'
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from scidip_graph.pages.readers import SourceRef


@dataclass(frozen=True)
class Value:
    """The object (or subject, for an incoming link) of a fact, ready to show.

    Attributes:
        text: the label of a resource, or the literal's text.
        iri: the IRI of a resource (None for literals and blank nodes).
        href: where to link: the local page, or the outside IRI.
        lang: the literal's language tag.
        datatype: the literal's datatype as a CURIE, for typed non-string literals.
        external: ``(service, identifier)`` for Wikidata, ROR and GeoNames.
    """

    text: str
    iri: str | None = None
    href: str | None = None
    lang: str | None = None
    datatype: str | None = None
    external: tuple[str, str] | None = None


@dataclass
class Fact:
    """One statement shown on a page, with the graphs (sources) that state it.

    Attributes:
        predicate: the property IRI.
        value: what it points to.
        graphs: the named graphs stating it (``""``: the dataset's default graph).
        details: the facts of a blank node it points to (a period, a contact point).
    """

    predicate: str
    value: Value
    graphs: list[str] = field(default_factory=list)
    details: list[Fact] = field(default_factory=list)


@dataclass
class Row:
    """The facts of one property in a section: ``label: value [source], value [source]``."""

    predicate: str
    label: str
    facts: list[Fact]


@dataclass
class Section:
    """A group of rows with one meaning (where it is, what it involves...)."""

    key: str
    title: str
    rows: list[Row]


@dataclass
class Membership:
    """One ``org:Membership`` seen from one side: the other party, role and dates."""

    iri: str
    organization: Value
    member: Value
    role: Value | None
    start: str | None
    end: str | None
    attested: str | None
    graphs: list[str]


@dataclass
class ExampleLink:
    """An example of science diplomacy the resource takes part in, and how."""

    example: Value
    how: str
    graphs: list[str]


@dataclass
class Description:
    """What a page shows about one resource.

    See :func:`~scidip_graph.pages.resource.resource_description`.
    """

    iri: str
    label: str
    labels: dict[str, list[str]]
    types: list[Value]
    description: str | None
    sections: list[Section]
    memberships: list[Membership]
    examples: dict[str, list[ExampleLink]]
    people: list[Fact]
    incoming: list[Row]
    identifiers: list[Value]
    sources: list[SourceRef]
    quads: list[ox.Quad]
    description_graphs: list[str] = field(default_factory=list)
    """The graphs stating :attr:`description`, shown once, under the title."""

    def source(self, graph: str) -> SourceRef:
        """The source of a graph stating a fact on the page; its ``number`` is the graph's
        footnote number, the same on every page of the site."""
        for source in self.sources:
            if source.graph == graph:
                return source
        raise KeyError(graph)

    @property
    def shown_types(self) -> list[Value]:
        """The types the page's type line shows: one per label (``org:Organization`` and
        ``schema:Organization`` are both "organisation"), in order."""
        seen: dict[str, Value] = {}
        for t in self.types:
            seen.setdefault(t.text.lower(), t)
        return list(seen.values())

    @property
    def type_iris(self) -> list[str]:
        """The IRIs of the resource's types."""
        return [t.iri for t in self.types if t.iri]
