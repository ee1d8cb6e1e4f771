"""Light queries with and without keep-alive, side by side with Oxigraph server, interleaved.

Usage: ``python bench/bench_keepalive.py [--triples 100000] [--rounds 3] [--seconds 5]``

The machine is shared, so one server after the other would compare loads as much as servers:
here the three are up at once and measured in turns (ours with keep-alive, ours closing every
connection after its answer as gunicorn's sync worker did, Oxigraph server), ``--rounds``
times, each turn ``--seconds`` of wrk with ``--clients`` keep-alive connections on one query of
``bench/queries/``; a turn's figure is kept with the load average after it. The median of the
rounds is reported. Raw results go to ``bench/results/keepalive-{time}.json`` and the table to
``bench/keepalive.md`` (a section of BENCHMARKS.md). Tests never time anything.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
SECTION = BENCH / "keepalive.md"
SERVED = {
    "ours, keep-alive": ("ours", {}),
    "ours, closing (as before)": ("ours", {"SCIDIP_KEEPALIVE_SECONDS": "0"}),
    "Oxigraph server": ("oxigraph", {}),
}


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
    mix = load_mix(manifest["samples"], args.queries.split(","))
    ctx = Context(folder, args.workers, RESULTS / "logs", OURS_COMMAND)
    ctx.logs.mkdir(parents=True, exist_ok=True)
    figures: list[dict[str, Any]] = []
    with contextlib.ExitStack() as stack:
        servers = {}
        for label, (kind, env) in SERVED.items():
            # Each of ours gets a data folder of its own (Context.state is per context).
            own = Context(folder, args.workers, ctx.logs, OURS_COMMAND)
            cache_off = SERVERS[kind].cacheless_env or {}
            servers[label] = stack.enter_context(serving(SERVERS[kind], own, cache_off | env))
        for query in mix:
            case = Case(query.name, query.cls, query.variants, query.accept)
            for round_ in range(args.rounds):
                for label, server in servers.items():
                    script = wrk_script(case, server.port, server.kind.path, {})
                    load = run_wrk(
                        script, server.port, clients=args.clients, seconds=args.seconds, timeout=30
                    )
                    figure = {
                        "query": query.name,
                        "server": label,
                        "round": round_,
                        "rps": round(load.rps, 1),
                        "p50_ms": load.p50_ms,
                        "p99_ms": load.p99_ms,
                        "errors": load.errors + load.bad_status + load.timeouts,
                        "load_average": round(os.getloadavg()[0], 2),
                    }
                    print(json.dumps(figure), file=sys.stderr)
                    figures.append(figure)
    return {
        "triples": manifest["triples"],
        "clients": args.clients,
        "workers": args.workers,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "figures": figures,
    }


def section(run: dict[str, Any], *, when: str, command: str) -> str:
    rows = []
    for query in dict.fromkeys(f["query"] for f in run["figures"]):
        by = {}
        for label in SERVED:
            mine = [f for f in run["figures"] if f["query"] == query and f["server"] == label]
            by[label] = (
                statistics.median(f["rps"] for f in mine),
                statistics.median(f["p99_ms"] or 0.0 for f in mine),
                [f["load_average"] for f in mine],
            )
        oxigraph = by["Oxigraph server"][0]
        for label, (rps, p99, loads) in by.items():
            share = f"{rps / oxigraph:.2f}x" if oxigraph else "-"
            load = ", ".join(f"{x:.1f}" for x in loads)
            rows.append(f"| {query} | {label} | {rps:,.0f} | {share} | {p99:,.1f} | {load} |")
    return "\n".join(
        [
            "## Keep-alive: light queries",
            "",
            f"Written by `bench/bench_keepalive.py` on {when}. Rerun: `{command}`. The three "
            f"servers up at once on the generated graph of {run['triples']:,} quads, measured in "
            f"turns, {run['rounds']} rounds of {run['seconds']:g} s of wrk with "
            f"{run['clients']} keep-alive connections each; ours with {run['workers']} workers "
            "and its result cache off. Medians of the rounds; the load average (1 min) after "
            "each turn.",
            "",
            "| query | server | req/s | of Oxigraph's | p99 ms | load average |",
            "| --- | --- | ---: | ---: | ---: | --- |",
            *rows,
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--triples", type=int, default=100_000, help="data size (default 100000)")
    add("--queries", default="lookup,construct", help="query names (default lookup,construct)")
    add("--rounds", type=int, default=3, help="turns per server and query (default 3)")
    add("--seconds", type=float, default=5, help="seconds of load per turn (default 5)")
    add("--clients", type=int, default=8, help="keep-alive connections (default 8)")
    add("--workers", type=int, default=os.cpu_count() or 2, help="our server's workers")
    args = parser.parse_args(argv)
    started = datetime.now(UTC)
    run = measure(args)
    RESULTS.mkdir(exist_ok=True)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"keepalive-{stamp}.json").write_text(json.dumps(run, indent=2) + "\n")
    command = " ".join(["python", "bench/bench_keepalive.py", *(argv or sys.argv[1:])])
    text = section(run, when=started.strftime("%Y-%m-%d %H:%M UTC"), command=command)
    SECTION.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
