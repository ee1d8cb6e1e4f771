"""The query policy: SERVICE, LOAD, FROM/USING/WITH, updates, depth and length, on tokens."""

from __future__ import annotations

import random
from typing import Any

import pytest

import scidip_graph.sparql.policy as policy_module
from scidip_graph.errors import (
    LimitError,
    PayloadTooLargeError,
    PolicyError,
    SparqlSyntaxError,
    UnauthorizedError,
    UsageError,
)
from scidip_graph.sparql.policy import (
    IriRef,
    Policy,
    ServiceRef,
    analyse,
    check,
    check_dataset_iris,
    is_allowed,
)

CLOSED = Policy()
WRITABLE = Policy(allow_updates=True)
OWN = "https://w3id.org/scidip/graph/main"
EVIL = "http://evil.example/sparql"


# Harmless: the words are in comments, strings (all four kinds, escaped quotes too) or IRIs.
@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p ?o } # SERVICE <http://evil.example/sparql> { }",
        "# LOAD <file:///etc/passwd>\nASK {}",
        "SELECT * { ?s ?p 'SERVICE <http://evil.example/> {}' }",
        "SELECT * { ?s ?p 'it\\'s SERVICE <http://evil.example/> {}' }",
        'SELECT * { ?s ?p "say \\"SERVICE <http://evil.example/> {}\\"" }',
        "SELECT * { ?s ?p '''SERVICE\n<http://evil.example/> { } '' FROM <x:y>''' }",
        'SELECT * { ?s ?p """ "" FROM <file:///etc/passwd> \\""" LOAD <x:y>""" }',
        "SELECT * { ?s <http://example.org/p#SERVICE> ?o }",
        "SELECT * { ?s <http://example.org/LOAD#FROM> ?o } # <- no comment, an IRI",
        "PREFIX service: <http://example.org/> SELECT * { ?s service:load ?o }",
        "SELECT ?service ?load ?from WHERE { ?service ?load ?from }",
        "SELECT * { ?s ?p ?o FILTER(?o = 'FROM NAMED <http://evil.example/>') }",
    ],
)
def test_words_in_comments_strings_and_iris_are_harmless(query: str) -> None:
    info = check(query, CLOSED)
    assert info.services == ()
    assert info.loads == info.from_graphs == info.from_named_graphs == ()


# Refused SERVICE: case, prefixed names, BASE, SILENT, \u escapes, nesting.
@pytest.mark.parametrize(
    ("query", "iri", "line", "column"),
    [
        ("SELECT * { SERVICE <http://evil.example/sparql> { ?s ?p ?o } }", EVIL, 1, 20),
        ("select * { service <http://evil.example/sparql> { ?s ?p ?o } }", EVIL, 1, 20),
        ("SELECT * { sErViCe <http://evil.example/sparql> { ?s ?p ?o } }", EVIL, 1, 20),
        ("SELECT * { SERVICE SILENT <http://evil.example/sparql> { } }", EVIL, 1, 27),
        ("PREFIX e: <http://evil.example/>\nSELECT * {\n  SERVICE e:sparql {} }", EVIL, 3, 11),
        ("PREFIX : <http://evil.example/sparql> ASK { SERVICE : {} }", EVIL, 1, 53),
        ("BASE <http://evil.example/>\nASK { SERVICE <sparql> {} }", EVIL, 2, 15),
        ("BASE <http://evil.example/a/b/> ASK { SERVICE <../../sparql> {} }", EVIL, 1, 47),
        ("ASK { SERVICE <http\\u003A//evil.example/sparql> {} }", EVIL, 1, 15),
        ("ASK { SERVICE <file:///etc/passwd> {} }", "file:///etc/passwd", 1, 15),
        ("ASK { OPTIONAL { ?s ?p ?o SERVICE <http://evil.example/sparql> {} } }", EVIL, 1, 35),
        ("SELECT * { { SELECT ?s { SERVICE <http://evil.example/sparql> { ?s ?p ?o } } } }",
         EVIL, 1, 34),
        ("ASK { FILTER EXISTS { SERVICE <http://evil.example/sparql> {} } }", EVIL, 1, 31),
        ("ASK { {} UNION { MINUS { SERVICE <http://evil.example/sparql> {} } } }", EVIL, 1, 34),
        ("ASK { GRAPH ?g { SERVICE <http://evil.example/sparql> {} } }", EVIL, 1, 26),
        ("ASK { SERVICE <http://example.org/ok> { SERVICE <http://evil.example/sparql> {} } }",
         EVIL, 1, 49),
    ],
)  # fmt: skip
def test_service_outside_the_allowlist_is_refused(
    query: str, iri: str, line: int, column: int
) -> None:
    allow = Policy(service_allowlist=frozenset({"http://example.org/ok"}))
    with pytest.raises(PolicyError) as caught:
        check(query, allow)
    error = caught.value
    assert error.status == 403
    assert error.detail == {
        "clause": "SERVICE",
        "iri": iri,
        "line": line,
        "column": column,
        "setting": "SCIDIP_SERVICE_ALLOWLIST",
    }
    assert f"<{iri}> at line {line}, column {column}" in error.message
    assert error.hint and "SCIDIP_SERVICE_ALLOWLIST" in error.hint


