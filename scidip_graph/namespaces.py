"""Every namespace the project uses, in one place.

>>> str(SD.Example)
'https://w3id.org/scidip/ontology#Example'
>>> str(SCHEMA.name)
'http://schema.org/name'
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, TIME, VOID, XSD

SD = Namespace("https://w3id.org/scidip/ontology#")
ID = Namespace("https://w3id.org/scidip/id/")
GRAPH = Namespace("https://w3id.org/scidip/graph/")
# schema.org as its official JSON-LD context and Wikidata spell it: http, not https.
SCHEMA = Namespace("http://schema.org/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES: dict[str, str] = {
    "sd": str(SD),
    "id": str(ID),
    "graph": str(GRAPH),
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
}


def compact_iri(iri: str) -> str:
    """An IRI as ``prefix:local`` when a project prefix covers it, else unchanged.

    >>> compact_iri("http://schema.org/name"), compact_iri("http://example.org/x")
    ('schema:name', 'http://example.org/x')
    """
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace) :]
            if not local.startswith("//"):
                return f"{prefix}:{local}"
    return iri


__all__ = [
    "DCAT",
    "DCTERMS",
    "GRAPH",
    "ID",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SD",
    "SH",
    "SKOS",
    "TIME",
    "VCARD",
    "VOID",
    "WD",
    "XSD",
    "compact_iri",
]
