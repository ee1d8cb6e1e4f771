"""``/curate``: the token sign-in, the session cookie's flags, CSRF and cross-site refusal, the
form's check (the SHACL report, nothing written), its save through the gate, and the edit of
one's own imported example; and, in a real headless chromium, the autocomplete and a save."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from scidip_graph.resources import DATA_DIR
from scidip_graph.settings import Settings
from scidip_graph.sparql import tokens_file
from scidip_graph.store.durable import DurableStore
from scidip_graph.store.startup import prepare_store
from scidip_graph.web import create_app
from tests.live import LiveServer

ID = "https://w3id.org/scidip/id/"
CERN_COURIER = "https://cerncourier.com/a/sesame-a-mini-cern-for-the-middle-east/"
FORM = {
    "name": "Sesame seminar series",
    "description": "A series of seminars.",
    "category": "science for diplomacy",
    "host_countries": "Jordan",
    "participant_countries": "",
    "institutions": "SESAME (host); CERN (participant)",
    "people": "",
    "start": "2003",
    "end": "",
    "source_url": CERN_COURIER,
    "source_title": "",
}
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _sources(folder: Path) -> list[Path]:
    return [*DATA_DIR.glob("*.trig"), *(DATA_DIR / "cases" / n for n in ("cern-sesame.trig",))]


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("curate-sources")
    for path in _sources(folder):
        (folder / path.name).symlink_to(path)
    return folder


@pytest.fixture
def store(tmp_path: Path, sources: Path) -> DurableStore:
    return prepare_store(Settings(data_dir=tmp_path / "var", source_dir=sources, validate=False))


@pytest.fixture
def tokens(tmp_path: Path) -> Path:
    return tmp_path / "tokens.toml"


@pytest.fixture
def client(tmp_path: Path, store: DurableStore, tokens: Path) -> FlaskClient:
    tokens_file.add_token(tokens, "ada", ["*"])
    settings = Settings(data_dir=tmp_path / "var", tokens_file=str(tokens))
    return create_app(settings, store=store).test_client()


def csrf(page: TestResponse) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.get_data(as_text=True))
    assert found, page.get_data(as_text=True)
    return found.group(1)


def sign_in(client: FlaskClient, tokens: Path, name: str = "bob") -> str:
    token = tokens_file.add_token(tokens, name, ["*"])
    r = client.post("/curate/sign-in", data={"token": token, "csrf": csrf(client.get("/curate"))})
    assert r.status_code == 303, r.get_data(as_text=True)
    return csrf(client.get("/curate"))


def test_the_session_cookie_is_httponly_strict_and_secure_over_tls(
    client: FlaskClient, tokens: Path
) -> None:
    page = client.get("/curate")
    assert 'action="/curate/sign-in"' in page.get_data(as_text=True)
    cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/curate" in cookie
    assert "Secure" not in cookie
    tls = client.application.test_client().get("/curate", base_url="https://localhost")
    assert "Secure" in tls.headers["Set-Cookie"]
    token = tokens_file.add_token(tokens, "bob", ["*"])
    signed = client.post("/curate/sign-in", data={"token": token, "csrf": csrf(page)})
    assert token not in signed.headers["Set-Cookie"]  # the session keeps a digest


def test_posts_without_the_csrf_token_or_from_another_site_are_refused(
    client: FlaskClient, tokens: Path
) -> None:
    token = tokens_file.add_token(tokens, "bob", ["*"])
    good = csrf(client.get("/curate"))
    for data, headers in [
        ({"token": token}, {}),
        ({"token": token, "csrf": "forged"}, {}),
        ({"token": token, "csrf": good}, {"Origin": "https://evil.example"}),
        ({"token": token, "csrf": good}, {"Sec-Fetch-Site": "cross-site"}),
    ]:
        r = client.post("/curate/sign-in", data=data, headers=headers)
        assert r.status_code == 403 and r.json["error"]["code"] == "forbidden", r.json
    assert "Signed in" not in client.get("/curate").get_data(as_text=True)
    wrong = client.post("/curate/sign-in", data={"token": "scidip_nope", "csrf": good})
    assert wrong.status_code == 403
    fresh = sign_in(client, tokens, "carol")
    refused = client.post("/curate", data={**FORM, "action": "save"})
    assert refused.status_code == 403  # signed in, but no CSRF token
    assert (
        client.post("/curate", data={**FORM, "action": "check", "csrf": fresh}).status_code == 200
    )


def test_check_shows_the_report_and_save_writes_through_the_gate(
    client: FlaskClient, tokens: Path, store: DurableStore
) -> None:
    token = sign_in(client, tokens)
    before = store.version
    check = client.post(
        "/curate", data={**FORM, "host_countries": "Jordnan", "csrf": token, "action": "save"}
    )
    text = check.get_data(as_text=True)
    assert check.status_code == 422 and "Did you mean &#39;Jordan&#39;" in text
    assert store.version == before
    check = client.post("/curate", data={**FORM, "csrf": token, "action": "check"})
    assert 'id="conforms">conforms' in check.get_data(as_text=True)
    assert store.version == before
    saved = client.post("/curate", data={**FORM, "csrf": token, "action": "save"})
    assert saved.status_code == 201 and 'id="saved"' in saved.get_data(as_text=True)
    page = client.get("/id/example/sesame-seminar-series.ttl")
    assert page.status_code == 200 and rb"id:organization\/sesame" in page.data
    edit = client.get("/curate", query_string={"edit": ID + "example/sesame-seminar-series"})
    shown = edit.get_data(as_text=True)
    assert 'value="Sesame seminar series"' in shown and "SESAME (host)" in shown
    changed = {
        **FORM,
        "description": "Seminars, rewritten.",
        "csrf": token,
        "action": "save",
        "editing": ID + "example/sesame-seminar-series",
    }
    assert client.post("/curate", data=changed).status_code == 200
    ttl = client.get("/id/example/sesame-seminar-series.ttl").get_data(as_text=True)
    assert "rewritten" in ttl and "A series of seminars." not in ttl


def test_only_ones_own_imports_can_be_edited_and_a_removed_token_signs_out(
    client: FlaskClient, tokens: Path
) -> None:
    token = sign_in(client, tokens, "bob")
    client.post("/curate", data={**FORM, "csrf": token, "action": "save"})
    iri = ID + "example/sesame-seminar-series"
    sign_in(client, tokens, "carol")
    assert client.get("/curate", query_string={"edit": iri}).status_code == 403
    assert client.get("/curate", query_string={"edit": ID + "example/twas"}).status_code == 404
    tokens_file.remove_token(tokens, "carol")
    assert "Signed in" not in client.get("/curate").get_data(as_text=True)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if not Path(CHROMIUM).exists():
        pytest.skip("no chromium")
    tmp = tmp_path_factory.mktemp("live-curate")
    env = {"SCIDIP_WRITE_TOKEN": "browser-token"}
    server = LiveServer(tmp, _sources(tmp), workers=1, env=env)
    yield server
    server.stop()


def test_a_browser_signs_in_completes_a_country_and_saves(live: LiveServer) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="no playwright")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            context = browser.new_context()
            page: Any = context.new_page()
            page.set_default_timeout(60_000)
            page.goto(live.url + "/curate")
            page.fill("#token", "browser-token")
            page.click("form.sign-in button")
            page.wait_for_selector("#example-form")
            [cookie] = context.cookies()
            assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
            page.locator("#host_countries").press_sequentially("Jord")
            option = page.locator("#host_countries-suggestions option[value='Jordan']")
            option.wait_for(state="attached")
            for field, value in FORM.items():
                if value and field != "host_countries":
                    page.fill(f"#{field}", value)
            page.fill("#host_countries", "Jordan")
            page.click("button[value=check]")
            assert page.locator("#conforms").inner_text() == "conforms"
            page.click("button[value=save]")
            assert "Sesame seminar series" in page.locator("#saved").inner_text()
        finally:
            browser.close()
