"""Light queries while heavy ones run: p99 latency alone and beside two heavy probes.

Usage: ``python bench/bench_heavy.py [--triples 100000] [--seconds 10] [--rounds 2]``

Most traffic is light (lookups, resource pages), and a server is only as good as its light
answers while someone runs a query that takes every core it is given. For each server in turn
(ours: ``scidip-graph serve`` with its default workers and its result cache off; Oxigraph
server, in memory), on the generated graph of ``--triples``:

- **alone**: ``--seconds`` of wrk with ``--clients`` keep-alive connections on a light query
  of ``bench/queries/`` (``--light``, lookup by default);
- **beside two heavy probes**: the same, while two clients each send a heavy probe: a
  cartesian product (``?a ?b ?c . ?d ?e ?f . ?g ?h ?i``, counted: it would run for hours) and
  a path explosion (``(<p>|!<p>)*`` between any two nodes, counted). Both are sent 2 s before
  wrk starts and outlast it: ours turns them heavy after ``SCIDIP_HEAVY_AFTER`` (low CPU
  priority, one heavy slot, the second answered 503 at once) and stops them at its time limit
  (30 s by default); Oxigraph server has no limit and runs them until the server is restarted
  after the measure (both servers are, alike). A probe answered early is sent again.

``--rounds`` times each, alternating. Reported: requests per second and p50/p99 of the light
query (wrk's), what the probes got (status counts), the CPU time the server's processes used
meanwhile, and the ratio of p99 beside the probes to p99 alone. Target (issue 12): at most 3x.
Raw results go to ``bench/results/heavy-{time}.json`` and the table to ``bench/heavy.md`` (a
section of BENCHMARKS.md). Tests never time anything.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import statistics
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
SECTION = BENCH / "heavy.md"
PROBES = {
    "cartesian": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "path explosion": "SELECT (COUNT(*) AS ?n) WHERE { ?a (<http://schema.org/name>|"
    "!<http://schema.org/name>)* ?b }",
}
TARGET = 3.0


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of a process and its live children (Linux)."""
    from bench_memory import tree

    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    for each in tree(pid):
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    return total


class Probe(threading.Thread):
    """A client sending one heavy query over and over, one at a time, until stopped."""

    def __init__(self, port: int, path: str, query: str, timeout: float) -> None:
        super().__init__(daemon=True)
        self.port, self.path, self.query, self.timeout = port, path, query, timeout
        self.outcomes: Counter[str] = Counter()
        self.stopping = threading.Event()

    def run(self) -> None:
        target = f"{self.path}?query={urllib.parse.quote(self.query)}"
        while not self.stopping.is_set():
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            try:
                conn.request("GET", target, headers={"Accept": "application/sparql-results+json"})
                response = conn.getresponse()
                response.read()
                self.outcomes[str(response.status)] += 1
            except TimeoutError:
                self.outcomes["client timeout"] += 1
            except OSError as err:
                self.outcomes[type(err).__name__] += 1
                time.sleep(0.2)
            finally:
                conn.close()


@contextlib.contextmanager
def probing(port: int, path: str, timeout: float) -> Iterator[list[Probe]]:
    probes = [Probe(port, path, query, timeout) for query in PROBES.values()]
    for probe in probes:
        probe.start()
    time.sleep(2.0)  # under way, past the point where ours calls them heavy (1 s by default)
    try:
        yield probes
    finally:
        for probe in probes:
            probe.stopping.set()


def measure(args: argparse.Namespace) -> dict[str, Any]:
    from run import (
        OURS_COMMAND,
        SERVERS,
        Case,
        Context,
        ensure_data,
        ensure_reference_servers,
        load_mix,
        run_wrk,
        serving,
        wrk_script,
    )

    folder = ensure_data(args.triples, 42)
    ensure_reference_servers()
    manifest = json.loads((folder / "manifest.json").read_text())
    (light,) = load_mix(manifest["samples"], [args.light])
    case = Case(light.name, light.cls, light.variants, light.accept)
    figures: list[dict[str, Any]] = []
    for name in ("ours", "oxigraph"):
        kind = SERVERS[name]
        ctx = Context(folder, args.workers, RESULTS / "logs", OURS_COMMAND)
        ctx.logs.mkdir(parents=True, exist_ok=True)
        env = kind.cacheless_env or {}
        with serving(kind, ctx, env) as server:
            assert server.proc is not None
            script = wrk_script(case, server.port, kind.path, {})
            run_wrk(script, server.port, clients=args.clients, seconds=2, timeout=30)  # warm-up
            for round_ in range(args.rounds):
                for beside in (False, True):
                    with contextlib.ExitStack() as stack:
                        probes = []
                        if beside:
                            probes = stack.enter_context(
                                probing(server.port, kind.path, args.timeout)
                            )
                        cpu = cpu_seconds(server.proc.pid)
                        load = run_wrk(
                            script,
                            server.port,
                            clients=args.clients,
                            seconds=args.seconds,
                            timeout=30,
                        )
                        cpu = cpu_seconds(server.proc.pid) - cpu
                    outcomes = sum((p.outcomes for p in probes), Counter())
                    figure = {
                        "server": "ours" if name == "ours" else "Oxigraph server",
                        "beside_heavy": beside,
                        "round": round_,
                        "rps": load.rps,
                        "p50_ms": load.p50_ms,
                        "p99_ms": load.p99_ms,
                        "errors": load.errors + load.bad_status + load.timeouts,
                        "probes": dict(outcomes),
                        "server_cpu_s": round(cpu, 1),
                        "load_average": round(os.getloadavg()[0], 2),
                    }
                    print(json.dumps(figure), file=sys.stderr)
                    figures.append(figure)
                    if beside:
                        # Oxigraph server goes on with a query its client gave up on: start
                        # afresh (both, alike) so that the next measure has the cores to itself.
                        server.restart()
                        run_wrk(script, server.port, clients=args.clients, seconds=2, timeout=30)
    return {
        "triples": manifest["triples"],
        "light": args.light,
        "clients": args.clients,
        "workers": args.workers,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "figures": figures,
    }