@pytest.mark.parametrize(
    "query", ["ASK { SERVICE ?endpoint {} }", "ASK { SERVICE SILENT $e { ?s ?p ?o } }"]
)
def test_service_with_a_variable_is_always_refused(query: str) -> None:
    allow_all = Policy(service_allowlist=frozenset({"http://", "https://"}))
    with pytest.raises(PolicyError) as caught:
        check(query, allow_all)
    assert caught.value.detail["variable"] in ("?endpoint", "$e")
    assert "fixed IRI" in caught.value.message


@pytest.mark.parametrize(
    ("allowlist", "iri", "allowed"),
    [
        ({"https://query.wikidata.org/sparql"}, "https://query.wikidata.org/sparql", True),
        ({"https://query.wikidata.org/sparql"}, "https://query.wikidata.org/sparql2", False),
        ({"https://query.wikidata.org/sparql"}, "https://query.wikidata.org/", False),
        ({"https://query.wikidata.org/"}, "https://query.wikidata.org/sparql", True),
        ({"https://query.wikidata.org/"}, "https://query.wikidata.org.evil/sparql", False),
        ({"https://query.wikidata.org"}, "https://query.wikidata.org.evil/sparql", False),
        ({"https://query.wikidata.org/"}, "HTTPS://QUERY.WIKIDATA.ORG/sparql", False),
        ({"https://q.org/api/"}, "https://q.org/api/../admin", False),
        ({"https://q.org/api/"}, "https://q.org/api/%2E%2e/admin", False),
        ({"https://q.org/api/"}, "https://q.org/api/a/./b", False),
        ({"https://q.org/api/"}, "https://q.org/api/a\\..\\b", False),
        ({"https://q.org/api/"}, "https://q.org/api/a b", False),
        ({"https://q.org/api/"}, "https://q.org/api/v1..2/x", True),
        ({"https://q.org/voc#"}, "https://q.org/voc#graph", True),
        (set(), "https://q.org/", False),
    ],
)
def test_allowlist_matching(allowlist: set[str], iri: str, allowed: bool) -> None:
    assert is_allowed(iri, frozenset(allowlist)) is allowed


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }",
        "PREFIX wd: <https://query.wikidata.org/> SELECT * { SERVICE SILENT wd:sparql {} }",
        "BASE <https://query.wikidata.org/> SELECT * { SERVICE <sparql> {} }",
    ],
)
def test_allowlisted_service_passes(query: str) -> None:
    exact = Policy(service_allowlist=frozenset({"https://query.wikidata.org/sparql"}))
    prefix = Policy(service_allowlist=frozenset({"https://query.wikidata.org/"}))
    assert check(query, exact).services[0].iri == "https://query.wikidata.org/sparql"
    assert check(query, prefix).services[0].iri == "https://query.wikidata.org/sparql"


def test_service_ref_records_silent_variable_and_position() -> None:
    info = analyse("ASK {\n SERVICE SILENT ?e {} SERVICE <a:b> {} }")
    assert info.services == (
        ServiceRef(None, "?e", True, 2, 17),
        ServiceRef("a:b", None, False, 2, 31),
    )


