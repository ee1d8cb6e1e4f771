"""Syntax errors point at their cause: the engine's words kept, the tokens' evidence added.

pyoxigraph's parser reports the end of the text for most mistakes, with a list of what some
alternative of the grammar wanted ("expected OPTIONAL", "expected [_]"). Where the tokens show
the cause for certain (an IRI that cannot be valid, brackets that do not match), the error
names it; elsewhere it adds the token found at the engine's place.
"""

from __future__ import annotations

import pytest

from scidip_graph.api import open_graph
from scidip_graph.errors import SparqlSyntaxError
from scidip_graph.sparql.syntax import explain_syntax_error
from scidip_graph.store import OxigraphStore
from tests.apps import sample_client
from tests.conftest import SAMPLE

BASE = "http://127.0.0.1:8000/sparql"


def _engine_error(text: str, base: str | None) -> SparqlSyntaxError:
    with pytest.raises(SparqlSyntaxError) as caught:
        OxigraphStore().query(text, base_iri=base)
    return caught.value


@pytest.mark.parametrize(
    ("text", "base", "line", "column", "what"),
    [
        # The case of the W3C protocol tests, where no base IRI is given (the API, the CLI).
        ("CONSTRUCT { <s> <p> 1 } WHERE {}", None, 1, 13,
         "the relative IRI <s> has no base IRI to resolve it against"),
        ("ASK { ?s ?p ?o }\nORDER BY <f>(?o)", None, 2, 10,
         "the relative IRI <f> has no base IRI to resolve it against"),
        ("PREFIX e: <rel#> ASK { e:a ?p ?o }", None, 1, 11,
         "the relative IRI <rel#> has no base IRI to resolve it against"),
        ("ASK { <s> ?p ?o", None, 1, 7,  # two causes: the first in the text
         "the relative IRI <s> has no base IRI to resolve it against"),
        ("BASE <http://e.org/> ASK { <s> ?p <http://x:port/> }", None, 1, 35,
         "<http://x:port/> is not a valid IRI: Invalid character 'p'"),
        ("ASK { <%zz> ?p ?o }", BASE, 1, 7,
         "<%zz> (<http://127.0.0.1:8000/%zz>) is not a valid IRI: "
         "Invalid IRI percent encoding '%zz'"),
        ("SELECT * { ?s ?p ?o FILTER (?o > 1 }", BASE, 1, 36,
         "'}' closes the '(' opened at line 1, column 28"),
        ("SELECT * { ?s ?p ?o } }", BASE, 1, 23, "'}' closes nothing"),
        ("ASK {\n  ?s ?p ?o .\n  { ?s ?p ?o", BASE, 3, 3, "'{' is never closed"),
    ],
)  # fmt: skip
def test_the_cause_is_named(text: str, base: str | None, line: int, column: int, what: str) -> None:
    engine = _engine_error(text, base)
    explained = explain_syntax_error(engine, text, base=base)
    reason = engine.detail["reason"]
    assert explained.message == (
        f"SPARQL syntax error at line {line}, column {column}: {what} (the engine: {reason})"
    )
    assert (explained.line, explained.column) == (line, column)
    assert explained.detail["reason"] == reason


def _at(line: int, column: int, reason: str = "expected OPTIONAL") -> SparqlSyntaxError:
    """An engine error at a place, as the store makes it, whatever the engine's version."""
    error = SparqlSyntaxError(
        f"SPARQL syntax error at line {line}, column {column}: {reason}", line=line, column=column
    )
    error.detail["reason"] = reason
    return error


@pytest.mark.parametrize(
    ("text", "line", "column", "found"),
    [
        ("SELECT (COUNT(*) ?n) { ?s ?p ?o }", 1, 18, "?n"),  # at the token's start
        ("SELECT ?x WHERE { ?x a <http://c> ?x <http://p> ?y }", 1, 43, "<http://p>"),  # inside
        ("SELECT * { ?s ?p ?o OPTIONAL  ?s }", 1, 30, "?s"),  # in white space: the next token
        ("ASK { ?s ?p '''a\nb''' }", 2, 2, "'''a\nb'''"),  # on a later line of a long string
        ("ASK {\n# a comment\n?s ?p }", 2, 3, "?s"),  # in a comment: the next token
    ],
)
def test_otherwise_the_token_at_the_engines_place_is_shown(
    text: str, line: int, column: int, found: str
) -> None:
    explained = explain_syntax_error(_at(line, column), text, base=BASE)
    where = f"at line {line}, column {column} (found {found!r}): "
    assert explained.message == f"SPARQL syntax error {where}expected OPTIONAL"
    assert explained.detail == {
        "line": line,
        "column": column,
        "reason": "expected OPTIONAL",
        "found": found,
    }
    assert explained.hint is None


def test_the_end_of_the_text_is_said_with_a_hint() -> None:
    text = "ASK { ?s ?p ?o . FILTER(?o = ) }"
    explained = explain_syntax_error(_at(1, 33, "expected [_]"), text, base=BASE)
    assert explained.message == (
        "SPARQL syntax error at line 1, column 33 (the end of the text): expected [_]"
    )
    assert explained.hint and "missing '.'" in explained.hint
    assert "found" not in explained.detail


def test_a_long_token_is_cut_in_the_message() -> None:
    text = "ASK { ?s ?p '" + "x" * 100 + "' }"
    explained = explain_syntax_error(_at(1, 13), text, base=BASE)
    assert "(found " + repr("'" + "x" * 36 + "...") + ")" in explained.message
    assert explained.detail["found"] == "'" + "x" * 100 + "'"


def test_a_text_the_lexer_refuses_keeps_the_engines_error() -> None:
    engine = SparqlSyntaxError("SPARQL syntax error at line 1, column 1: x", line=1, column=1)
    assert explain_syntax_error(engine, "ASK { ` }", base=None) is engine


def test_the_endpoint_explains() -> None:
    client = sample_client()
    r = client.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o } }"})
    assert r.status_code == 400
    body = r.json["error"]
    assert body["code"] == "sparql_syntax"
    assert body["message"].startswith(
        "SPARQL syntax error at line 1, column 23: '}' closes nothing"
    )
    assert body["detail"]["line"] == 1 and body["detail"]["column"] == 23
    assert f"(the engine: {body['detail']['reason']})" in body["message"]


def test_the_api_explains_a_relative_iri() -> None:
    kg = open_graph([SAMPLE])  # no endpoint, so no base IRI
    with pytest.raises(SparqlSyntaxError) as caught:
        kg.query("ASK { <s> ?p ?o }")
    assert caught.value.message.startswith(
        "SPARQL syntax error at line 1, column 7: the relative IRI <s> has no base IRI"
    )
    assert caught.value.hint and "BASE" in caught.value.hint
    assert not kg.query("ASK { <s> ?p ?o }", base_iri="http://e.org/")
