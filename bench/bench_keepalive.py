"""Light queries on the candidate HTTP fronts, side by side with Oxigraph server, interleaved.

Usage: ``python bench/bench_keepalive.py [--triples 100000] [--rounds 3] [--seconds 5]``

The same app (:func:`~scidip_graph.server.prefork.build_app`, as ``scidip-graph serve`` builds
it: the same store, policy, query runner and heavy-query slots; ``bench/fronts.py``) behind each
front the keep-alive issue named as a candidate:

- ours: gunicorn's master and :class:`~scidip_graph.server.worker.PatientWorker` (its own
  event loop, keep-alive, the hand-over of kept connections): ``scidip-graph serve`` itself;
- ours closing every connection after its answer, as gunicorn's sync worker did;
- granian (Rust: HTTP parsing, keep-alive and the connections in native code; one blocking
  thread per worker runs the app; a worker stopped for an overrun is respawned);
- gunicorn's gthread worker (keep-alive in a Python event loop, the app on a thread pool);

and Oxigraph server, the ceiling. The machine is shared, so one server after the other would
compare loads as much as servers: here they are all up at once and measured in turns,
``--rounds`` times, each turn ``--seconds`` of wrk with ``--clients`` keep-alive connections on
one query of ``bench/queries/``; a turn's figure is kept with the load average after it. The
median of the rounds is reported.

Then the hard time limit, which any front must keep: for each front in turn,
``--overrun-seconds`` of wrk on the first query while a client sends the two heavy probes of
``bench/bench_heavy.py`` (a cartesian product and a path explosion, counted), a pair after the
other. Every front runs the app with a query time limit of ``--limit`` seconds, so each pair ends
in a refusal or an overrun, and an overrun in its worker being stopped (pyoxigraph cannot cancel
a query). Reported: the light query's throughput and latency meanwhile, the light requests
that failed (a connection cut, no answer), and what the probes got.

The fronts serve the data folder ``scidip-graph serve`` built (opened, not built again). Raw
results go to ``bench/results/keepalive-{time}.json`` and the tables to ``bench/keepalive.md``
(a section of BENCHMARKS.md). Tests never time anything. granian is not a dependency of the
project: ``pip install -e .[bench]`` installs it.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import importlib.util
import json
import os
import statistics
import sys
import threading
import time
import urllib.parse
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
SECTION = BENCH / "keepalive.md"
GRANIAN = (
    "granian --interface wsgi --host {host} --port {port} --workers {workers} "
    "--blocking-threads 1 --respawn-failed-workers --respawn-interval 0.1 --log-level warning "
    "--factory fronts:granian_app"
)
GTHREAD = (
    "gunicorn --worker-class gthread --threads 4 --workers {workers} --bind {host}:{port} "
    "--preload --keep-alive 5 fronts:app()"
)
OXIGRAPH = "Oxigraph server"
SERVED: dict[str, tuple[str, dict[str, str], str | None]] = {
    # label: (server kind, extra environment, our app's command line; None: the kind's own)
    "ours (scidip-graph serve)": ("ours", {}, None),
    "ours, closing every connection": ("ours", {"SCIDIP_KEEPALIVE_SECONDS": "0"}, None),
    "granian, 1 blocking thread a worker": ("ours", {"PYTHONPATH": str(BENCH)}, GRANIAN),
    "gunicorn gthread, 4 threads a worker": ("ours", {"PYTHONPATH": str(BENCH)}, GTHREAD),
    OXIGRAPH: ("oxigraph", {}, None),
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
    logs = RESULTS / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    limit = {"SCIDIP_QUERY_TIMEOUT": f"{args.limit:g}"}
    figures: list[dict[str, Any]] = []
    overruns: list[dict[str, Any]] = []
    with contextlib.ExitStack() as stack:
        servers = {}
        built: Context | None = None  # the first of ours, whose data folder the fronts open
        for label, (kind, env, command) in SERVED.items():
            if command is None:
                # Each `scidip-graph serve` gets a data folder of its own.
                own = Context(folder, args.workers, logs, OURS_COMMAND)
                built = built or own
            else:
                # A front's workers may each open the store: on a folder already built, so
                # that none of them builds it while another reads it.
                assert built is not None, "scidip-graph serve starts before the fronts"
                own = Context(folder, args.workers, logs, command, state=built.state)
            cache_off = SERVERS[kind].cacheless_env or {}
            ours = limit if kind == "ours" else {}
            servers[label] = stack.enter_context(
                serving(SERVERS[kind], own, cache_off | ours | env)
            )
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
        light = next(q for q in mix if q.name == args.queries.split(",")[0])
        case = Case(light.name, light.cls, light.variants, light.accept)
        for label, server in servers.items():
            if label == OXIGRAPH:
                continue  # no time limit: its probes would run until it is stopped
            script = wrk_script(case, server.port, server.kind.path, {})
            pairs = max(1, int((args.overrun_seconds - 1) // (args.limit + 0.5)))
            with probing(server.port, server.kind.path, pairs) as probes:
                load = run_wrk(
                    script, server.port, clients=args.clients, seconds=args.overrun_seconds,
                    timeout=30,
                )  # fmt: skip
            figure = {
                "query": case.name,
                "server": label,
                "rps": round(load.rps, 1),
                "p50_ms": load.p50_ms,
                "p99_ms": load.p99_ms,
                "failed": load.errors,
                "bad_status": load.bad_status,
                "timeouts": load.timeouts,
                "requests": load.requests,
                "probes": dict(probes),
                "load_average": round(os.getloadavg()[0], 2),
            }
            print(json.dumps(figure), file=sys.stderr)
            overruns.append(figure)
    return {
        "triples": manifest["triples"],
        "clients": args.clients,
        "workers": args.workers,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "limit": args.limit,
        "overrun_seconds": args.overrun_seconds,
        "figures": figures,
        "overruns": overruns,
    }


@contextlib.contextmanager
def probing(port: int, path: str, pairs: int) -> Any:
    """While the block runs, send the heavy probes of bench_heavy.py, both at once, ``pairs``
    times one pair after the other; yields the count of what they got (status, or the error of
    a connection cut), complete once the block has ended and the last pair returned."""
    from bench_heavy import PROBES
    from run import HOST

    got: Counter[str] = Counter()
    lock = threading.Lock()

    def send(query: str) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=120)
        try:
            conn.request("GET", f"{path}?{urllib.parse.urlencode({'query': query})}")
            answer = conn.getresponse()
            answer.read()
            outcome = str(answer.status)
        except OSError as err:
            outcome = type(err).__name__
        finally:
            conn.close()
        with lock:
            got[outcome] += 1

    def send_pairs() -> None:
        for _ in range(pairs):
            threads = [threading.Thread(target=send, args=(q,)) for q in PROBES.values()]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            time.sleep(0.2)  # a stopped worker's replacement comes up

    sender = threading.Thread(target=send_pairs)
    sender.start()
    try:
        yield got
    finally:
        sender.join()


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
        oxigraph = by[OXIGRAPH][0]
        for label, (rps, p99, loads) in by.items():
            share = f"{rps / oxigraph:.2f}x" if oxigraph else "-"
            load = ", ".join(f"{x:.1f}" for x in loads)
            rows.append(f"| {query} | {label} | {rps:,.0f} | {share} | {p99:,.1f} | {load} |")
    overrun_rows = []
    for f in run["overruns"]:
        got = ", ".join(f"{n} {what}" for what, n in sorted(f["probes"].items())) or "-"
        p50 = f"{f['p50_ms']:,.1f}" if f["p50_ms"] is not None else "-"
        p99 = f"{f['p99_ms']:,.1f}" if f["p99_ms"] is not None else "-"
        overrun_rows.append(
            f"| {f['server']} | {f['rps']:,.0f} | {p50} | {p99} | "
            f"{f['failed'] + f['timeouts']:,} of {f['requests'] + f['failed']:,} | "
            f"{f['bad_status']:,} | {got} | {f['load_average']:.1f} |"
        )
    first = run["overruns"][0]["query"] if run["overruns"] else "-"
    return "\n".join(
        [
            "## Keep-alive: light queries",
            "",
            f"Written by `bench/bench_keepalive.py` on {when}. Rerun: `{command}`. The same "
            "app (`build_app`, as `scidip-graph serve` builds it: the same store, policy, query "
            "runner and heavy-query slots; `bench/fronts.py`) behind each candidate front, and "
            "Oxigraph server, all up at once on the generated graph of "
            f"{run['triples']:,} quads, measured in turns, {run['rounds']} rounds of "
            f"{run['seconds']:g} s of wrk with {run['clients']} keep-alive connections each; "
            f"each front with {run['workers']} workers and the app's result cache off. "
            "Medians of the rounds; the load average (1 min) after each turn.",
            "",
            "| query | server | req/s | of Oxigraph's | p99 ms | load average |",
            "| --- | --- | ---: | ---: | ---: | --- |",
            *rows,
            "",
            f"The hard time limit on each front: {run['overrun_seconds']:g} s of wrk on {first} "
            f"({run['clients']} keep-alive connections) while a client sends the two heavy "
            "probes of `bench/bench_heavy.py` (a cartesian product and a path explosion, "
            "counted), both at once, one pair after the other; the app's query time limit "
            f"{run['limit']:g} s, so each pair ends in a refusal or an overrun, and an overrun in "
            "its worker being stopped. Failed: light requests without an answer (the "
            "connection cut, or no answer within wrk's 30 s), of all sent.",
            "",
            "| front | light req/s | p50 ms | p99 ms | light requests failed "
            "| light answers not 200 | probes got | load average |",
            "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |",
            *overrun_rows,
            "",
            decision(run),
        ]
    )


def decision(run: dict[str, Any]) -> str:
    """Which front to serve with: the fastest at light queries of those that keep the hard time
    limit (no light request cut, every probe answered), and why not the others."""
    ours = next(iter(SERVED))

    def rps(label: str, query: str) -> float:
        mine = [f["rps"] for f in run["figures"] if f["server"] == label and f["query"] == query]
        return statistics.median(mine)

    queries = list(dict.fromkeys(f["query"] for f in run["figures"]))
    overrun = {f["server"]: f for f in run["overruns"]}

    def keeps_limit(label: str) -> bool:
        f = overrun[label]
        cut = sum(n for what, n in f["probes"].items() if not what.isdigit())
        return f["failed"] + f["timeouts"] == 0 and cut == 0

    def speed(label: str) -> str:
        ratios = [rps(label, q) / rps(ours, q) for q in queries]
        vs_ox = [rps(label, q) / rps(OXIGRAPH, q) for q in queries]
        return (
            f"{min(ratios):.2f}-{max(ratios):.2f}x ours, "
            f"{min(vs_ox):.2f}-{max(vs_ox):.2f}x Oxigraph server"
        )

    fronts = [label for label in SERVED if label in overrun]
    keeping = [label for label in fronts if keeps_limit(label)]
    best = max(keeping, key=lambda label: sum(rps(label, q) for q in queries), default=None)
    lines = [f"**Decision: {'keep ' + best if best else 'none of these keeps the limit'}.**"]
    for label in fronts:
        f = overrun[label]
        cut = sum(n for what, n in f["probes"].items() if not what.isdigit())
        limit = (
            "keeps the limit (no light request cut, every probe answered)"
            if keeps_limit(label)
            else f"cut {f['failed'] + f['timeouts']} light requests and left {cut} of "
            f"{sum(f['probes'].values())} probes without an answer when queries were stopped"
        )
        lines.append(f"- {label}: light queries at {speed(label)}; {limit}.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--triples", type=int, default=100_000, help="data size (default 100000)")
    add("--queries", default="lookup,construct", help="query names (default lookup,construct)")
    add("--rounds", type=int, default=3, help="turns per server and query (default 3)")
    add("--seconds", type=float, default=5, help="seconds of load per turn (default 5)")
    add("--clients", type=int, default=8, help="keep-alive connections (default 8)")
    add("--workers", type=int, default=os.cpu_count() or 2, help="each front's workers")
    add("--limit", type=float, default=3, help="the app's query time limit, s (default 3)")
    add("--overrun-seconds", type=float, default=12, help="the overrun turn's wrk (default 12)")
    add("--report", default="", help="only rewrite the section from this results file")
    args = parser.parse_args(argv)
    if args.report:
        run = json.loads(Path(args.report).read_text())
    else:
        if importlib.util.find_spec("granian") is None:
            print("granian is needed: pip install -e .[bench]", file=sys.stderr)
            return 2
        started = datetime.now(UTC)
        run = measure(args)
        run["date"] = started.strftime("%Y-%m-%d %H:%M UTC")
        run["command"] = " ".join(["python", "bench/bench_keepalive.py", *(argv or sys.argv[1:])])
        RESULTS.mkdir(exist_ok=True)
        stamp = started.strftime("%Y%m%d-%H%M%S")
        (RESULTS / f"keepalive-{stamp}.json").write_text(json.dumps(run, indent=2) + "\n")
    text = section(run, when=run["date"], command=run["command"])
    SECTION.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
