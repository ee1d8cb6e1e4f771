"""The tokens file (``SCIDIP_TOKENS_FILE``): curators, the graphs each may write, and the
SHA-256 of each one's token, never the token.

TOML, because a curator reads and edits it by hand: comments are allowed, there are no
brackets to balance or commas to forget, and Python reads it with ``tomllib``. One
``[[token]]`` table per curator::

    [[token]]
    curator = "alice"
    graphs = ["graph:editorial"]
    sha256 = "9c1f0d4e..."
    created = 2025-06-02T09:30:00Z

A graph is a full IRI (``http``, ``https``, ``urn`` or ``tag``), ``graph:NAME``, ``default``
(the default graph) or ``*`` (every graph). An error names the file and the line (of the key
at fault, or of its table's ``[[token]]`` header). :func:`add_token` appends a table and
:func:`remove_token` deletes one, leaving the rest of the file, comments included, as it was;
both replace the file atomically.

>>> entry, = parse_tokens('[[token]]\\ncurator = "alice"\\ngraphs = ["graph:editorial"]\\n'
...                       'sha256 = "' + hash_token("t") + '"')
>>> entry.curator, sorted(entry.graphs), entry.line
('alice', ['https://w3id.org/scidip/graph/editorial'], 1)
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import stat
import tempfile
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from scidip_graph.errors import DataSyntaxError, NotFoundError, UsageError
from scidip_graph.ingest.loading import DEFAULT_GRAPH  # "" ("default" in the tokens file)
from scidip_graph.namespaces import compact, expand

ADMIN = "admin"
"""The curator of ``SCIDIP_WRITE_TOKEN``; no curator of the tokens file may take the name."""
EVERY_GRAPH = "*"
"""In a curator's graphs: every graph, the default graph included."""
TOKEN_PREFIX = "scidip_"
"""How every token made here starts, so that secret scanners can recognise a leaked one."""

FILE_HEADER = """\
# Write tokens of scidip-graph (SCIDIP_TOKENS_FILE): one [[token]] table per curator.
# Only the SHA-256 of each token is kept here. `scidip-graph token add NAME --graph IRI`
# makes a token and prints it once; `scidip-graph token remove NAME` deletes one.
# A curator's graphs may be edited by hand: each a full IRI, graph:NAME, "default" (the
# default graph) or "*" (every graph). The server reads this file again when it changes.
"""

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_SCHEMES = ("http:", "https:", "urn:", "tag:")
_KEYS = ("curator", "graphs", "sha256", "created")
_TABLE = re.compile(r'\s*\[\[\s*(?:token|"token")\s*\]\]\s*(?:#.*)?')
_ANY_TABLE = re.compile(r"\s*\[")
_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_AT_END = " (at end of document)"


@dataclass(frozen=True)
class TokenEntry:
    """One ``[[token]]`` table.

    Attributes:
        curator: who holds the token.
        graphs: the graph IRIs it may write (:data:`DEFAULT_GRAPH`, :data:`EVERY_GRAPH`).
        sha256: the token's SHA-256, 64 lowercase hexadecimal digits.
        line: the line of the table's ``[[token]]`` header (0 if it has none).
    """

    curator: str
    graphs: frozenset[str]
    sha256: str
    line: int = 0


