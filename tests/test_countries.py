"""The generated countries (data/iso3166.trig) and their SHACL shape (shapes-iso3166.ttl)."""

from __future__ import annotations

import pycountry
import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SH

from scidip_graph.ingest.countries import (
    DEFAULT_DATA_PATH,
    ISO3166_GRAPH,
    LANGUAGES,
    build_countries,
    country_iri,
    pycountry_version,
    release_date,
    serialize_countries,
    translated_names,
)
from scidip_graph.ingest.country_shapes import DEFAULT_SHAPES_PATH, serialize_shapes
from scidip_graph.namespaces import SCHEMA, SD

ALL_TAGS = ("en", *(tag for tag, _ in LANGUAGES))


@pytest.fixture(scope="module")
def committed() -> Dataset:
    """The committed data file, parsed."""
    return Dataset().parse(DEFAULT_DATA_PATH, format="trig")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    """The committed shapes file, parsed."""
    return Graph().parse(DEFAULT_SHAPES_PATH, format="turtle")


def _countries_graph(codes: list[str]) -> Graph:
    """A plain graph with the generated description of some countries."""
    source = build_countries().graph(ISO3166_GRAPH)
    graph = Graph()
    for code in codes:
        for triple in source.triples((country_iri(code), None, None)):
            graph.add(triple)
    return graph


def _violations(data: Graph, shapes: Graph) -> list[tuple[str, str]]:
    """(focus node, message) of every result of validating ``data`` against ``shapes``."""
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes)
    results = [
        (str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultMessage)))
        for r in report.subjects(RDF.type, SH.ValidationResult)
    ]
    assert conforms == (not results)
    return results


# --- reproducibility ---------------------------------------------------------------------


def test_committed_data_equals_a_fresh_generation() -> None:
    assert DEFAULT_DATA_PATH.read_text(encoding="utf-8") == serialize_countries()


def test_committed_shapes_equal_a_fresh_generation() -> None:
    assert DEFAULT_SHAPES_PATH.read_text(encoding="utf-8") == serialize_shapes()


def test_generation_time_is_the_pycountry_release_date(committed: Dataset) -> None:
    generated = committed.default_graph.value(ISO3166_GRAPH, PROV.generatedAtTime)
    assert isinstance(generated, Literal)
    assert generated.toPython().isoformat() == f"{release_date(pycountry_version())}T00:00:00+00:00"


def test_release_date_rejects_a_non_calendar_version() -> None:
    with pytest.raises(ValueError, match="calendar version"):
        release_date("1.0")


# --- content -------------------------------------------------------------------------------


def test_249_iso_countries(committed: Dataset) -> None:
    graph = committed.graph(ISO3166_GRAPH)
    alpha2 = {str(o) for o in graph.objects(None, SD.iso3166Alpha2)}
    assert len(alpha2) == 249 == len(pycountry.countries)
    for code in alpha2:
        assert (country_iri(code), RDF.type, SCHEMA.Country) in graph


def test_names_in_the_six_languages(committed: Dataset) -> None:
    """Every country has a name in en, fr, es, ar, zh, ru, except where pycountry has none.

    pycountry 26.2 lacks one translation (Türkiye in Arabic, renamed in ISO 3166 in 2022);
    the generator leaves it out rather than copying the English name under @ar.
    """
    graph = committed.graph(ISO3166_GRAPH)
    gaps = set()
    for record in pycountry.countries:
        tags = {n.language for n in graph.objects(country_iri(record.alpha_2), SCHEMA.name)}
        expected = set(translated_names(record.name, "iso3166-1"))
        assert tags == expected
        gaps |= {(record.alpha_2, tag) for tag in ALL_TAGS if tag not in tags}
    assert len(gaps) <= 2, gaps


def test_english_names_and_aliases(committed: Dataset) -> None:
    graph = committed.graph(ISO3166_GRAPH)
    cz = country_iri("CZ")
    assert Literal("Czechia", lang="en") in set(graph.objects(cz, SCHEMA.name))
    assert Literal("Czech Republic", lang="en") in set(graph.objects(cz, SCHEMA.alternateName))
    assert str(graph.value(country_iri("AT"), SD.iso3166Numeric)) == "040"


