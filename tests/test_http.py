"""One HTTP stack: the SPARQL fast path and the Flask routes answer alike.

The fast path (plain WSGI, ``/sparql``) and Flask (every other route) share the functions of
``scidip_graph.web.http`` and ``scidip_graph.web.errors``; these tests ask both the same kind
of question and compare what comes back.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.apps import sample_client

FAST = "/sparql"
FLASK = "/void"
QUERY = {"query": "ASK {}"}
LINE = re.compile(
    r'^(?P<method>[A-Z]+) (?P<path>\S+) (?P<status>\d{3}) \d+\.\dms q="(?P<q>[^"]*)"$'
)


def cors(response: TestResponse) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.startswith("Access-Control-")}


@pytest.mark.parametrize("origin", ["*", "https://a.example", ""])
def test_the_same_cors_headers(origin: str) -> None:
    client = sample_client(cors_origin=origin)
    fast = client.get(FAST, query_string=QUERY)
    flask = client.get(FLASK)
    assert fast.status_code == flask.status_code == 200
    assert cors(fast) == cors(flask)
    if origin:
        assert cors(fast)["Access-Control-Allow-Origin"] == origin
        assert "ETag" in cors(fast)["Access-Control-Expose-Headers"]
    else:
        assert cors(fast) == {}


@pytest.mark.parametrize(
    ("path", "method"), [("/sparql", "POST"), ("/update", "POST"), ("/store", "PUT")]
)
def test_a_preflight_allows_writes_with_a_token(path: str, method: str) -> None:
    client = sample_client(cors_origin="*")
    request = {"Origin": "https://a.example", "Access-Control-Request-Method": method}
    r = client.options(path, headers=request)
    assert r.status_code == 204
    allowed = cors(r)
    assert allowed["Access-Control-Allow-Origin"] == "*"
    assert method in allowed["Access-Control-Allow-Methods"].split(", ")
    assert "Authorization" in allowed["Access-Control-Allow-Headers"].split(", ")
    if path == "/store":
        assert {"PUT", "POST", "DELETE"} <= set(allowed["Access-Control-Allow-Methods"].split(", "))
        # and the write's answer itself (here: 501, a read-only server) may be read
        assert cors(client.put("/store?default", data=b""))["Access-Control-Allow-Origin"] == "*"


def test_the_same_access_log_line(caplog: pytest.LogCaptureFixture) -> None:
    client = sample_client(log_query_chars=200)
    caplog.set_level("INFO", logger="scidip_graph.access")
    page = client.get("/")
    answers = [
        (client.get(FAST, query_string=QUERY), FAST, "ASK {}"),
        (client.get(FLASK), FLASK, ""),
        # a 304 made by the pages' ETag is logged as the 304 it is
        (client.get("/", headers={"If-None-Match": page.headers["ETag"]}), "/", ""),
        (client.put(FAST), FAST, ""),
        (client.post(FLASK), FLASK, ""),
    ]
    lines = [r.getMessage() for r in caplog.records if r.name == "scidip_graph.access"][1:]
    assert len(lines) == len(answers)
    for line, (response, path, query) in zip(lines, answers, strict=True):
        match = LINE.match(line)
        assert match, line
        assert match["path"] == path and match["q"] == query
        assert int(match["status"]) == response.status_code
    assert [response.status_code for response, _, _ in answers] == [200, 200, 304, 405, 405]


def test_the_same_metrics() -> None:
    client = sample_client()
    client.get(FAST, query_string=QUERY)
    client.get(FLASK)
    text = client.get("/-/metrics").text
    for route in (FAST, FLASK):
        assert f'scidip_http_requests_total{{route="{route}",status="200"}} 1.0' in text


def error(response: TestResponse) -> dict[str, Any]:
    assert response.content_type == "application/json"
    body = response.json
    assert body is not None and list(body) == ["error"]
    shape = body["error"]
    assert set(shape) <= {"status", "code", "message", "hint", "detail"}
    assert shape["status"] == response.status_code
    return shape  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("fast", "flask"),
    [
        pytest.param(("put", {}), ("post", {}), id="405: a method the route does not answer"),
        pytest.param(
            ("get", {"query_string": QUERY, "headers": {"Accept": "image/png"}}),
            ("get", {"headers": {"Accept": "image/png"}}),
            id="406: nothing the client accepts",
        ),
    ],
)
def test_the_same_error_shape(
    fast: tuple[str, dict[str, Any]], flask: tuple[str, dict[str, Any]]
) -> None:
    client = sample_client()
    a = getattr(client, fast[0])(FAST, **fast[1])
    b = getattr(client, flask[0])(FLASK, **flask[1])
    assert a.status_code == b.status_code
    assert error(a)["code"] == error(b)["code"]
    if a.status_code == 405:
        assert "GET" in a.headers["Allow"] and "GET" in b.headers["Allow"]


def test_the_same_answer_to_a_bug(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    client: FlaskClient = sample_client()
    app = client.application
    service = app.extensions["scidip"]["service"]

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug deep inside")

    monkeypatch.setattr(service, "respond", broken)
    monkeypatch.setitem(app.view_functions, "ops.health", broken)
    fast = client.get(FAST, query_string=QUERY)
    flask = client.get("/-/health")
    assert fast.status_code == flask.status_code == 500
    assert fast.data == flask.data and error(fast)["code"] == "internal"
    assert "a bug deep inside" not in fast.text
    assert caplog.text.count("a bug deep inside") >= 2
