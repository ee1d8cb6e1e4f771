"""Regions and groupings of countries as RDF, generated from country-converter.

``data/regions.trig`` holds the named graph ``graph:regions``, reproducible from the installed
`country-converter <https://pypi.org/project/country-converter/>`_ (a maintainers' tool:
``pip install -e '.[maintainers]'``, then ``scidip-graph build-regions``; the generated TriG
is the data, the library is not needed to serve it):

- **Regions** (``sd:Region``, ``id:region/{slug}``): the library's continents
  (``continent``) and its UN M49 regions (``UNregion``: the M49 sub-regions, and the
  intermediate regions where M49 has them, such as Eastern Africa or the Caribbean). Each
  ISO 3166-1 country is ``schema:containedInPlace`` its region and its continent; a region is
  contained in the continent most of its countries are in.
- **Groupings** as organisations (``id:organization/{slug}``): the United Nations, the OECD
  (membership dated with the library's years, as ``org:Membership`` like CERN's), and the
  European Union, the G7, the G20, BRIC and the Council of Europe (the library gives no
  years: the ``sd:memberOf`` shortcut only, as of the library's release). The library marks
  every EU member state as G20 (the EU is a member); the countries members in their own right
  are the others and the EU's G7 states, and the EU itself is a member.

The generation time recorded is a constant (:data:`GENERATED`), never the clock, so running it
again with the same library gives the same file. ``country_converter`` (which reads its table
with pandas) is imported only when the library's table is read.
"""

from __future__ import annotations

import importlib.metadata
import re
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pycountry
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, TIME, XSD

from scidip_graph.ingest.countries import country_iri, describe_generated, trig_document
from scidip_graph.namespaces import GRAPH, ID, PREFIXES, SCHEMA, SD
from scidip_graph.resources import DATA_DIR

REGIONS_GRAPH = GRAPH["regions"]
"""The named graph that holds the generated regions and groupings."""

SOURCE = ID["source/country-converter"]
LIBRARY_URL = URIRef("https://pypi.org/project/country-converter/")
DEFAULT_DATA_PATH = DATA_DIR / "regions.trig"

GENERATED = "2026-11-30T00:00:00Z"
"""When the maintainers generated the file: a constant, so that running it again with the same
library gives the same bytes (change it with the library's version)."""

DATED_ROLES = {"UNmember": ID["role/member-state"], "OECD": ID["role/member"]}
"""The groupings whose membership years the library has, and the role each calls members."""

GROUPINGS: dict[str, tuple[str, str, str | None]] = {
    "UNmember": ("united-nations", "United Nations", "UN"),
    "OECD": ("oecd", "Organisation for Economic Co-operation and Development", "OECD"),
    "EU": ("european-union", "European Union", "EU"),
    "G7": ("g7", "Group of Seven", "G7"),
    "G20": ("g20", "Group of Twenty", "G20"),
    "BRIC": ("bric", "BRIC", None),
    "CoE": ("council-of-europe", "Council of Europe", None),
}
"""Library column -> (organisation slug, English name, acronym)."""


def slug(name: str) -> str:
    """A region's name as the slug of its IRI.

    >>> slug("South-eastern Asia"), slug("Australia and New Zealand")
    ('south-eastern-asia', 'australia-and-new-zealand')
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def region_iri(name: str) -> URIRef:
    return ID[f"region/{slug(name)}"]


def library_version() -> str:
    """The installed country-converter's version ("not installed" without the extra)."""
    try:
        return importlib.metadata.version("country-converter")
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def country_table() -> dict[str, dict[str, Any]]:
    """The library's row for each ISO 3166-1 country, by alpha-2 code (NaN read as None).

    The library keys a few rows with a pattern (``^GB$|^UK$``), so rows are found through its
    own conversion to the short name, which is unique.
    """
    import logging

    import country_converter as coco

    logging.getLogger("country_converter").setLevel(logging.ERROR)
    converter = coco.CountryConverter()
    data = converter.data.set_index("name_short")
    table: dict[str, dict[str, Any]] = {}
    for record in pycountry.countries:
        name = converter.convert(names=record.alpha_2, src="ISO2", to="name_short")
        if not isinstance(name, str) or name not in data.index:
            continue
        row = data.loc[name]
        table[record.alpha_2] = {k: (None if _missing(v) else v) for k, v in row.items()}
    return table


def _missing(value: Any) -> bool:
    try:
        return bool(value != value) or value is None or str(value) in ("<NA>", "nan")
    except (TypeError, ValueError):
        return True


def _year(value: Any) -> str:
    return str(int(float(value)))


