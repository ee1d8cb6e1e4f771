"""The server's memory per triple, and its start-up, side by side with Oxigraph server's.

Usage: ``python bench/bench_memory.py [--triples 100000 1000000] [--workers 2] [--writes 20]``

For each size, the generated graph (``bench/generate.py``, as ``bench/run.py`` serves it; 10M
is generated on first use, never in tests), one server at a time:

- **ours** (``scidip-graph serve``, pre-forked workers): started on a fresh data folder (cold:
  parse, snapshot, change log), then a few queries per worker, then ``--writes`` writes
  (``INSERT DATA`` of one example each, ``bench/bench_write.py``'s) and a few queries so every
  worker has applied them; then started again on the data folder it made (warm);
- **Oxigraph server** in memory: started, then the N-Quads POSTed to it.

Memory is the proportional set size (PSS, ``/proc/PID/smaps_rollup``) of the server's whole
process tree: pages the workers share copy-on-write with the master count once, split among
them; RSS (which counts shared pages once per process) is kept too. The load average is kept
with every figure. Raw results go to ``bench/results/memory-{time}.json`` and the section to
``bench/memory.md`` (a section of BENCHMARKS.md). Tests never time anything.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
SECTION = BENCH / "memory.md"
GIB = 2**30


def tree(pid: int) -> list[int]:
    """A process and all its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                todo += [int(p) for p in (task / "children").read_text().split()]
            except OSError:
                continue
    return found


