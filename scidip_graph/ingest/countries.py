"""The countries of ISO 3166 as RDF, generated from pycountry.

Two outputs, both reproducible byte for byte from the installed pycountry:

* ``data/iso3166.trig``: the named graph ``graph:iso3166`` with every ISO 3166-1 country
  (``id:country/{alpha-2}``) and the former countries the sources need (ISO 3166-3,
  ``id:country/{alpha-4}``), names in the six UN languages from pycountry's own gettext
  catalogues; the graph's description (provenance) sits in the file's default-graph block.
* ``ontology/shapes-iso3166.ttl``: the SHACL shape ``sd:CountryCodesShape``, whose SPARQL
  constraint checks every ``schema:Country`` against a table of the ISO 3166 code
  combinations written into the query, and that its IRI ends with its code.

The generation time recorded in the graph is pycountry's release date (its calendar version,
e.g. ``26.2.16`` -> 2026-02-16), never the clock, so re-running gives the same file.

>>> ds = build_countries()
>>> str(ds.graph(ISO3166_GRAPH).value(country_iri("CH"), SD.iso3166Alpha3))
'CHE'
"""

from __future__ import annotations

import gettext
import importlib.metadata
import re
from functools import cache
from pathlib import Path
from typing import Any

import pycountry
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from scidip_graph.namespaces import (
    GRAPH,
    ID,
    PREFIXES,
    SCHEMA,
    SD,
)
from scidip_graph.resources import DATA_DIR

ISO3166_GRAPH = GRAPH["iso3166"]
"""The named graph that holds the generated countries."""

SOURCE = ID["source/iso3166-pycountry"]
"""The source entity: pycountry's copy of the ISO 3166 code lists."""

CURATORS = ID["agent/curators"]
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
PYCOUNTRY_URL = URIRef("https://pypi.org/project/pycountry/")

DEFAULT_DATA_PATH = DATA_DIR / "iso3166.trig"

LANGUAGES: tuple[tuple[str, str], ...] = (
    ("fr", "fr"),
    ("es", "es"),
    ("ar", "ar"),
    ("zh", "zh_CN"),
    ("ru", "ru"),
)
"""(language tag, pycountry locale) for the names besides English, which is pycountry's own."""

FORMER_COUNTRIES: tuple[str, ...] = ("CSHH", "DDDE", "SUHH", "YUCS")
"""ISO 3166-3 alpha-4 codes of the former countries the sources name (CERN members, the cases)."""

COUNTRY_PREFIX = str(ID["country/"])


def pycountry_version() -> str:
    """The installed pycountry version, e.g. ``'26.2.16'``."""
    return importlib.metadata.version("pycountry")


def release_date(version: str) -> str:
    """The release date encoded in a pycountry calendar version (``YY.M.D``).

    >>> release_date("26.2.16")
    '2026-02-16'

    Raises:
        ValueError: when the version is not a calendar version.
    """
    match = re.fullmatch(r"(\d{2})\.(\d{1,2})\.(\d{1,2})(?:\D.*)?", version)
    if match is None:
        raise ValueError(f"pycountry version {version!r} is not a YY.M.D calendar version")
    year, month, day = (int(part) for part in match.groups())
    return f"{2000 + year:04d}-{month:02d}-{day:02d}"


def country_iri(code: str) -> URIRef:
    """The IRI of a country: its alpha-2 code, or alpha-4 for a former country.

    >>> str(country_iri("YUCS"))
    'https://w3id.org/scidip/id/country/YUCS'
    """
    return ID[f"country/{code.upper()}"]


@cache
def _catalogue(domain: str, locale: str) -> dict[str, str]:
    """The msgid -> msgstr table of one pycountry gettext catalogue."""
    translation = gettext.translation(domain, pycountry.LOCALES_DIR, languages=[locale])
    catalogue: dict[str, str] = getattr(translation, "_catalog", {})
    return catalogue


def translated_names(name: str, domain: str) -> dict[str, str]:
    """A name in English and in every language whose pycountry catalogue translates it.

    Untranslated names are left out rather than copied in English under another tag.

    >>> translated_names("Switzerland", "iso3166-1")["fr"]
    'Suisse'
    """
    names = {"en": name}
    for tag, locale in LANGUAGES:
        text = _catalogue(domain, locale).get(name)
        if text:
            names[tag] = text
    return names


