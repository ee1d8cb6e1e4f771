"""A curator's spreadsheet of examples, read: CSV (UTF-8) or XLSX, one row per example.

The template's columns (:data:`COLUMNS`; ``docs/import-template.csv`` and ``.xlsx``) are
matched by name, forgiving case, accents and punctuation (``Source URL`` is ``source url``).
Anything that stops the whole sheet from being read is a :class:`SheetError` (400) saying
what to do: not a CSV or XLSX file, a CSV that is not UTF-8 (the line and column of the first
byte that is not, and how to save the file as UTF-8), a column that is not the template's, a
required column missing, a sheet without rows. A formula cell does not stop the reading: it
is kept on its row (:attr:`SheetRow.formulas`) for the preview to report, since its value is
whatever the spreadsheet last computed, which openpyxl cannot know.

>>> head = b"Name,Description,Category,Source URL\\n"
>>> sheet = read_sheet(head + b"A,B,,\\n", name="x.csv")
>>> sheet.kind, [(r.number, r.values["name"]) for r in sheet.rows]
('csv', [(2, 'A')])
>>> read_sheet(head + b"\\xe9t\\xe9,B,,\\n", name="x.csv")
Traceback (most recent call last):
...
scidip_graph.curation.sheet.SheetError: x.csv is not UTF-8: line 2, column 1 has the byte 0xe9...
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from scidip_graph.curation.names import fold
from scidip_graph.errors import LimitError, UsageError
from scidip_graph.rdf.formats import get_format

COLUMNS = (
    "name",
    "description",
    "category",
    "host countries",
    "participant countries",
    "institutions",
    "people",
    "start",
    "end",
    "source url",
    "source title",
)
"""The template's columns, in its order (``docs/import-template.csv``)."""
REQUIRED = ("name", "description", "category", "source url")
"""Columns a sheet must have (a row may still leave the others empty)."""
MAX_ROWS = 10_000
"""Rows one sheet may hold."""
MAX_XLSX_EXPANDED = 200 * 2**20
"""Bytes an .xlsx may unpack to (it is a zip): past it, a compression bomb, refused unread."""
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = get_format("csv").media_type
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # the binary .xls of Excel 97-2003
_BOM = b"\xef\xbb\xbf"
SAVE_AS_UTF8 = (
    "Save the sheet as UTF-8: in Excel 'Save As' > 'CSV UTF-8 (Comma delimited)'; in "
    "LibreOffice 'Save As' > 'Text CSV', tick 'Edit filter settings' and choose "
    "'Unicode (UTF-8)'; or upload the .xlsx itself."
)


class _FormulaText(str):
    """The text of a formula cell (``=SUM(A1:A3)``)."""


class SheetError(UsageError):
    """A spreadsheet that cannot be read as the import's template (400)."""

    code = "bad_sheet"


@dataclass(frozen=True)
class Formula:
    """A formula cell: where it is and what it computes."""

    column: str
    cell: str
    formula: str


@dataclass
class SheetRow:
    """One row of the sheet.

    Attributes:
        number: its row number as the spreadsheet shows it (the header is row 1).
        line: the line of the file it starts on (a CSV cell may hold line breaks; for XLSX,
            the row number).
        values: the text of each template column (stripped; ``""`` for an empty cell).
        formulas: the formula cells of the row, which are not read.
    """

    number: int
    line: int
    values: dict[str, str]
    formulas: list[Formula] = field(default_factory=list)


@dataclass
class Sheet:
    """A spreadsheet read: its kind, its SHA-256 and its rows (empty rows left out)."""

    name: str
    kind: str
    digest: str
    columns: list[str]
    rows: list[SheetRow]

    @property
    def media_type(self) -> str:
        """The file's media type (:data:`CSV` or :data:`XLSX`)."""
        return XLSX if self.kind == "xlsx" else CSV


def read_sheet(data: bytes, *, name: str = "sheet") -> Sheet:
    """Read a CSV or XLSX file of examples (its kind told by its first bytes).

    Args:
        data: the file.
        name: what messages call it (its file name).

    Raises:
        SheetError: the file is not a UTF-8 CSV or an XLSX workbook, a column is not the
            template's, a required column is missing, or no row holds anything.
        LimitError: more than :data:`MAX_ROWS` rows.
    """
    if data.startswith(_OLE):
        raise SheetError(
            f"{name} is an Excel 97-2003 workbook (.xls), which the import does not read",
            hint="Save it as .xlsx (Excel Workbook) or as CSV UTF-8, and upload that.",
        )
    if data.startswith(_ZIP):
        header, rows = _xlsx_rows(data, name)
        kind = "xlsx"
    else:
        header, rows = _csv_rows(data, name)
        kind = "csv"
    columns = _columns(header, name)
    read: list[SheetRow] = []
    for number, line, cells in rows:
        values = {c: "" for c in COLUMNS}
        formulas = []
        for i, (value, ref) in enumerate(cells):
            if i >= len(columns) or columns[i] is None:
                if _text(value):
                    raise SheetError(
                        f"{name}, row {number}: cell {ref} holds a value in a column without a "
                        "name",
                        hint=f"Give the column one of the template's names ({', '.join(COLUMNS)})"
                        ", or empty the cell.",
                        detail={"row": number, "cell": ref},
                    )
                continue
            column = columns[i]
            assert column is not None
            if isinstance(value, _FormulaText):
                formulas.append(Formula(column, ref, str(value)))
                continue
            values[column] = _text(value)
        if any(values.values()) or formulas:
            read.append(SheetRow(number, line, values, formulas))
            if len(read) > MAX_ROWS:
                raise LimitError(
                    f"{name} has more than {MAX_ROWS:,} rows; import it in parts",
                    detail={"max_rows": MAX_ROWS},
                )
    if not read:
        raise SheetError(
            f"{name} is empty: it has no row of examples under its header",
            hint="Fill one row per example under the template's header (docs/import-template.csv).",
        )
    present = [c for c in columns if c is not None]
    return Sheet(name, kind, hashlib.sha256(data).hexdigest(), present, read)


