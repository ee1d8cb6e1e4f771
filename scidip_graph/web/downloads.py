"""Downloads, the dataset description and the JSON-LD context.

- ``/download/``: the list of files (HTML for browsers, JSON by Accept or ``index.json``);
- ``/download/<name>``: a dump, an ontology file, ``void.ttl`` or ``SHA256SUMS``, with ETag,
  Last-Modified, Content-Length, gzip on request, 304 and HEAD;
- ``/void`` (``.ttl``, ``.jsonld``... every RDF format): VoID + DCAT, by Accept or suffix;
- ``/context.jsonld``: the project's JSON-LD context.

The files come from :class:`~scidip_graph.pages.dumps.DumpCache` (generated once per data version);
the description from :mod:`scidip_graph.pages.void`, kept per data version. No answer depends on the
request's Host header (they are cached by shared caches, and checksummed): links are built by
:mod:`scidip_graph.web.links`, on ``SCIDIP_PUBLIC_URL`` or relative.
"""

from __future__ import annotations

import json
import threading
from typing import Any

from flask import Blueprint, Response, current_app, render_template, request
from werkzeug.http import http_date
from werkzeug.wsgi import wrap_file

from scidip_graph.errors import NotFoundError
from scidip_graph.namespaces import compact
from scidip_graph.pages.dumps import (
    ONTOLOGY_ENTRIES,
    DumpCache,
    DumpFile,
    Entry,
    file_from_bytes,
    sha256sums,
)
from scidip_graph.pages.readers import graph_sources
from scidip_graph.pages.void import (
    GRAPH_KINDS,
    LINK_TARGETS,
    Statistics,
    dataset_description,
    statistics,
    void_bytes,
)
from scidip_graph.pages.void import citation as void_citation
from scidip_graph.rdf.formats import content_type, get_format
from scidip_graph.rdf.jsonld import CONTEXT_PATH, context_bytes
from scidip_graph.rdf.negotiation import negotiate
from scidip_graph.settings import Settings
from scidip_graph.web.linkeddata import RDF_FORMATS, wants_json
from scidip_graph.web.links import link, rdf_base, relativize

bp = Blueprint("downloads", __name__)

VOID_TITLE = "The dataset description (VoID and DCAT)"
SUMS_ENTRY = Entry("SHA256SUMS", "checksums", "text/plain", "SHA-256 of every file (sha256sum -c)")
CONTEXT_ENTRY = next(e for e in ONTOLOGY_ENTRIES if e.name == "context.jsonld")