def _date_literal(value: str) -> Literal:
    """An ``xsd:date`` for ``YYYY-MM-DD``, an ``xsd:gYear`` for ``YYYY``."""
    return Literal(value, datatype=XSD.gYear if len(value) == 4 else XSD.date)


def _add_names(graph: Graph, iri: URIRef, record: Any, domain: str) -> None:
    """schema:name in the six languages, schema:alternateName for other English names."""
    for tag, text in translated_names(record.name, domain).items():
        graph.add((iri, SCHEMA.name, Literal(text, lang=tag)))
    for attribute in ("official_name", "common_name"):
        other = getattr(record, attribute, None)
        if other and other != record.name:
            graph.add((iri, SCHEMA.alternateName, Literal(other, lang="en")))


def _add_country(graph: Graph, record: Any) -> None:
    """One current ISO 3166-1 country."""
    iri = country_iri(record.alpha_2)
    graph.add((iri, RDF.type, SCHEMA.Country))
    _add_names(graph, iri, record, "iso3166-1")
    graph.add((iri, SD.iso3166Alpha2, Literal(record.alpha_2)))
    graph.add((iri, SD.iso3166Alpha3, Literal(record.alpha_3)))
    graph.add((iri, SD.iso3166Numeric, Literal(record.numeric)))


def _add_former_country(graph: Graph, record: Any) -> None:
    """One former country (ISO 3166-3), keyed on its alpha-4 code.

    Its withdrawn alpha-2/alpha-3/numeric codes are not repeated as ``sd:iso3166Alpha2`` etc.:
    ISO reassigns them (``CS`` was Czechoslovakia, then Serbia and Montenegro), so they would
    make a code lookup ambiguous. The shape accepts only the alpha-4 for a former country.
    """
    iri = country_iri(record.alpha_4)
    graph.add((iri, RDF.type, SCHEMA.Country))
    _add_names(graph, iri, record, "iso3166-3")
    graph.add((iri, SD.iso3166Alpha4, Literal(record.alpha_4)))
    withdrawal = getattr(record, "withdrawal_date", None)
    if withdrawal:
        graph.add((iri, SCHEMA.dissolutionDate, _date_literal(withdrawal)))
        note = (
            f"schema:dissolutionDate is the date ISO 3166 withdrew the code {record.alpha_4} "
            "(pycountry's withdrawal_date); it may differ from the date the state ceased to exist."
        )
        graph.add((iri, SKOS.note, Literal(note, lang="en")))
    comment = getattr(record, "comment", None)
    if comment:
        graph.add((iri, SKOS.note, Literal(f"ISO 3166-3: {comment}", lang="en")))


def former_countries() -> list[Any]:
    """The pycountry records of :data:`FORMER_COUNTRIES`, in that order."""
    return [pycountry.historic_countries.get(alpha_4=code) for code in FORMER_COUNTRIES]


def _describe(default: Graph, version: str) -> None:
    """The graph's provenance and its source entity, in the default graph."""
    describe_generated(
        default,
        ISO3166_GRAPH,
        title="ISO 3166-1 countries and the former countries the sources need, from pycountry",
        description=(
            "Generated by scidip_graph.ingest.countries (scidip-graph build-countries) from "
            f"pycountry {version}; the generation time recorded is pycountry's release date, so "
            "the file is reproducible."
        ),
        generated=f"{release_date(version)}T00:00:00Z",
        source=SOURCE,
        source_title=(
            f"pycountry {version}: the ISO 3166-1 country codes and ISO 3166-3 former country "
            "codes, with their gettext translations (from Debian iso-codes)"
        ),
        version=version,
        url=PYCOUNTRY_URL,
    )


