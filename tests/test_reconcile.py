"""The reconciliation service: the W3C Entity Reconciliation Service API (0.2) on the graph.

The shape checks are written from the specification's text (its JSON schemas are not
reachable offline): the manifest, a batch's results, suggest, property proposals and data
extension. A recorded OpenRefine 3.x session (``tests/data/openrefine-session.json``) is
replayed against the service.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pyoxigraph as ox
import pytest
from flask.testing import FlaskClient

from scidip_graph.api import KnowledgeGraph
from scidip_graph.curation.index import NameIndex
from scidip_graph.curation.reconcile import ReconQuery, reconcile_one
from scidip_graph.settings import Settings
from scidip_graph.store import OxigraphStore
from scidip_graph.web import create_app
from tests.conftest import TESTS

ID = "https://w3id.org/scidip/id/"
SCHEMA = "http://schema.org/"
SD = "https://w3id.org/scidip/ontology#"
SESSION = TESTS / "data" / "openrefine-session.json"


@pytest.fixture(scope="module")
def client(bundled_kg: KnowledgeGraph) -> FlaskClient:
    settings = Settings(public_url="https://kg.example.org")
    return create_app(settings, store=bundled_kg.store).test_client()


@pytest.fixture(scope="module")
def index(bundled_kg: KnowledgeGraph) -> NameIndex:
    return NameIndex.build(bundled_kg.store)


def two_academies() -> OxigraphStore:
    """Two organisations of one name in two countries, and one whose name is markup."""
    store = OxigraphStore()
    g = ox.NamedNode("https://w3id.org/scidip/graph/test")
    a = ox.NamedNode(f"{SCHEMA}name")
    kind = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    quads = []
    for slug, country, country_name in (("one", "CH", "Switzerland"), ("two", "FR", "France")):
        org, place = (
            ox.NamedNode(f"{ID}organization/{slug}"),
            ox.NamedNode(f"{ID}country/{country}"),
        )
        quads += [
            ox.Quad(org, kind, ox.NamedNode(f"{SCHEMA}Organization"), g),
            ox.Quad(org, a, ox.Literal("Academy of Sciences", language="en"), g),
            ox.Quad(org, ox.NamedNode(f"{SCHEMA}location"), place, g),
            ox.Quad(place, kind, ox.NamedNode(f"{SCHEMA}Country"), g),
            ox.Quad(place, a, ox.Literal(country_name, language="en"), g),
            ox.Quad(place, ox.NamedNode(f"{SD}iso3166Alpha2"), ox.Literal(country), g),
        ]
    markup = ox.NamedNode(f"{ID}organization/markup")
    quads += [
        ox.Quad(markup, kind, ox.NamedNode(f"{SCHEMA}Organization"), g),
        ox.Quad(markup, a, ox.Literal('<script>alert("x")</script> & Co'), g),
    ]
    store.add(quads)
    return store


# -- shape checks, from the specification's text ----------------------------------------------


def check_type(value: Any) -> None:
    """A type: an object with a string id (and a string name), or a bare id."""
    if isinstance(value, str):
        return
    assert isinstance(value, dict) and isinstance(value["id"], str), value
    assert isinstance(value.get("name", ""), str)


def check_manifest(m: dict[str, Any]) -> None:
    for key in ("versions", "name", "identifierSpace", "schemaSpace"):
        assert key in m, key
    assert "0.2" in m["versions"] and all(isinstance(v, str) for v in m["versions"])
    assert isinstance(m["name"], str) and isinstance(m["identifierSpace"], str)
    for t in m["defaultTypes"]:
        check_type(t)
    assert len({json.dumps(t, sort_keys=True) for t in m["defaultTypes"]}) == len(m["defaultTypes"])
    assert "{{id}}" in m["view"]["url"]
    preview = m["preview"]
    assert "{{id}}" in preview["url"]
    assert isinstance(preview["width"], int) and isinstance(preview["height"], int)
    for kind in ("entity", "property", "type"):
        service = m["suggest"][kind]
        assert isinstance(service["service_url"], str)
        assert service["service_path"].startswith("/")
    propose = m["extend"]["propose_properties"]
    assert isinstance(propose["service_url"], str) and isinstance(propose["service_path"], str)
    assert isinstance(m["extend"]["property_settings"], list)


def check_results(batch: dict[str, Any], keys: set[str]) -> None:
    assert set(batch) == keys
    for answer in batch.values():
        assert isinstance(answer["result"], list)
        for c in answer["result"]:
            assert isinstance(c["id"], str) and isinstance(c["name"], str)
            assert isinstance(c["score"], int | float) and not isinstance(c["score"], bool)
            assert isinstance(c["match"], bool)
            assert isinstance(c.get("description", ""), str)
            for t in c["type"]:
                check_type(t)


def check_suggest(answer: dict[str, Any]) -> None:
    assert isinstance(answer["result"], list)
    for item in answer["result"]:
        assert isinstance(item["id"], str) and isinstance(item["name"], str)
        assert isinstance(item.get("description", ""), str)
        for t in item.get("notable", []):
            check_type(t)


def check_proposals(answer: dict[str, Any]) -> None:
    assert isinstance(answer["properties"], list)
    for p in answer["properties"]:
        assert isinstance(p["id"], str) and isinstance(p["name"], str)


_DATE = re.compile(r"-?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?")


def check_extension(answer: dict[str, Any]) -> None:
    for meta in answer["meta"]:
        assert isinstance(meta["id"], str) and isinstance(meta["name"], str)
    for row in answer["rows"].values():
        for values in row.values():
            for v in values:
                keys = set(v)
                assert keys in ({"id", "name"}, {"str"}, {"int"}, {"float"}, {"date"}, {"bool"})
                if "date" in v:
                    assert _DATE.fullmatch(v["date"]), v
                if "int" in v:
                    assert isinstance(v["int"], int)


# -- the manifest and batches -------------------------------------------------------------------


def test_manifest_has_every_part_and_absolute_service_urls(client: FlaskClient) -> None:
    r = client.get("/reconcile")
    assert r.status_code == 200 and r.content_type == "application/json"
    check_manifest(r.json)
    assert r.json["identifierSpace"] == ID
    assert r.json["suggest"]["entity"]["service_url"] == "https://kg.example.org/reconcile"
    assert r.headers["Access-Control-Allow-Origin"] == "*"


def test_a_batch_by_get_and_by_post_form_give_the_same_answer(client: FlaskClient) -> None:
    queries = json.dumps(
        {"q0": {"query": "CERN"}, "q1": {"query": "Türkiye", "type": f"{SCHEMA}Country"}}
    )
    by_get = client.get("/reconcile", query_string={"queries": queries})
    by_post = client.post("/reconcile", data={"queries": queries})
    assert by_get.status_code == by_post.status_code == 200
    assert by_get.json == by_post.json
    check_results(by_post.json, {"q0", "q1"})
    assert by_post.json["q0"]["result"][0]["id"] == f"{ID}organization/cern"
    assert by_post.headers["Access-Control-Allow-Origin"] == "*"  # a read, by POST too


@pytest.mark.parametrize(
    ("text", "iri", "how"),
    [
        ("CERN", "organization/cern", "name"),
        ("cern", "organization/cern", "name"),
        ("European Organization for Nuclear Research", "organization/cern", "alternate name"),
        ("Turkey", "country/TR", "alternate name"),
        ("Turkiye", "country/TR", "name"),
        ("Nuclear Research, Joint Institute for", "organization/jinr", "word order"),
        ("Q42944", "organization/cern", "identifier"),
        ("http://www.wikidata.org/entity/Q42944", "organization/cern", "identifier"),
        ("https://ror.org/01ggx4157", "organization/cern", "identifier"),
        ("https://sws.geonames.org/2660646/", "place/geneva", "identifier"),
        ("CH", "country/CH", "identifier"),
        ("CHE", "country/CH", "identifier"),
        (f"{ID}organization/sesame", "organization/sesame", "identifier"),
    ],
)
def test_names_codes_and_identifiers_match_alone(
    bundled_kg: KnowledgeGraph, index: NameIndex, text: str, iri: str, how: str
) -> None:
    best = reconcile_one(bundled_kg.store, index, ReconQuery(text))[0]
    assert (best.entity.iri, best.match, best.how) == (ID + iri, True, how)
    assert best.score == (100 if how in ("identifier", "name") else best.score)
    assert best.score >= 95


def test_a_misspelt_name_is_a_candidate_that_does_not_match(
    bundled_kg: KnowledgeGraph, index: NameIndex
) -> None:
    found = reconcile_one(
        bundled_kg.store, index, ReconQuery("Swizerland", types=(f"{SCHEMA}Country",))
    )
    assert found[0].entity.iri == f"{ID}country/CH"
    assert found[0].how == "similar" and found[0].score < 95 and not found[0].match


def test_ambiguous_names_never_match(bundled_kg: KnowledgeGraph, index: NameIndex) -> None:
    # The graph has both a region and a country called Antarctica.
    found = reconcile_one(bundled_kg.store, index, ReconQuery("Antarctica"))
    assert {c.entity.iri for c in found[:2]} == {f"{ID}region/antarctica", f"{ID}country/AQ"}
    assert found[0].score == found[1].score == 100
    assert not any(c.match for c in found)
    typed = reconcile_one(
        bundled_kg.store, index, ReconQuery("Antarctica", types=(f"{SCHEMA}Country",))
    )
    assert typed[0].entity.iri == f"{ID}country/AQ" and typed[0].match


def test_a_type_keeps_only_its_instances(client: FlaskClient) -> None:
    queries = {"q0": {"query": "Geneva", "type": f"{SCHEMA}Country"}}
    r = client.post("/reconcile", data={"queries": json.dumps(queries)})
    assert all(f"{SCHEMA}Country" in [t["id"] for t in c["type"]] for c in r.json["q0"]["result"])
    assert f"{ID}place/geneva" not in [c["id"] for c in r.json["q0"]["result"]]


def test_properties_settle_a_name_two_resources_share() -> None:
    store = two_academies()
    client = create_app(Settings(), store=store).test_client()
    alone = {"q0": {"query": "Academy of Sciences"}}
    r = client.post("/reconcile", data={"queries": json.dumps(alone)})
    assert [c["match"] for c in r.json["q0"]["result"]] == [False, False]
    for value in ("Switzerland", "CH", {"id": f"{ID}country/CH"}):
        refined = {
            "q0": {"query": "Academy of Sciences", "properties": [{"pid": "country", "v": value}]}
        }
        r = client.post("/reconcile", data={"queries": json.dumps(refined)})
        best, other = r.json["q0"]["result"][:2]
        assert (best["id"], best["match"]) == (f"{ID}organization/one", True), value
        assert other["score"] < best["score"] and not other["match"]


def test_bad_batches_are_400_in_the_error_shape(client: FlaskClient) -> None:
    for queries in (
        "not json",
        "[]",
        '{"q0": 3}',
        '{"q0": {"limit": 2}}',
        '{"q0": {"query": "x", "type": 3}}',
    ):
        r = client.post("/reconcile", data={"queries": queries})
        assert r.status_code == 400, queries
        assert set(r.json["error"]) >= {"status", "code", "message"}
    r = client.post("/reconcile", data={"extend": '{"ids": "x"}'})
    assert r.status_code == 400 and r.json["error"]["status"] == 400


def test_jsonp_for_a_get_with_a_callback(client: FlaskClient) -> None:
    r = client.get("/reconcile", query_string={"callback": "jQuery123_456"})
    assert r.content_type == "application/javascript"
    body = r.get_data(as_text=True)
    assert body.startswith("/**/jQuery123_456(") and body.endswith(");")
    check_manifest(json.loads(body[len("/**/jQuery123_456(") : -2]))
    bad = client.get("/reconcile", query_string={"callback": "alert(1)//"})
    assert bad.status_code == 400 and bad.json["error"]["code"] == "usage"


# -- suggest, preview, extension ----------------------------------------------------------------


def test_suggest_entities_types_and_properties(client: FlaskClient) -> None:
    entities = client.get("/reconcile/suggest/entity", query_string={"prefix": "sesame"}).json
    check_suggest(entities)
    assert entities["result"][0]["id"] == f"{ID}organization/sesame"
    typed = client.get(
        "/reconcile/suggest/entity", query_string={"prefix": "pak", "type": f"{SCHEMA}Country"}
    ).json
    assert [e["id"] for e in typed["result"]] == [f"{ID}country/PK"]
    types = client.get("/reconcile/suggest/type", query_string={"prefix": "organ"}).json
    check_suggest(types)
    assert types["result"][0]["id"] == f"{SCHEMA}Organization"
    props = client.get("/reconcile/suggest/property", query_string={"prefix": "found"}).json
    check_suggest(props)
    assert f"{SCHEMA}foundingDate" in [p["id"] for p in props["result"]]


def test_preview_is_a_small_escaped_card() -> None:
    client = create_app(Settings(), store=two_academies()).test_client()
    r = client.get("/reconcile/preview", query_string={"id": f"{ID}organization/markup"})
    assert r.status_code == 200 and r.content_type == "text/html; charset=utf-8"
    html = r.get_data(as_text=True)
    assert (
        "<script>" not in html
        and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in html
    )
    one = client.get("/reconcile/preview", query_string={"id": f"{ID}organization/one"})
    assert "<dt>Country</dt><dd>Switzerland</dd>" in one.get_data(as_text=True)
    missing = client.get("/reconcile/preview", query_string={"id": f"{ID}nothing"})
    assert missing.status_code == 404 and missing.json["error"]["code"] == "not_found"


def test_extension_gives_country_wikidata_and_membership_roles(client: FlaskClient) -> None:
    cern, pk = f"{ID}organization/cern", f"{ID}country/PK"
    request = {
        "ids": [cern, pk, f"{ID}nothing"],
        "properties": [
            {"id": "country"},
            {"id": "wikidata"},
            {"id": "ror"},
            {"id": "memberships"},
            {"id": "sd:statedMemberCount"},
        ],
    }
    r = client.post("/reconcile", data={"extend": json.dumps(request)})
    assert r.status_code == 200
    check_extension(r.json)
    assert [m["id"] for m in r.json["meta"]] == [p["id"] for p in request["properties"]]
    rows = r.json["rows"]
    assert rows[cern]["country"] == [{"id": f"{ID}country/CH", "name": "Switzerland"}]
    assert rows[cern]["wikidata"] == [{"str": "Q42944"}]
    assert rows[cern]["ror"] == [{"str": "01ggx4157"}]
    assert rows[cern]["sd:statedMemberCount"] == [{"int": 23}]
    assert {"str": "associate member of CERN (2024)"} in rows[pk]["memberships"]
    assert rows[f"{ID}nothing"] == {p["id"]: [] for p in request["properties"]}


def test_property_proposals_for_a_type(client: FlaskClient) -> None:
    r = client.get("/reconcile/properties", query_string={"type": f"{SCHEMA}Country"})
    check_proposals(r.json)
    ids = [p["id"] for p in r.json["properties"]]
    assert ids[:2] == ["country", "wikidata"] and "iso3166" in ids
    assert r.json["type"] == f"{SCHEMA}Country"


# -- a recorded OpenRefine session, replayed -----------------------------------------------------


def test_a_recorded_openrefine_session_replays(client: FlaskClient) -> None:
    session = json.loads(SESSION.read_text(encoding="utf-8"))
    for step in session["requests"]:
        form = {k: json.dumps(v) for k, v in step.get("form", {}).items()}
        if step["method"] == "GET":
            r = client.get(step["path"], query_string=step.get("query", {}))
        else:
            r = client.post(step["path"], data=form)
        assert r.status_code == 200, (step["path"], r.get_data(as_text=True))
        expect = step["expect"]
        if expect.get("manifest"):
            check_manifest(r.json)
        elif "queries" in form:
            check_results(r.json, set(expect))
            for key, iri in expect.items():
                best = r.json[key]["result"][0]
                assert (best["id"], best["match"]) == (ID + iri, True), (key, best)
        elif "extend" in form:
            check_extension(r.json)
            for iri, props in expect.items():
                row = r.json["rows"][ID + iri]
                for pid, wanted in props.items():
                    assert any(wanted in (v.get("id"), v.get("str")) for v in row[pid]), (iri, pid)
        elif "html" in expect:
            assert expect["html"] in r.get_data(as_text=True)
        elif step["path"].endswith("/properties"):
            check_proposals(r.json)
            assert r.json["properties"][0]["id"] == expect["first"]
        else:
            check_suggest(r.json)
            first = r.json["result"][0]["id"]
            assert first in (expect["first"], ID + expect["first"]), (step["path"], first)