def section(run: dict[str, Any], *, when: str, command: str) -> str:
    rows, verdicts = [], []
    for server in ("ours", "Oxigraph server"):
        p99 = {}
        for beside in (False, True):
            mine = [
                f for f in run["figures"] if f["server"] == server and f["beside_heavy"] == beside
            ]
            p99[beside] = statistics.median(f["p99_ms"] or 0.0 for f in mine)
            probes: Counter[str] = Counter()
            for f in mine:
                probes.update(f["probes"])
            got = ", ".join(f"{n} {what}" for what, n in sorted(probes.items())) or "-"
            loads = ", ".join(f"{f['load_average']:.1f}" for f in mine)
            rows.append(
                f"| {server} | {'beside two heavy probes' if beside else 'alone'} | "
                f"{statistics.median(f['rps'] for f in mine):,.0f} | "
                f"{statistics.median(f['p50_ms'] or 0.0 for f in mine):,.1f} | "
                f"{p99[beside]:,.1f} | {sum(f['errors'] for f in mine)} | {got} | "
                f"{statistics.median(f['server_cpu_s'] for f in mine):g} | {loads} |"
            )
        ratio = p99[True] / p99[False] if p99[False] else float("inf")
        met = "met" if ratio <= TARGET else "**not met**"
        target = f" (≤ {TARGET:g}x: {met})" if server == "ours" else ""
        verdicts.append(f"{server}: {ratio:.2f}x{target}")
    from scidip_graph.settings import default_workers

    workers = run["workers"] or default_workers("embedded")
    return "\n".join(
        [
            "## Light queries beside heavy ones",
            "",
            f"Written by `bench/bench_heavy.py` on {when}. Rerun: `{command}`. One server at a "
            f"time on the generated graph of {run['triples']:,} quads: {run['seconds']:g} s of "
            f"wrk with {run['clients']} keep-alive connections on the {run['light']} query, "
            "alone and while two clients each send a heavy probe (a cartesian product and a "
            "path explosion, both counted: neither would end within hours), sent 2 s before "
            "wrk starts, "
            f"{run['rounds']} rounds, medians, each server restarted after each measure "
            f"beside the probes. Ours: {workers} workers, result cache off, its default time "
            "limit (30 s) and heavy-query handling; Oxigraph server has no time limit. "
            "Probes got: the answers the probes' clients received (a probe answered early is "
            "sent again; ours answers the second heavy one 503 while one holds the heavy slot). "
            "Server CPU: "
            "seconds of CPU its processes used during the wrk run (2 cores: at most "
            f"{2 * run['seconds']:g}).",
            "",
            "| server | light query | req/s | p50 ms | p99 ms | errors | probes got "
            "| server CPU s | load average |",
            "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | --- |",
            *rows,
            "",
            "p99 beside the probes / p99 alone: " + "; ".join(verdicts) + ".",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--triples", type=int, default=100_000, help="data size (default 100000)")
    add("--light", default="lookup", help="the light query's name (default lookup)")
    add("--rounds", type=int, default=2, help="rounds of alone / beside (default 2)")
    add("--seconds", type=float, default=10, help="seconds of wrk per measure (default 10)")
    add("--clients", type=int, default=8, help="keep-alive connections (default 8)")
    add("--workers", type=int, default=0, help="our server's workers (0, the default: its own)")
    add("--timeout", type=float, default=60, help="a probe's client timeout, s (default 60)")
    args = parser.parse_args(argv)
    started = datetime.now(UTC)
    run = measure(args)
    RESULTS.mkdir(exist_ok=True)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"heavy-{stamp}.json").write_text(json.dumps(run, indent=2) + "\n")
    command = " ".join(["python", "bench/bench_heavy.py", *(argv or sys.argv[1:])])
    text = section(run, when=started.strftime("%Y-%m-%d %H:%M UTC"), command=command)
    SECTION.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