def describe_generated(
    default: Graph,
    graph: URIRef,
    *,
    title: str,
    description: str,
    generated: str,
    source: URIRef,
    source_title: str,
    version: str,
    url: URIRef,
) -> None:
    """A generated graph's description (documentary, derived from a library's data) and the
    library as its source entity, in the default graph (``build-countries``, ``build-regions``)."""
    for predicate, value in (
        (RDF.type, SD.SourceGraph),
        (RDF.type, SD.DocumentaryGraph),
        (DCTERMS.title, Literal(title, lang="en")),
        (SCHEMA.description, Literal(description, lang="en")),
        (PROV.wasDerivedFrom, source),
        (PROV.wasAttributedTo, CURATORS),
        (PROV.generatedAtTime, Literal(generated, datatype=XSD.dateTime, normalize=False)),
        (DCTERMS.license, LICENSE),
    ):
        default.add((graph, predicate, value))
    for predicate, value in (
        (RDF.type, PROV.Entity),
        (RDF.type, SCHEMA.Dataset),
        (DCTERMS.title, Literal(source_title, lang="en")),
        (SCHEMA.version, Literal(version)),
        (SCHEMA.url, url),
    ):
        default.add((source, predicate, value))


def build_countries() -> Dataset:
    """Build the countries dataset: ``graph:iso3166`` plus its description.

    Returns:
        A new dataset whose named graph ``graph:iso3166`` holds 249 ISO 3166-1 countries and
        the former countries of :data:`FORMER_COUNTRIES`, and whose default graph describes it.

    >>> ds = build_countries()
    >>> names = ds.graph(ISO3166_GRAPH).objects(country_iri("AT"), SCHEMA.name)
    >>> sorted(f"{n}@{n.language}" for n in names)
    ['Austria@en', 'Austria@es', 'Autriche@fr', 'Австрия@ru', 'النّمسا@ar', '奥地利@zh']
    """
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    graph = dataset.graph(ISO3166_GRAPH)
    for record in pycountry.countries:
        _add_country(graph, record)
    for record in former_countries():
        _add_former_country(graph, record)
    _describe(dataset.default_graph, pycountry_version())
    return dataset


def turtle_parts(graph: Graph) -> tuple[list[str], list[str]]:
    """A graph as Turtle, split into its ``@prefix`` lines and its statement lines."""
    text = graph.serialize(format="turtle")
    lines = text.strip().splitlines()
    prefixes = [line for line in lines if line.startswith("@prefix")]
    body = [line for line in lines if not line.startswith("@prefix")]
    while body and not body[0].strip():
        body.pop(0)
    return prefixes, body


def trig_document(blocks: list[tuple[str, Graph]], header: list[str]) -> str:
    """Graphs as one TriG text, in the order given: ``(opening line, graph)`` per block.

    rdflib orders the graphs of a dataset by hash, so each graph is serialised on its own
    (rdflib sorts subjects, predicates and objects within a graph) and the blocks are
    assembled in a fixed order. Without blank nodes the text is byte-stable.
    """
    prefixes: set[str] = set()
    rendered: list[str] = []
    for opening, graph in blocks:
        # Getting a graph from a dataset re-binds rdflib's defaults (dcterms:): undo that.
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True, replace=True)
        graph_prefixes, body = turtle_parts(graph)
        prefixes.update(graph_prefixes)
        indented = [f"    {line}" if line else "" for line in body]
        rendered.append("\n".join([opening, *indented, "}"]))
    lines = [*header, "", *sorted(prefixes), ""]
    return "\n".join(lines) + "\n" + "\n\n".join(rendered) + "\n"


def serialize_countries() -> str:
    """The countries dataset as TriG text: the description block, then the named graph."""
    dataset = build_countries()
    blocks: list[tuple[str, Graph]] = [
        ("{", dataset.default_graph),
        ("graph:iso3166 {", dataset.graph(ISO3166_GRAPH)),
    ]
    header = [
        "# Generated by scidip_graph.ingest.countries from pycountry; do not edit by hand.",
        "# Regenerate with: scidip-graph build-countries",
    ]
    return trig_document(blocks, header)


def write_countries(path: Path | str = DEFAULT_DATA_PATH) -> None:
    """Write the countries dataset as TriG.

    Args:
        path: where to write; by default ``data/iso3166.trig``.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     target = pathlib.Path(tmp) / "iso3166.trig"
    ...     write_countries(target)
    ...     target.read_text(encoding="utf-8").startswith("# Generated")
    True
    """
    Path(path).write_text(serialize_countries(), encoding="utf-8")
