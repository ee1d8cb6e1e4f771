"""The SPARQL tokenizer: terminals of the grammar, positions, errors, and realistic queries."""

from __future__ import annotations

import pyoxigraph
import pytest

from scidip_graph.errors import SparqlSyntaxError
from scidip_graph.sparql.lexer import Token, iri_value, local_name_value, tokenize

PREFIXES = """\
PREFIX sd: <https://w3id.org/scidip/ontology#>
PREFIX ex: <https://w3id.org/scidip/id/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""

# Realistic queries: each must lex, and pyoxigraph must accept it (so the table is real SPARQL).
EXAMPLES = [
    "SELECT * WHERE { ?s ?p ?o } LIMIT 10",
    "select distinct ?type where { ?s a ?type } order by ?type",
    "SELECT ?a ?name WHERE { ?a a sd:Agreement ; rdfs:label ?name . FILTER(LANG(?name) = 'en') }",
    'SELECT ?n WHERE { ?x rdfs:label ?n FILTER(langMatches(lang(?n), "en-GB")) }',
    'SELECT ?s WHERE { ?s sd:signedOn ?d FILTER(?d >= "2001-01-01"^^xsd:date) }',
    'SELECT ?s WHERE { ?s rdfs:label "CERN"@en-GB }',
    "SELECT ?c (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a sd:party ?c } GROUP BY ?c "
    "HAVING (COUNT(?a) > 2) ORDER BY DESC(?n) LIMIT 5 OFFSET 1",
    "SELECT (GROUP_CONCAT(?l; SEPARATOR=', ') AS ?ls) (SAMPLE(?x) AS ?one) (AVG(?v) AS ?m) "
    "WHERE { ?x rdfs:label ?l ; sd:value ?v }",
    "SELECT ?s ?o WHERE { ?s sd:partOf+/rdfs:label ?o }",
    "SELECT ?s WHERE { ?s (sd:memberOf|^sd:hasMember)* ex:UNESCO }",
    "SELECT ?s WHERE { ?s !(rdf:type|^rdfs:label) ?o }".replace(
        "rdf:type", "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
    ),
    "SELECT ?s ?x WHERE { VALUES (?s ?x) { (ex:a 1) (ex:b UNDEF) } }",
    "SELECT ?s WHERE { VALUES ?s { ex:cern ex:sesame } ?s ?p ?o }",
    "SELECT ?y WHERE { BIND(YEAR(NOW()) - 10 AS ?y) }",
    "SELECT ?x WHERE { BIND(1.5e3 AS ?x) FILTER(?x > -2 && ?x != +3.25 || ?x <= .5E-1) }",
    "SELECT ?s WHERE { ?s sd:party [ a sd:Country ; rdfs:label ?l ] . ?s sd:list () }",
    "SELECT ?s WHERE { ?s sd:list ( 1 2 [] ) . [] sd:x ?s }",
    "ASK { ?s a sd:Fellowship }",
    "ASK WHERE { FILTER NOT EXISTS { ?s a sd:Thing } }",
    "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s skos:prefLabel ?l }",
    "CONSTRUCT WHERE { ?s a sd:Agreement }",
    "DESCRIBE ex:cern",
    "DESCRIBE ?s WHERE { ?s a sd:Organisation } LIMIT 1",
    "SELECT ?s WHERE { { ?s a sd:A } UNION { ?s a sd:B } MINUS { ?s sd:hidden true } }",
    "SELECT ?s WHERE { OPTIONAL { ?s foaf:name ?n } FILTER(!BOUND(?n)) }",
    "SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * WHERE { { SELECT ?s (COUNT(*) AS ?c) WHERE { ?s ?p ?o } GROUP BY ?s } }",
    "SELECT ?l WHERE { ?s rdfs:label ?l FILTER(REGEX(STR(?l), '^sci', 'i')) }",
    'SELECT ?l WHERE { ?s rdfs:label ?l FILTER(CONTAINS(LCASE(?l), "diplomacy")) }',
    'SELECT ?x WHERE { BIND("""multi\nline "quoted" text""" AS ?x) }',
    "SELECT ?x WHERE { BIND('''it's''' AS ?x) BIND(\"tab\\there\" AS ?y) }",
    "SELECT $s WHERE { $s ?p _:b0 . _:b0 ?q ?r }",
    "SELECT ?s WHERE { ?s <http://example.org/p#frag> ?o } # trailing comment",
    'SELECT ?x WHERE { BIND(IF(?a, STRLEN("x"), COALESCE(?b, 0)) AS ?x) }',
    'SELECT ?x WHERE { BIND(ENCODE_FOR_URI(SUBSTR("abc", 2)) AS ?x) BIND(SHA256("x") AS ?h) }',
    "SELECT ?s WHERE { ?s sd:year ?y FILTER(?y IN (2001, 2002)) FILTER(?y NOT IN (1999)) }",
    "SELECT ?s WHERE {\n  ?s ex:caf\u00e9 ?o ;\n     ex:\u65e5\u672c ?p .\n}",
]


@pytest.mark.parametrize("query", EXAMPLES)
def test_realistic_queries_lex_and_are_real_sparql(query: str) -> None:
    text = PREFIXES + query
    tokens = tokenize(text)
    assert tokens[0] == Token("KEYWORD", "PREFIX", 1, 1)
    pyoxigraph.Store().query(text)  # the table holds valid SPARQL


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("<http://x.org/a#b>", [("IRIREF", "<http://x.org/a#b>")]),
        ("ex:", [("PNAME_NS", "ex:")]),
        (":", [("PNAME_NS", ":")]),
        ("ex:a.b", [("PNAME_LN", "ex:a.b")]),
        ("ex:a.", [("PNAME_LN", "ex:a"), ("PUNCT", ".")]),
        ("e.x:y", [("PNAME_LN", "e.x:y")]),
        ("ex:a:b", [("PNAME_LN", "ex:a:b")]),
        ("ex:1", [("PNAME_LN", "ex:1")]),
        (r"ex:a\,b\~c", [("PNAME_LN", r"ex:a\,b\~c")]),
        ("ex:a%20b", [("PNAME_LN", "ex:a%20b")]),
        ("caf\u00e9:th\u00e9", [("PNAME_LN", "caf\u00e9:th\u00e9")]),
        ("ex:\U0001d538", [("PNAME_LN", "ex:\U0001d538")]),
        ("ex:a\u00b7b\u203fc", [("PNAME_LN", "ex:a\u00b7b\u203fc")]),
        ("select:x", [("PNAME_LN", "select:x")]),
        ("_:b1", [("BLANK_NODE_LABEL", "_:b1")]),
        ("_:b.c", [("BLANK_NODE_LABEL", "_:b.c")]),
        ("?x", [("VAR1", "?x")]),
        ("$x", [("VAR2", "$x")]),
        ("?\u00e9t\u00e9", [("VAR1", "?\u00e9t\u00e9")]),
        ("@en-GB", [("LANGTAG", "@en-GB")]),
        ("12", [("INTEGER", "12")]),
        ("-2", [("INTEGER", "-2")]),
        ("+7", [("INTEGER", "+7")]),
        ("1.5", [("DECIMAL", "1.5")]),
        (".5", [("DECIMAL", ".5")]),
        ("1.5e3", [("DOUBLE", "1.5e3")]),
        ("1.E-3", [("DOUBLE", "1.E-3")]),
        (".5e1", [("DOUBLE", ".5e1")]),
        ("1.", [("INTEGER", "1"), ("PUNCT", ".")]),
        ("'a\\'b'", [("STRING_LITERAL1", "'a\\'b'")]),
        ('"a\\"b"', [("STRING_LITERAL2", '"a\\"b"')]),
        ("'''a''b'''", [("STRING_LITERAL_LONG1", "'''a''b'''")]),
        ('"""a""b"""', [("STRING_LITERAL_LONG2", '"""a""b"""')]),
        ('""', [("STRING_LITERAL2", '""')]),
        ('"\\u00e9"', [("STRING_LITERAL2", '"\\u00e9"')]),
        ("( )", [("NIL", "( )")]),
        ("[\n]", [("ANON", "[\n]")]),
        ("^^", [("PUNCT", "^^")]),
        ("&& || != <= >=", [("PUNCT", x) for x in ("&&", "||", "!=", "<=", ">=")]),
        ("a", [("A", "a")]),
        ("sErViCe", [("KEYWORD", "SERVICE")]),
        ("true.", [("KEYWORD", "TRUE"), ("PUNCT", ".")]),
        # '<' starts an IRI wherever an IRIREF matches (longest match), else it is less-than.
        ("?a<?b", [("VAR1", "?a"), ("PUNCT", "<"), ("VAR1", "?b")]),
        ("?a < ?b && ?c > ?d", [("VAR1", "?a"), ("PUNCT", "<"), ("VAR1", "?b"), ("PUNCT", "&&"),
                                ("VAR1", "?c"), ("PUNCT", ">"), ("VAR1", "?d")]),
        ("?a<?b&&?c>?d", [("VAR1", "?a"), ("IRIREF", "<?b&&?c>"), ("VAR1", "?d")]),
        ("?a<=?b", [("VAR1", "?a"), ("PUNCT", "<="), ("VAR1", "?b")]),
    ],
)  # fmt: skip
def test_terminals(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(t.kind, t.text) for t in tokenize(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "# SERVICE <http://evil/> {}",
        "'SERVICE <http://evil/>'",
        '"SERVICE <http://evil/>"',
        "'''SERVICE\n<http://evil/>'''",
        '"""SERVICE\n<http://evil/>"""',
        "<http://x.org/#SERVICE>",
    ],
)
def test_service_in_comment_string_or_iri_is_no_keyword(text: str) -> None:
    assert all(t.kind != "KEYWORD" for t in tokenize(text))


