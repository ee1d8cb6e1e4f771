"""Benchmark scidip-graph side by side with Oxigraph server and rdflib-endpoint, in one run.

Usage: ``python bench/run.py --triples 100000 --clients 8 --seconds 10``

Generates the data if missing (bench/generate.py), then starts each server in turn on loopback
with the same data, and for every query of bench/queries/ probes it once (checking the answer),
warms up, and runs wrk (N keep-alive connections, fixed duration) against it. Our server is
measured with its result cache off for the query mix, and with it on for the repeated heavy
query (plain repeat, and revalidation with If-None-Match). Raw results go to
bench/results/{size}-{time}.json; BENCHMARKS.md is rewritten from the newest result of each
size. See bench/README.md.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import http.client
import json
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
QUERIES = BENCH / "queries"
RESULTS = BENCH / "results"
REF_VENV = BENCH / ".venv-ref"
REPORT = ROOT / "BENCHMARKS.md"
ANALYSIS = ROOT / "bench" / "analysis.md"
JSONLD_SECTION = BENCH / "jsonld.md"  # written by bench_jsonld.py
GATE_SECTION = BENCH / "gate.md"  # written by bench_gate.py
LOAD_SECTION = BENCH / "load.md"  # written by bench_load.py
WRITE_SECTION = BENCH / "write.md"  # written by bench_write.py
SEARCH_SECTION = BENCH / "search.md"  # written by bench_search.py
RECONCILE_SECTION = BENCH / "reconcile.md"  # written by bench_reconcile.py
MEMORY_SECTION = BENCH / "memory.md"  # written by bench_memory.py
KEEPALIVE_SECTION = BENCH / "keepalive.md"  # written by bench_keepalive.py
HEAVY_SECTION = BENCH / "heavy.md"  # written by bench_heavy.py
REMOTE_SECTION = BENCH / "remote.md"  # written by bench_remote.py
HOST = "127.0.0.1"
REF_PACKAGES = ("oxigraph", "rdflib-endpoint[cli]")
OURS_COMMAND = (
    "scidip-graph serve --host {host} --port {port} --data-dir {data_dir} "
    "--source-dir {source_dir} --workers {workers} --no-validate"
)
ACCEPT = {"SELECT": "application/sparql-results+json", "CONSTRUCT": "application/n-triples"}
TARGET_VS_OXIGRAPH = {"light": 0.5, "medium": 0.9, "heavy": 0.9, "repeated": 10.0}
TARGET_VS_RDFLIB = 10.0
SLOW_STRETCH = 6
ASK = "ASK {}"


# --- the query mix ---------------------------------------------------------------------------


@dataclass
class Query:
    """A query of the mix: its header fields and its texts, one per variant."""

    name: str
    cls: str
    what: str
    variants: list[str]

    @property
    def accept(self) -> str:
        form = re.search(r"^\s*(SELECT|CONSTRUCT)\b", self.variants[0], re.M | re.I)
        return ACCEPT[form.group(1).upper() if form else "SELECT"]


def header(text: str, name: str) -> str:
    """A ``# name: value`` header field; continuation lines start with ``#   ``."""
    match = re.search(rf"^# {name}: (.*(?:\n#   .*)*)", text, re.M)
    return re.sub(r"\s*\n#\s+", " ", match.group(1)).strip() if match else ""


def variants(text: str, samples: dict[str, list[str]], *, most: int = 200) -> list[str]:
    """The texts of a query with its ``{{placeholders}}`` filled in, every combination once,
    without the comment header.

    Values come from ``# values NAME: a b c`` header lines, else from the data's samples.

    >>> variants("# values w: a b\\nSELECT * { ?s ?p '{{w}}' }", {})
    ["SELECT * { ?s ?p 'a' }", "SELECT * { ?s ?p 'b' }"]
    """
    values = {m[1]: m[2].split() for m in re.finditer(r"^# values (\w+): (.*)$", text, re.M)}
    names = sorted(set(re.findall(r"\{\{(\w+)\}\}", text)))
    body = re.sub(r"\A(#.*\n)+", "", text)
    lists = [values.get(n) or samples[n] for n in names]
    count = 1
    for options in lists:
        count *= len(options)
    texts = []
    for i in range(min(count, most)):
        filled = body
        for name, options in zip(names, lists, strict=True):
            filled = filled.replace("{{" + name + "}}", options[i % len(options)])
            i //= len(options)
        texts.append(filled)
    return texts


