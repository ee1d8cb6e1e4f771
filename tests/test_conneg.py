"""Content negotiation of /id/... and /ontology: Accept with q-values, */*, suffixes, 404/406."""

from __future__ import annotations

import json

import pytest
import rdflib
import rdflib.compare
from flask.testing import FlaskClient

from scidip_graph.api import KnowledgeGraph
from scidip_graph.settings import Settings
from scidip_graph.web import create_app

CERN = "/id/organization/cern"
CERN_IRI = "https://w3id.org/scidip/id/organization/cern"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
JSONLD = "application/ld+json"
GRAPHS = "https://w3id.org/scidip/profile/named-graphs"


@pytest.fixture(scope="module")
def client(bundled_kg: KnowledgeGraph) -> FlaskClient:
    return create_app(Settings(), store=bundled_kg.store).test_client()


def parse(body: bytes, fmt: str) -> rdflib.Dataset:
    ds = rdflib.Dataset(default_union=True)
    ds.parse(data=body, format=fmt)
    return ds


def has_cern_name(ds: rdflib.Dataset) -> bool:
    name = rdflib.URIRef("http://schema.org/name")
    return (rdflib.URIRef(CERN_IRI), name, rdflib.Literal("CERN", lang="en")) in ds


@pytest.mark.parametrize(
    ("accept", "media", "rdflib_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/trig", "application/trig", "trig"),
        ("application/n-quads", "application/n-quads", "nquads"),
        ("text/n3", "text/turtle", "turtle"),
    ],
)
def test_accept_each_format(
    client: FlaskClient, accept: str, media: str, rdflib_format: str
) -> None:
    r = client.get(CERN, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.mimetype == media
    assert has_cern_name(parse(r.data, rdflib_format))
    assert r.headers["Vary"] == "Accept"


@pytest.mark.parametrize(
    ("suffix", "media", "rdflib_format"),
    [
        (".ttl", "text/turtle", "turtle"),
        (".jsonld", "application/ld+json", "json-ld"),
        (".nt", "application/n-triples", "nt"),
        (".rdf", "application/rdf+xml", "xml"),
        (".trig", "application/trig", "trig"),
        (".nq", "application/n-quads", "nquads"),
    ],
)
def test_suffix_each_format(
    client: FlaskClient, suffix: str, media: str, rdflib_format: str
) -> None:
    # The suffix wins over Accept.
    r = client.get(CERN + suffix, headers={"Accept": "text/html"})
    assert (r.status_code, r.mimetype) == (200, media)
    assert has_cern_name(parse(r.data, rdflib_format))


def test_html_suffix(client: FlaskClient) -> None:
    r = client.get(CERN + ".html", headers={"Accept": "text/turtle"})
    assert (r.status_code, r.mimetype) == (200, "text/html")


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        (BROWSER, "text/html"),
        ("*/*", "text/turtle"),
        (None, "text/turtle"),
        ("text/html;q=0.5, text/turtle", "text/turtle"),
        ("text/turtle;q=0.4, text/html", "text/html"),
        ("application/ld+json;q=0.9, application/rdf+xml;q=0.95", "application/rdf+xml"),
        ("text/*", "text/turtle"),
        ("image/png, */*;q=0.1", "text/turtle"),
        ("application/xhtml+xml", "text/html"),
    ],
)
def test_q_values_and_wildcards(client: FlaskClient, accept: str | None, media: str) -> None:
    r = client.get(CERN, headers={"Accept": accept} if accept else {})
    assert (r.status_code, r.mimetype) == (200, media)


def test_format_parameter(client: FlaskClient) -> None:
    assert client.get(CERN + "?format=nt").mimetype == "application/n-triples"
    assert client.get(CERN + "?format=html").mimetype == "text/html"


def test_link_headers(client: FlaskClient) -> None:
    link = client.get(CERN, headers={"Accept": "text/turtle"}).headers["Link"]
    assert f'<{CERN_IRI}>; rel="canonical"' in link
    for suffix, media in [
        (".ttl", "text/turtle"),
        (".jsonld", "application/ld+json"),
        (".nt", "application/n-triples"),
        (".rdf", "application/rdf+xml"),
        (".html", "text/html"),
    ]:
        assert f'{CERN}{suffix}>; rel="alternate"; type="{media}"' in link


def test_html_embeds_json_ld(client: FlaskClient) -> None:
    html = client.get(CERN, headers={"Accept": BROWSER}).data.decode()
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    body = html[start : html.index("</script>", start)]
    json.loads(body)  # well-formed JSON, nothing escaped away
    assert has_cern_name(parse(body.encode(), "json-ld"))


def test_resource_rdf_has_blank_node_closure_and_incoming(client: FlaskClient) -> None:
    serra = client.get("/id/person/cristina-serra.nt").data.decode()
    assert '"+39 338 430-5210"' in serra  # a contact point (blank node) is closed over
    membership = client.get("/id/membership/cern-be.ttl", headers={"Accept": "*/*"})
    ds = parse(membership.data, "turtle")
    date = rdflib.URIRef("http://www.w3.org/2006/time#inXSDDate")
    assert len(list(ds.triples((None, date, None)))) == 1  # interval -> instant -> date
    ch = client.get("/id/country/CH.nt").data.decode()
    assert "<https://w3id.org/scidip/id/membership/cern-ch> <http://www.w3.org/ns/org#member>" in ch


def test_dataset_formats_keep_graphs(client: FlaskClient) -> None:
    ds = parse(client.get(CERN + ".trig").data, "trig")
    graphs = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert "https://w3id.org/scidip/graph/identifiers" in graphs
    assert "https://w3id.org/scidip/graph/article" in graphs