def test_comments_end_at_line_end_and_are_kept_on_request() -> None:
    text = "SELECT # one\n* # two\r{}"
    assert [t.text for t in tokenize(text)] == ["SELECT", "*", "{", "}"]
    kept = tokenize(text, comments=True)
    assert [(t.kind, t.text, t.line, t.column) for t in kept if t.kind == "COMMENT"] == [
        ("COMMENT", "# one", 1, 8),
        ("COMMENT", "# two", 2, 3),
    ]


def test_positions_are_one_based_and_count_characters() -> None:
    text = 'SELECT ?x\nWHERE {\n\t"""a\nb""" ?\u00e9 ?y }'
    assert [(t.text, t.line, t.column) for t in tokenize(text)] == [
        ("SELECT", 1, 1),
        ("?x", 1, 8),
        ("WHERE", 2, 1),
        ("{", 2, 7),
        ('"""a\nb"""', 3, 2),
        ("?\u00e9", 4, 6),
        ("?y", 4, 9),
        ("}", 4, 12),
    ]


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("SELECT * { ?s ?p 'open }", 1, 18, "unterminated string"),
        ('SELECT *\n{ ?s ?p "a\nb" }', 2, 9, "unterminated string"),
        ('ASK { ?s ?p "bad \\q escape" }', 1, 13, "unterminated string"),
        ("ASK { ?s ?p ?o } `", 1, 18, "unexpected character"),
        ("ASK {\n  \\u0053ERVICE <x> {} }", 2, 3, "backslash"),
        ("ASK { ?s ?p $ }", 1, 13, "variable name"),
        ("ASK { ?s ?p foo }", 1, 13, "unknown keyword 'foo'"),
        ("ASK { ?s A ?o }", 1, 10, "unknown keyword 'A'"),
        ("ASK { ?s ?p _:.x }", 1, 13, "blank node"),
        ("ASK { ?s ?p '''x'' }", 1, 18, "unterminated string"),  # '' then 'x' then '
        ("ASK { ?s ?p 1 & 2 }", 1, 15, "unexpected character '&'"),
        ("ASK {\u00a0}", 1, 6, "unexpected character"),
        ("ASK { ?s <a b> ?o }", 1, 13, "unknown keyword 'b'"),  # IRIs hold no spaces
    ],
)
def test_errors_name_line_and_column(text: str, line: int, column: int, words: str) -> None:
    with pytest.raises(SparqlSyntaxError) as caught:
        tokenize(text)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert caught.value.to_dict()["error"]["detail"] == {"line": line, "column": column}
    assert words in caught.value.message
    assert f"line {line}, column {column}" in caught.value.message