def new_token() -> str:
    """A fresh token: :data:`TOKEN_PREFIX` and 32 random bytes in URL-safe base64.

    32 random bytes are 256 bits nobody chose: no one can guess one from its SHA-256, which is
    why a fast hash is the right one here (a slow one, scrypt or PBKDF2, protects guessable
    passwords, and would only make each write, and each wrong token, cost the server CPU).

    >>> token = new_token()
    >>> token.startswith("scidip_"), len(token), token == new_token()
    (True, 50, False)
    """
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> bytes:
    """A token's SHA-256 (``surrogatepass``: no string makes encoding fail, so no exception
    can ever carry a token)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


def hash_token(token: str) -> str:
    """A token's SHA-256 as the tokens file keeps it.

    >>> hash_token("s3cret")[:16]
    '1ec1c26b50d5d3c5'
    """
    return token_digest(token).hex()


def graph_list(graphs: Iterable[str]) -> str:
    """Graphs named for people, compacted, in order.

    >>> graph_list(["", "https://w3id.org/scidip/graph/editorial"])
    'the default graph, graph:editorial'
    """
    graphs = set(graphs)
    if EVERY_GRAPH in graphs:
        return "every graph"
    return ", ".join(graph_label(g) for g in sorted(graphs))


def graph_label(graph: str) -> str:
    """A graph named for people: ``graph:editorial``, or ``the default graph``."""
    return "the default graph" if graph == DEFAULT_GRAPH else compact(graph)


def graph_iri(value: object) -> str:
    """A graph as the tokens file or the command line writes it, as the store names it.

    A value ending in ``*`` (``graph:import-*``) names every graph whose IRI starts with what
    comes before it: what a curator's imports need, each into a graph of its own.

    Raises:
        ValueError: not a graph IRI, ``graph:NAME``, either followed by ``*``, ``default`` or
            ``*``.

    >>> graph_iri("graph:editorial"), graph_iri("default"), graph_iri("*")
    ('https://w3id.org/scidip/graph/editorial', '', '*')
    >>> graph_iri("graph:import-*")
    'https://w3id.org/scidip/graph/import-*'
    >>> graph_iri("grpah:editorial")
    Traceback (most recent call last):
    ...
    ValueError: 'grpah:editorial' is not a graph: write a full http(s), urn or tag IRI, ...
    """
    if value in ("default", EVERY_GRAPH):
        return DEFAULT_GRAPH if value == "default" else EVERY_GRAPH
    if isinstance(value, str) and value.endswith("*"):
        return graph_iri(value[:-1]) + "*"
    iri = expand(value) if isinstance(value, str) else ""
    try:
        if not iri.startswith(_SCHEMES):
            raise ValueError(iri)
        ox.NamedNode(iri)
    except ValueError:
        raise ValueError(
            f"{_quote(str(value))} is not a graph: write a full http(s), urn or tag IRI, "
            "graph:NAME, default (the default graph) or * (every graph)"
        ) from None
    return iri


def name_problem(name: str) -> str | None:
    """What is wrong with a curator's name, if anything.

    >>> name_problem("alice"), name_problem("admin") is not None, name_problem("a b") is not None
    (None, True, True)
    """
    if not _NAME.fullmatch(name):
        return (
            f"the curator name {_quote(name)} should be 1 to 64 letters, digits, '.', '_', '@' "
            "or '-', starting with a letter or digit"
        )
    if name == ADMIN:
        return f"{ADMIN} is the curator of SCIDIP_WRITE_TOKEN; choose another name"
    return None


# -- reading ------------------------------------------------------------------------------------


def read_tokens_file(path: Path) -> tuple[TokenEntry, ...]:
    """The tokens of a tokens file.

    Raises:
        DataSyntaxError: the file is malformed (its path, the line and column).
        UsageError: the file cannot be read.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = err.strerror if isinstance(err, OSError) else str(err)
        raise UsageError(
            f"cannot read the tokens file {path}: {reason}",
            hint="Make it with 'scidip-graph token add NAME --graph IRI'.",
        ) from None
    return parse_tokens(text, source=str(path))


def parse_tokens(text: str, *, source: str = "<tokens>") -> tuple[TokenEntry, ...]:
    """The ``[[token]]`` tables of a tokens file's text, checked.

    Raises:
        DataSyntaxError: TOML that does not parse, an unknown key, a curator name that is
            missing, malformed, there twice or ``admin``, a graph that is not one, a hash
            that is not 64 hexadecimal digits or is there twice; with ``source`` and the line.

    >>> parse_tokens('[[token]]\\ncurator = "alice"\\ngraph = []', source="tokens.toml")
    Traceback (most recent call last):
    ...
    scidip_graph.errors.DataSyntaxError: tokens.toml:3: unknown key 'graph'; ...
    """
    lines = text.splitlines()
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        reason, line, column = str(err), None, None
        if found := _POSITION.search(reason):
            reason, line, column = reason[: found.start()], int(found[1]), int(found[2])
        elif reason.endswith(_AT_END):
            reason, line = reason[: -len(_AT_END)], max(len(lines), 1)
        raise DataSyntaxError(reason, source=source, line=line, column=column) from None
    tables = document.pop("token", [])
    if document or not isinstance(tables, list):
        key = next(iter(document), "token")
        line = _key_line(lines, range(1, len(lines) + 1), key)
        message = f"unknown key {_quote(key)}" if document else "token is not [[token]] tables"
        raise DataSyntaxError(
            f"{message}; a tokens file holds [[token]] tables", source=source, line=line
        )
    starts = [n for n, line in enumerate(lines, 1) if _TABLE.fullmatch(line)]
    if len(starts) != len(tables):
        starts = [0] * len(tables)  # tables written another way: lines only where found

    def fail(message: str, key: str, start: int) -> DataSyntaxError:
        line = _key_line(lines, _block(lines, start), key) or start or None
        return DataSyntaxError(message, source=source, line=line)

    entries: list[TokenEntry] = []
    names: dict[str, int] = {}
    hashes: set[str] = set()
    for table, start in zip(tables, starts, strict=True):
        if unknown := [key for key in table if key not in _KEYS]:
            keys = ", ".join(_KEYS)
            message = f"unknown key {_quote(unknown[0])}; a [[token]] table holds {keys}"
            raise fail(message, unknown[0], start)
        name = table.get("curator")
        if not isinstance(name, str):
            raise fail('a [[token]] table needs curator = "NAME"', "curator", start)
        if problem := name_problem(name):
            raise fail(problem, "curator", start)
        if name in names:
            raise fail(f"curator {name} has a token already (line {names[name]})", "curator", start)
        names[name] = start
        graphs = table.get("graphs")
        if not isinstance(graphs, list) or not graphs:
            message = 'a [[token]] table needs graphs = ["IRI", ...], at least one'
            raise fail(message, "graphs", start)
        try:
            iris = frozenset(graph_iri(graph) for graph in graphs)
        except ValueError as err:
            raise fail(str(err), "graphs", start) from None
        sha256 = table.get("sha256")
        if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256.lower()):
            message = "sha256 must be the token's SHA-256, 64 hexadecimal digits"
            raise fail(message, "sha256", start)
        if sha256.lower() in hashes:
            raise fail("the same token hash is there twice", "sha256", start)
        hashes.add(sha256.lower())
        entries.append(TokenEntry(name, iris, sha256.lower(), start))
    return tuple(entries)