# Graphs named in FROM, FROM NAMED, USING, USING NAMED and WITH are never fetched: any IRI
# passes (one that is no graph of the dataset is an empty graph); LOAD reads, so it is refused.
@pytest.mark.parametrize(
    ("text", "clause", "iri"),
    [
        ("SELECT * FROM <http://evil.example/g> { ?s ?p ?o }", "FROM", "http://evil.example/g"),
        ("SELECT * from named <file:///etc/passwd> { }", "FROM NAMED", "file:///etc/passwd"),
        ("PREFIX g: <http://evil.example/> ASK FROM g:x {}", "FROM", "http://evil.example/x"),
        ("BASE <file:///etc/> ASK FROM NAMED <passwd> {}", "FROM NAMED", "file:///etc/passwd"),
        ("DELETE { ?s ?p ?o } USING <http://evil.example/g> WHERE { ?s ?p ?o }", "USING",
         "http://evil.example/g"),
        ("INSERT { ?s ?p ?o } USING NAMED <http://evil.example/g> WHERE { ?s ?p ?o }",
         "USING NAMED", "http://evil.example/g"),
        ("WITH <http://evil.example/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH",
         "http://evil.example/g"),
    ],
)  # fmt: skip
def test_outside_graphs_pass_in_the_dataset_clauses(text: str, clause: str, iri: str) -> None:
    info = check(text, WRITABLE)
    found = {
        "FROM": info.from_graphs,
        "FROM NAMED": info.from_named_graphs,
        "USING": info.using_graphs,
        "USING NAMED": info.using_named_graphs,
        "WITH": info.with_graphs,
    }[clause]
    assert [ref.iri for ref in found] == [iri]


@pytest.mark.parametrize(
    ("text", "iri"),
    [
        ("LOAD <file:///etc/passwd>", "file:///etc/passwd"),
        ("load silent <http://evil.example/data.ttl> into graph <urn:g>",
         "http://evil.example/data.ttl"),
        ("BASE <file:///etc/> LOAD <passwd>", "file:///etc/passwd"),
        ("LOAD <passwd>", "file:///etc/passwd"),  # relative to the base the engine is given
    ],
)  # fmt: skip
def test_load_from_outside_is_refused(text: str, iri: str) -> None:
    with pytest.raises(PolicyError) as caught:
        check(text, WRITABLE, base="file:///etc/sparql")
    assert caught.value.detail["clause"] == "LOAD"
    assert caught.value.detail["iri"] == iri
    assert caught.value.detail["setting"] == "SCIDIP_GRAPH_ALLOWLIST"
    assert f"LOAD <{iri}> at line 1, column " in caught.value.message
    assert caught.value.hint and "SCIDIP_GRAPH_ALLOWLIST" in caught.value.hint


def test_the_dataset_clauses_are_reported_where_written() -> None:
    info = check(f"SELECT * FROM <{OWN}> FROM NAMED <{OWN}> {{ ?s ?p ?o }}", CLOSED)
    assert info.from_graphs == (IriRef(OWN, 1, 15),)
    assert info.from_named_graphs == (IriRef(OWN, 1, 63),)
    update = f"WITH <{OWN}> DELETE {{ ?s ?p ?o }} USING <{OWN}> WHERE {{ ?s ?p ?o }}"
    assert check(update, WRITABLE).with_graphs[0].iri == OWN


def test_the_graph_allowlist_opens_load_only_to_its_entries() -> None:
    allow = Policy(allow_updates=True, graph_allowlist=frozenset({"https://data.example/"}))
    check("LOAD <https://data.example/dump.ttl> INTO GRAPH <urn:x>", allow)
    with pytest.raises(PolicyError):
        check("LOAD <https://data.example.evil/dump.ttl>", allow)
    with pytest.raises(PolicyError):
        check("LOAD <https://data.example/../dump.ttl>", allow)
    with pytest.raises(PolicyError):  # the dataset's own graphs may be queried, not LOADed
        check(f"LOAD <{OWN}>", allow)


