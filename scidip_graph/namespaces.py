"""Every namespace, prefix table and IRI base the project uses, and the one way to compact and
expand IRIs with them.

No other module writes a namespace IRI out (``tests/test_namespaces.py`` checks it): they take
terms from here (``SCHEMA.name``, ``str(XSD.string)``, ``ID["country/CH"]``), pick a prefix
table below, and shorten or lengthen IRIs with :func:`compact` and :func:`expand`. The JSON-LD
context (``ontology/context.jsonld``) is data with its own copy of the prefixes, which the same
test holds to this table.

>>> str(SD.Example)
'https://w3id.org/scidip/ontology#Example'
>>> str(SCHEMA.name)
'http://schema.org/name'
>>> compact("http://schema.org/name"), expand("schema:name")
('schema:name', 'http://schema.org/name')
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, TIME, VOID, XSD

# -- what the project mints: all under its w3id home ------------------------------------------

SCIDIP = Namespace("https://w3id.org/scidip/")
"""The project's persistent home (cited as the dataset's URL); every IRI it mints is under it."""
SD = Namespace(f"{SCIDIP}ontology#")
"""The ontology (``sd:``), whose IRI is this namespace itself."""
ID = Namespace(f"{SCIDIP}id/")
"""Resources: ``id/{kind}/{slug}``, each with a page at the local path ``/id/{kind}/{slug}``."""
GRAPH = Namespace(f"{SCIDIP}graph/")
"""Named graphs, one per source document: ``graph/{source}``."""
SHAPES = Namespace(f"{SCIDIP}shapes#")
"""The SHACL shapes of ``ontology/shapes.ttl`` (``shape:``)."""
ISO_SHAPES = Namespace(f"{SCIDIP}shapes/iso3166#")
"""The generated shapes of the ISO 3166 country codes (``iso:``)."""
DESC = Namespace(f"{SCIDIP}void#")
"""The dataset description's own nodes (``desc:dataset``, its linksets and partitions)."""

# -- vocabularies of others that rdflib does not name ------------------------------------------

# schema.org as its official JSON-LD context and Wikidata spell it: http, not https.
SCHEMA = Namespace("http://schema.org/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
WD = Namespace("http://www.wikidata.org/entity/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
SDS = Namespace("http://www.w3.org/ns/sparql-service-description#")
"""The SPARQL 1.1 Service Description vocabulary (``sds:``, as ``sd:`` is the ontology's)."""
W3C_FORMATS = Namespace("http://www.w3.org/ns/formats/")
"""The W3C's unique IRIs for file formats (``formats:``)."""
SPARQL_RESULTS = Namespace("http://www.w3.org/2005/sparql-results#")
"""The XML namespace of SPARQL Query Results XML."""
MEDIA_TYPES = Namespace("https://www.iana.org/assignments/media-types/")
"""IANA's media types registry: ``MEDIA_TYPES["text/turtle"]`` is the IRI of a media type."""

# -- prefix tables ------------------------------------------------------------------------------

NAMESPACES: dict[str, str] = {
    "sd": str(SD),
    "id": str(ID),
    "graph": str(GRAPH),
    "shape": str(SHAPES),
    "iso": str(ISO_SHAPES),
    "desc": str(DESC),
    "schema": str(SCHEMA),
    "skos": str(SKOS),
    "org": str(ORG),
    "prov": str(PROV),
    "dct": str(DCTERMS),
    "dcat": str(DCAT),
    "void": str(VOID),
    "vcard": str(VCARD),
    "time": str(TIME),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "sh": str(SH),
    "wd": str(WD),
    "spdx": str(SPDX),
    "sds": str(SDS),
    "formats": str(W3C_FORMATS),
}
"""Every prefix the project writes anywhere, with its namespace: one meaning per prefix."""


def prefix_table(*names: str) -> dict[str, str]:
    """The namespaces of these prefixes, in this order (for output that declares them).

    >>> prefix_table("sd", "schema")
    {'sd': 'https://w3id.org/scidip/ontology#', 'schema': 'http://schema.org/'}
    """
    return {name: NAMESPACES[name] for name in names}


PREFIXES = prefix_table(
    *("sd", "id", "graph", "schema", "skos", "org", "prov", "dct", "dcat", "void", "vcard"),
    *("time", "owl", "rdf", "rdfs", "xsd", "sh", "wd"),
)
"""The project's prefixes: compact names in pages, tables and the CLI; Turtle and TriG output."""
SHAPE_PREFIXES = {**PREFIXES, **prefix_table("shape")}
"""The project's prefixes and ``shape:``, for validation reports and the shapes' documentation."""
SERVICE_PREFIXES = prefix_table("sds", "formats", "void", "sd", "sh", "rdfs", "schema")
"""The prefixes of the SPARQL service description (its query examples: ``sh:``, ``rdfs:``)."""
DESCRIPTION_PREFIXES = dict(sorted({**PREFIXES, **prefix_table("spdx")}.items()))
DESCRIPTION_PREFIXES |= prefix_table("desc")
"""The prefixes of the dataset description (VoID, DCAT): the project's, ``spdx:``, ``desc:``."""
COUNTRY_SHAPE_PREFIXES = prefix_table("owl", "rdfs", "schema", "sd", "sh", "iso")
"""The prefixes of the generated ``ontology/shapes-iso3166.ttl``."""


# -- compact and expand -------------------------------------------------------------------------


def compact(iri: str, *, prefixes: Mapping[str, str] = PREFIXES, plain: bool = False) -> str:
    """An IRI as ``prefix:local`` when a namespace of ``prefixes`` covers it, else unchanged.

    The longest namespace that fits wins. The local part is never empty, and never starts
    with ``//`` (JSON-LD would read ``prefix://...`` as an absolute IRI).

    Args:
        iri: the IRI to shorten.
        prefixes: prefix -> namespace (the project's :data:`PREFIXES` by default).
        plain: shorten only to a plain local name (letters, digits, ``-``, ``_``): one that
            reads the same in Turtle and in SPARQL, where a property path such as
            ``org:memberDuring/time:hasBeginning`` gives ``/`` a meaning of its own.

    >>> compact("http://schema.org/name"), compact("http://example.org/x")
    ('schema:name', 'http://example.org/x')
    >>> cern = "https://w3id.org/scidip/id/organization/cern"
    >>> compact(cern), compact(cern, plain=True)
    ('id:organization/cern', 'https://w3id.org/scidip/id/organization/cern')
    >>> compact("https://w3id.org/scidip/shapes#ExampleShape", prefixes=SHAPE_PREFIXES)
    'shape:ExampleShape'
    """
    # The same few IRIs come back again and again (predicates, classes, datatypes), so the
    # answers are kept per table: 0.3 us a call instead of 3 us for a scan of ~20 prefixes.
    answers = _answers(prefixes)
    answer = answers.get((iri, plain))
    if answer is None:
        if len(answers) >= _MAX_ANSWERS:
            answers.clear()
        answer = answers[iri, plain] = _longest_fit(iri, prefixes, plain)
    return answer


def _longest_fit(iri: str, prefixes: Mapping[str, str], plain: bool) -> str:
    best, fit = "", ""
    for prefix, namespace in prefixes.items():
        if len(namespace) > len(fit) and iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace) :]
            if not local.startswith("//") and (not plain or _plain(local)):
                best, fit = prefix, namespace
    return f"{best}:{iri[len(fit) :]}" if fit else iri