def load_mix(samples: dict[str, list[str]], only: list[str] | None = None) -> list[Query]:
    """The queries of bench/queries/, in file name order."""
    mix = []
    for path in sorted(QUERIES.glob("*.rq")):
        text = path.read_text()
        query = Query(header(text, "name"), header(text, "class"), header(text, "what"), [])
        if only and query.name not in only:
            continue
        query.variants = variants(text, samples)
        mix.append(query)
    return mix


@dataclass
class Case:
    """What one load run sends: a query's variants, by POST or GET, maybe conditional."""

    name: str
    cls: str
    variants: list[str]
    accept: str
    method: str = "POST"
    revalidate: bool = False


def cases_of(mix: list[Query]) -> tuple[list[Case], list[Case]]:
    """The query mix by POST, and the repeated heavy query by GET (plain; If-None-Match)."""
    distinct = [Case(q.name, q.cls, q.variants, q.accept) for q in mix]
    repeated = []
    for q in mix:
        if q.cls == "heavy":
            one = q.variants[:1]
            repeated.append(Case(f"{q.name} repeated", "repeated", one, q.accept, "GET"))
            repeated.append(
                Case(f"{q.name} revalidated (304)", "repeated", one, q.accept, "GET", True)
            )
    return distinct, repeated


# --- HTTP: requests, probes and the wrk script ---------------------------------------------


@dataclass
class Reply:
    """The answer to one probe request."""

    status: int | None
    seconds: float
    etag: str | None = None
    rows: int | None = None
    error: str = ""


def http_parts(case: Case, text: str, path: str) -> tuple[str, dict[str, str], bytes | None]:
    """(target, headers, body) of a SPARQL protocol request for one variant."""
    headers = {"Accept": case.accept}
    if case.method == "GET":
        return f"{path}?query={quote(text)}", headers, None
    target, _, params = path.partition("?")
    if params:  # protocol parameters with the query: one form, which every store takes
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        return target, headers, f"{params}&query={quote(text, safe='')}".encode()
    headers["Content-Type"] = "application/sparql-query"
    return path, headers, text.encode()


def count_rows(body: bytes, accept: str) -> int | None:
    """Result rows (or triples) of a body, to check that the servers agree."""
    try:
        if accept == ACCEPT["CONSTRUCT"]:
            return sum(1 for line in body.splitlines() if line.strip())
        data = json.loads(body)
        return len(data["results"]["bindings"]) if "results" in data else 1
    except (ValueError, KeyError, TypeError):
        return None


