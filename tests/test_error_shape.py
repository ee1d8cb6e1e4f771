"""Every JSON error the server returns has the one shape (STYLE habit 8)."""

from __future__ import annotations

import pytest

from scidip_graph.api import open_graph
from scidip_graph.settings import Settings
from scidip_graph.web import create_app
from tests.conftest import SAMPLE

CASES = [
    # (method, path, keyword arguments for the test client, expected status)
    ("get", "/no/such/page", {}, 404),
    ("post", "/-/health", {}, 405),
    ("put", "/sparql", {}, 405),
    ("get", "/sparql", {"query_string": {"query": "SELECT"}}, 400),
    ("get", "/sparql", {"query_string": {"query": "ASK {}", "timeout": "-1"}}, 400),
    (
        "get",
        "/sparql",
        {"query_string": {"query": "ASK {}"}, "headers": {"Accept": "image/png"}},
        406,
    ),
    ("post", "/sparql", {"data": "#" * 3000, "content_type": "application/sparql-query"}, 413),
    ("post", "/sparql", {"data": "ASK {}", "content_type": "text/plain"}, 415),
    ("get", "/sparql", {"query_string": {"query": "SELECT * { SERVICE <http://x/> {} }"}}, 403),
    ("post", "/sparql", {"data": {"update": "CLEAR ALL"}}, 401),
    (
        "post",
        "/sparql",
        {"data": {"update": "CLEAR ALL"}, "headers": {"Authorization": "Bearer wrong"}},
        403,
    ),
    (
        "post",
        "/sparql",
        {"data": {"update": "CLEAR ALL"}, "headers": {"Authorization": "Bearer t"}},
        501,
    ),
]


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    settings = Settings(max_upload_bytes=2000, write_token="t")
    return create_app(settings, store=open_graph([SAMPLE]).store).test_client()


@pytest.mark.parametrize(("method", "path", "kwargs", "status"), CASES)
def test_error_shape(client, method: str, path: str, kwargs: dict, status: int) -> None:  # type: ignore[no-untyped-def]
    r = getattr(client, method)(path, **kwargs)
    assert r.status_code == status
    assert r.content_type == "application/json"
    body = r.json
    assert list(body) == ["error"]
    error = body["error"]
    assert error["status"] == status
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert set(error) <= {"status", "code", "message", "hint", "detail"}


def test_a_bug_is_a_500_in_the_same_shape_and_logged(client, caplog) -> None:  # type: ignore[no-untyped-def]
    service = client.application.extensions["scidip"]["service"]
    original = service.respond

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug")

    service.respond = broken
    try:
        r = client.get("/sparql", query_string={"query": "ASK {}"})
    finally:
        service.respond = original
    assert r.status_code == 500
    assert r.json["error"]["code"] == "internal"
    assert "a bug" not in r.data.decode()
    assert "a bug" in caplog.text
