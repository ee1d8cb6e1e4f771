"""Adding one example through the write path, end to end over HTTP, on the generated graph.

Usage: ``python bench/bench_write.py [--triples 1000000] [--writes 60] [--workers 2] [--no-full]``

A real server (``scidip-graph serve``, pre-forked workers, a fresh data folder, the write token
in ``SCIDIP_WRITE_TOKEN``) serves the generated graph of ``--triples`` (``bench/generate.py``,
the data ``bench/run.py`` serves). Each write is one ``POST /update`` (``INSERT DATA``, a bearer
token) of one new example, about 20 triples under IRIs of its own each time: the example of
``bench/bench_gate.py`` (an ``sd:Example`` with its names, description, outcome, categories,
two existing organisations, three existing countries, a start year and a source, and a dated
membership of one of the countries in one of the organisations). Each write
is timed by the client from opening the connection to the last byte of the answer (the server
closes the connection after each answer), one after the other, after a few warm-up writes: it
goes through the token, the change read without the engine, the SHACL gate on the live store,
the change log's commit in SQLite (``synchronous=FULL``) and the ``dct:modified`` stamps.

For comparison, **full pyshacl**: the same would-be state validated whole, as a write path
without the gate would have to (the quads copied into rdflib, then
:func:`scidip_graph.ingest.validation.validate`), once, in this process (``--no-full`` skips it:
minutes at a million triples).

Results go to ``bench/results/write-{time}.json``; the section "Writes" of BENCHMARKS.md (kept in
``bench/write.md``) is rewritten with the table. Tests never time anything.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scidip_graph.namespaces import PREFIXES, prefix_declarations

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
SECTION = BENCH / "write.md"
HEADING = "## Writes"
HOST = "127.0.0.1"
TOKEN = "bench-write-token"
EDITORIAL = "https://w3id.org/scidip/graph/editorial"


@dataclass
class Measurement:
    triples: int
    quads: int
    workers: int
    writes: int
    example_triples: int
    start_s: float
    median_ms: float
    p95_ms: float
    best_ms: float
    worst_ms: float
    full_convert_s: float | None = None
    full_validate_s: float | None = None
    full_results: int | None = None
    load_average: float | None = None


def example(n: int, links: dict[str, str]) -> str:
    """The update adding example ``n``: bench/bench_gate.py's example, under IRIs of its own."""
    from bench_gate import EXAMPLE  # bench/ is the script's folder

    data = EXAMPLE.replace("gate-bench", f"write-bench-{n}").format(**links)
    prologue = prefix_declarations(PREFIXES, sparql=True)
    return f"{prologue}INSERT DATA {{ GRAPH <{EDITORIAL}> {{{data}}} }}\n"


def links_of(manifest: dict[str, Any]) -> dict[str, str]:
    orgs, countries = manifest["samples"]["organization"], manifest["samples"]["country"]
    links = {"org1": orgs[0], "org2": orgs[1]}
    links |= {f"country{i + 1}": countries[i] for i in range(3)}
    links["source"] = "https://w3id.org/scidip/id/source/bench-source-1"  # as generated
    return links