def send(port: int, case: Case, text: str, path: str, *, timeout: float) -> Reply:
    """One request, timed; a timeout or a refused connection comes back as ``status=None``."""
    target, headers, body = http_parts(case, text, path)
    started = time.perf_counter()
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(case.method, target, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
    except (TimeoutError, OSError, http.client.HTTPException) as error:
        return Reply(None, time.perf_counter() - started, error=type(error).__name__)
    finally:
        conn.close()
    seconds = time.perf_counter() - started
    rows = count_rows(data, case.accept) if response.status == 200 else None
    return Reply(response.status, seconds, response.getheader("ETag"), rows)


def raw_request(
    method: str, target: str, port: int, headers: dict[str, str], body: bytes | None
) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", f"Host: {HOST}:{port}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body is not None:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + (body or b"")


def lua_string(data: bytes) -> str:
    """A Lua string literal holding exactly these bytes (CR LF kept, unlike long brackets)."""
    safe = (chr(b) if 32 <= b < 127 and b not in b'"\\' else f"\\{b:03d}" for b in data)
    return '"' + "".join(safe) + '"'


WRK_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('WRK_JSON {"requests": %d, "duration_us": %d, "connect": %d, ' ..
    '"read": %d, "write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p99_us": %d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def wrk_script(case: Case, port: int, path: str, extra: dict[str, str]) -> str:
    """A wrk Lua script sending the case's variants in turn, one prebuilt request each."""
    built = []
    for text in case.variants:
        target, headers, body = http_parts(case, text, path)
        built.append(lua_string(raw_request(case.method, target, port, headers | extra, body)))
    return (
        "local reqs = {\n  " + ",\n  ".join(built) + "\n}\n"
        "local i = 0\n"
        "request = function()\n  i = i % #reqs + 1\n  return reqs[i]\nend\n" + WRK_DONE
    )


@dataclass
class Load:
    """What wrk measured in one run."""

    requests: int
    seconds: float
    errors: int
    bad_status: int
    timeouts: int
    p50_ms: float | None
    p99_ms: float | None

    @property
    def rps(self) -> float:
        """Requests answered in time and without error, per second.

        wrk counts a 4xx or 5xx, and an answer that came after its timeout, as requests.
        """
        good = max(self.requests - self.bad_status - self.timeouts, 0)
        return good / self.seconds if self.seconds else 0.0


def run_wrk(script: str, port: int, *, clients: int, seconds: float, timeout: float) -> Load:
    """Run wrk (one thread: it leaves the CPU to the server) and read its JSON line."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    command = [
        "wrk", "-t1", f"-c{clients}", f"-d{max(1, round(seconds))}s",
        f"--timeout={max(1, round(timeout))}s", "-s", handle.name, f"http://{HOST}:{port}/",
    ]  # fmt: skip
    try:
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(handle.name)
    line = next(x for x in out.splitlines() if x.startswith("WRK_JSON "))
    data = json.loads(line.removeprefix("WRK_JSON "))
    errors = sum(data[k] for k in ("connect", "read", "write", "status"))
    done = data["requests"] > 0
    return Load(
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=errors,
        bad_status=data["status"],
        timeouts=data["timeout"],
        p50_ms=data["p50_us"] / 1000 if done else None,
        p99_ms=data["p99_us"] / 1000 if done else None,
    )


# --- the servers -----------------------------------------------------------------------------


def scratch_folder() -> Path:
    """A temporary folder for a server's state, removed when the benchmark's process exits
    (a data folder at 1M takes over a gigabyte; at 10M, several)."""
    path = Path(tempfile.mkdtemp(prefix="scidip-bench-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


@dataclass
class Context:
    """What every server start needs to know."""

    data: Path
    workers: int
    logs: Path
    ours_command: str
    state: Path = field(default_factory=scratch_folder)


@dataclass(frozen=True)
class ServerKind:
    """How to start one of the servers compared, and what it is like.

    Attributes:
        command: the command line for a port (and the context).
        path: the SPARQL endpoint's path.
        slow: gets no warm-up, and runs sized to its speed (see ``run_length``).
        env: extra environment variables.
        cacheless_env: for a server with a result cache, the variables that turn it off for
            the query mix (the repeated heavy query then gets a start of its own, cache on).
        after_start: loads the data once the server answers (for a server started empty).
        largest: the most triples it is run on (None: every size), and ``why_not`` why not
            beyond: a run at a larger size leaves it out and is still complete.
    """

    name: str
    command: Callable[[int, Context], list[str]]
    path: str
    slow: bool = False
    env: Callable[[Context], dict[str, str]] = lambda ctx: {}
    cacheless_env: dict[str, str] | None = None
    after_start: Callable[[int, Context], None] | None = None
    largest: int | None = None
    why_not: str = ""


def ours_command(port: int, ctx: Context) -> list[str]:
    fields = {
        "host": HOST,
        "port": port,
        "data_dir": ctx.state / "ours",
        "source_dir": ctx.data / "trig",
        "workers": ctx.workers,
    }
    command = shlex.split(ctx.ours_command.format(**fields))
    installed = Path(sys.executable).parent / command[0]
    return [str(installed) if installed.exists() else command[0], *command[1:]]


def ours_env(ctx: Context) -> dict[str, str]:
    # Also read by a stand-in started with gunicorn and create_app() (--ours-command).
    return {
        "SCIDIP_DATA_DIR": str(ctx.state / "ours"),
        "SCIDIP_SOURCE_DIR": str(ctx.data / "trig"),
        "SCIDIP_VALIDATE": "false",
        "SCIDIP_WORKERS": str(ctx.workers),
    }


def oxigraph_load(port: int, ctx: Context) -> None:
    """POST the N-Quads to the in-memory Oxigraph server's graph store."""
    path = ctx.data / "nquads" / "data.nq"
    conn = http.client.HTTPConnection(HOST, port, timeout=600)
    with path.open("rb") as body:
        headers = {
            "Content-Type": "application/n-quads",
            "Content-Length": str(path.stat().st_size),
        }
        conn.request("POST", "/store", body=body, headers=headers)
        response = conn.getresponse()
        response.read()
    conn.close()
    if response.status not in (200, 201, 204):
        raise RuntimeError(f"Oxigraph refused the data: HTTP {response.status}")


def oxigraph_command(port: int, ctx: Context) -> list[str]:
    # In memory, like our store; the data is POSTed once it is up (oxigraph_load).
    oxigraph = str(REF_VENV / "bin" / "oxigraph")
    return [oxigraph, "serve", "--bind", f"{HOST}:{port}", "--union-default-graph"]


def rdflib_endpoint_command(port: int, ctx: Context) -> list[str]:
    # Its CLI loads files into an rdflib Dataset with default_union=True.
    data = str(ctx.data / "nquads" / "data.nq")
    rdflib_endpoint = str(REF_VENV / "bin" / "rdflib-endpoint")
    return [rdflib_endpoint, "serve", data, "--host", HOST, "--port", str(port)]


SERVERS = {
    "ours": ServerKind(
        "ours", ours_command, "/sparql", env=ours_env, cacheless_env={"SCIDIP_CACHE_BYTES": "0"}
    ),
    "oxigraph": ServerKind("oxigraph", oxigraph_command, "/query", after_start=oxigraph_load),
    "rdflib-endpoint": ServerKind(
        "rdflib-endpoint",
        rdflib_endpoint_command,
        "/",
        slow=True,
        largest=1_000_000,
        why_not=(
            "it keeps the data in rdflib's in-memory store and took 62 s to load 1M here; "
            "at 10M one load would take some ten minutes, and every probe that "
            "times out restarts it"
        ),
    ),
}


def servers_for(triples: int) -> list[str]:
    """The servers a run at this size compares (see ``ServerKind.largest``)."""
    return [n for n, k in SERVERS.items() if k.largest is None or triples <= k.largest]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


class Server:
    """A server process we started, on its own port; stopped by its process group."""

    def __init__(self, kind: ServerKind, ctx: Context, env: dict[str, str]) -> None:
        self.kind, self.ctx, self.env = kind, ctx, env
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.timed_out: set[str] = set()  # query texts that passed the client timeout
        self.start_seconds = 0.0  # the last start: until it answered (and had its data)

    def start(self, *, ready_timeout: float = 900) -> None:
        self.port = free_port()
        started = time.monotonic()
        log = (self.ctx.logs / f"{self.kind.name}.log").open("ab")
        env = os.environ | self.kind.env(self.ctx) | self.env
        command = self.kind.command(self.port, self.ctx)
        log.write(f"\n$ {shlex.join(command)}\n".encode())
        log.flush()
        self.proc = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        if not self.answers(ready_timeout):
            raise RuntimeError(f"{self.kind.name} was not ready after {ready_timeout:.0f} s")
        if self.kind.after_start is not None:
            self.kind.after_start(self.port, self.ctx)
        self.start_seconds = time.monotonic() - started

    def answers(self, timeout: float) -> bool:
        """Wait until the server answers a trivial query: it is up, and through its queue."""
        ask = Case("ask", "", [ASK], ACCEPT["SELECT"])
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"{self.kind.name} exited; see {self.ctx.logs}")
            if send(self.port, ask, ASK, self.kind.path, timeout=5).status == 200:
                return True
            time.sleep(0.2)
        return False

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()

    def restart(self) -> None:
        self.stop()
        self.start()


@contextlib.contextmanager
def serving(kind: ServerKind, ctx: Context, env: dict[str, str]) -> Iterator[Server]:
    server = Server(kind, ctx, env)
    try:
        server.start()
        yield server
    finally:
        server.stop()


# --- measuring -------------------------------------------------------------------------------


@dataclass
class Options:
    clients: int
    seconds: float
    slow_seconds: float
    warmup: float
    timeout: float


@dataclass
class Measurement:
    """One server on one case: throughput, latency, failures, and the probe's answer.

    ``at_least_seconds`` is set when there is no throughput to report: the probe timed out,
    or no request finished during the run. Each request then takes at least that long.
    """

    server: str
    case: str
    cls: str
    rps: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    requests: int = 0
    seconds: float = 0.0
    errors: int = 0
    timeouts: int = 0
    probe_seconds: float | None = None
    probe_status: int | None = None
    rows: int | None = None
    at_least_seconds: float | None = None
    note: str = ""
    load_average: float | None = None  # the machine's, over the last minute, after the run


def measure(server: Server, case: Case, opts: Options) -> Measurement:
    """Probe once (restarting the server after a timeout), warm up, then run the load."""
    result = Measurement(server.kind.name, case.name, case.cls)
    try:
        return measured(server, case, opts, result)
    finally:
        result.load_average = round(os.getloadavg()[0], 2)


def measured(server: Server, case: Case, opts: Options, result: Measurement) -> Measurement:
    first = case.variants[0]
    if first in server.timed_out:
        return timed_out(result, opts.timeout)
    probe = send(server.port, case, first, server.kind.path, timeout=opts.timeout)
    result.probe_seconds, result.probe_status, result.rows = probe.seconds, probe.status, probe.rows
    if probe.status is None:
        server.timed_out.add(first)
        server.restart()  # it may still be computing: start afresh for the next case
        return timed_out(result, opts.timeout)
    if probe.status != 200:
        result.errors, result.note = 1, f"probe answered HTTP {probe.status}"
        return result
    seconds = run_length(server.kind, probe.seconds, opts)
    if seconds is None:
        result.at_least_seconds = probe.seconds
        result.note = f"one alone took {probe.seconds:.1f} s: too slow for a run"
        return result
    load(server, case, probe, seconds, opts, result)
    return result


def run_length(kind: ServerKind, probe_seconds: float, opts: Options) -> float | None:
    """How long to load a server; None when not even one round of answers would come.

    A slow server shares one core among the requests it holds, so its first answers come after
    about ``clients`` times one request alone: its run lasts two such rounds, within
    ``--slow-seconds`` and ``SLOW_STRETCH`` times that.
    """
    if not kind.slow:
        return opts.seconds
    longest = opts.slow_seconds * SLOW_STRETCH
    one_round = probe_seconds * opts.clients
    if one_round >= longest:
        return None
    return min(max(opts.slow_seconds, 2 * one_round), longest)


def load(
    server: Server, case: Case, probe: Reply, seconds: float, opts: Options, result: Measurement
) -> None:
    """Warm up and run wrk, then wait for the server to be through its queue."""
    extra = {"If-None-Match": probe.etag} if case.revalidate and probe.etag else {}
    script = wrk_script(case, server.port, server.kind.path, extra)
    clients, timeout = opts.clients, opts.timeout
    if opts.warmup and not server.kind.slow:
        run_wrk(script, server.port, clients=clients, seconds=opts.warmup, timeout=timeout)
    measured = run_wrk(script, server.port, clients=clients, seconds=seconds, timeout=timeout)
    result.requests, result.seconds = measured.requests, measured.seconds
    result.errors, result.timeouts = measured.errors, measured.timeouts
    if measured.requests:
        result.rps, result.p50_ms, result.p99_ms = measured.rps, measured.p50_ms, measured.p99_ms
    else:
        result.at_least_seconds = probe.seconds
        result.note = f"none finished in {seconds:.0f} s; one alone took {probe.seconds:.1f} s"
    # Requests wrk left behind may still be running (rdflib-endpoint does not stop them).
    if not server.answers(timeout=max(30.0, probe.seconds * clients * 2)):
        result.note = "still busy after the run: restarted"
        server.restart()


def timed_out(result: Measurement, after: float) -> Measurement:
    result.timeouts, result.at_least_seconds = 1, after
    result.note = f"timed out after {after:g} s"
    return result


def bench_server(
    kind: ServerKind, ctx: Context, mix: list[Query], opts: Options, starts: list[dict[str, Any]]
) -> list[Measurement]:
    """Every case on one server; its start-up times go to ``starts`` (ours: the first start
    builds its data folder, the second opens it)."""
    distinct, repeated = cases_of(mix)
    if kind.cacheless_env is not None:
        phases = [(kind.cacheless_env, distinct), ({}, repeated)]
    else:
        phases = [({}, distinct + repeated)]
    results: list[Measurement] = []
    for env, cases in phases:
        with serving(kind, ctx, env) as server:
            starts.append({"server": kind.name, "seconds": round(server.start_seconds, 2)})
            for case in cases:
                result = measure(server, case, opts)
                print(f"  {kind.name:16} {case.name:28} {describe(result)}", file=sys.stderr)
                results.append(result)
    return results


def describe(m: Measurement) -> str:
    if m.rps is None:
        return m.note
    p50, p99 = m.p50_ms or 0.0, m.p99_ms or 0.0
    return f"{m.rps:9.1f} req/s  p50 {p50:8.2f} ms  p99 {p99:8.2f} ms  errors {m.errors}"


# --- setup -----------------------------------------------------------------------------------


def size_label(triples: int) -> str:
    """
    >>> size_label(100_000), size_label(1_000_000), size_label(12_345)
    ('100k', '1M', '12345')
    """
    for unit, label in ((1_000_000, "M"), (1000, "k")):
        if triples % unit == 0:
            return f"{triples // unit}{label}"
    return str(triples)


def ensure_data(triples: int, seed: int) -> Path:
    """The generated data folder for this size, generated if missing."""
    out = BENCH / "data" / size_label(triples)
    manifest = out / "manifest.json"
    if manifest.exists():
        known = json.loads(manifest.read_text())
        from generate import GENERATOR  # bench/ is the script's folder

        if (known["target_triples"], known["seed"], known.get("generator")) == (
            triples,
            seed,
            GENERATOR,
        ):
            return out
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, str(BENCH / "generate.py"), f"--triples={triples}"]
    subprocess.run([*command, f"--out={out}", f"--seed={seed}"], check=True)
    return out