def test_jsonld_is_the_description_as_one_graph_like_turtle(client: FlaskClient) -> None:
    turtle = rdflib.Graph().parse(data=client.get(CERN + ".ttl").data, format="turtle")
    for r in (client.get(CERN + ".jsonld"), client.get(CERN, headers={"Accept": JSONLD})):
        assert r.headers["Content-Type"] == JSONLD
        graph = rdflib.Graph().parse(data=r.data, format="json-ld")
        assert len(graph) == len(turtle) > 50
        assert rdflib.compare.isomorphic(graph, turtle)


@pytest.mark.parametrize(
    ("path", "accept"),
    [
        (CERN, f'{JSONLD};profile="{GRAPHS}"'),
        (CERN, f'{JSONLD};profile="{GRAPHS}", {JSONLD};q=0.9, text/turtle;q=0.5'),
        (CERN + ".jsonld?graphs", None),
        (CERN + "?graphs&format=jsonld", None),
    ],
)
def test_jsonld_keeps_the_graphs_by_profile_or_parameter(
    client: FlaskClient, path: str, accept: str | None
) -> None:
    r = client.get(path, headers={"Accept": accept} if accept else {})
    assert r.headers["Content-Type"] == f'{JSONLD}; profile="{GRAPHS}"'
    graphs = {str(g.identifier) for g in parse(r.data, "json-ld").graphs() if len(g)}
    trig = parse(client.get(CERN + ".trig").data, "trig")
    assert graphs == {str(g.identifier) for g in trig.graphs() if len(g)}
    assert "https://w3id.org/scidip/graph/article" in graphs


def test_the_graphs_variant_is_linked(client: FlaskClient) -> None:
    link = client.get(CERN, headers={"Accept": BROWSER}).headers["Link"]
    assert f'<{CERN}.jsonld?graphs>; rel="alternate"; type="{JSONLD}"; profile="{GRAPHS}"' in link


def test_jsonld_compacted_profile_is_accepted(client: FlaskClient) -> None:
    accept = f'{JSONLD};profile="http://www.w3.org/ns/json-ld#compacted"'
    r = client.get(CERN, headers={"Accept": accept})
    assert (r.status_code, r.headers["Content-Type"]) == (200, JSONLD)


# -- 404 and 406 ------------------------------------------------------------------------


def test_unknown_resource_browser_gets_a_helpful_page(client: FlaskClient) -> None:
    r = client.get("/id/organization/cern-lab", headers={"Accept": BROWSER})
    assert (r.status_code, r.mimetype) == (404, "text/html")
    assert 'href="/id/organization/cern"' in r.data.decode()


@pytest.mark.parametrize("accept", ["*/*", "text/turtle", "application/ld+json"])
def test_unknown_resource_machine_gets_json_error(client: FlaskClient, accept: str) -> None:
    r = client.get("/id/organization/nope", headers={"Accept": accept})
    assert (r.status_code, r.mimetype) == (404, "application/json")
    assert r.json["error"]["status"] == 404
    assert r.json["error"]["code"] == "not_found"


@pytest.mark.parametrize("path", ["/id/organization/nope.ttl", "/id/x%3E%20%3Cy", "/id/a/../b"])
def test_unknown_or_malformed_paths_are_404(client: FlaskClient, path: str) -> None:
    r = client.get(path, headers={"Accept": "text/turtle"})
    assert r.status_code == 404
    assert r.json["error"]["status"] == 404


@pytest.mark.parametrize("path", ["/nope", "/browse/nope:Thing", "/download/nope.ttl"])
def test_a_browser_gets_an_html_404_everywhere(client: FlaskClient, path: str) -> None:
    r = client.get(path, headers={"Accept": BROWSER})
    assert (r.status_code, r.mimetype) == (404, "text/html")
    page = r.data.decode()
    assert 'data-status="404"' in page and 'href="/search"' in page


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "text/turtle"])
def test_a_machine_gets_the_json_404(client: FlaskClient, accept: str | None) -> None:
    r = client.get("/nope", headers={"Accept": accept} if accept else {})
    assert (r.status_code, r.mimetype) == (404, "application/json")
    assert r.json["error"]["code"] == "not_found"


@pytest.mark.parametrize("accept", ["image/png", "application/pdf, text/csv"])
def test_not_acceptable(client: FlaskClient, accept: str) -> None:
    r = client.get(CERN, headers={"Accept": accept})
    assert (r.status_code, r.mimetype) == (406, "application/json")
    assert r.json["error"]["code"] == "not_acceptable"
    assert "text/turtle" in r.json["error"]["detail"]["available"]


def test_not_acceptable_format_parameter(client: FlaskClient) -> None:
    r = client.get(CERN + "?format=csv")
    assert r.status_code == 406


# -- the ontology -------------------------------------------------------------------------


def test_ontology_by_accept_and_suffix(client: FlaskClient) -> None:
    assert client.get("/ontology", headers={"Accept": BROWSER}).mimetype == "text/html"
    turtle = client.get("/ontology", headers={"Accept": "text/turtle"})
    assert turtle.mimetype == "text/turtle"
    assert turtle.data == client.get("/ontology.ttl").data
    g = rdflib.Graph().parse(data=turtle.data, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/scidip/ontology#Example"), None, None) in g
    assert client.get("/ontology", headers={"Accept": "image/png"}).status_code == 406
    for suffix, fmt in [(".jsonld", "json-ld"), (".nt", "nt"), (".rdf", "xml")]:
        other = rdflib.Graph().parse(data=client.get("/ontology" + suffix).data, format=fmt)
        assert len(other) == len(g)
    assert client.get("/ontology.exe").status_code == 404