def build_regions(table: dict[str, dict[str, Any]] | None = None) -> Dataset:
    """Build ``graph:regions`` and its description, from the library's table by default.

    >>> row = {"continent": "Asia", "UNregion": "Western Asia"}
    >>> g = build_regions({"JO": row}).graph(REGIONS_GRAPH)
    >>> sorted(str(o) for o in g.objects(country_iri("JO"), SCHEMA.containedInPlace))
    ['https://w3id.org/scidip/id/region/asia', 'https://w3id.org/scidip/id/region/western-asia']
    """
    table = country_table() if table is None else table
    dataset = Dataset()
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    graph = dataset.graph(REGIONS_GRAPH)
    _add_regions(graph, table)
    _add_groupings(graph, table)
    _describe(dataset.default_graph, library_version())
    return dataset


def _add_regions(graph: Graph, table: dict[str, dict[str, Any]]) -> None:
    continents_of: dict[str, list[str]] = defaultdict(list)
    for code, row in table.items():
        continent, region = row.get("continent"), row.get("UNregion")
        for name in (continent, region):
            if name:
                iri = region_iri(name)
                graph.add((iri, RDF.type, SD.Region))
                graph.add((iri, SCHEMA.name, Literal(name, lang="en")))
                graph.add((country_iri(code), SCHEMA.containedInPlace, iri))
        if continent and region and region != continent:
            continents_of[region].append(continent)
    for region, continents in continents_of.items():
        # The continent most of its countries are in: the library puts a few islands of a
        # region elsewhere (Bouvet Island, in South America, on the Antarctic continent).
        continent, count = Counter(continents).most_common(1)[0]
        if count * 2 > len(continents):
            graph.add((region_iri(region), SCHEMA.containedInPlace, region_iri(continent)))


def _add_groupings(graph: Graph, table: dict[str, dict[str, Any]]) -> None:
    for column, (org_slug, name, acronym) in GROUPINGS.items():
        org = ID[f"organization/{org_slug}"]
        graph.add((org, RDF.type, SCHEMA.Organization))
        graph.add((org, RDF.type, ORG.Organization))
        graph.add((org, SCHEMA.name, Literal(name, lang="en")))
        if acronym and acronym != name:
            graph.add((org, SCHEMA.alternateName, Literal(acronym, lang="en")))
        for code in sorted(_members(column, table)):
            member = country_iri(code)
            graph.add((member, SD.memberOf, org))
            if column in DATED_ROLES:
                _add_membership(graph, org_slug, org, code, column, table[code][column])
    graph.add((ID["organization/european-union"], SD.memberOf, ID["organization/g20"]))


def _members(column: str, table: dict[str, dict[str, Any]]) -> set[str]:
    members = {code for code, row in table.items() if row.get(column)}
    if column == "G20":  # the EU's member states are marked G20 through the EU
        eu = _members("EU", table)
        members -= eu - _members("G7", table)
    return members


def _add_membership(
    graph: Graph, org_slug: str, org: URIRef, code: str, column: str, year: Any
) -> None:
    membership = ID[f"membership/{org_slug}-{code.lower()}"]
    interval = ID[f"membership/{org_slug}-{code.lower()}/period"]
    beginning = ID[f"membership/{org_slug}-{code.lower()}/beginning"]
    graph.add((membership, RDF.type, ORG.Membership))
    graph.add((membership, ORG.member, country_iri(code)))
    graph.add((membership, ORG.organization, org))
    graph.add((membership, ORG.role, DATED_ROLES[column]))
    graph.add((membership, ORG.memberDuring, interval))
    graph.add((interval, RDF.type, TIME.Interval))
    graph.add((interval, TIME.hasBeginning, beginning))
    graph.add((beginning, RDF.type, TIME.Instant))
    graph.add((beginning, TIME.inXSDgYear, Literal(_year(year), datatype=XSD.gYear)))


def _describe(default: Graph, version: str) -> None:
    describe_generated(
        default,
        REGIONS_GRAPH,
        title="UN M49 regions, continents and groupings of countries, from country-converter",
        description=(
            "Generated by scidip_graph.ingest.regions (scidip-graph build-regions) from "
            f"country-converter {version}: the continent and UN region of each ISO 3166-1 "
            "country, membership of the United Nations and the OECD with the year it began, and "
            "membership of the European Union, the G7, the G20, BRIC and the Council of Europe "
            "as of the library's data."
        ),
        generated=GENERATED,
        source=SOURCE,
        source_title=f"country-converter {version}: country classifications and memberships",
        version=version,
        url=LIBRARY_URL,
    )


def serialize_regions(dataset: Dataset | None = None) -> str:
    """The regions dataset as TriG: the description block, then the named graph."""
    dataset = build_regions() if dataset is None else dataset
    blocks = [("{", dataset.default_graph), ("graph:regions {", dataset.graph(REGIONS_GRAPH))]
    header = [
        "# Generated by scidip_graph.ingest.regions from country-converter; do not edit by hand.",
        "# Regenerate with: pip install -e '.[maintainers]' && scidip-graph build-regions",
    ]
    return trig_document(blocks, header)


def write_regions(path: Path | str = DEFAULT_DATA_PATH) -> None:
    """Write ``data/regions.trig`` (or ``path``)."""
    Path(path).write_text(serialize_regions(), encoding="utf-8")