# Updates: every kind, refused without a token, recognised with one.
@pytest.mark.parametrize(
    ("update", "operations"),
    [
        ("INSERT DATA { <a:s> <a:p> 1 }", ("INSERT DATA",)),
        ("delete data { <a:s> <a:p> 1 }", ("DELETE DATA",)),
        ("DELETE WHERE { ?s ?p ?o }", ("DELETE/INSERT",)),
        ("DELETE { ?s ?p ?o } INSERT { ?s ?p 2 } WHERE { ?s ?p ?o }", ("DELETE/INSERT",)),
        ("INSERT { ?s ?p 2 } WHERE { ?s ?p ?o }", ("DELETE/INSERT",)),
        (f"WITH <{OWN}> DELETE {{ ?s ?p ?o }} INSERT {{ ?s ?p 1 }} WHERE {{ ?s ?p ?o }}",
         ("DELETE/INSERT",)),
        ("CLEAR ALL", ("CLEAR",)),
        ("CREATE SILENT GRAPH <urn:g>", ("CREATE",)),
        ("DROP DEFAULT", ("DROP",)),
        ("COPY <urn:a> TO <urn:b>", ("COPY",)),
        ("MOVE DEFAULT TO GRAPH <urn:b>", ("MOVE",)),
        ("ADD SILENT <urn:a> TO DEFAULT", ("ADD",)),
        ("PREFIX e: <http://e.org/> INSERT DATA { e:a e:b e:c } ;\n"
         "BASE <http://e.org/> DELETE DATA { <a> <b> <c> } ; CLEAR GRAPH e:g ; "
         "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o } ; INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }",
         ("INSERT DATA", "DELETE DATA", "CLEAR", "DELETE/INSERT", "DELETE/INSERT")),
    ],
)  # fmt: skip
def test_updates_need_a_token(update: str, operations: tuple[str, ...]) -> None:
    with pytest.raises(UnauthorizedError) as caught:
        check(update, CLOSED)
    assert caught.value.status == 403
    assert "write token" in caught.value.message
    assert caught.value.hint and "SCIDIP_WRITE_TOKEN" in caught.value.hint
    info = check(update, WRITABLE)
    assert (info.kind, info.form, info.update_operations) == ("update", None, operations)


def test_load_needs_a_token_first() -> None:
    with pytest.raises(UnauthorizedError):
        check("LOAD <file:///etc/passwd>", CLOSED)


@pytest.mark.parametrize(
    "update",
    [
        "INSERT { } WHERE { SERVICE <http://evil.example/sparql> {} }",
        "DELETE { ?s ?p ?o } WHERE { OPTIONAL { SERVICE SILENT <http://evil.example/sparql> "
        "{ ?s ?p ?o } } }",
        "INSERT DATA { <a:a> <a:b> 1 } ; DELETE WHERE { SERVICE <http://evil.example/sparql> {} }",
    ],
)
def test_service_inside_updates_is_refused_even_with_a_token(update: str) -> None:
    with pytest.raises(PolicyError) as caught:
        check(update, WRITABLE)
    assert caught.value.detail["iri"] == EVIL


def test_query_forms() -> None:
    assert [check(q, CLOSED).form for q in ("ask{}", "DESCRIBE <a:x>", "construct{}where{}")] == [
        "ASK",
        "DESCRIBE",
        "CONSTRUCT",
    ]
    info = analyse("SELECT * { { SELECT ?s { ?s ?p ?o } } }")
    assert (info.kind, info.form, info.update_operations) == ("query", "SELECT", ())


def test_base_and_prefixes_as_declared() -> None:
    info = analyse(
        "BASE <http://e.org/a/> PREFIX x: <b/> PREFIX : <http://f.org/> "
        "BASE <c/> PREFIX y: <d#> SELECT * { ?s x:p :q, y:r }"
    )
    assert info.base == "http://e.org/a/c/"
    assert dict(info.prefixes) == {
        "x": "http://e.org/a/b/",
        "": "http://f.org/",
        "y": "http://e.org/a/c/d#",
    }
    assert analyse("SELECT * {}", base="http://g.org/").base == "http://g.org/"
    given = analyse("ASK FROM ex:g {}", prefixes={"ex": "http://e.org/"})
    assert given.from_graphs[0].iri == "http://e.org/g"


def test_prefixed_names_unescape_their_local_part() -> None:
    info = analyse(r"PREFIX e: <http://e.org/> ASK FROM e:a\~b%20c {}")
    assert info.from_graphs[0].iri == "http://e.org/a~b%20c"


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("SELECT * {\n  SERVICE ex:q {} }", 2, 11, "undeclared prefix 'ex:'"),
        ("SELECT * { ?s ex:p ?o }", 1, 15, "undeclared prefix 'ex:'"),
        ("SELECT * { ?s e:p ?o } PREFIX e: <http://e.org/>", 1, 15, "undeclared prefix 'e:'"),
        ("SELECT * { SERVICE { } }", 1, 20, "expected an IRI after SERVICE, found '{'"),
        ("SELECT * FROM ?g { }", 1, 15, "FROM needs an IRI, not the variable ?g"),
        ("LOAD", 1, 5, "expected an IRI after LOAD, found the end"),
        ("BASE e:x ASK {}", 1, 6, "expected an IRI <...> after BASE"),
        ("PREFIX <http://e.org/> ASK {}", 1, 8, "expected a prefix name like ex: after PREFIX"),
        ("PREFIX e: e:x ASK {}", 1, 11, "expected an IRI <...> after PREFIX e:"),
        ("ASK { ?s ?p ?o } \\u0053ERVICE", 1, 18, "backslash"),
    ],
)
def test_syntax_errors_have_positions(text: str, line: int, column: int, words: str) -> None:
    with pytest.raises(SparqlSyntaxError) as caught:
        check(text, WRITABLE)
    assert caught.value.status == 400
    assert caught.value.to_dict()["error"]["detail"] == {"line": line, "column": column}
    assert words in caught.value.message


