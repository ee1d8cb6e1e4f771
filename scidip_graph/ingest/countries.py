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
    COUNTRY_SHAPE_PREFIXES,
    GRAPH,
    ID,
    PREFIXES,
    SCHEMA,
    SCIDIP,
    SD,
    prefix_declarations,
)
from scidip_graph.resources import DATA_DIR, ONTOLOGY_DIR

ISO3166_GRAPH = GRAPH["iso3166"]
"""The named graph that holds the generated countries."""

SOURCE = ID["source/iso3166-pycountry"]
"""The source entity: pycountry's copy of the ISO 3166 code lists."""

CURATORS = ID["agent/curators"]
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
PYCOUNTRY_URL = URIRef("https://pypi.org/project/pycountry/")

DEFAULT_DATA_PATH = DATA_DIR / "iso3166.trig"
DEFAULT_SHAPES_PATH = ONTOLOGY_DIR / "shapes-iso3166.ttl"

LANGUAGES: tuple[tuple[str, str], ...] = (
    ("fr", "fr"),
    ("es", "es"),
    ("ar", "ar"),
    ("zh", "zh_CN"),
    ("ru", "ru"),
)
"""(language tag, pycountry locale) for the names besides English, which is pycountry's own."""

FORMER_COUNTRIES: tuple[str, ...] = ("CSHH", "YUCS")
"""ISO 3166-3 alpha-4 codes of the former countries the sources name (CERN members)."""

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
    generated = Literal(
        f"{release_date(version)}T00:00:00Z", datatype=XSD.dateTime, normalize=False
    )
    title = "ISO 3166-1 countries and the former countries the sources need, from pycountry"
    for predicate, value in (
        (RDF.type, SD.SourceGraph),
        (DCTERMS.title, Literal(title, lang="en")),
        (PROV.wasDerivedFrom, SOURCE),
        (PROV.wasAttributedTo, CURATORS),
        (PROV.generatedAtTime, generated),
        (DCTERMS.license, LICENSE),
    ):
        default.add((ISO3166_GRAPH, predicate, value))
    description = (
        "Generated by scidip_graph.ingest.countries (scidip-graph build-countries) from pycountry "
        f"{version}; the generation time recorded is pycountry's release date, so the file "
        "is reproducible."
    )
    default.add((ISO3166_GRAPH, SCHEMA.description, Literal(description, lang="en")))
    source_title = (
        f"pycountry {version}: the ISO 3166-1 country codes and ISO 3166-3 former country "
        "codes, with their gettext translations (from Debian iso-codes)"
    )
    for predicate, value in (
        (RDF.type, PROV.Entity),
        (RDF.type, SCHEMA.Dataset),
        (DCTERMS.title, Literal(source_title, lang="en")),
        (SCHEMA.version, Literal(version)),
        (SCHEMA.url, PYCOUNTRY_URL),
    ):
        default.add((SOURCE, predicate, value))


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


def _turtle_parts(graph: Graph) -> tuple[list[str], list[str]]:
    """A graph as Turtle, split into its ``@prefix`` lines and its statement lines."""
    text = graph.serialize(format="turtle")
    lines = text.strip().splitlines()
    prefixes = [line for line in lines if line.startswith("@prefix")]
    body = [line for line in lines if not line.startswith("@prefix")]
    while body and not body[0].strip():
        body.pop(0)
    return prefixes, body


def serialize_countries() -> str:
    """The countries dataset as TriG text: the description block, then the named graph.

    rdflib orders the graphs of a dataset by hash, so each graph is serialised on its own
    (rdflib sorts subjects, predicates and objects within a graph) and the blocks are
    assembled in a fixed order. There are no blank nodes, so the text is byte-stable.
    """
    dataset = build_countries()
    blocks: list[tuple[str, Graph]] = [
        ("{", dataset.default_graph),
        ("graph:iso3166 {", dataset.graph(ISO3166_GRAPH)),
    ]
    prefixes: set[str] = set()
    rendered: list[str] = []
    for opening, graph in blocks:
        # Getting a graph from the dataset re-binds rdflib's defaults (dcterms:): undo that.
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace, override=True, replace=True)
        graph_prefixes, body = _turtle_parts(graph)
        prefixes.update(graph_prefixes)
        indented = [f"    {line}" if line else "" for line in body]
        rendered.append("\n".join([opening, *indented, "}"]))
    header = [
        "# Generated by scidip_graph.ingest.countries from pycountry; do not edit by hand.",
        "# Regenerate with: scidip-graph build-countries",
        "",
        *sorted(prefixes),
        "",
    ]
    return "\n".join(header) + "\n" + "\n\n".join(rendered) + "\n"


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


# --- the SHACL shape ------------------------------------------------------------------------

CodeRow = tuple[str | None, str | None, str | None, str | None]