def ensure_reference_servers() -> None:
    """Install Oxigraph server and rdflib-endpoint into bench/.venv-ref if missing."""
    if all((REF_VENV / "bin" / tool).exists() for tool in ("oxigraph", "rdflib-endpoint")):
        return
    subprocess.run([sys.executable, "-m", "venv", str(REF_VENV)], check=True)
    pip = [str(REF_VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, *REF_PACKAGES], check=True)


def machine() -> dict[str, Any]:
    """CPU, cores, memory, OS, and the versions of everything measured."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    cpu = re.search(r"^model name\s*:\s*(.*)$", cpuinfo, re.M)
    mem = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.M)
    return {
        "cpu": cpu.group(1) if cpu else platform.processor(),
        "cores": os.cpu_count(),
        "memory_gib": round(int(mem.group(1)) / 2**20, 1) if mem else None,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": versions(sys.executable, ("scidip-graph", "pyoxigraph", "flask", "gunicorn")),
        "reference_packages": versions(
            str(REF_VENV / "bin" / "python"), ("oxigraph", "rdflib-endpoint", "rdflib", "uvicorn")
        ),
        "wrk": wrk_version(),
    }


def versions(python: str, packages: tuple[str, ...]) -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json, sys\n"
        "print(json.dumps({p: m.version(p) for p in sys.argv[1:]}))"
    )
    out = subprocess.run([python, "-c", code, *packages], capture_output=True, text=True)
    return dict(json.loads(out.stdout)) if out.returncode == 0 else {}


def wrk_version() -> str:
    out = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    return (out.stdout or out.stderr).split(" Copyright")[0].strip()


# --- the report ------------------------------------------------------------------------------


def newest_results() -> list[dict[str, Any]]:
    """The newest complete run (every server, every query) of each data size, smallest first."""
    newest: dict[str, dict[str, Any]] = {}
    for path in sorted(RESULTS.glob("*.json")):
        run = json.loads(path.read_text())
        if isinstance(run, dict) and "size" in run and run.get("complete"):  # not bench_*.py's
            newest[run["size"]] = run
    return sorted(newest.values(), key=lambda run: run["triples"])


def ratio(
    ours: dict[str, Any] | None, other: dict[str, Any] | None, target: float
) -> tuple[str, bool | None]:
    """``ours / other`` against the target, and whether it is met (None: nothing to compare).

    When the other server has no throughput, the bound it gives makes a lower bound of the
    ratio (see ``Measurement``).
    """
    if ours is None or other is None or not ours.get("rps"):
        return "n/a", None
    if other["at_least_seconds"]:  # one request's work at a time: under 1 / that a second
        bound = ours["rps"] * other["at_least_seconds"]
        shown = f"{bound:,.0f}" if bound >= 10 else f"{bound:.2f}"
        return f"> {shown}x (≥ {target:g}x: {met(bound >= target)})", bound >= target
    if not other["rps"]:
        return "n/a", None
    value = ours["rps"] / other["rps"]
    return f"{value:,.2f}x (≥ {target:g}x: {met(value >= target)})", value >= target


def met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def rps_cell(m: dict[str, Any] | None) -> str:
    if m is None:
        return "-"
    if m["rps"] is None:
        return (
            f"< {1 / m['at_least_seconds']:.2g} ({m['note']})"
            if m["at_least_seconds"]
            else m["note"]
        )
    text = f"{m['rps']:,.1f}"
    if m["errors"] or m["timeouts"]:
        text += f" ({m['errors']} errors, {m['timeouts']} timeouts)"
    return text


def latency_cell(m: dict[str, Any] | None) -> str:
    if m is None or m["p50_ms"] is None:
        return "-"
    return f"{m['p50_ms']:,.2f} / {m['p99_ms']:,.2f}"


def conditions(run: dict[str, Any]) -> str:
    o = run["options"]
    slow = f"{o['slow_seconds']:g}-{o['slow_seconds'] * SLOW_STRETCH:g} s"
    return (
        f"{run['date']}. {o['seconds']:g} s of load per query after a {o['warmup']:g} s warm-up "
        f"(rdflib-endpoint: no warm-up, {slow}, two rounds of answers); client timeout "
        f"{o['timeout']:g} s; ours with {o['workers']} workers, its result cache off except for "
        f"the repeated heavy query. {circumstances(run)}Rerun: `{run['command']}`"
    )


def circumstances(run: dict[str, Any]) -> str:
    """The servers' start-up times and the machine's load during the run (older runs: "")."""
    starts: dict[str, list[float]] = {}
    for start in run.get("starts", []):
        starts.setdefault(start["server"], []).append(start["seconds"])
    parts = []
    if ours := starts.get("ours"):
        opened = f", {ours[1]:g} s opening it" if len(ours) > 1 else ""
        parts.append(f"ours started in {ours[0]:g} s building its data folder{opened}")
    if oxigraph := starts.get("oxigraph"):
        parts.append(f"Oxigraph server in {oxigraph[0]:g} s (start, then POST of the N-Quads)")
    loads = [m["load_average"] for m in run["results"] if m.get("load_average") is not None]
    if loads:
        parts.append(f"load average (1 min) {min(loads):.1f}-{max(loads):.1f} during the run")
    said = "; ".join(parts) + ". " if parts else ""
    said = said[:1].upper() + said[1:]  # not str.capitalize, which lowers the rest
    for name, why in run.get("not_run", {}).items():
        said += f"{name} was not run at this size: {why}. "
    return said


def size_section(run: dict[str, Any]) -> list[str]:
    by = {(m["server"], m["case"]): m for m in run["results"]}
    cases = list(dict.fromkeys(m["case"] for m in run["results"]))
    classes = {m["case"]: m["cls"] for m in run["results"]}
    table = [
        "| query | class | ours req/s | Oxigraph req/s | rdflib-endpoint req/s "
        "| ours / Oxigraph | ours / rdflib-endpoint |",
        "| --- | --- | ---: | ---: | ---: | --- | --- |",
    ]
    missed, judged = [], 0
    for case in cases:
        ours, ox, rdf = (by.get((s, case)) for s in SERVERS)
        vs_ox = ratio(ours, ox, TARGET_VS_OXIGRAPH.get(classes[case], 0.9))
        vs_rdf = ratio(ours, rdf, TARGET_VS_RDFLIB) if classes[case] != "repeated" else ("-", None)
        for (_, ok), who in ((vs_ox, "Oxigraph"), (vs_rdf, "rdflib-endpoint")):
            judged += ok is not None
            if ok is False:
                missed.append(f"{case} vs {who}")
        table.append(
            f"| {case} | {classes[case]} | {rps_cell(ours)} | {rps_cell(ox)} | {rps_cell(rdf)} "
            f"| {vs_ox[0]} | {vs_rdf[0]} |"
        )
    summary = f"Targets met: {judged - len(missed)} of {judged}."
    if missed:
        summary += " Not met: " + "; ".join(missed) + "."
    return [
        f"## {run['size']} triples ({run['quads']:,} quads), {run['options']['clients']} clients",
        "",
        conditions(run),
        "",
        summary,
        "",
        *table,
        "",
        *latency_table(by, cases),
        "",
    ]


def latency_table(by: dict[tuple[str, str], dict[str, Any]], cases: list[str]) -> list[str]:
    lines = [
        "Latency p50 / p99 in ms, and the rows each server returned for the first variant "
        "(they should agree):",
        "",
        "| query | ours | Oxigraph | rdflib-endpoint | rows (ours, Oxigraph, rdflib-endpoint) "
        "| load average after each |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for case in cases:
        ms = [by.get((s, case)) for s in SERVERS]
        rows = ", ".join("-" if m is None or m["rows"] is None else str(m["rows"]) for m in ms)
        loads = ", ".join(
            "-" if m is None or m.get("load_average") is None else f"{m['load_average']:.1f}"
            for m in ms
        )
        cells = " | ".join(latency_cell(m) for m in ms)
        lines.append(f"| {case} | {cells} | {rows} | {loads} |")
    return lines


def kept_size_sections(measured: set[str]) -> list[tuple[int, list[str]]]:
    """The size sections of the current BENCHMARKS.md whose raw results are not here (another
    machine's ``bench/results``, which git ignores): kept as they are, each with its date."""
    if not REPORT.exists():
        return []
    kept = []
    text = REPORT.read_text(encoding="utf-8")
    for match in re.finditer(r"^## (\d+)(k|M) triples .*?(?=^## )", text, re.M | re.S):
        size = match[1] + match[2]
        if size not in measured:
            triples = int(match[1]) * (1000 if match[2] == "k" else 1_000_000)
            kept.append((triples, [*match[0].rstrip("\n").split("\n"), ""]))
    return kept


def write_report(runs: list[dict[str, Any]]) -> None:
    if not runs:
        return
    m = runs[-1]["machine"]
    packages = ", ".join(
        f"{k} {v}" for k, v in {**m["packages"], **m["reference_packages"]}.items()
    )
    lines = [
        "# Benchmarks",
        "",
        "Written by `bench/run.py` (see bench/README.md for what it does and how to read it). "
        "Each size below was measured in one run, the three servers one after the other on "
        "the same machine and data. Throughput is successful requests per second; the ratios "
        "are ours / theirs, against the targets: light queries ≥ 0.5x Oxigraph, medium and "
        "heavy ≥ 0.9x, the repeated heavy query ≥ 10x (result cache / 304), and ≥ 10x "
        "rdflib-endpoint on every query. A query's class is what it costs the engine at 100k "
        "triples; on smaller data every query is cheap and the web layer weighs more.",
        "",
        "## Machine",
        "",
        f"- CPU: {m['cpu']}, {m['cores']} cores; memory {m['memory_gib']} GiB; {m['os']}",
        f"- Python {m['python']}; {packages}",
        f"- load generator: {m['wrk']}, one thread",
        "",
    ]
    kept = kept_size_sections({run["size"] for run in runs})
    for _triples, section in sorted(
        [(run["triples"], size_section(run)) for run in runs] + kept, key=lambda pair: pair[0]
    ):
        lines += section
    # The reading by hand; the JSON-LD writers; the SHACL gate.
    for extra in (
        ANALYSIS,
        KEEPALIVE_SECTION,
        HEAVY_SECTION,
        JSONLD_SECTION,
        GATE_SECTION,
        LOAD_SECTION,
        WRITE_SECTION,
        SEARCH_SECTION,
        RECONCILE_SECTION,
        MEMORY_SECTION,
        REMOTE_SECTION,
    ):
        if extra.exists():
            lines += ["", extra.read_text(encoding="utf-8").rstrip()]
    REPORT.write_text("\n".join(lines) + "\n")


# --- main ------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--triples", type=int, default=100_000, help="data size (default 100000)")
    add("--clients", type=int, default=8, help="concurrent connections (default 8)")
    add("--seconds", type=float, default=10, help="load per query and server (default 10)")
    add("--slow-seconds", type=float, default=5, help="rdflib-endpoint's shortest run (default 5)")
    add("--warmup", type=float, default=2, help="warm-up per query (default 2; 0: none)")
    add("--timeout", type=float, default=30, help="client timeout of a probe (default 30)")
    add("--workers", type=int, default=os.cpu_count() or 2, help="our server's workers")
    add(
        "--servers",
        default="",
        help="comma-separated, of: " + ", ".join(SERVERS) + " (default: "
        "each that runs at this size)",
    )
    add("--queries", default="", help="comma-separated query names (default: all)")
    add("--seed", type=int, default=42, help="data generator seed (default 42)")
    add("--ours-command", default=OURS_COMMAND, help="our server's command line template")
    add("--report", action="store_true", help="only rewrite BENCHMARKS.md from bench/results")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.report:
        write_report(newest_results())
        return 0
    if shutil.which("wrk") is None:
        print("wrk is needed: apt-get install -y wrk", file=sys.stderr)
        return 2
    applicable = servers_for(args.triples)
    args.servers = args.servers or ",".join(applicable)
    unknown = set(args.servers.split(",")) - set(SERVERS)
    if unknown:
        print(f"unknown servers {sorted(unknown)}; known: {', '.join(SERVERS)}", file=sys.stderr)
        return 2
    data = ensure_data(args.triples, args.seed)
    ensure_reference_servers()
    manifest = json.loads((data / "manifest.json").read_text())
    mix = load_mix(manifest["samples"], [q for q in args.queries.split(",") if q])
    RESULTS.mkdir(exist_ok=True)
    ctx = Context(data, args.workers, RESULTS / "logs", args.ours_command)
    ctx.logs.mkdir(exist_ok=True)
    opts = Options(args.clients, args.seconds, args.slow_seconds, args.warmup, args.timeout)
    started = datetime.now(UTC)
    results = []
    starts: list[dict[str, Any]] = []
    for name in args.servers.split(","):
        print(f"{name}:", file=sys.stderr)
        results += bench_server(SERVERS[name], ctx, mix, opts, starts)
    run = {
        "size": size_label(args.triples),
        "triples": args.triples,
        "quads": manifest["triples"],
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "complete": args.servers == ",".join(applicable) and not args.queries,
        "not_run": {n: SERVERS[n].why_not for n in SERVERS if n not in applicable},
        "command": shlex.join(["python", "bench/run.py", *(argv or sys.argv[1:])]),
        "options": asdict(opts) | {"workers": args.workers},
        "machine": machine(),
        "results": [asdict(r) for r in results],
        "starts": starts,
    }
    stamp = started.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"{run['size']}-{stamp}.json").write_text(json.dumps(run, indent=2) + "\n")
    write_report(newest_results())
    print(f"wrote {REPORT.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
