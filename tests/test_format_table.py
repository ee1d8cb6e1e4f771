"""One format table, one content negotiation: every route, every format, one Content-Type.

Every route that answers in more than one format is asked for every format it offers, by each
of the format's media types in Accept, by its URL suffix and by ``format=`` (its name and
aliases), and a format must come back with the same Content-Type everywhere: the one of
:mod:`scidip_graph.rdf.formats`. No other module or template spells out an RDF or
SPARQL-results media type, and Accept is parsed in :mod:`scidip_graph.rdf.negotiation` only.
"""

from __future__ import annotations

import ast
import doctest
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from flask.testing import FlaskClient

from scidip_graph.cli import main
from scidip_graph.errors import NotAcceptableError
from scidip_graph.rdf.formats import ANSWERS, FORMATS, Format, formats_for
from scidip_graph.rdf.negotiation import negotiate, offered
from tests.apps import sample_client
from tests.conftest import SAMPLE

PACKAGE = Path(__file__).parents[1] / "scidip_graph"
TABLE = PACKAGE / "rdf" / "formats.py"

SELECT = "SELECT * WHERE { ?s ?p ?o } LIMIT 2"
ASK = "ASK { ?s ?p ?o }"
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2"
RDF = [f for f in FORMATS if f.carries("graph")]
RESULTS = [f for f in FORMATS if f.carries("results")]

# Pages with RDF twins: (path, whether it has URL suffixes).
RDF_PAGES = [("/id/organization/cern", True), ("/ontology", True), ("/void", True)]

# Media types of the table that also name JSON, XML or text in general, which the server
# sends for answers that are not RDF: the JSON error shape and the JSON twins of pages
# (application/json), SHA256SUMS and the metrics (text/plain). Only these may appear elsewhere.
GENERIC = {"application/json", "application/xml", "text/xml", "text/plain"}

# (file relative to scidip_graph/, media type) -> why it must stay. Keep it short.
ALLOWED: dict[tuple[str, str], str] = {
    ("namespaces.py", "text/turtle"): "the example of an IRI in IANA's media-type registry, in "
    "the docstring of MEDIA_TYPES: prose, not a format in use",
}


@pytest.fixture(scope="module")
def client() -> FlaskClient:
    return sample_client()


def sparql(query: str, **params: str) -> str:
    return "/sparql?" + urlencode({"query": query, **params})


def names(fmt: Format) -> list[str]:
    return [fmt.name, *fmt.aliases]


def asks(fmt: Format) -> Iterator[tuple[str, dict[str, str]]]:
    """Every request that asks for ``fmt``: (URL, headers)."""
    if fmt.carries("graph"):
        for path, suffixes in RDF_PAGES:
            for media in fmt.media_types:
                yield path, {"Accept": media}
            for name in names(fmt):
                yield f"{path}?{urlencode({'format': name})}", {}
            if suffixes:
                yield path + fmt.extension, {}
        yield f"/download/scidip-graph{fmt.extension}", {}
        for media in fmt.media_types:
            yield "/sparql", {"Accept": media}  # the service description
            yield sparql(CONSTRUCT), {"Accept": media}
        for name in names(fmt):
            yield f"/sparql?{urlencode({'format': name})}", {}
            yield sparql(CONSTRUCT, format=name), {}
    else:
        forms = [SELECT, ASK] if fmt.carries("boolean") else [SELECT]
        for query in forms:
            for media in fmt.media_types:
                yield sparql(query), {"Accept": media}
            for name in names(fmt):
                yield sparql(query, format=name), {}
                yield sparql(query, output=name), {}


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_a_format_has_one_content_type_on_every_route(client: FlaskClient, fmt: Format) -> None:
    seen: dict[str, list[str]] = {}
    for url, headers in asks(fmt):
        r = client.get(url, headers=headers)
        assert r.status_code == 200, (url, headers, r.text[:300])
        assert r.data, (url, headers)
        seen.setdefault(r.headers["Content-Type"], []).append(f"{url} {headers}")
    assert list(seen) == [fmt.content_type], seen