def _columns(header: list[Any], name: str) -> list[str | None]:
    """The template column of each header cell (None: an empty header cell)."""
    known = {fold(c): c for c in COLUMNS}
    columns: list[str | None] = []
    for value in header:
        text = _text(value)
        if not text:
            columns.append(None)
            continue
        column = known.get(fold(text))
        if column is None:
            raise SheetError(
                f"{name}: the column {text!r} is not one of the template's",
                hint=f"The columns are: {', '.join(COLUMNS)} (docs/import-template.csv).",
                detail={"column": text, "valid": list(COLUMNS)},
            )
        if column in columns:
            raise SheetError(f"{name}: the column {column!r} is there twice")
        columns.append(column)
    if not any(columns):
        raise SheetError(
            f"{name} is empty: it has no header row",
            hint=f"The first row names the columns: {', '.join(COLUMNS)}.",
        )
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise SheetError(
            f"{name} has no column {', '.join(repr(c) for c in missing)}",
            hint=f"Every sheet needs the columns {', '.join(REQUIRED)}.",
            detail={"missing": missing},
        )
    return columns


Rows = list[tuple[int, int, list[tuple[Any, str]]]]
"""(row number, line, [(value, cell reference)]) of each row under the header."""


def _csv_rows(data: bytes, name: str) -> tuple[list[Any], Rows]:
    text = _utf8(data, name)
    try:
        dialect: Any = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    header: list[Any] = []
    rows: Rows = []
    line = 1
    try:
        for number, record in enumerate(reader, start=1):
            if number == 1:
                header = record
            else:
                refs = [f"{_letters(i)}{number}" for i in range(len(record))]
                rows.append((number, line, list(zip(record, refs, strict=True))))
            line = reader.line_num + 1
    except csv.Error as err:
        raise SheetError(f"{name}, line {reader.line_num}: {err}") from None
    return header, rows


def _utf8(data: bytes, name: str) -> str:
    """The text of a CSV file, which must be UTF-8 (a byte-order mark is allowed)."""
    body = data.removeprefix(_BOM)
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as err:
        start = body.rfind(b"\n", 0, err.start) + 1
        line = body.count(b"\n", 0, err.start) + 1
        column = len(body[start : err.start].decode("utf-8", errors="replace")) + 1
        byte = body[err.start]
        raise SheetError(
            f"{name} is not UTF-8: line {line}, column {column} has the byte 0x{byte:02x}, "
            "which no UTF-8 text holds there (the file is probably Latin-1 or Windows-1252)",
            hint=SAVE_AS_UTF8,
            detail={"line": line, "column": column, "byte": f"0x{byte:02x}"},
        ) from None


def _xlsx_rows(data: bytes, name: str) -> tuple[list[Any], Rows]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # zipfile never reads past a member's declared size, so the declared sizes bound it.
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        expanded = 0  # openpyxl says what is wrong with it below
    if expanded > MAX_XLSX_EXPANDED:
        raise LimitError(
            f"{name} unpacks to {expanded:,} bytes, more than {MAX_XLSX_EXPANDED:,}: "
            "not a sheet of examples",
            hint="import it in parts, or as CSV UTF-8",
            detail={"expanded_bytes": expanded, "max": MAX_XLSX_EXPANDED},
        )
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as err:
        raise SheetError(
            f"{name} is not a readable .xlsx workbook ({type(err).__name__}: {err})",
            hint="Save it again from the spreadsheet as .xlsx, or as CSV UTF-8.",
        ) from None
    try:
        sheet = book.worksheets[0]
        header: list[Any] = []
        rows: Rows = []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if number == 1:
                header = [c.value for c in cells]
                continue
            row = [
                (
                    _FormulaText(c.value) if c.data_type == "f" else c.value,
                    f"{_letters(i)}{number}",
                )
                for i, c in enumerate(cells)
            ]
            if len(rows) > MAX_ROWS:
                raise LimitError(f"{name} has more than {MAX_ROWS:,} rows; import it in parts")
            rows.append((number, number, row))
    finally:
        book.close()
    return header, rows


def _text(value: Any) -> str:
    """A cell's value as the text the import reads (a date cell as ``YYYY-MM-DD``, a whole
    number without ``.0``).

    >>> _text(dt.datetime(1954, 9, 29)), _text(1954.0), _text(None), _text("  a ")
    ('1954-09-29', '1954', '', 'a')
    """
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _letters(index: int) -> str:
    """The spreadsheet letters of a column (0 -> A, 26 -> AA).

    >>> _letters(0), _letters(25), _letters(26)
    ('A', 'Z', 'AA')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