def request(
    port: int, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=600)
    try:
        conn.request(method, path, body=body or None, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def write(port: int, text: str) -> tuple[float, int, dict[str, Any]]:
    headers = {
        "Content-Type": "application/sparql-update",
        "Authorization": f"Bearer {TOKEN}",
    }
    started = time.perf_counter()
    status, body = request(port, "POST", "/update", text.encode(), headers)
    return time.perf_counter() - started, status, json.loads(body)


def full_validation(folder: Path, text: str) -> tuple[float, float, int]:
    """Seconds to copy the would-be state into rdflib and to validate it whole; its results."""
    import pyoxigraph as ox

    from scidip_graph.ingest.loading import load_sources, quads_to_rdflib
    from scidip_graph.ingest.validation import validate

    quads = load_sources(sorted((folder / "trig").glob("*.trig"))).quads
    store = ox.Store()
    store.extend(quads)
    store.update(text)
    started = time.perf_counter()
    dataset = quads_to_rdflib(store)
    converted = time.perf_counter()
    report = validate(dataset)
    return converted - started, time.perf_counter() - converted, len(report.results)


def measure(args: argparse.Namespace) -> Measurement:
    from run import OURS_COMMAND, SERVERS, Context, ensure_data, serving

    folder = ensure_data(args.triples, 42)
    manifest = json.loads((folder / "manifest.json").read_text())
    links = links_of(manifest)
    # bench/run.py's server: `scidip-graph serve`, a fresh data folder, ready once it answers.
    ctx = Context(folder, args.workers, RESULTS / "logs", OURS_COMMAND)
    started = time.monotonic()
    with serving(SERVERS["ours"], ctx, {"SCIDIP_WRITE_TOKEN": TOKEN}) as server:
        start_s = time.monotonic() - started
        status, body = request(server.port, "GET", "/-/health")
        quads = json.loads(body)["store"]["quads"]
        times, added = [], 0
        for n in range(args.warmup + args.writes):
            seconds, status, answer = write(server.port, example(n, links))
            if status != 200:
                raise RuntimeError(f"write {n} answered {status}: {json.dumps(answer)[:2000]}")
            if n >= args.warmup:
                times.append(seconds)
                added = answer["added"]
    ms = sorted(t * 1000 for t in times)
    m = Measurement(
        triples=manifest["triples"],
        quads=quads,
        workers=args.workers,
        writes=len(ms),
        example_triples=added,
        start_s=start_s,
        median_ms=statistics.median(ms),
        p95_ms=statistics.quantiles(ms, n=20)[-1],
        best_ms=ms[0],
        worst_ms=ms[-1],
    )
    if args.full:
        print("full pyshacl validation of the would-be state...", file=sys.stderr)
        m.full_convert_s, m.full_validate_s, m.full_results = full_validation(
            folder, example(0, links)
        )
    m.load_average = os.getloadavg()[0]
    return m


def report_section(m: Measurement, *, when: str, command: str) -> str:
    from importlib.metadata import version

    packages = ", ".join(f"{n} {version(n)}" for n in ("pyshacl", "rdflib", "pyoxigraph"))
    if m.full_convert_s is not None and m.full_validate_s is not None:
        full_s = m.full_convert_s + m.full_validate_s
        full = (
            f"{full_s:,.1f} s ({m.full_convert_s:,.1f} s copying into rdflib + "
            f"{m.full_validate_s:,.1f} s validating; {m.full_results} results)"
        )
        ratio = f"{full_s * 1000 / m.median_ms:,.0f}x the write's median"
    else:
        full, ratio = "not run (`--no-full`)", "-"
    target = "met" if m.median_ms <= 50 else "not met"
    return "\n".join(
        [
            HEADING,
            "",
            f"Written by `bench/bench_write.py` on {when} ({os.cpu_count()} cores, Python "
            f"{platform.python_version()}; {packages}; load average {m.load_average:.1f} at the "
            f"end). Rerun: `{command}`. A real server (`scidip-graph serve`, {m.workers} "
            f"workers) on the generated graph of {m.triples:,} triples ({m.quads:,} quads, "
            f"started in {m.start_s:,.0f} s); {m.writes} writes one after the other, each one "
            f"new example of {m.example_triples} triples (an `sd:Example` linked to two "
            "existing organisations and three existing countries, and a dated membership) by "
            "`INSERT DATA` with a bearer token to `/update`, timed by the client from the "
            "connection to the last byte of the answer: the token, the change read without the "
            "engine (`sparql/quad_data.py`), the SHACL gate on the live store, the commit to "
            "the SQLite change log (`synchronous=FULL`) and the `dct:modified` stamps.",
            "",
            "| data | writes | median ms | p95 ms | best / worst ms | target (median <= 50 ms) "
            "| full pyshacl of the same would-be state | |",
            "| --- | ---: | ---: | ---: | ---: | --- | --- | --- |",
            f"| generated, {m.triples:,} triples | {m.writes} | {m.median_ms:,.1f} "
            f"| {m.p95_ms:,.1f} | {m.best_ms:,.1f} / {m.worst_ms:,.1f} | {target} | {full} "
            f"| {ratio} |",
            "",
            "Before the change read without the engine, every write ran on a scratch copy of "
            "the whole dataset (about 7 microseconds a quad: some 7 s a write at this size); "
            "updates other than `INSERT DATA`/`DELETE DATA` still do. What is left grows little "
            "with the data: reading the change takes about a millisecond, most of a write "
            "is the SHACL gate (pyshacl on the few nodes in scope), then the commit (SQLite's "
            "fsync, the changeset applied); the server's access log has each write's time "
            "without the client's part. The machine is shared: with other work on it (the load "
            "average above), the median moves by tens of milliseconds from run to run; the "
            "best write shows the path alone. The full validation is what a write path without "
            "the incremental gate (`ingest/gate.py`) would pay on every write.",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="generated graph size")
    parser.add_argument("--writes", type=int, default=60, help="timed writes")
    parser.add_argument("--warmup", type=int, default=3, help="writes before the timed ones")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="workers")
    parser.add_argument("--no-full", dest="full", action="store_false", help="skip pyshacl")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(BENCH))
    m = measure(args)
    print(json.dumps(asdict(m)), file=sys.stderr)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"write-{stamp}.json").write_text(json.dumps(asdict(m), indent=2))
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = "python bench/bench_write.py " + " ".join(argv if argv is not None else sys.argv[1:])
    section = report_section(m, when=when, command=command.strip())
    from bench_jsonld import write_section  # bench/ is the script's folder

    write_section(section, heading=HEADING, keep=SECTION)
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