def test_depth_limit_names_the_first_bracket_too_deep() -> None:
    query = "SELECT * {\n" + "{ " * 3 + "?s ?p (1 ([?x ?y])) " + "} " * 3 + "}"
    assert analyse(query).max_depth == 7
    check(query, Policy(max_depth=7))
    with pytest.raises(LimitError) as caught:
        check(query, Policy(max_depth=5))
    assert caught.value.status == 400
    assert caught.value.detail == {"limit": 5, "line": 2, "column": 16}
    assert "SCIDIP_MAX_DEPTH" in (caught.value.hint or "")
    assert analyse("SELECT * { ?s ?p () , [] }").max_depth == 1  # NIL and ANON close at once


def test_huge_query_is_refused_without_lexing(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_lexing(text: str) -> None:
        raise AssertionError("lexed a query past the length limit")

    monkeypatch.setattr(policy_module, "tokenize", no_lexing)
    huge = "SELECT * { " + "?s ?p ?o . " * 1_000_000 + "}"
    with pytest.raises(PayloadTooLargeError) as caught:
        check(huge, CLOSED)
    assert caught.value.status == 413
    assert caught.value.detail == {"length": len(huge), "limit": 100_000}
    assert "SCIDIP_MAX_QUERY_LENGTH" in (caught.value.hint or "")


def test_dataset_parameters_take_any_absolute_iri() -> None:
    for iri in (OWN, "https://data.example/g", "file:///etc/passwd", "urn:x"):
        check_dataset_iris([iri], parameter="default-graph-uri")
    for bad in ("", "g", "../g", "http://a b/", "http://x:port/"):
        with pytest.raises(UsageError) as caught:
            check_dataset_iris([OWN, bad], parameter="named-graph-uri")
        assert caught.value.status == 400
        assert caught.value.detail == {"parameter": "named-graph-uri", "iri": bad}
        assert f"named-graph-uri={bad!r} is not an absolute IRI" in caught.value.message


def test_error_body_shape() -> None:
    with pytest.raises(PolicyError) as caught:
        check("ASK { SERVICE <http://evil.example/sparql> {} }", CLOSED)
    body = caught.value.to_dict()["error"]
    assert set(body) == {"status", "code", "message", "hint", "detail"}
    assert body["status"] == 403


# Fuzz: junk never raises anything but SparqlSyntaxError.
_PIECES = [
    "SERVICE", "service", "SILENT", "LOAD", "FROM", "NAMED", "USING", "WITH", "BASE", "PREFIX",
    "INSERT", "DELETE", "DATA", "WHERE", "SELECT", "ASK", "a", "<", ">", "<http://x/>", "<a b>",
    "ex:", "ex:a", ":", "_:b", "?", "?x", "$", "$y", "'", '"', "'''", '"""', "\\", "\\u0041",
    "#", "\n", " ", "{", "}", "(", ")", "[", "]", ";", ".", ",", "^^", "@en", "1", "-1.5e3",
    "\u00e9", "\U0001d538", "\x00", "\u00a0", "%20", "&&", "||", "!", "=", "*",
]  # fmt: skip


def _assert_only_syntax_errors(text: str) -> None:
    try:
        analyse(text)
    except SparqlSyntaxError as error:
        assert error.line is not None and error.column is not None
        assert 1 <= error.line <= text.count("\n") + 1


def test_fuzz_random_junk_raises_only_syntax_errors() -> None:
    rng = random.Random(20240601)
    for _ in range(3000):
        pieces = rng.choices(_PIECES, k=rng.randint(0, 25))
        text = " ".join(pieces) if rng.random() < 0.5 else "".join(pieces)
        _assert_only_syntax_errors(text)
        chars = "".join(chr(rng.randint(0, 0x2FF)) for _ in range(rng.randint(0, 30)))
        _assert_only_syntax_errors(chars)


def test_fuzz_with_hypothesis() -> None:
    hypothesis = pytest.importorskip("hypothesis")
    strategies = hypothesis.strategies

    @hypothesis.settings(max_examples=300, deadline=None)
    @hypothesis.given(
        strategies.one_of(
            strategies.text(),
            strategies.lists(strategies.sampled_from(_PIECES)).map(" ".join),
            strategies.lists(strategies.sampled_from(_PIECES)).map("".join),
        )
    )
    def run(text: str) -> None:
        _assert_only_syntax_errors(text)

    run()


# RFC 3986, 5.4: the engine resolves relative IRIs this way, so the policy must too.
_RFC_BASE = "http://a/b/c/d;p?q"
_RFC_EXAMPLES = {
    "g:h": "g:h", "g": "http://a/b/c/g", "./g": "http://a/b/c/g", "g/": "http://a/b/c/g/",
    "/g": "http://a/g", "//g": "http://g", "?y": "http://a/b/c/d;p?y", "g?y": "http://a/b/c/g?y",
    "#s": "http://a/b/c/d;p?q#s", "g#s": "http://a/b/c/g#s", "g?y#s": "http://a/b/c/g?y#s",
    ";x": "http://a/b/c/;x", "g;x?y#s": "http://a/b/c/g;x?y#s", "": "http://a/b/c/d;p?q",
    ".": "http://a/b/c/", "./": "http://a/b/c/", "..": "http://a/b/", "../g": "http://a/b/g",
    "../..": "http://a/", "../../g": "http://a/g", "../../../g": "http://a/g",
    "/./g": "http://a/g", "/../g": "http://a/g", "g.": "http://a/b/c/g.", "..g": "http://a/b/c/..g",
    "./../g": "http://a/b/g", "./g/.": "http://a/b/c/g/", "g/../h": "http://a/b/c/h",
    "g;x=1/../y": "http://a/b/c/y", "g?y/../x": "http://a/b/c/g?y/../x",
    "g#s/../x": "http://a/b/c/g#s/../x", "d#": "http://a/b/c/d#", "e?": "http://a/b/c/e?",
}  # fmt: skip


@pytest.mark.parametrize(("relative", "resolved"), _RFC_EXAMPLES.items())
def test_relative_iris_resolve_as_in_rfc_3986(relative: str, resolved: str) -> None:
    info = analyse(f"BASE <{_RFC_BASE}> ASK FROM <{relative}> {{}}")
    assert info.from_graphs[0].iri == resolved


@pytest.mark.parametrize(
    "shape",
    [
        lambda n: "SELECT (" + "!" * n + "true AS ?x) {}",
        lambda n: "SELECT (" + "+".join(["1"] * n) + " AS ?x) {}",
        lambda n: "SELECT (" + "1 " + "-1 " * n + "AS ?x) {}",
        lambda n: "SELECT (" + "&&".join(["true"] * n) + " AS ?x) {}",
        lambda n: "SELECT (" + "||".join(["true"] * n) + " AS ?x) {}",
        lambda n: "SELECT * {" + " ".join(f"BIND(1 AS ?v{i})" for i in range(n)) + "}",
        lambda n: "SELECT * {" + " MINUS {}" * n + "}",
        lambda n: "SELECT * {" + " OPTIONAL {}" * n + "}",
        lambda n: "SELECT * {" + " UNION ".join(["{}"] * n) + "}",
        lambda n: "SELECT * {" + " {}" * n + "}",
        lambda n: "SELECT * { ?s " + "/".join(["<x:p>"] * n) + " ?o }",
        lambda n: "SELECT * { ?s " + "|".join(["<x:p>"] * n) + " ?o }",
    ],
)
def test_chains_and_unary_runs_are_limited(shape: Any) -> None:
    small = Policy(max_depth=64, max_chain=50)
    check(shape(20), small)
    with pytest.raises(LimitError) as caught:
        check(shape(200), small)
    assert caught.value.status == 400
    assert caught.value.detail is not None and caught.value.detail["limit"] in (50, 64)
    assert caught.value.detail["line"] == 1