def test_iri_escapes_are_decoded_like_the_engine_does() -> None:
    (token,) = tokenize(r"<http\u003A//evil.example/\U0000002e>")
    assert iri_value(token.text) == "http://evil.example/."
    assert local_name_value(r"a\.b\-c%41") == "a.b-c%41"


def test_long_input_lexes_in_linear_time() -> None:
    tokens = tokenize("SELECT * { " + "?s ?p 'x' . " * 20_000 + "}")
    assert len(tokens) == 3 + 4 * 20_000 + 1


@pytest.mark.parametrize(
    ("text", "iris"),
    [
        # After an operand inside an expression, "<" is less-than, as the engine reads it.
        ("SELECT * { FILTER(?a<?b&&?c>?d) }", []),
        ("SELECT * { FILTER(?a<'>') SERVICE <http://x/> {} } #'", ["<http://x/>"]),
        ("SELECT * { FILTER(1<#>'''\n'~') SERVICE <http://x/> {} } #'''", ["<http://x/>"]),
        ("SELECT * { FILTER(<<(<s:> <p:> <o:>)>><'>') SERVICE <http://x/> {} } #'",
         ["<s:>", "<p:>", "<o:>", "<http://x/>"]),
        ("SELECT (?a<'>' AS ?b) { SERVICE <http://x/> {} } #'", ["<http://x/>"]),
        ("SELECT * { BIND(STR(?a)<'>' AS ?b) SERVICE <http://x/> {} } #'", ["<http://x/>"]),
        ("SELECT * { FILTER <f:>(?a<'>') SERVICE <http://x/> {} } #'", ["<f:>", "<http://x/>"]),
        ("SELECT * {} GROUP BY ?a HAVING (?a<'>') #'", []),
        ("SELECT * { FILTER(true<'>') } #'", []),
        ("SELECT * { FILTER(NOW()<'>') } #'", []),
        ("SELECT * { FILTER('a'@en<'>') } #'", []),
        # Elsewhere an operand is followed by IRIs.
        ("SELECT * { ?s <p:> (<a:> <b:>) }", ["<p:>", "<a:>", "<b:>"]),
        ("SELECT * { ?s <p:> ?o } ORDER BY ?s <f:>(?o)", ["<p:>", "<f:>"]),
        ("SELECT * { VALUES (?a ?b) { (<a:> <b:>) } }", ["<a:>", "<b:>"]),
        ("SELECT * { FILTER(?a IN (<a:>, <b:>)) FILTER(?a != <c:>) }", ["<a:>", "<b:>", "<c:>"]),
        ("SELECT * { FILTER(<<( ?s <p:> ?o )>> = ?t) }", ["<p:>"]),
        ("SELECT * { FILTER EXISTS { ?s <p:> ?o } }", ["<p:>"]),
        ("SELECT * { { SELECT (?a AS ?b) { ?a <p:> ?c } ORDER BY (?a) } ?b <q:> ?d }",
         ["<p:>", "<q:>"]),
    ],
)  # fmt: skip
def test_less_than_or_iri_as_the_grammar_resolves_it(text: str, iris: list[str]) -> None:
    assert [t.text for t in tokenize(text) if t.kind == "IRIREF"] == iris
