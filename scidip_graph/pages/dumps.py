"""The downloadable files: the dataset in every RDF format, the ontology, shapes and context.

Files are generated from the store once per data version and kept, with a deterministic gzip
copy (mtime 0) and their SHA-256, in ``<store.data_dir>/dumps/<key>/`` when the store has a
data folder (so that worker processes and restarts share them), else in memory. The same data
always gives byte-identical files. Formats without named graphs (Turtle, N-Triples, RDF/XML)
hold the union of all graphs, and their entry says so.

The CLI can call :func:`build_dumps` to write the same files to a folder.

>>> from scidip_graph.store import OxigraphStore
>>> cache = DumpCache(OxigraphStore())
>>> [f.name for f in cache.files()][:3]
['scidip-graph.trig', 'scidip-graph.nq', 'scidip-graph.jsonld']
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import re
import shutil
import threading
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO

from scidip_graph.rdf.exporters import dump
from scidip_graph.rdf.formats import by_extension, get_format
from scidip_graph.resources import ONTOLOGY_DIR
from scidip_graph.store import Store
from scidip_graph.version import __version__

BASENAME = "scidip-graph"
CHUNK = 1 << 16


@dataclass(frozen=True)
class Entry:
    """What one downloadable file is.

    Attributes:
        name: the file name (``scidip-graph.trig``).
        format: the format's name (``trig``) or kind of file (``ontology``...).
        media_type: the Content-Type it is served with.
        title: one line for the listing.
    """

    name: str
    format: str
    media_type: str
    title: str


DATA_ENTRIES: tuple[Entry, ...] = tuple(
    Entry(f"{BASENAME}{get_format(name).extension}", name, get_format(name).media_type, title)
    for name, title in (
        ("trig", "The whole dataset, named graphs kept (TriG)"),
        ("nquads", "The whole dataset, named graphs kept (N-Quads)"),
        ("jsonld", "The whole dataset, named graphs kept (JSON-LD, context embedded)"),
        ("turtle", "The union of all graphs (Turtle)"),
        ("ntriples", "The union of all graphs (N-Triples)"),
        ("rdfxml", "The union of all graphs (RDF/XML)"),
    )
)
"""The dataset dumps, in listing order."""

ONTOLOGY_ENTRIES: tuple[Entry, ...] = tuple(
    Entry(name, kind, by_extension(Path(name).suffix).media_type, title)
    for name, kind, title in (
        ("scidip.ttl", "ontology", "The ontology (OWL, Turtle)"),
        ("shapes.ttl", "shapes", "The SHACL shapes (Turtle)"),
        ("shapes-iso3166.ttl", "shapes", "The SHACL shapes of ISO 3166 (Turtle)"),
        ("context.jsonld", "context", "The JSON-LD context"),
    )
)
"""Files of ``ontology/`` offered beside the dumps."""


@dataclass
class DumpFile:
    """One generated file and what a client needs to know about it.

    Attributes:
        entry: what the file is.
        size: its length in bytes; ``gzip_size`` the length of its gzip copy.
        sha256: the hex SHA-256 of its bytes (also its ETag).
        modified: when it was generated (Unix time, whole seconds).
        statements: triples or quads written (dumps only).
        merged_graphs: the graphs folded into one (graph formats only).
    """

    entry: Entry
    size: int
    gzip_size: int
    sha256: str
    modified: int
    statements: int | None = None
    merged_graphs: list[str] = field(default_factory=list)
    path: Path | None = None
    content: bytes | None = field(default=None, repr=False)
    gzipped: bytes | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        """The file name."""
        return self.entry.name

    def open(self, *, gzipped: bool = False) -> BinaryIO:
        """The file's bytes (or its gzip copy) to read."""
        if self.path is not None:
            return (self.path.with_name(self.name + ".gz") if gzipped else self.path).open("rb")
        data = self.gzipped if gzipped else self.content
        return io.BytesIO(data or b"")

    def read(self, *, gzipped: bool = False) -> bytes:
        """The whole file (or its gzip copy)."""
        with self.open(gzipped=gzipped) as handle:
            return handle.read()


