"""How the pages present terms: section of each property, labels, external identifiers.

Plain tables, no Flask and no store: :mod:`scidip_graph.pages.resource` uses them to group the facts
of a resource by meaning instead of dumping its triples.

>>> section_of("http://schema.org/location")
'where'
>>> term_label("http://schema.org/alternateName")
'alternate name'
>>> external_link("https://ror.org/01ggx4157")
('ROR', '01ggx4157')
"""

from __future__ import annotations

import re

from scidip_graph.namespaces import ID, RDF, SD, compact

RDF_TYPE = str(RDF.type)

# property (CURIE) -> section key; anything else goes to "other".
_SECTIONS: dict[str, tuple[str, ...]] = {
    "names": (
        "schema:name",
        "schema:alternateName",
        "schema:legalName",
        "schema:givenName",
        "schema:familyName",
        "schema:headline",
        "schema:alternativeHeadline",
        "skos:prefLabel",
        "skos:altLabel",
        "dct:title",
        "rdfs:label",
    ),
    "about": (
        "schema:description",
        "dct:description",
        "skos:definition",
        "skos:example",
        "skos:note",
        "schema:caption",
        "schema:creditText",
        "sd:statedMemberCount",
        "sd:statedMemberDescription",
        "sd:statedStatus",
        "schema:inLanguage",
        "schema:encodingFormat",
        "schema:version",
        "schema:position",
    ),
    "category": ("sd:primaryCategory", "sd:category", "sd:theme", "skos:editorialNote"),
    "involves": (
        "sd:hostCountry",
        "sd:participantCountry",
        "sd:formerParticipantCountry",
        "sd:hostOrganization",
        "sd:participantOrganization",
        "sd:involvesOrganization",
        "sd:involvesCountry",
        "sd:involvesPerson",
        "sd:involvesPlace",
        "sd:involves",
        "sd:aboutTaxon",
        "schema:areaServed",
    ),
    "outcome": ("sd:outcome",),
    "where": (
        "schema:location",
        "schema:containedInPlace",
        "schema:address",
        "schema:streetAddress",
        "schema:workLocation",
        "dct:spatial",
        "schema:countryOfOrigin",
    ),
    "work": ("schema:jobTitle", "schema:worksFor", "schema:nationality"),
    "contact": ("schema:contactPoint", "schema:contactType", "schema:telephone"),
    "membership": ("org:member", "org:organization", "org:role", "org:memberDuring"),
    "treaty": (
        "sd:party",
        "sd:treaty",
        "sd:partyTo",
        "sd:signedBy",
        "sd:signaturePlace",
        "sd:depositary",
        "sd:establishes",
    ),
    "shortcuts": (
        "sd:memberOf",
        "sd:foundingMemberOf",
        "sd:associateMemberOf",
        "sd:associateMemberPreStageOf",
        "sd:observerOf",
        "sd:fellowOf",
        "sd:hasMembershipRoleIn",
    ),
    "dates": (
        "schema:startDate",
        "sd:openingDate",
        "schema:foundingDate",
        "schema:dateCreated",
        "schema:legislationDate",
        "schema:applicationDeadline",
        "sd:callOpened",
        "sd:signatureDate",
        "sd:consentDate",
        "sd:entryIntoForce",
        "schema:courseSchedule",
        "schema:repeatFrequency",
        "sd:editionNumber",
        "dct:date",
        "time:hasTime",
        "time:hasBeginning",
        "time:hasEnd",
        "time:inside",
        "time:inXSDDate",
        "time:inXSDgYear",
        "prov:generatedAtTime",
    ),
    "identifiers": (
        "schema:sameAs",
        "skos:exactMatch",
        "schema:url",
        "schema:identifier",
        "sd:iso3166Alpha2",
        "sd:iso3166Alpha3",
        "sd:iso3166Numeric",
        "sd:iso3166Alpha4",
    ),
    "concepts": (
        "skos:inScheme",
        "skos:topConceptOf",
        "skos:hasTopConcept",
        "skos:broader",
        "skos:narrower",
        "skos:related",
    ),
    "provenance": (
        "dct:source",
        "prov:wasDerivedFrom",
        "prov:wasAttributedTo",
        "dct:license",
        "schema:isPartOf",
        "dct:relation",
    ),
}
_SECTION_OF = {curie: key for key, curies in _SECTIONS.items() for curie in curies}

SECTION_TITLES: dict[str, str] = {
    "names": "Names",
    "about": "Description",
    "category": "Category",
    "involves": "What it involves",
    "outcome": "Outcome",
    "where": "Where",
    "work": "Work",
    "contact": "Contact",
    "membership": "Membership",
    "treaty": "Treaty and parties",
    "shortcuts": "Current memberships (derived shortcuts)",
    "dates": "Dates",
    "identifiers": "Identifiers and links",
    "concepts": "Concept scheme",
    "provenance": "Provenance",
    "other": "Related",
}

# section order per type (CURIE); the first type of a resource that has an entry wins.
_ORDER: dict[str, tuple[str, ...]] = {
    "sd:Example": ("about", "category", "involves", "outcome", "where", "dates"),
    "schema:Organization": ("about", "where", "shortcuts", "names", "other", "identifiers"),
    "schema:Country": ("names", "identifiers", "shortcuts", "where"),
    "schema:Person": ("work", "contact", "where", "shortcuts", "names", "about"),
    "org:Membership": ("membership", "dates"),
    "sd:Treaty": ("about", "dates", "treaty", "where", "names"),
    "sd:TreatyParty": ("treaty", "dates"),
    "skos:Concept": ("about", "concepts"),
}
_DEFAULT_ORDER = (
    "about",
    "category",
    "involves",
    "outcome",
    "where",
    "work",
    "contact",
    "membership",
    "treaty",
    "dates",
    "names",
    "concepts",
    "other",
    "shortcuts",
    "identifiers",
    "provenance",
)