def memory(pid: int) -> dict[str, int]:
    """PSS and RSS in bytes of a process tree, and how many processes it has."""
    pss = rss = 0
    pids = tree(pid)
    for each in pids:
        try:
            text = Path(f"/proc/{each}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in text.splitlines():
            name, _, value = line.partition(":")
            if name in ("Pss", "Rss"):
                kib = int(value.split()[0]) * 1024
                pss += kib if name == "Pss" else 0
                rss += kib if name == "Rss" else 0
    return {"pss": pss, "rss": rss, "processes": len(pids)}


def snapshot(pid: int, what: str) -> dict[str, Any]:
    time.sleep(1.0)  # freed memory returned, workers settled
    figure = {"what": what, **memory(pid), "load_average": round(os.getloadavg()[0], 2)}
    print(json.dumps(figure), file=sys.stderr)
    return figure


def queries(port: int, path: str, mix: list[Any], rounds: int) -> None:
    """Each query of the mix ``rounds`` times (enough for every worker to meet each)."""
    from run import Case, send

    for query in mix:
        case = Case(query.name, query.cls, query.variants, query.accept)
        for i in range(rounds):
            send(port, case, query.variants[i % len(query.variants)], path, timeout=120)


def measure_size(triples: int, args: argparse.Namespace) -> dict[str, Any]:
    from bench_write import TOKEN, example, links_of, write
    from run import OURS_COMMAND, SERVERS, Context, ensure_data, load_mix, serving

    folder = ensure_data(triples, 42)
    manifest = json.loads((folder / "manifest.json").read_text())
    mix = load_mix(manifest["samples"], ["lookup", "construct", "aggregation", "label-search"])
    ctx = Context(folder, args.workers, RESULTS / "logs", OURS_COMMAND)
    ctx.logs.mkdir(parents=True, exist_ok=True)
    ours: dict[str, Any] = {"figures": []}
    env = {"SCIDIP_WRITE_TOKEN": TOKEN, "SCIDIP_CACHE_BYTES": "0"}
    with serving(SERVERS["ours"], ctx, env) as server:
        assert server.proc is not None
        ours["cold_start_s"] = round(server.start_seconds, 2)
        ours["figures"].append(snapshot(server.proc.pid, "started (cold)"))
        queries(server.port, "/sparql", mix, 4 * args.workers)
        ours["figures"].append(snapshot(server.proc.pid, "after queries"))
        links = links_of(manifest)
        for n in range(args.writes):
            _, status, answer = write(server.port, example(n, links))
            if status != 200:
                raise RuntimeError(f"write {n} answered {status}: {json.dumps(answer)[:500]}")
        queries(server.port, "/sparql", mix, 4 * args.workers)
        ours["figures"].append(snapshot(server.proc.pid, f"after {args.writes} writes"))
    with serving(SERVERS["ours"], ctx, env) as server:  # the same data folder: warm
        assert server.proc is not None
        ours["warm_start_s"] = round(server.start_seconds, 2)
        ours["figures"].append(snapshot(server.proc.pid, "started (its data folder)"))
    oxigraph: dict[str, Any] = {"figures": []}
    with serving(SERVERS["oxigraph"], ctx, {}) as server:
        assert server.proc is not None
        oxigraph["start_s"] = round(server.start_seconds, 2)
        oxigraph["figures"].append(snapshot(server.proc.pid, "started and loaded"))
        queries(server.port, "/query", mix, 4 * args.workers)
        oxigraph["figures"].append(snapshot(server.proc.pid, "after queries"))
    return {"triples": triples, "quads": manifest["triples"], "ours": ours, "oxigraph": oxigraph}


def section(runs: list[dict[str, Any]], *, when: str, command: str, workers: int) -> str:
    rows = []
    for run in runs:
        quads = run["quads"]
        size = (
            f"{run['triples'] // 1000:,}k"
            if run["triples"] < 10**6
            else f"{run['triples'] // 10**6}M"
        )
        ox_pss = run["oxigraph"]["figures"][0]["pss"]
        for who, data in (("ours", run["ours"]), ("Oxigraph server", run["oxigraph"])):
            for f in data["figures"]:
                rows.append(
                    f"| {size} | {who} | {f['what']} | {f['pss'] / 2**20:,.0f} | "
                    f"{f['rss'] / 2**20:,.0f} | {f['pss'] / quads:,.0f} | "
                    f"{f['pss'] / ox_pss:.2f}x | {f['load_average']:.1f} |"
                )
    starts = "; ".join(
        f"{run['quads']:,} quads: ours {run['ours']['cold_start_s']:g} s cold, "
        f"{run['ours']['warm_start_s']:g} s on its data folder; Oxigraph server "
        f"{run['oxigraph']['start_s']:g} s (start and POST)"
        for run in runs
    )
    largest = runs[-1]
    after = largest["ours"]["figures"][-2]["pss"] / largest["quads"]  # after the writes
    holds = int((24 * GIB * 0.8) / after / 10**6)
    return "\n".join(
        [
            "## Memory",
            "",
            f"Written by `bench/bench_memory.py` on {when}. Rerun: `{command}`. One server at "
            f"a time on the generated graph; ours with {workers} workers. PSS (proportional set "
            "size) of the server's whole process tree, from `/proc/PID/smaps_rollup`: a page "
            "the workers share with the master counts once; RSS counts it once per process.",
            "",
            "| size | server | when | PSS MiB | RSS MiB | PSS bytes per quad | PSS / Oxigraph's "
            "| load average |",
            "| --- | --- | --- | ---: | ---: | ---: | ---: | --- |",
            *rows,
            "",
            f"Start-up: {starts}.",
            "",
            f"**Served, on this machine (24 GiB):** at {after:,.0f} bytes per quad (ours at "
            f"{largest['quads']:,} quads after writes), 80% of the memory holds about {holds:,} "
            "million quads; the rest is for the queries' memory budget and the system. This "
            "counts the server once it serves, not the peak of building its data folder from "
            "the source files, which this script does not sample and which can set a lower "
            "limit (bench/analysis.md).",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--triples", type=int, nargs="+", default=[100_000, 1_000_000], help="data sizes")
    add("--workers", type=int, default=os.cpu_count() or 2, help="our server's workers")
    add("--writes", type=int, default=20, help="writes between the measures (default 20)")
    args = parser.parse_args(argv)
    from run import ensure_reference_servers

    ensure_reference_servers()
    started = datetime.now(UTC)
    runs = [measure_size(triples, args) for triples in sorted(args.triples)]
    RESULTS.mkdir(exist_ok=True)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"memory-{stamp}.json").write_text(json.dumps(runs, indent=2) + "\n")
    command = " ".join(["python", "bench/bench_memory.py", *(argv or sys.argv[1:])])
    when = started.strftime("%Y-%m-%d %H:%M UTC")
    text = section(runs, when=when, command=command, workers=args.workers)
    SECTION.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