def _block(lines: list[str], start: int) -> range:
    """The line numbers of the table whose header is on line ``start`` (none for 0)."""
    if not start:
        return range(0)
    end = start
    while end < len(lines) and not _ANY_TABLE.match(lines[end]):
        end += 1
    return range(start, end + 1)


def _key_line(lines: list[str], block: range, key: str) -> int | None:
    pattern = re.compile(rf'\s*\[*\s*"?{re.escape(key)}"?\s*[=\].]')
    return next((n for n in block if pattern.match(lines[n - 1])), None)


def _quote(value: str) -> str:
    """A value quoted in a message, unless it looks like a token pasted in the wrong place."""
    return repr(TOKEN_PREFIX + "...") if value.startswith(TOKEN_PREFIX) else repr(value)


# -- changing (the command line) ----------------------------------------------------------------


def add_token(path: Path, name: str, graphs: Iterable[str]) -> str:
    """Make a token for a curator and append its table to the tokens file (made if missing).

    Args:
        path: the tokens file.
        name: the curator.
        graphs: the graphs the token may write (IRIs, ``graph:NAME``, ``default``, ``*``).

    Returns:
        The token, which exists nowhere else: the caller shows it once.

    Raises:
        UsageError: a bad name or graph, a curator who has a token already, a file that
            cannot be written.
        DataSyntaxError: the file is malformed (and nothing is appended to it).
    """
    text = path.read_text(encoding="utf-8") if path.exists() else FILE_HEADER
    entries = parse_tokens(text, source=str(path))
    if problem := name_problem(name):
        raise UsageError(problem)
    if any(entry.curator == name for entry in entries):
        raise UsageError(
            f"curator {name} has a token already in {path}",
            hint=f"To give {name} a new one, 'scidip-graph token remove {name}' first.",
        )
    try:
        iris = [graph_iri(graph) for graph in dict.fromkeys(graphs)]
    except ValueError as err:
        raise UsageError(str(err)) from None
    if not iris:
        raise UsageError("a token needs at least one graph (--graph IRI)")
    token = new_token()
    written = ", ".join(_toml_string(compact(iri) if iri else "default") for iri in iris)
    created = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    table = (
        f"[[token]]\ncurator = {_toml_string(name)}\ngraphs = [{written}]\n"
        f"sha256 = {_toml_string(hash_token(token))}\ncreated = {created}\n"
    )
    _replace(path, f"{text.rstrip()}\n\n{table}")
    return token


def remove_token(path: Path, name: str) -> None:
    """Delete a curator's ``[[token]]`` table from the tokens file; the rest stays as it was.

    Raises:
        NotFoundError: no such curator in the file.
        DataSyntaxError: the file is malformed.
        UsageError: the file cannot be read or written, or its tables are not one per
            ``[[token]]`` header (then remove the curator by hand).
    """
    entries = read_tokens_file(path)
    entry = next((e for e in entries if e.curator == name), None)
    if entry is None:
        names = ", ".join(e.curator for e in entries) or "none"
        raise NotFoundError(f"no curator {name} in {path}; its curators: {names}")
    start = entry.line
    if not start:
        raise UsageError(
            f"cannot find curator {name}'s [[token]] header in {path}; edit it by hand"
        )
    lines = path.read_text(encoding="utf-8").splitlines()
    end = _block(lines, start).stop - 1
    # Comments and blank lines at the end of the table introduce the next one: they stay.
    while end > start and (not lines[end - 1].strip() or lines[end - 1].lstrip()[0] == "#"):
        end -= 1
    if start > 1 and not lines[start - 2].strip() and end < len(lines):
        end += not lines[end].strip()  # one blank line between the neighbours, not two
    text = "\n".join(lines[: start - 1] + lines[end:]).rstrip() + "\n"
    left = [e.curator for e in parse_tokens(text, source=str(path))]
    if left != [e.curator for e in entries if e is not entry]:
        raise UsageError(f"cannot remove curator {name} alone from {path}; edit it by hand")
    _replace(path, text)


def _toml_string(value: str) -> str:
    # Names and IRIs were checked: no control characters, so only these two need escapes.
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _replace(path: Path, text: str) -> None:
    """Write the file whole or not at all: a reader (the server) sees the old or the new one."""
    parse_tokens(text, source=str(path))  # what is written reads back
    try:
        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o600
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as err:
        raise UsageError(f"cannot write the tokens file {path}: {err.strerror}") from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
