"""Every setting, declared once: name, default, help; read from ``SCIDIP_*`` variables.

The README lists them all (a test checks it), and the service description reports the limits.

>>> s = Settings.from_env({"SCIDIP_QUERY_TIMEOUT": "5"})
>>> s.query_timeout, s.workers > 0
(5.0, True)
>>> Settings.from_env({"SCIDIP_SERVICE_ALLOWLIST": "https://query.wikidata.org/sparql"}).service_allowlist
frozenset({'https://query.wikidata.org/sparql'})
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from scidip_graph.errors import UsageError
from scidip_graph.resources import DATA_DIR


def setting(default: Any, help: str) -> Any:
    """Declare a setting: its default and one line of help (the README quotes it)."""
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    """The server's settings. Each field ``name`` is read from ``SCIDIP_NAME``."""

    host: str = setting("127.0.0.1", "Interface to listen on.")
    port: int = setting(8000, "TCP port to listen on.")
    public_url: str = setting(
        "",
        "Public base URL of the server, e.g. https://scidip.example.org; absolute links in "
        "answers are built from it, and relative IRIs in queries resolve against its /sparql. "
        "Empty: links are relative where the format allows, the service description names the "
        "endpoint relative to the request's own URL, and relative IRIs resolve against "
        "http://HOST:PORT/sparql (SCIDIP_HOST, SCIDIP_PORT).",
    )
    workers: int = setting(
        0,
        "Pre-forked worker processes; each answers one request at a time (slow clients wait "
        "in buffers, not in workers). 0: one per core (at least 2) on the embedded store, "
        "which evaluates in the workers; four per core (at least 8) on a remote store, where a "
        "worker mostly waits for the store (both the fastest in bench/).",
    )
    store: str = setting(
        "embedded",
        "Store backend the server serves. embedded: pyoxigraph in memory, made durable by a "
        "snapshot and a change log in the data folder; sparql: an external SPARQL 1.1 store "
        "(SCIDIP_STORE_QUERY_URL and the settings after it), which several servers may share.",
    )
    store_query_url: str = setting(
        "",
        "SPARQL 1.1 query endpoint of the external store (SCIDIP_STORE=sparql), e.g. "
        "http://127.0.0.1:7878/query for Oxigraph server, http://127.0.0.1:8890/sparql for "
        "Virtuoso.",
    )
    store_update_url: str = setting(
        "",
        "SPARQL 1.1 update endpoint of the external store; empty: the query endpoint. Every "
        "write is sent there as one update, applied only if the store's data version is still "
        "the one the write was checked on.",
    )
    store_gsp_url: str = setting(
        "",
        "Graph Store Protocol endpoint of the external store (e.g. http://127.0.0.1:7878/store); "
        "when set, whole graphs are read from it (dumps) and first loads are posted to it. "
        "Empty: SPARQL queries and updates only.",
    )
    store_user: str = setting(
        "", "User name for HTTP Basic authentication to the external store (with its password)."
    )
    store_password: str = setting("", "Password of SCIDIP_STORE_USER; never logged.")
    store_token: str = setting(
        "", "Bearer token sent to the external store instead of a user and password; never logged."
    )
    store_query_parameters: str = setting(
        "",
        "Extra URL parameters sent with every query to the external store, e.g. timeout=30000 "
        "for Virtuoso, which then stops a query there at that many milliseconds.",
    )
    data_dir: Path = setting(
        Path("var"),
        "Folder for the server's state (snapshot, change log, result cache), "
        "created on first start.",
    )
    source_dir: Path = setting(
        DATA_DIR,
        "Data loaded and validated into a new data folder on first start.",
    )
    validate: bool = setting(
        True, "Validate the source data against the shapes before a new data folder serves it."
    )
    allow_invalid: bool = setting(
        False, "Serve data that does not conform to the shapes (logged as an error)."
    )
    query_timeout: float = setting(
        30.0, "Hard time limit of a query in seconds; a request may ask for less (timeout=)."
    )
    min_timeout: float = setting(
        0.5, "Shortest time limit a request may ask for with timeout=, in seconds (400 below)."
    )
    max_rows: int = setting(100_000, "Result rows (or triples) returned at most per query.")
    max_result_bytes: int = setting(
        64 * 1024 * 1024,
        "Result bytes returned at most per query; the answer stops at the first row past it.",
    )
    query_memory: int = setting(
        0,
        "Memory in MiB a worker may grow by while it answers (503 and a fresh worker past it). "
        "0: half the machine's memory shared by the workers, at most 4096.",
    )
    egress_barrier: bool = setting(
        True,
        "Deny the worker processes outgoing TCP connections at the operating-system level "
        "(Linux Landlock), where the kernel allows it.",
    )
    max_query_length: int = setting(100_000, "Longest query or update accepted, in characters.")
    max_depth: int = setting(
        64, "Deepest nesting accepted in a query: brackets { ( [ and runs of unary operators."
    )
    max_chain: int = setting(
        1000,
        "Longest chain accepted in a query: operators in one expression, or patterns (UNION, "
        "BIND, MINUS, OPTIONAL, FILTER...) in one group.",
    )
    max_upload_bytes: int = setting(
        16 * 1024 * 1024, "Largest request body accepted, in bytes (413 beyond)."
    )
    service_allowlist: frozenset[str] = setting(
        frozenset(),
        "SERVICE endpoints queries may call, space-separated; an entry ending in / or # is a "
        "prefix. Empty: SERVICE is refused.",
    )
    graph_allowlist: frozenset[str] = setting(
        frozenset(),
        "IRIs LOAD may read, space-separated (prefixes as above). Empty: LOAD reads nothing. "
        "FROM, FROM NAMED, USING, WITH and the dataset parameters need no entry: they never "
        "fetch, and an IRI that is no graph of the dataset is an empty graph.",
    )
    write_token: str = setting(
        "",
        "Bearer token that allows writes to every graph, as the curator admin. Empty, and no "
        "SCIDIP_TOKENS_FILE: the server is read-only.",
    )
    tokens_file: str = setting(
        "",
        "TOML file of the curators' bearer tokens (as SHA-256 hashes) and the graphs each may "
        "write; scidip-graph token add makes one. Read at start and again whenever it changes.",
    )
    heavy_after: float = setting(
        1.0, "Seconds after which a running query counts as heavy (and runs at low priority)."
    )
    max_heavy: int = setting(
        0, "Heavy queries allowed at once; beyond, 503 with Retry-After. 0: workers - 1."
    )
    backlog: int = setting(64, "Connections the kernel queues for the workers to accept, at most.")
    client_timeout: float = setting(
        10.0,
        "Seconds a client has to send its whole request, headers and body, before it is "
        "dropped (answered 408 if its headers had arrived).",
    )
    send_timeout: float = setting(
        120.0,
        "Seconds a client has to read the whole response before the connection is reset. "
        "Generous, since a slow reader holds no worker, only its answer's buffer: 120 s take "
        "the largest answer (64 MiB) at 4.5 Mbit/s.",
    )
    keepalive_seconds: float = setting(
        5.0,
        "Seconds an idle connection stays open for its next request (HTTP/1.1 keep-alive); "
        "0: every connection is closed after its answer.",
    )
    keepalive_requests: int = setting(
        1000, "Requests one connection may make; the answer to the last one closes it."
    )
    cache_bytes: int = setting(
        64 * 1024 * 1024, "Size of the result cache shared by the workers, in bytes."
    )
    cache_min_seconds: float = setting(
        0.05, "Results of queries slower than this are kept in the result cache."
    )
    log_query_chars: int = setting(
        200, "Characters of a query's text written to the access log at most (0: none)."
    )
    cors_origin: str = setting("*", "Access-Control-Allow-Origin for anonymous reads.")
    permalink_bytes: int = setting(
        16 * 1024 * 1024,
        "Total size of the query texts kept for permalinks (/q/ID), in bytes; past it, new "
        "links are refused (507) and existing ones keep working.",
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Settings from ``SCIDIP_*`` variables (``os.environ`` by default), then overrides.

        Raises:
            UsageError: naming the variable when a value does not parse.
        """
        environ = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = environ.get(env_name(f.name))
            if raw is not None:
                values[f.name] = _parse(f.name, f.type, raw)
        values.update(overrides)
        return cls(**values)

    def __post_init__(self) -> None:
        if self.workers <= 0:  # frozen: set once, here
            object.__setattr__(self, "workers", default_workers(self.store))

    def with_(self, **changes: Any) -> Settings:
        """A copy with some settings changed."""
        return replace(self, **changes)

    @property
    def heavy_limit(self) -> int:
        """How many heavy queries may run at once."""
        return self.max_heavy if self.max_heavy > 0 else max(1, self.workers - 1)


def default_workers(store: str) -> int:
    """The workers ``SCIDIP_WORKERS=0`` (the default) gives the server of ``store``.

    On the embedded store a query keeps a core busy in its worker: one worker per core. On a
    remote store a worker waits on a socket while the store evaluates; with one per core the
    store saw two queries at once where the bare store got all eight clients (BENCHMARKS.md,
    "Remote stores": 4 of 12 medium and heavy queries at 0.8x the bare store with 2 workers,
    9 of 12 with 8).

    >>> default_workers("embedded") == max(2, os.cpu_count() or 1)
    True
    >>> default_workers("sparql") >= 8
    True
    """
    cores = os.cpu_count() or 1
    return max(2, cores) if store == "embedded" else max(8, 4 * cores)


def env_name(name: str) -> str:
    """The environment variable of a setting.

    >>> env_name("query_timeout")
    'SCIDIP_QUERY_TIMEOUT'
    """
    return f"SCIDIP_{name.upper()}"


def documentation() -> list[tuple[str, str, str]]:
    """(variable, default, help) of every setting, for docs and ``--help``."""
    rows = []
    for f in fields(Settings):
        default = f.default
        if isinstance(default, frozenset):
            default = " ".join(sorted(default))
        rows.append((env_name(f.name), str(default), f.metadata["help"]))
    return rows


def _parse(name: str, kind: Any, raw: str) -> Any:
    text = raw.strip()
    try:
        if kind in ("bool", bool):
            if text.lower() in ("1", "true", "yes", "on"):
                return True
            if text.lower() in ("0", "false", "no", "off", ""):
                return False
            raise ValueError(text)
        if kind in ("int", int):
            return int(text)
        if kind in ("float", float):
            return float(text)
        if kind in ("Path", Path):
            return Path(text)
        if str(kind).startswith("frozenset"):
            return frozenset(text.split())
        return raw
    except ValueError:
        raise UsageError(
            f"{env_name(name)}={raw!r} is not a valid {str(kind).split('[')[0]}"
        ) from None


def query_memory_bytes(settings: Settings) -> int:
    """How many bytes a worker may grow by while it answers (``query_memory``, or its default).

    The default shares half of the machine's memory between the workers, at most 4 GiB each
    and at least 256 MiB.

    >>> query_memory_bytes(Settings(query_memory=100))
    104857600
    """
    if settings.query_memory > 0:
        return settings.query_memory * 1024 * 1024
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        total = 8 * 1024**3
    share = total // 2 // max(settings.workers, 1)
    return max(256 * 1024**2, min(share, 4 * 1024**3))
