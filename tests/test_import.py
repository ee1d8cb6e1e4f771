"""The spreadsheet import: ``scidip-graph import`` and ``POST /import``, its preview, its
confirmation, and each kind of bad input reported on its row with nothing written."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from scidip_graph.cli import main
from scidip_graph.curation.importer import EDITORIAL, ImportPlan, agent, plan_sheet
from scidip_graph.curation.index import NameIndex
from scidip_graph.curation.pending import commit_plan
from scidip_graph.curation.sheet import COLUMNS, SheetError, read_sheet
from scidip_graph.errors import LimitError
from scidip_graph.resources import DATA_DIR
from scidip_graph.settings import Settings
from scidip_graph.sparql.tokens import Curator
from scidip_graph.sparql.tokens_file import EVERY_GRAPH, graph_iri
from scidip_graph.store.durable import DurableStore
from scidip_graph.store.startup import prepare_store
from scidip_graph.web import create_app

DOCS = Path(__file__).parent.parent / "docs"
TEMPLATE_CSV = DOCS / "import-template.csv"
TEMPLATE_XLSX = DOCS / "import-template.xlsx"
ADMIN = "admin-import-token"
ADA = Curator("ada", frozenset({EVERY_GRAPH}))
ID = "https://w3id.org/scidip/id/"
HEADER = ",".join(COLUMNS)
CERN_COURIER = "https://cerncourier.com/a/sesame-a-mini-cern-for-the-middle-east/"
ROW = (
    "Sesame seminar series,A series of seminars.,science for diplomacy,Jordan,Pakistan,"
    f"SESAME (host); CERN (participant),Herwig Schopper,2003-01,2004,{CERN_COURIER},"
)


@pytest.fixture(scope="session")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled files without the cases, but for the two the template names (SESAME and
    CERN's people and sources, TWAS's)."""
    folder = tmp_path_factory.mktemp("import-sources")
    for path in DATA_DIR.glob("*.trig"):
        (folder / path.name).symlink_to(path)
    (folder / "cases").mkdir()
    for name in ("cern-sesame.trig", "twas.trig"):
        (folder / "cases" / name).symlink_to(DATA_DIR / "cases" / name)
    return folder


@pytest.fixture
def store(tmp_path: Path, sources: Path) -> DurableStore:
    return prepare_store(Settings(data_dir=tmp_path / "var", source_dir=sources, validate=False))


@pytest.fixture
def client(tmp_path: Path, store: DurableStore) -> FlaskClient:
    settings = Settings(data_dir=tmp_path / "var", write_token=ADMIN)
    return create_app(settings, store=store).test_client()


def sheet(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows, ""]).encode()


def plan(store: DurableStore, data: bytes, *, curator: Curator = ADA) -> ImportPlan:
    return plan_sheet(
        store, NameIndex.build(store), read_sheet(data, name="x.csv"), curator=curator
    )


def problems(p: ImportPlan) -> list[tuple[int, str | None, str]]:
    return [(x.row, x.column, x.message + " " + x.hint) for x in p.all_problems]


def ask(store: DurableStore, query: str) -> bool:
    return bool(store.query(query))


def test_the_template_is_the_same_in_csv_and_xlsx_and_previews_clean(
    store: DurableStore,
) -> None:
    as_csv = read_sheet(TEMPLATE_CSV.read_bytes(), name=TEMPLATE_CSV.name)
    as_xlsx = read_sheet(TEMPLATE_XLSX.read_bytes(), name=TEMPLATE_XLSX.name)
    assert [r.values for r in as_csv.rows] == [r.values for r in as_xlsx.rows]
    assert len(as_csv.rows) == 2 and all("TEMPLATE ROW" in r.values["name"] for r in as_csv.rows)
    preview = plan_sheet(store, NameIndex.build(store), as_xlsx, curator=ADA)
    assert preview.clean, preview.text()
    cells = {(c.column, c.text): c.iri for r in preview.rows for c in r.cells}
    assert cells[("institutions", "SESAME")] == ID + "organization/sesame"
    assert cells[("host countries", "IT")] == ID + "country/IT"
    assert cells[("institutions", ID + "organization/unesco")] == ID + "organization/unesco"


