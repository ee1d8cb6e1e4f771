"""Write tokens: the tokens file, hashes, scopes, 401 against 403, the ``token`` commands, and
no token in any log line, answer or exception."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from scidip_graph.errors import (
    DataSyntaxError,
    ScidipError,
    UnauthenticatedError,
    UnauthorizedError,
    UnavailableError,
)
from scidip_graph.ingest.loading import DEFAULT_GRAPH
from scidip_graph.namespaces import GRAPH
from scidip_graph.sparql.tokens import ADMIN_CURATOR, Curator, Tokens
from scidip_graph.sparql.tokens_file import (
    EVERY_GRAPH,
    add_token,
    hash_token,
    new_token,
    parse_tokens,
    read_tokens_file,
    remove_token,
)
from tests.apps import sample_client

EDITORIAL = str(GRAPH.editorial)
CERN = str(GRAPH["cern-member-states"])
ADMIN_TOKEN = "admin-s3cret-token"
UPDATE = "INSERT DATA { GRAPH <https://w3id.org/scidip/graph/editorial> { <urn:a> <urn:b> 1 } }"


def table(curator: str = "alice", graphs: str = '["graph:editorial"]', sha: str = "") -> str:
    sha = sha or hash_token(curator)
    return f'[[token]]\ncurator = "{curator}"\ngraphs = {graphs}\nsha256 = "{sha}"\n'


@pytest.fixture
def tokens_path(tmp_path: Path) -> Path:
    return tmp_path / "tokens.toml"


# -- the file: parsing errors name the file and the line -------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('[[token]]\ncurator = "alice"\ngraphs = ["graph:editorial"\n', 3, "Unclosed array"),
        ('[[token]]\ncurator = "alice\n', 2, "Illegal character"),
        ("[[token]]\ncurator = 1\ncurator = 2\n", 3, "Cannot overwrite"),
        ("# tokens\n\ncurators = 1\n", 3, "unknown key 'curators'"),
        (table() + "graph = []\n", 5, "unknown key 'graph'"),
        ('[[token]]\ngraphs = ["graph:editorial"]\n', 1, "needs curator"),
        (table("alice smith"), 2, "curator name 'alice smith'"),
        (table("admin"), 2, "SCIDIP_WRITE_TOKEN"),
        (table() + "\n" + table(sha="0" * 64), 7, "alice has a token already (line 1)"),
        (table(graphs="[]"), 3, "at least one"),
        (table(graphs='"graph:editorial"'), 3, "at least one"),
        (table(graphs='["grpah:editorial"]'), 3, "'grpah:editorial' is not a graph"),
        (table(graphs='["https://e.org/a b"]'), 3, "is not a graph"),
        (table(sha="abc"), 4, "64 hexadecimal digits"),
        (table() + "\n" + table("bob", sha=hash_token("alice")), 9, "hash is there twice"),
    ],
)
def test_errors_name_the_file_and_the_line(
    tokens_path: Path, text: str, line: int, words: str
) -> None:
    tokens_path.write_text(text, encoding="utf-8")
    with pytest.raises(DataSyntaxError) as caught:
        read_tokens_file(tokens_path)
    assert caught.value.message.startswith(f"{tokens_path}:{line}:"), caught.value.message
    assert words in caught.value.message
    assert (caught.value.source, caught.value.line) == (str(tokens_path), line)


def test_a_token_pasted_into_the_file_is_not_quoted_back() -> None:
    token = new_token()
    with pytest.raises(DataSyntaxError) as caught:
        parse_tokens(table(graphs=f'["{token}"]'))
    assert token not in str(caught.value) and token not in repr(caught.value.detail)


def test_the_file_reads_graphs_as_iris(tokens_path: Path) -> None:
    text = table(graphs=f'["graph:editorial", "{CERN}", "default", "urn:x:g"]')
    (entry,) = parse_tokens("# a comment\n" + text)
    assert entry.curator == "alice" and entry.line == 2
    assert entry.graphs == {EDITORIAL, CERN, DEFAULT_GRAPH, "urn:x:g"}
    assert parse_tokens("") == ()


# -- hashing -------------------------------------------------------------------------------------


def test_tokens_are_random_and_the_file_keeps_only_their_sha256(tokens_path: Path) -> None:
    token = add_token(tokens_path, "alice", ["graph:editorial"])
    assert token.startswith("scidip_") and len(token) == 50
    assert len({new_token() for _ in range(100)}) == 100
    text = tokens_path.read_text(encoding="utf-8")
    assert token not in text and token[len("scidip_") :] not in text
    assert hashlib.sha256(token.encode()).hexdigest() in text
    assert read_tokens_file(tokens_path)[0].sha256 == hash_token(token)
    assert tokens_path.stat().st_mode & 0o777 == 0o600


def test_every_hash_is_compared_whichever_matches(
    tokens_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = add_token(tokens_path, "alice", ["graph:editorial"])
    add_token(tokens_path, "bob", ["graph:editorial"])
    add_token(tokens_path, "carol", ["graph:editorial"])
    tokens = Tokens(path=tokens_path)
    calls: list[int] = []
    real = hmac.compare_digest

    def counting(a: bytes, b: bytes) -> bool:
        calls.append(1)
        return real(a, b)

    monkeypatch.setattr(hmac, "compare_digest", counting)  # as the tokens module calls it
    assert tokens.authenticate(f"Bearer {first}").name == "alice"
    assert len(calls) == 3
    calls.clear()
    with pytest.raises(UnauthorizedError):
        tokens.authenticate("Bearer scidip_nope")
    assert len(calls) == 3


# -- scopes --------------------------------------------------------------------------------------


def test_a_token_writes_its_graphs_only(tokens_path: Path) -> None:
    alice = add_token(tokens_path, "alice", ["graph:editorial"])
    bob = add_token(tokens_path, "bob", ["default", CERN])
    carol = add_token(tokens_path, "carol", ["*"])
    tokens = Tokens(path=tokens_path, admin_token=ADMIN_TOKEN)
    assert tokens.decide(f"Bearer {alice}", [EDITORIAL]) == Curator("alice", frozenset({EDITORIAL}))
    with pytest.raises(UnauthorizedError) as caught:
        tokens.decide(f"Bearer {alice}", [EDITORIAL, CERN])
    assert caught.value.status == 403
    assert caught.value.message == "curator alice may not write graph:cern-member-states"
    assert caught.value.detail == {"curator": "alice", "graph": CERN}
    assert caught.value.hint == "This token may write graph:editorial."
    with pytest.raises(UnauthorizedError, match="may not write the default graph"):
        tokens.decide(f"Bearer {alice}", [DEFAULT_GRAPH])
    assert tokens.decide(f"Bearer {bob}", [DEFAULT_GRAPH, CERN]).name == "bob"
    with pytest.raises(UnauthorizedError, match="graph:editorial"):
        tokens.decide(f"Bearer {bob}", [EDITORIAL])
    for token, name in ((carol, "carol"), (ADMIN_TOKEN, "admin")):
        assert tokens.decide(f"Bearer {token}", [DEFAULT_GRAPH, EDITORIAL, CERN]).name == name
    assert ADMIN_CURATOR.graphs == {EVERY_GRAPH}


def test_the_write_token_alone_is_the_admin() -> None:
    tokens = Tokens(admin_token=ADMIN_TOKEN)
    assert tokens.configured and not Tokens().configured
    assert tokens.decide(f"bearer {ADMIN_TOKEN}", [CERN]) is ADMIN_CURATOR
    with pytest.raises(UnauthorizedError):
        tokens.decide(f"Bearer {ADMIN_TOKEN}x", [CERN])


# -- 401 against 403 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header", [None, "", "   ", "Bearer", "Bearer   ", "Basic YWxpY2U6czNjcmV0", ADMIN_TOKEN]
)
def test_no_bearer_token_is_401(header: str | None) -> None:
    with pytest.raises(UnauthenticatedError) as caught:
        Tokens(admin_token=ADMIN_TOKEN).authenticate(header)
    assert caught.value.status == 401
    assert ADMIN_TOKEN not in str(caught.value) and ADMIN_TOKEN not in (caught.value.hint or "")


@pytest.mark.parametrize("header", ["Bearer wrong", "Bearer admin-s3cret", "Bearer s3cret s3cret"])
def test_an_unknown_token_is_403(header: str) -> None:
    with pytest.raises(UnauthorizedError) as caught:
        Tokens(admin_token=ADMIN_TOKEN).authenticate(header)
    assert caught.value.status == 403 and "not one of this server's" in caught.value.message


@pytest.fixture
def curators(tokens_path: Path) -> dict[str, str]:
    return {"alice": add_token(tokens_path, "alice", ["graph:editorial"])}


@pytest.fixture
def client(tokens_path: Path, curators: dict[str, str]) -> FlaskClient:
    return sample_client(tokens_file=str(tokens_path), write_token=ADMIN_TOKEN)


def post_update(client: FlaskClient, header: str | None, *, form: bool = True):  # type: ignore[no-untyped-def]
    headers = {"Authorization": header} if header is not None else {}
    if form:
        return client.post("/sparql", data={"update": UPDATE}, headers=headers)
    return client.post(
        "/sparql", data=UPDATE, content_type="application/sparql-update", headers=headers
    )


@pytest.mark.parametrize("form", [True, False], ids=["form", "body"])
def test_the_endpoint_answers_401_403_and_501_where_the_store_cannot_be_written(
    client: FlaskClient, curators: dict[str, str], form: bool
) -> None:
    for header in (None, "Basic YWxpY2U6czNjcmV0", "Bearer "):
        r = post_update(client, header, form=form)
        assert r.status_code == 401
        assert r.headers["WWW-Authenticate"].startswith("Bearer ")
        assert r.json["error"]["code"] == "unauthenticated"
    r = post_update(client, "Bearer wrong", form=form)
    assert r.status_code == 403 and "WWW-Authenticate" not in r.headers
    assert r.json["error"]["code"] == "forbidden"
    # A known curator gets past the tokens, to the store: the sample store is in memory,
    # with no change log, so it cannot be written (tests/test_updates.py writes to one that can).
    for token in (curators["alice"], ADMIN_TOKEN):
        r = post_update(client, f"Bearer {token}", form=form)
        assert r.status_code == 501, r.json
        assert "store cannot be written" in r.json["error"]["message"]


def test_the_token_is_asked_for_before_the_update_is_read(client: FlaskClient) -> None:
    r = client.post("/sparql", data={"update": "INSERT DATA {"})
    assert r.status_code == 401
    r = client.post("/sparql", data={"update": "INSERT DATA {"}, headers={"Authorization": "x"})
    assert r.status_code == 401


def test_a_read_only_server_refuses_updates_with_403() -> None:
    r = post_update(sample_client(), None)
    assert r.status_code == 403 and "WWW-Authenticate" not in r.headers
    assert "SCIDIP_TOKENS_FILE" in r.json["error"]["hint"]


def test_reads_stay_anonymous(client: FlaskClient) -> None:
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200


# -- the file changes while the server runs ------------------------------------------------------


def test_the_server_sees_the_file_change(
    client: FlaskClient,
    tokens_path: Path,
    curators: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    alice = f"Bearer {curators['alice']}"
    bob = add_token(tokens_path, "bob", ["graph:editorial"])
    # 501 (the in-memory sample store cannot be written) means the token was accepted.
    assert post_update(client, f"Bearer {bob}").status_code == 501
    remove_token(tokens_path, "alice")
    assert post_update(client, alice).status_code == 403
    good = tokens_path.read_text(encoding="utf-8")
    tokens_path.write_text(good + "[[token]\n", encoding="utf-8")  # a careless edit
    r = post_update(client, f"Bearer {bob}")
    assert r.status_code == 503 and r.json["error"]["code"] == "unavailable"
    assert str(tokens_path) not in r.text
    assert f"{tokens_path}:{len(good.splitlines()) + 1}" in caplog.text
    assert post_update(client, f"Bearer {ADMIN_TOKEN}").status_code == 501  # admin still writes
    tokens_path.unlink()
    assert post_update(client, f"Bearer {bob}").status_code == 503
    tokens_path.write_text(good, encoding="utf-8")
    assert post_update(client, f"Bearer {bob}").status_code == 501


def test_a_broken_file_stops_the_start(tokens_path: Path) -> None:
    tokens_path.write_text(table() + "graph = 1\n", encoding="utf-8")
    with pytest.raises(DataSyntaxError, match=f"^{tokens_path}:5: unknown key 'graph'"):
        sample_client(tokens_file=str(tokens_path))
    with pytest.raises(ScidipError, match="cannot read the tokens file"):
        sample_client(tokens_file=str(tokens_path.with_name("missing.toml")))


def test_an_unreadable_file_is_503_not_a_leak(tokens_path: Path) -> None:
    tokens_path.write_text("", encoding="utf-8")
    tokens = Tokens(path=tokens_path)
    tokens_path.write_text("= 1\n", encoding="utf-8")
    with pytest.raises(UnavailableError) as caught:
        tokens.authenticate("Bearer scidip_x")
    assert str(tokens_path) not in str(caught.value.to_dict())


# -- the command line ----------------------------------------------------------------------------


def cli(*argv: str, tokens_file: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SCIDIP_TOKENS_FILE"}
    if tokens_file is not None:
        env["SCIDIP_TOKENS_FILE"] = str(tokens_file)
    return subprocess.run(
        [sys.executable, "-m", "scidip_graph", "token", *argv],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )


def test_the_token_commands(tokens_path: Path) -> None:
    added = cli("add", "alice", "--graph", "graph:editorial", tokens_file=tokens_path)
    assert added.returncode == 0, added.stderr
    token = added.stdout.strip()
    assert added.stdout == token + "\n" and token.startswith("scidip_")
    assert token not in added.stderr and "shown this once" in added.stderr
    added = cli(
        "add", "bob", "--graph", CERN, "default", "--file", str(tokens_path), "--graph", "graph:x"
    )
    assert added.returncode == 0, added.stderr
    bob = added.stdout.strip()
    assert token not in tokens_path.read_text(encoding="utf-8")
    listed = cli("list", tokens_file=tokens_path)
    assert listed.returncode == 0
    assert listed.stdout == (
        "alice  graph:editorial\nbob    the default graph, graph:cern-member-states, graph:x\n"
    )
    for secret in (token, bob, hash_token(token), hash_token(bob)):
        assert secret not in listed.stdout + listed.stderr
    tokens = Tokens(path=tokens_path)
    assert tokens.decide(f"Bearer {token}", [EDITORIAL]).name == "alice"
    removed = cli("remove", "alice", tokens_file=tokens_path)
    assert removed.returncode == 0 and "removed" in removed.stderr
    assert cli("list", tokens_file=tokens_path).stdout.startswith("bob ")
    with pytest.raises(UnauthorizedError):
        tokens.authenticate(f"Bearer {token}")
    assert tokens.authenticate(f"Bearer {bob}").name == "bob"


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (("add", "alice", "--graph", "grpah:editorial"), "'grpah:editorial' is not a graph"),
        (("add", "admin", "--graph", "graph:editorial"), "curator of SCIDIP_WRITE_TOKEN"),
        (("add", "bob", "--graph", "graph:x"), "bob has a token already"),
        (("remove", "zed"), "no curator zed"),
        (("add", "carol"), "--graph"),
    ],
)
def test_the_token_commands_refuse_with_exit_2(
    tokens_path: Path, argv: tuple[str, ...], words: str
) -> None:
    add_token(tokens_path, "bob", ["graph:x"])
    before = tokens_path.read_bytes()
    done = cli(*argv, tokens_file=tokens_path)
    assert done.returncode == 2 and words in done.stderr, done.stderr
    assert done.stdout == "" and tokens_path.read_bytes() == before


def test_the_token_commands_need_a_file(tmp_path: Path) -> None:
    done = cli("list")
    assert done.returncode == 2 and "SCIDIP_TOKENS_FILE" in done.stderr
    tokens_path = tmp_path / "tokens.toml"
    tokens_path.write_text(table() + "oops\n", encoding="utf-8")
    done = cli("add", "bob", "--graph", "graph:x", tokens_file=tokens_path)
    assert done.returncode == 2 and done.stderr.startswith(f"{tokens_path}:5:")
    assert "Traceback" not in done.stderr


def test_removing_keeps_the_rest_of_the_file(tokens_path: Path) -> None:
    add_token(tokens_path, "alice", ["graph:editorial"])
    text = tokens_path.read_text(encoding="utf-8")
    add_token(tokens_path, "bob", ["graph:x"])
    with tokens_path.open("a", encoding="utf-8") as out:
        out.write("\n# carol edits the editorial graph\n" + table("carol"))
    remove_token(tokens_path, "bob")
    assert tokens_path.read_text(encoding="utf-8") == (
        text + "\n# carol edits the editorial graph\n" + table("carol")
    )
    remove_token(tokens_path, "carol")
    assert tokens_path.read_text(encoding="utf-8") == text + "\n# carol edits the editorial graph\n"


# -- no token anywhere it could leak -------------------------------------------------------------


def test_no_token_in_any_log_line_answer_or_metric(
    client: FlaskClient,
    tokens_path: Path,
    curators: dict[str, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    alice = curators["alice"]
    near_miss = alice[:-1] + ("A" if alice[-1] != "A" else "B")
    secrets = [alice, near_miss, ADMIN_TOKEN, alice[len("scidip_") :]]
    seen: list[str] = []
    headers = [
        f"Bearer {alice}",
        f"Bearer {near_miss}",
        f"Bearer {ADMIN_TOKEN}",
        alice,  # a token without its scheme
        f"Basic {alice}",
        f"Token {ADMIN_TOKEN}",
    ]
    for header in headers:
        for form in (True, False):
            r = post_update(client, header, form=form)
            seen.append(r.get_data(as_text=True) + repr(sorted(r.headers.items())))
        r = client.post(
            "/sparql", data={"update": "INSERT DATA {"}, headers={"Authorization": header}
        )
        seen.append(r.get_data(as_text=True) + repr(sorted(r.headers.items())))
    tokens_path.write_text("[[token]\n", encoding="utf-8")
    r = post_update(client, f"Bearer {alice}")
    assert r.status_code == 503
    seen.append(r.get_data(as_text=True))
    tokens = Tokens(admin_token=ADMIN_TOKEN)
    for header in headers:
        try:
            tokens.decide(header, [CERN, EDITORIAL])
        except ScidipError as err:
            seen.extend([str(err), repr(err), repr(err.to_dict())])
    seen.append(client.get("/-/metrics").get_data(as_text=True))
    seen.append(caplog.text)
    assert "/sparql" in caplog.text  # the access log was captured
    everything = "\n".join(seen)
    for secret in secrets:
        assert secret not in everything