def test_former_countries(committed: Dataset) -> None:
    graph = committed.graph(ISO3166_GRAPH)
    for code, withdrawn in (("YUCS", "2003-07-23"), ("CSHH", "1993-06-15")):
        iri = country_iri(code)
        assert (iri, RDF.type, SCHEMA.Country) in graph
        assert str(graph.value(iri, SD.iso3166Alpha4)) == code
        assert str(graph.value(iri, SCHEMA.dissolutionDate)) == withdrawn
        assert graph.value(iri, SD.iso3166Alpha2) is None


def test_no_blank_nodes_and_no_https_schema(committed: Dataset) -> None:
    for quad in committed.quads():
        assert not any(isinstance(term, BNode) for term in quad[:3])
        assert not any(str(term).startswith("https://schema.org/") for term in quad[:3])


def test_description_in_the_default_graph(committed: Dataset) -> None:
    default = committed.default_graph
    assert (ISO3166_GRAPH, RDF.type, SD.SourceGraph) in default
    source = default.value(ISO3166_GRAPH, PROV.wasDerivedFrom)
    assert source == URIRef("https://w3id.org/scidip/id/source/iso3166-pycountry")
    assert "pycountry" in str(default.value(source, DCTERMS.title))


def test_pyoxigraph_reads_the_file() -> None:
    store = ox.Store()
    store.load(path=str(DEFAULT_DATA_PATH), format=ox.RdfFormat.TRIG)
    names = {str(g) for g in store.named_graphs()}
    assert names == {f"<{ISO3166_GRAPH}>"}


# --- the SHACL shape -------------------------------------------------------------------------


def test_generated_data_conforms(committed: Dataset, shapes: Graph) -> None:
    """The whole generated graph passes (pyshacl parses the query per country: ~20 s)."""
    data = Graph()
    for triple in committed.graph(ISO3166_GRAPH):
        data.add(triple)
    assert _violations(data, shapes) == []


def test_shape_catches_a_wrong_alpha3(shapes: Graph) -> None:
    data = _countries_graph(["AT", "CH", "YUCS"])
    data.set((country_iri("CH"), SD.iso3166Alpha3, Literal("CHF")))
    [(focus, message)] = _violations(data, shapes)
    assert focus == str(country_iri("CH"))
    assert message == "The alpha-3 code of CH is CHE."


def test_shape_catches_a_wrong_iri(shapes: Graph) -> None:
    data = _countries_graph(["AT"])
    wrong = URIRef(str(country_iri("AT")).replace("/AT", "/AU"))
    for _, predicate, obj in list(data.triples((country_iri("AT"), None, None))):
        data.add((wrong, predicate, obj))
    violations = _violations(data, shapes)
    assert {focus for focus, _ in violations} == {str(wrong)}
    assert sorted(message for _, message in violations) == [
        "The alpha-2 code of AU is AU.",
        "The alpha-3 code of AU is AUS.",
        "The numeric code of AU is 036.",
    ]


def test_shape_catches_a_former_country_under_a_current_iri(shapes: Graph) -> None:
    data = Graph()
    iri = country_iri("CS")
    data.add((iri, RDF.type, SCHEMA.Country))
    data.add((iri, SD.iso3166Alpha4, Literal("CSHH")))
    [(focus, _)] = _violations(data, shapes)
    assert focus == str(iri)


def test_every_country_the_data_names_is_generated(committed: Dataset) -> None:
    """Each id:country/... IRI used in any bundled graph is a country of graph:iso3166."""
    generated = set(committed.graph(ISO3166_GRAPH).subjects(RDF.type, SCHEMA.Country))
    prefix = str(country_iri("XX"))[:-2]
    used: set[URIRef] = set()
    for path in sorted(DEFAULT_DATA_PATH.parent.glob("*.trig")):
        for quad in Dataset().parse(path, format="trig").quads():
            used |= {t for t in quad[:3] if isinstance(t, URIRef) and t.startswith(prefix)}
    assert used - generated == set()