# Labels nicer than the split local name.
_LABELS: dict[str, str] = {
    "schema:sameAs": "same as",
    "schema:url": "web page",
    "schema:worksFor": "works for",
    "schema:jobTitle": "job title",
    "schema:containedInPlace": "contained in",
    "schema:contactPoint": "contact",
    "schema:subjectOf": "subject of",
    "dct:source": "source",
    "dct:spatial": "associated country",
    "schema:areaServed": "area served",
    "schema:courseSchedule": "schedule",
    "schema:repeatFrequency": "how often",
    "dct:title": "title",
    "skos:prefLabel": "preferred label",
    "skos:editorialNote": "curators' rationale",
    "org:memberDuring": "period",
    "prov:wasDerivedFrom": "derived from",
    "prov:wasAttributedTo": "attributed to",
    "time:inXSDDate": "date",
    "time:inXSDgYear": "year",
    "time:hasBeginning": "beginning",
    "time:hasEnd": "end",
    "time:inside": "attested at",
    "time:hasTime": "time",
    "rdfs:seeAlso": "see also",
    "schema:Organization": "organisation",
    "org:Organization": "organisation",
    "schema:EducationalOccupationalProgram": "programme",
    "schema:CourseInstance": "course edition",
    "org:Membership": "membership",
    "org:Role": "membership role",
    "skos:Concept": "concept",
    "skos:ConceptScheme": "concept scheme",
    "prov:Entity": "source document (PROV entity)",
    "prov:Agent": "agent",
    "prov:Organization": "organisation (PROV)",
}

_EXTERNAL = (
    (re.compile(r"^https?://www\.wikidata\.org/entity/(Q\d+)$"), "Wikidata"),
    (re.compile(r"^https://ror\.org/(\w+)$"), "ROR"),
    (re.compile(r"^https?://sws\.geonames\.org/(\d+)/?$"), "GeoNames"),
)


def section_of(iri: str) -> str:
    """The section a property's facts are shown in (``other`` when the table has none)."""
    return _SECTION_OF.get(compact(iri), "other")


def section_order(types: list[str]) -> tuple[str, ...]:
    """The order of the sections on the page of a resource with these types (IRIs).

    >>> section_order(["http://schema.org/Person"])[:2]
    ('work', 'contact')
    """
    for iri in types:
        order = _ORDER.get(compact(iri))
        if order is not None:
            return order + tuple(k for k in _DEFAULT_ORDER if k not in order)
    return _DEFAULT_ORDER


def term_label(iri: str, labels: dict[str, str] | None = None) -> str:
    """A readable label of a vocabulary term: given labels, the table, or its local name split.

    >>> term_label("https://w3id.org/scidip/ontology#involvesCountry")
    'involves country'
    """
    if labels and iri in labels:
        return labels[iri]
    curie = compact(iri)
    if curie in _LABELS:
        return _LABELS[curie]
    local = re.split(r"[#/:]", iri.rstrip("/#"))[-1]
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", local).replace("_", " ")
    return words if words.isupper() else words.lower()


_INCOMING: dict[str, str] = {
    "skos:related": "related to {}",
    "skos:broader": "has {} as broader concept",
    "skos:narrower": "has {} as narrower concept",
    "rdfs:seeAlso": "refers to {}",
    "schema:subjectOf": "has {} as a work about it",
    "time:hasBeginning": "begins at {}",
    "time:hasEnd": "ends at {}",
    "time:inside": "attested at {}",
    "schema:countryOfOrigin": "has {} as country of origin",
}
"""Incoming links the general rule of :func:`incoming_label` words badly."""
_PREPOSITIONS = ("of", "to", "by", "in", "for", "at", "from", "on", "with", "about")
_VERBS = ("involves", "has", "is", "establishes", "amends", "replaces", "mentions", "helped")


def incoming_label(iri: str, name: str, labels: dict[str, str] | None = None) -> str:
    """How a link *to* a resource named ``name`` reads, for its page's list of incoming links:
    a label that reads as a relation keeps its words, a noun becomes "has ... as ...".

    >>> incoming_label("https://w3id.org/scidip/ontology#memberOf", "CERN")
    'member of CERN'
    >>> incoming_label("http://schema.org/about", "CERN")
    'about CERN'
    >>> incoming_label("http://schema.org/publisher", "CERN")
    'has CERN as publisher'
    """
    curie = compact(iri)
    if curie in _INCOMING:
        return _INCOMING[curie].format(name)
    label = term_label(iri, labels)
    words = label.split()
    if words and (words[-1] in _PREPOSITIONS or words[0] in _VERBS + _PREPOSITIONS):
        return f"{label} {name}"
    return f"has {name} as {label}"


def external_link(iri: str) -> tuple[str, str] | None:
    """``(service, identifier)`` for a Wikidata, ROR or GeoNames IRI, else None."""
    for pattern, service in _EXTERNAL:
        match = pattern.match(iri)
        if match:
            return service, match[1]
    return None


def local_path(iri: str) -> str | None:
    """The local path of a resource's page (``/id/...``) or of an ontology term's
    documentation (``/ontology#...``), or None for an outside IRI.

    >>> local_path("https://w3id.org/scidip/id/country/CH"), local_path("http://x.org/")
    ('/id/country/CH', None)
    """
    if iri.startswith(ID) and len(iri) > len(ID):
        return "/id/" + iri[len(ID) :]
    if iri.startswith(SD):
        return "/ontology#" + iri[len(SD) :]
    return None