def test_a_clean_import_is_written_with_its_provenance_and_categories(
    store: DurableStore,
) -> None:
    preview = plan(store, sheet(ROW))
    assert preview.clean, preview.text()
    assert preview.graph.startswith("https://w3id.org/scidip/graph/import-")
    before = store.version
    result = commit_plan(store, preview, curator=ADA, message="import x.csv")
    assert store.version != before and result.changeset > 0
    assert set(result.graphs) == {"", EDITORIAL, preview.graph}
    ex = f"<{ID}example/sesame-seminar-series>"
    g = f"<{preview.graph}>"
    prefixes = (
        "PREFIX sd: <https://w3id.org/scidip/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#> "
        "PREFIX schema: <http://schema.org/> PREFIX dct: <http://purl.org/dc/terms/> "
    )
    assert ask(
        store,
        prefixes + f"ASK {{ GRAPH {g} {{ {ex} a sd:Example ; sd:hostOrganization <{ID}"
        f"organization/sesame> ; sd:participantOrganization <{ID}organization/cern> ; "
        f"sd:involvesOrganization <{ID}organization/cern> ; sd:hostCountry <{ID}country/JO> ; "
        f'sd:involvesPerson <{ID}person/herwig-schopper> ; schema:startDate "2003-01"^^'
        "<http://www.w3.org/2001/XMLSchema#gYearMonth> ; dct:source ?s } "
        f"?s schema:url <{CERN_COURIER}> }}",
    )
    assert ask(
        store,
        prefixes + f"ASK {{ GRAPH <{EDITORIAL}> {{ {ex} sd:primaryCategory <{ID}concept/"
        f"science-for-diplomacy> ; sd:category <{ID}concept/science-for-diplomacy> }} }}",
    )
    assert ask(
        store,
        prefixes + f"ASK {{ {g} a sd:SourceGraph , sd:EditorialGraph ; prov:wasAttributedTo "
        f"<{agent('ada')}> ; prov:generatedAtTime ?t ; prov:wasDerivedFrom ?file . "
        f'?file schema:sha256 "{preview.source["sha256"]}" }}',
    )
    assert store.changeset(result.changeset).author == "ada"  # type: ignore[union-attr]


def test_a_curator_with_a_grant_of_the_import_graphs_imports_without_every_graph(
    store: DurableStore,
) -> None:
    """``graph:import-*`` (with the default graph and the editorial one) is enough: the new
    import graph is covered by its prefix, and nothing outside the grant is written."""
    grants = ["graph:import-*", "default", "graph:editorial"]
    carol = Curator("carol", frozenset(graph_iri(g) for g in grants))
    preview = plan(store, sheet(ROW), curator=carol)
    assert preview.clean, preview.text()
    result = commit_plan(store, preview, curator=carol, message="import x.csv")
    assert set(result.graphs) == {"", EDITORIAL, preview.graph}
    narrow = Curator("dan", frozenset(graph_iri(g) for g in ["graph:imports-*", "default"]))
    assert not narrow.may_write(preview.graph)  # a prefix is a prefix, not a pattern


def test_a_token_that_may_not_write_the_editorial_graph_is_told_why(
    store: DurableStore,
) -> None:
    bob = Curator("bob", frozenset({"", "https://w3id.org/scidip/graph/import-x"}))
    preview = plan(store, sheet(ROW), curator=bob)
    assert not preview.clean
    said = " ".join(m for _, _, m in problems(preview))
    assert "may not write graph:editorial" in said and "categories" in said
    assert not preview.report.conforms  # the examples would have no category