class Downloads:
    """Per-app state: the dump cache and the descriptions of the current data version."""

    def __init__(self, store: Any, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.dumps = DumpCache(store)
        self._lock = threading.Lock()
        self._key = ""
        self._stats: Statistics | None = None
        self._made: dict[str, DumpFile] = {}

    def data_files(self) -> list[DumpFile]:
        """The dataset dumps (the distributions of the description)."""
        return [f for f in self.dumps.files() if f.statements is not None]

    def stats(self) -> Statistics:
        """The statistics of the current data version, counted once per version."""
        key = self.dumps.key()
        with self._lock:
            return self._current(key)

    def _current(self, key: str) -> Statistics:
        if key != self._key or self._stats is None:
            self._key, self._stats, self._made = key, statistics(self.store), {}
        return self._stats

    def description(self, format: str) -> DumpFile:
        """The dataset description in a format (by name), made once per data version."""
        key = self.dumps.key()
        with self._lock:
            self._current(key)
            made = self._made.get(format)
            if made is None:
                quads = dataset_description(
                    self.store,
                    base_url=rdf_base(self.settings),
                    files=self.data_files(),
                    stats=self._stats,
                )
                fmt = get_format(format)
                entry = Entry(f"void{fmt.extension}", "void", fmt.media_type, VOID_TITLE)
                data = relativize(void_bytes(quads, fmt.name), fmt, self.settings)
                made = self._made[format] = file_from_bytes(entry, data)
            return made

    def listing(self) -> list[DumpFile]:
        """Every file offered, the checksum file last."""
        files = [*self.dumps.files(), self.description("turtle")]
        sums = file_from_bytes(SUMS_ENTRY, sha256sums(files), modified=files[0].modified)
        return [*files, sums]


def _downloads() -> Downloads:
    ext = current_app.extensions["scidip"]
    if "downloads" not in ext:
        ext["downloads"] = Downloads(ext["store"], ext["settings"])
    return ext["downloads"]  # type: ignore[no-any-return]


@bp.get("/download/")
def listing() -> Response:
    """The files, as HTML for a browser or JSON for a machine."""
    if wants_json():
        return index_json()
    downloads = _downloads()
    files = downloads.listing()
    html = render_template(
        "downloads.html", files=files, version=downloads.store.version, sizes=_size
    )
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Link"] = '</download/index.json>; rel="alternate"; type="application/json"'
    return response


@bp.get("/download/index.json")
def index_json() -> Response:
    """The listing for machines: name, URL, format, media type, size, SHA-256 of each file."""
    downloads = _downloads()
    rows = []
    for f in downloads.listing():
        row: dict[str, Any] = {
            "name": f.name,
            "url": link(downloads.settings, f"/download/{f.name}"),
            "title": f.entry.title,
            "format": f.entry.format,
            "media_type": f.entry.media_type,
            "size": f.size,
            "gzip_size": f.gzip_size,
            "sha256": f.sha256,
        }
        if f.statements is not None:
            row["statements"] = f.statements
            row["named_graphs_kept"] = not f.merged_graphs
            if f.merged_graphs:
                row["union_of_graphs"] = f.merged_graphs
        rows.append(row)
    body = {"data_version": downloads.store.version, "files": rows}
    response = Response(json.dumps(body, indent=1) + "\n", content_type="application/json")
    response.headers["Cache-Control"] = "public, max-age=60"
    return response


@bp.get("/download/<name>")
def download(name: str) -> Response:
    """One file."""
    for f in _downloads().listing():
        if f.name == name:
            return _serve(f)
    raise NotFoundError(
        f"no file {name!r} in the downloads",
        hint="the list of files is at /download/ (or /download/index.json)",
        detail={"name": name},
    )


@bp.get("/context.jsonld")
def context() -> Response:
    """The project's JSON-LD context, at a stable URL."""
    modified = int(CONTEXT_PATH.stat().st_mtime)
    return _serve(
        file_from_bytes(CONTEXT_ENTRY, context_bytes(), modified=modified), download=False
    )


@bp.get("/void")
@bp.get("/void.<suffix>")
def void(suffix: str | None = None) -> Response:
    """The dataset description: Turtle by default, other RDF formats by Accept or suffix, a
    page for browsers (the same statistics, and every graph with its footnote number)."""
    if suffix is not None:
        by_suffix = {f.extension.lstrip("."): f for f in RDF_FORMATS}
        if suffix not in by_suffix:
            raise NotFoundError(
                f"no description as .{suffix}",
                hint="use one of " + ", ".join(f"/void.{s}" for s in by_suffix),
            )
        fmt = by_suffix[suffix]
    else:
        accept, format = request.headers.get("Accept"), request.args.get("format")
        chosen = negotiate("graph", accept, format=format, html=True)
        if chosen is None:
            return _void_page()
        fmt = chosen
    made = _downloads().description(fmt.name)
    response = _serve(made, download=False)
    if suffix is None:
        response.headers["Vary"] = "Accept, Accept-Encoding"
    return response


def _void_page() -> Response:
    downloads = _downloads()
    stats = downloads.stats()
    graphs = graph_sources(downloads.store, stats.graphs)
    html = render_template(
        "void.html",
        stats=stats,
        graphs=sorted(graphs, key=lambda g: g.number),
        classes=[
            (iri, compact(iri), n)
            for iri, n in sorted(stats.class_partitions.items(), key=lambda c: (-c[1], c[0]))
        ],
        links=[(title, home, stats.links.get(slug, 0)) for slug, title, _, home in LINK_TARGETS],
        kinds=[(title, stats.kinds.get(slug, 0)) for slug, _, title in GRAPH_KINDS],
        citation=void_citation(downloads.store),
        version=downloads.store.version,
        suffixes=[(f.extension, f.media_type) for f in RDF_FORMATS],
    )
    response = Response(html, content_type="text/html; charset=utf-8")
    response.headers["Vary"] = "Accept, Accept-Encoding"
    response.headers["Link"] = ", ".join(
        f'</void{f.extension}>; rel="alternate"; type="{f.media_type}"' for f in RDF_FORMATS
    )
    return response


def _serve(f: DumpFile, *, download: bool = True) -> Response:
    gzipped = request.accept_encodings.quality("gzip") > 0
    etag = f"sha256-{f.sha256}" + ("-gzip" if gzipped else "")
    headers = {
        "ETag": f'"{etag}"',
        "Last-Modified": http_date(f.modified),
        "Vary": "Accept-Encoding",
        "Cache-Control": "public, max-age=60",
    }
    if download:
        headers["Content-Disposition"] = f'inline; filename="{f.name}"'
    if _not_modified(etag, f.modified):
        return Response(status=304, headers=headers)
    headers["Content-Type"] = content_type(f.entry.media_type)
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    size = f.gzip_size if gzipped else f.size
    if request.method == "HEAD":
        response = Response(b"", headers=headers)
    else:
        body = wrap_file(request.environ, f.open(gzipped=gzipped))
        response = Response(body, headers=headers, direct_passthrough=True)
    response.content_length = size
    return response


def _not_modified(etag: str, modified: int) -> bool:
    if request.if_none_match:
        return request.if_none_match.contains_weak(etag)
    since = request.if_modified_since
    return since is not None and int(since.timestamp()) >= modified


def _size(n: int) -> str:
    """A byte count for people: ``152.9 kB``."""
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    return f"{n} B"