def test_the_charset_rule() -> None:
    says = {f.name for f in FORMATS if f.content_type.endswith("; charset=utf-8")}
    assert says == {"turtle", "trig", "ntriples", "nquads", "csv", "tsv"}
    for f in FORMATS:
        assert f.content_type.split(";")[0] == f.media_type


def test_downloads_and_pages_say_the_same_charset(client: FlaskClient) -> None:
    files = client.get("/download/index.json").json["files"]
    for f in files:
        r = client.head(f"/download/{f['name']}")
        media = r.headers["Content-Type"].split(";")[0]
        assert media == f["media_type"]
        table = [fmt for fmt in FORMATS if fmt.media_type == media]
        if table:
            assert r.headers["Content-Type"] == table[0].content_type, f["name"]


def test_link_headers_name_every_representation(client: FlaskClient) -> None:
    for path in ("/id/organization/cern", "/ontology"):
        link = client.get(path, headers={"Accept": "text/turtle"}).headers["Link"]
        for fmt in RDF:
            assert f'<{path}{fmt.extension}>; rel="alternate"; type="{fmt.media_type}"' in link
            assert client.get(path + fmt.extension).headers["Content-Type"] == fmt.content_type


# -- Accept -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "accept", "media"),
    [
        # text/* is a text format, never XML by its other name text/xml.
        (sparql(SELECT), "text/*", "text/csv"),
        (sparql(SELECT), "text/*;q=0.5, application/sparql-results+xml;q=0.4", "text/csv"),
        (sparql(ASK), "text/*", "application/sparql-results+xml"),  # the only text one
        (sparql(CONSTRUCT), "text/*", "text/turtle"),
        (sparql(SELECT), "application/*", "application/sparql-results+json"),
        # q-values
        (sparql(SELECT), "text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        (sparql(CONSTRUCT), "application/ld+json;q=0.9, application/trig", "application/trig"),
        ("/void", "application/trig;q=0.9, application/n-quads", "application/n-quads"),
        # A range with a malformed q-value is ignored (RFC 9110), not a 406...
        (
            sparql(SELECT),
            "text/csv;q=abc, text/tab-separated-values;q=0.1",
            "text/tab-separated-values",
        ),
        (
            "/id/organization/cern",
            "text/html;q=abc, application/n-triples;q=0.5",
            "application/n-triples",
        ),
        # ...and an Accept with no valid range left means anything.
        (sparql(SELECT), "text/html;q=abc", "application/sparql-results+json"),
        ("/id/organization/cern", "text/html;q=abc", "text/turtle"),
        ("/ontology", "text/turtle;q=2", "text/turtle"),
        ("/void", "text/html;q=-1", "text/turtle"),
        ("/sparql", "application/rdf+xml;q=1.0001", "text/turtle"),
        ("/download/", "application/json;q=x", "text/html"),
    ],
)
def test_accept(client: FlaskClient, url: str, accept: str, media: str) -> None:
    r = client.get(url, headers={"Accept": accept})
    assert (r.status_code, r.mimetype) == (200, media), r.text[:300]


@pytest.mark.parametrize(
    "url",
    [
        sparql(SELECT),
        sparql(ASK),
        sparql(CONSTRUCT),
        "/sparql",
        "/id/organization/cern",
        "/ontology",
        "/void",
    ],
)
def test_nothing_fits_is_a_406_in_the_error_shape(client: FlaskClient, url: str) -> None:
    r = client.get(url, headers={"Accept": "image/png, application/pdf;q=0.5"})
    assert (r.status_code, r.mimetype) == (406, "application/json")
    error = r.json["error"]
    assert (error["status"], error["code"]) == (406, "not_acceptable")
    assert error["detail"]["available"]
    r = client.get(url + ("&" if "?" in url else "?") + "format=png")
    assert r.status_code == 406 and r.json["error"]["code"] == "not_acceptable"


def test_ask_is_not_offered_as_csv(client: FlaskClient) -> None:
    for params in ({"format": "csv"}, {}):
        headers = {} if params else {"Accept": "text/csv"}
        r = client.get(sparql(ASK, **params), headers=headers)
        assert r.status_code == 406 and "text/csv" not in r.json["error"]["detail"]["available"]