def test_unknown_misspelled_and_wrong_cells_are_reported_on_their_row(
    store: DurableStore,
) -> None:
    rows = [
        ROW.replace("SESAME (host)", "Institute of Imaginary Physics (host)"),
        ROW.replace("Sesame seminar", "Other seminar").replace(",Jordan,", ",Jordnan,"),
        ROW.replace("Sesame seminar", "Third").replace("science for diplomacy", "science art"),
        ROW.replace("Sesame seminar", "Fourth").replace("2003-01", "01/2003"),
    ]
    preview = plan(store, sheet(*rows))
    found = problems(preview)
    assert not preview.clean and len(found) == 4
    by_row = {row: (column, text) for row, column, text in found}
    assert by_row[2][0] == "institutions" and "Institute of Imaginary Physics" in by_row[2][1]
    assert by_row[3][0] == "host countries" and "Did you mean 'Jordan'" in by_row[3][1]
    assert by_row[4][0] == "category"
    for category in ("science in diplomacy", "science for diplomacy", "diplomacy for science"):
        assert category in by_row[4][1]
    assert by_row[5][0] == "start" and "YYYY, YYYY-MM or YYYY-MM-DD" in by_row[5][1]


def test_duplicate_rows_and_existing_examples_are_reported(store: DurableStore) -> None:
    twas = ROW.replace("Sesame seminar series", "TWAS")  # the graph's id:example/twas
    preview = plan(store, sheet(ROW, ROW, twas))
    found = problems(preview)
    assert (3, "name", found[0][2]) == found[0] and "repeats row 2" in found[0][2]
    assert found[1][:2] == (4, "name") and "has an example id:example/twas" in found[1][2]
    assert preview.rows[1].quads == []  # the repeated row adds nothing


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (sheet(), "is empty"),
        (b"", "no header row"),
        (sheet(header="name,description"), "no column 'category', 'source url'"),
        (sheet(header=HEADER + ",colour"), "'colour' is not one of the template's"),
        (b"\xd0\xcf\x11\xe0rest", "Excel 97-2003"),
    ],
)
def test_sheets_that_cannot_be_read_say_why(data: bytes, said: str) -> None:
    with pytest.raises(SheetError, match=said):
        read_sheet(data, name="x.csv")


def test_a_latin_1_csv_names_its_line_and_how_to_save_it_as_utf8() -> None:
    data = sheet(ROW, ROW.replace("Sesame seminar series", "Séminaire")).decode()
    with pytest.raises(SheetError) as caught:
        read_sheet(data.encode("latin-1"), name="x.csv")
    err = caught.value
    assert "line 3, column 2 has the byte 0xe9" in err.message
    assert err.detail["line"] == 3 and "UTF-8" in (err.hint or "")


def test_formula_cells_are_refused_on_their_row_and_column(store: DurableStore) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    assert ws is not None
    for record in csv.reader(io.StringIO(sheet(ROW).decode())):
        ws.append(record)
    ws["H2"] = "=YEAR(TODAY())"
    data = io.BytesIO()
    book.save(data)
    preview = plan(store, data.getvalue())
    [problem] = preview.all_problems
    assert (problem.row, problem.column, problem.cell) == (2, "start", "H2")
    assert "=YEAR(TODAY())" in problem.message and "Paste Special > Values" in problem.hint


def test_too_many_rows_are_refused() -> None:
    with pytest.raises(LimitError):
        read_sheet(sheet(*[f"n{i},d,c,,,,,,,u," for i in range(10_001)]), name="x.csv")