class DumpCache:
    """The files of the store's current data version, generated once and kept.

    Args:
        store: the store to dump.
        folder: where to keep files (``<key>/`` below it); in memory when None. By default
            ``store.data_dir / "dumps"`` when the store has a data folder.
    """

    def __init__(self, store: Store, *, folder: Path | None = None) -> None:
        self.store = store
        if folder is None and store.data_dir is not None:
            folder = store.data_dir / "dumps"
        self.folder = folder
        self._lock = threading.Lock()
        self._current: tuple[str, list[DumpFile]] | None = None

    def key(self) -> str:
        """The cache key: data version, package version and a hash of the ontology files.

        >>> from scidip_graph.store import OxigraphStore
        >>> DumpCache(OxigraphStore()).key().startswith("0-")
        True
        """
        h = hashlib.sha256(__version__.encode())
        for entry in ONTOLOGY_ENTRIES:
            h.update((ONTOLOGY_DIR / entry.name).read_bytes())
        version = re.sub(r"[^A-Za-z0-9._-]", "_", self.store.version)
        return f"{version}-{h.hexdigest()[:8]}"

    def files(self) -> list[DumpFile]:
        """Every file of the current data version, generating them on first use."""
        key = self.key()
        current = self._current
        if current is not None and current[0] == key:
            return current[1]
        with self._lock:
            if self._current is None or self._current[0] != key:
                self._current = (key, self._load_or_build(key))
            return self._current[1]

    def get(self, name: str) -> DumpFile | None:
        """The file of that name, or None."""
        return next((f for f in self.files() if f.name == name), None)

    def _load_or_build(self, key: str) -> list[DumpFile]:
        if self.folder is None:
            return build_dumps(self.store)
        target = self.folder / key
        manifest = target / "manifest.json"
        if manifest.exists():
            return _read_manifest(manifest)
        tmp = self.folder / f".{key}.{os.getpid()}.{threading.get_ident()}"
        tmp.mkdir(parents=True, exist_ok=True)
        files = build_dumps(self.store, folder=tmp)
        _write_manifest(tmp / "manifest.json", files)
        try:
            os.replace(tmp, target)
        except OSError:  # another worker got there first: same bytes, keep theirs
            shutil.rmtree(tmp, ignore_errors=True)
        for old in self.folder.iterdir():
            if old.name != key and not old.name.startswith("."):
                shutil.rmtree(old, ignore_errors=True)
        return _read_manifest(manifest)


def build_dumps(store: Store, *, folder: Path | None = None) -> list[DumpFile]:
    """Generate every file: in ``folder`` (with ``.gz`` copies) or in memory when None.

    >>> from scidip_graph.store import OxigraphStore
    >>> files = build_dumps(OxigraphStore())
    >>> files[0].name, files[0].size, len(files)
    ('scidip-graph.trig', 0, 10)
    """
    now = int(time.time())
    files = []
    for entry in DATA_ENTRIES:
        buf = io.BytesIO()
        report = dump(store, entry.format, buf)
        dumped = _file(entry, buf.getvalue(), now, folder)
        dumped.statements, dumped.merged_graphs = report.statements, report.merged_graphs
        files.append(dumped)
    for entry in ONTOLOGY_ENTRIES:
        files.append(_file(entry, (ONTOLOGY_DIR / entry.name).read_bytes(), now, folder))
    return files


def file_from_bytes(entry: Entry, data: bytes, *, modified: int | None = None) -> DumpFile:
    """A file kept in memory (the dataset description, generated per host).

    >>> f = file_from_bytes(Entry("a.txt", "text", "text/plain", "A"), b"a")
    >>> f.sha256[:8], f.read(gzipped=True)[:2]
    ('ca978112', b'\\x1f\\x8b')
    """
    return _file(entry, data, int(time.time()) if modified is None else modified, None)


def sha256sums(files: Iterable[DumpFile]) -> bytes:
    """The ``sha256sum`` checking file of these files (``sha256sum -c SHA256SUMS``).

    >>> sha256sums([file_from_bytes(Entry("a.txt", "text", "text/plain", "A"), b"a")])[:10]
    b'ca978112ca'
    """
    return "".join(f"{f.sha256}  {f.name}\n" for f in files).encode()


def _file(entry: Entry, data: bytes, modified: int, folder: Path | None) -> DumpFile:
    compressed = gzip.compress(data, compresslevel=6, mtime=0)
    digest = hashlib.sha256(data).hexdigest()
    dumped = DumpFile(entry, len(data), len(compressed), digest, modified)
    if folder is None:
        dumped.content, dumped.gzipped = data, compressed
    else:
        dumped.path = folder / entry.name
        dumped.path.write_bytes(data)
        folder.joinpath(entry.name + ".gz").write_bytes(compressed)
    return dumped


def _write_manifest(path: Path, files: list[DumpFile]) -> None:
    rows = []
    for f in files:
        row = asdict(f)
        for transient in ("path", "content", "gzipped"):
            row.pop(transient)
        rows.append(row)
    path.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


def _read_manifest(path: Path) -> list[DumpFile]:
    files = []
    for row in json.loads(path.read_text(encoding="utf-8")):
        entry = Entry(**row.pop("entry"))
        files.append(DumpFile(entry, **row, path=path.parent / entry.name))
    return files