@pytest.mark.parametrize("kind", ANSWERS)
def test_a_wildcard_picks_a_format_by_its_first_media_type(kind: str) -> None:
    firsts = [f.media_type for f in formats_for(kind)]
    for major in ("text", "application"):
        chosen = negotiate(kind, f"{major}/*").media_type
        ours = [m for m in firsts if m.startswith(major + "/")]
        assert chosen == (ours[0] if ours else chosen)
        assert chosen in offered(kind)


def test_html_is_offered_last_and_only_where_a_page_is() -> None:
    assert negotiate("graph", "*/*", html=True) is not None
    assert negotiate("graph", "text/html", html=True) is None
    assert negotiate("graph", None, format="html", html=True) is None
    with pytest.raises(NotAcceptableError):
        negotiate("graph", "text/html")
    with pytest.raises(NotAcceptableError):
        negotiate("graph", None, format="html")


def test_the_cli_chooses_as_the_endpoint_does(client: FlaskClient) -> None:
    # format=json is JSON-LD for a graph, the SPARQL JSON results for a SELECT.
    for query, media in (
        (CONSTRUCT, "application/ld+json"),
        (SELECT, "application/sparql-results+json"),
    ):
        assert client.get(sparql(query, format="json")).mimetype == media
        out = io.StringIO()
        assert main(["query", query, "--format", "json", "--data", str(SAMPLE)], out=out) == 0
        document = json.loads(out.getvalue())
        assert ("head" in document) == (query == SELECT)


# -- the table is the only place ----------------------------------------------------------


def rdf_media_types() -> set[str]:
    return {m for f in FORMATS for m in f.media_types} - GENERIC


def checked_text(path: Path) -> str:
    """A source's text as the test reads it: doctest examples left out, since they run
    against the table (a media type there is an example that would fail, not a copy)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        return text
    lines = text.splitlines(keepends=True)
    docstrings: list[tuple[int, int, str]] = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            doc = ast.get_docstring(node, clean=False)
            first = node.body[0] if node.body else None
            if doc is not None and first is not None and first.end_lineno is not None:
                docstrings.append((first.lineno, first.end_lineno, doc))
    parser = doctest.DocTestParser()
    for start, end, doc in sorted(docstrings, reverse=True):
        prose = "".join(part for part in parser.parse(doc) if isinstance(part, str))
        lines[start - 1 : end] = [prose + "\n"]
    return "".join(lines)


def sources() -> Iterator[Path]:
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix in (".py", ".html") and path != TABLE and "__pycache__" not in path.parts:
            yield path


def test_no_module_spells_out_a_media_type_of_the_table() -> None:
    pattern = re.compile(
        "|".join(re.escape(m) for m in sorted(rdf_media_types(), key=len, reverse=True)),
        re.IGNORECASE,
    )
    found = set()
    for path in sources():
        where = str(path.relative_to(PACKAGE))
        for match in pattern.finditer(checked_text(path)):
            found.add((where, match.group().lower()))
    unexplained = sorted(found - set(ALLOWED))
    assert not unexplained, (
        "media types of scidip_graph/rdf/formats.py written out elsewhere; read them from the "
        f"table (get_format, formats_for, negotiate): {unexplained}"
    )
    assert not set(ALLOWED) - found, "allowlist entries no longer needed"


def test_accept_is_parsed_in_one_place() -> None:
    pattern = re.compile(r"parse_accept_header|MIMEAccept|best_match|accept_mimetypes")
    users = {
        str(path.relative_to(PACKAGE))
        for path in sources()
        if pattern.search(path.read_text(encoding="utf-8"))
    }
    assert users == {"rdf/negotiation.py"}


def test_the_check_sees_what_it_should(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        '"""Docs.\n\n>>> offered("graph")[0]\n\'text/turtle\'\n"""\n\nTYPE = "text/turtle"\n'
    )
    text = checked_text(module)
    assert text.count("text/turtle") == 1 and 'TYPE = "text/turtle"' in text