def test_the_cli_previews_then_writes_with_yes(
    tmp_path: Path, store: DurableStore, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = str(store.data_dir)
    store.close()
    bad = tmp_path / "bad.csv"
    bad.write_bytes(sheet(ROW.replace(",Jordan,", ",Jordnan,")))
    assert main(["import", str(bad), "--data-dir", data_dir, "--yes", "--curator", "ada"]) == 1
    assert "Did you mean 'Jordan'" in capsys.readouterr().out
    good = tmp_path / "good.csv"
    good.write_bytes(sheet(ROW))
    assert main(["import", str(good), "--data-dir", data_dir, "--yes", "--curator", "ada"]) == 0
    out = capsys.readouterr().out
    assert "row 2: Sesame seminar series -> id:example/sesame-seminar-series" in out
    assert "imported 1 examples" in out and "by ada" in out


def post(client: FlaskClient, data: bytes, **query: str) -> TestResponse:
    return client.post(
        "/import",
        data=data,
        content_type="text/csv",
        query_string=query,
        headers={"Authorization": f"Bearer {ADMIN}"},
    )


def test_post_import_previews_then_writes_on_confirmation(client: FlaskClient) -> None:
    upload = {"file": (io.BytesIO(sheet(ROW)), "seminars.csv")}
    r = client.post(
        "/import",
        data=upload,
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {ADMIN}"},
    )
    assert r.status_code == 200, r.json
    preview = r.json
    assert preview["clean"] and preview["source"]["name"] == "seminars.csv"
    [row] = preview["rows"]
    assert row["example"] == ID + "example/sesame-seminar-series"
    scores = {c["text"]: c["candidates"][0]["score"] for c in row["cells"]}
    assert scores["CERN"] == 100 and scores["SESAME"] >= 95
    assert preview["shacl"] == {"conforms": True, "results": []}
    assert client.get("/id/example/sesame-seminar-series.ttl").status_code == 404
    done = post(client, b"", confirm=preview["confirmation"])
    assert done.status_code == 201, done.json
    assert done.json["graph"] == preview["graph"]
    page = client.get("/id/example/sesame-seminar-series.ttl")
    assert page.status_code == 200 and rb"id:organization\/sesame" in page.data
    again = post(client, b"", confirm=preview["confirmation"])
    assert again.status_code == 404


def test_a_confirmation_is_refused_when_the_data_changed_or_the_preview_was_not_clean(
    client: FlaskClient,
) -> None:
    first = post(client, sheet(ROW)).json
    other = ROW.replace("Sesame seminar series", "Another series")
    second = post(client, sheet(other)).json
    assert post(client, b"", confirm=second["confirmation"]).status_code == 201
    stale = post(client, b"", confirm=first["confirmation"])
    assert stale.status_code == 409
    assert "changed since the preview" in stale.json["error"]["message"]
    dirty = post(client, sheet(ROW.replace(",Jordan,", ",Jordnan,"))).json
    assert not dirty["clean"]
    refused = post(client, b"", confirm=dirty["confirmation"])
    assert refused.status_code == 409
    assert "not clean" in refused.json["error"]["message"]
    assert client.get("/id/example/sesame-seminar-series.ttl").status_code == 404


def test_post_import_needs_a_token_and_refuses_a_50_mb_file(client: FlaskClient) -> None:
    r = client.post("/import", data=sheet(ROW), content_type="text/csv")
    assert r.status_code == 401 and r.json["error"]["code"] == "unauthenticated"
    big = post(client, b"x" * (50 * 1024 * 1024))
    assert big.status_code == 413
    assert big.json["error"]["code"] == "too_large"
    latin = post(client, sheet(ROW.replace("Sesame", "Sésame")).decode().encode("latin-1"))
    assert latin.status_code == 400
    assert "line 2" in latin.json["error"]["message"]
    empty = post(client, sheet())
    assert empty.json["error"]["code"] == "bad_sheet"
    wrong = client.post(
        "/import",
        data=b"{}",
        content_type="application/json",
        headers={"Authorization": f"Bearer {ADMIN}"},
    )
    assert wrong.status_code == 415


def test_an_xlsx_that_unpacks_to_more_than_the_limit_is_refused_unread() -> None:
    """A zip bomb in .xlsx clothing: a few hundred kilobytes that would unpack to 256 MiB."""
    bomb = io.BytesIO()
    with (
        zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z,
        z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(256):
            member.write(b"\0" * 2**20)
    data = bomb.getvalue()
    assert len(data) < 2**20
    with pytest.raises(LimitError) as raised:
        read_sheet(data, name="bomb.xlsx")
    assert raised.value.detail["expanded_bytes"] == 256 * 2**20