def code_table() -> list[CodeRow]:
    """Every ISO 3166 code combination: (alpha-2, alpha-3, numeric, alpha-4).

    Current countries (ISO 3166-1) have no alpha-4; former countries (all of ISO 3166-3 that
    pycountry knows) have their alpha-4 and whichever withdrawn codes pycountry gives.

    >>> ("CH", "CHE", "756", None) in code_table()
    True
    """
    current: list[CodeRow] = [(c.alpha_2, c.alpha_3, c.numeric, None) for c in pycountry.countries]
    former: list[CodeRow] = [
        (c.alpha_2, c.alpha_3, getattr(c, "numeric", None), c.alpha_4)
        for c in pycountry.historic_countries
    ]
    return sorted(current) + sorted(former, key=lambda row: row[3] or "")


_HEADER = """\
# SHACL shapes for the ISO 3166 codes of countries. Generated by scidip_graph.ingest.countries from
# pycountry {version}; do not edit by hand (scidip-graph build-countries regenerates it).
#
# Core SHACL only, so that any validator runs it and fast: a country's IRI must be one ISO 3166
# assigns (sd:CountryCodesShape), and each country's own shape pins its codes (a current
# country: alpha-2, alpha-3 and numeric; a former country, ISO 3166-3: alpha-4 only). That a
# current country has all three codes at all is for the cardinality shapes in shapes.ttl.

{prefixes}
<{ontology}> a owl:Ontology ;
    rdfs:label "SHACL shapes for the ISO 3166 codes of countries"@en .

sd:CountryCodesShape a sh:NodeShape ;
    rdfs:label "Country codes shape"@en ;
    rdfs:comment "{comment}"@en ;
    sh:targetClass schema:Country ;
    sh:in (
{iris}
    ) ;
    sh:severity sh:Violation ;
    sh:message "{message}"@en .
"""


_CODE_NAMES = {
    "iso3166Alpha2": "alpha-2",
    "iso3166Alpha3": "alpha-3",
    "iso3166Numeric": "numeric",
    "iso3166Alpha4": "alpha-4",
}


def _country_shape(row: CodeRow) -> str:
    alpha_2, alpha_3, numeric, alpha_4 = row
    segment = alpha_4 or alpha_2
    codes: list[tuple[str, str | None]]
    if alpha_4 is not None:
        codes = [("iso3166Alpha4", alpha_4)]
        absent = ["iso3166Alpha2", "iso3166Alpha3", "iso3166Numeric"]
    else:
        codes = [
            ("iso3166Alpha2", alpha_2),
            ("iso3166Alpha3", alpha_3),
            ("iso3166Numeric", numeric),
        ]
        absent = ["iso3166Alpha4"]
    properties = [
        f'[ sh:path sd:{prop} ; sh:in ( "{value}" ) ; sh:message '
        f'"The {_CODE_NAMES[prop]} code of {segment} is {value}."@en ]'
        for prop, value in codes
    ] + [
        f"[ sh:path sd:{prop} ; sh:maxCount 0 ; sh:message "
        f'"{segment} has no {_CODE_NAMES[prop]} code in this data."@en ]'
        for prop in absent
    ]
    body = " ,\n        ".join(properties)
    return (
        f"iso:{segment} a sh:NodeShape ;\n    sh:targetNode <{COUNTRY_PREFIX}{segment}> ;\n"
        f"    sh:property {body} .\n"
    )


def serialize_shapes() -> str:
    """The SHACL shapes file as Turtle text.

    >>> "sd:CountryCodesShape a sh:NodeShape" in serialize_shapes()
    True
    """
    rows = code_table()
    iris = "\n".join(f"        <{COUNTRY_PREFIX}{row[3] or row[0]}>" for row in rows)
    version = pycountry_version()
    comment = (
        "A country's IRI ends with a code ISO 3166-1 assigns (alpha-2), or ISO 3166-3 for a "
        f"former country (alpha-4). Codes from pycountry {version}."
    )
    message = (
        "This country's IRI does not end with an ISO 3166 code: use "
        f"{COUNTRY_PREFIX} and the alpha-2 code (alpha-4 for a former country)."
    )
    parts = [
        _HEADER.format(
            version=version,
            iris=iris,
            comment=comment,
            message=message,
            prefixes=prefix_declarations(COUNTRY_SHAPE_PREFIXES),
            ontology=SCIDIP["ontology/shapes-iso3166"],
        )
    ]
    parts += [_country_shape(row) for row in rows]
    return "\n".join(parts)


def write_shapes(path: Path | str = DEFAULT_SHAPES_PATH) -> None:
    """Write the SHACL shapes file (by default ``ontology/shapes-iso3166.ttl``)."""
    Path(path).write_text(serialize_shapes(), encoding="utf-8")


def write_all(
    data_path: Path | str = DEFAULT_DATA_PATH, *, shapes_path: Path | str = DEFAULT_SHAPES_PATH
) -> None:
    """Write the data file and the shapes file."""
    write_countries(data_path)
    write_shapes(shapes_path)


if __name__ == "__main__":  # pragma: no cover - python -m scidip_graph.ingest.countries
    write_all()