def _plain(local: str) -> bool:
    return all(c.isalnum() or c in "-_" for c in local)


_MAX_ANSWERS = 50_000
_ANSWERS: dict[int, tuple[Mapping[str, str], dict[tuple[str, bool], str]]] = {}
"""id(table) -> (the table, kept alive so that its id stays its own; its answers so far).
A table is read as it is when first used: make a new one rather than change it."""


def _answers(prefixes: Mapping[str, str]) -> dict[tuple[str, bool], str]:
    found = _ANSWERS.get(id(prefixes))
    if found is None or found[0] is not prefixes:
        if len(_ANSWERS) >= 32:  # tables made on the fly (a namespace manager's) come and go
            _ANSWERS.clear()
        found = _ANSWERS[id(prefixes)] = (prefixes, {})
    return found[1]


def expand(curie: str, *, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """The IRI a ``prefix:local`` name stands for; anything else (a full IRI, an unknown
    prefix) unchanged. The inverse of :func:`compact`.

    >>> expand("schema:name"), expand("http://schema.org/name"), expand("nope:x")
    ('http://schema.org/name', 'http://schema.org/name', 'nope:x')
    >>> expand("shape:ExampleShape", prefixes=SHAPE_PREFIXES)
    'https://w3id.org/scidip/shapes#ExampleShape'
    """
    prefix, colon, local = curie.partition(":")
    namespace = prefixes.get(prefix)
    if not colon or namespace is None or local.startswith("//"):
        return curie
    return namespace + local


def prefix_declarations(prefixes: Mapping[str, str], *, sparql: bool = False) -> str:
    """Prefix declarations, one a line: Turtle's ``@prefix p: <ns> .`` or SPARQL's ``PREFIX``.

    >>> print(prefix_declarations(prefix_table("schema"), sparql=True), end="")
    PREFIX schema: <http://schema.org/>
    """
    if sparql:
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefixes.items())


__all__ = [
    "COUNTRY_SHAPE_PREFIXES",
    "DCAT",
    "DCTERMS",
    "DESC",
    "DESCRIPTION_PREFIXES",
    "GRAPH",
    "ID",
    "ISO_SHAPES",
    "MEDIA_TYPES",
    "NAMESPACES",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SCIDIP",
    "SD",
    "SDS",
    "SERVICE_PREFIXES",
    "SH",
    "SHAPES",
    "SHAPE_PREFIXES",
    "SKOS",
    "SPARQL_RESULTS",
    "SPDX",
    "TIME",
    "VCARD",
    "VOID",
    "W3C_FORMATS",
    "WD",
    "XSD",
    "compact",
    "expand",
    "prefix_declarations",
    "prefix_table",
]
