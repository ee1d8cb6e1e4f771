"""Our app on remote SPARQL stores, side by side with the bare stores and the embedded store.

Usage: ``python bench/bench_remote.py [--triples 100000] [--seconds 10] [--clients 8]``

One run, on the generated data of ``bench/generate.py`` and the query mix of ``bench/run.py``
(its probe, warm-up and wrk load, reused as they are; result cache off):

1. our app on the embedded store (``scidip-graph serve``, as ``bench/run.py`` starts it);
2. for each remote store (Oxigraph server on disk, Virtuoso 7; both started on loopback by
   ``tests/remote_stores.py``, as the tests start them): the store started empty, our app
   started on it (``SCIDIP_STORE=sparql``; its first start loads the data into the store),
   then for each query a measure of the bare store thrown away (it fills the store's caches:
   ``--no-warm-store`` skips it), then our app and the bare store back to back, ``--rounds``
   times (3 by default), who goes first alternating, so that each ratio compares the two
   under the same load of the machine and the same state of the store's caches, and the
   median of the rounds' ratios is not one run's noise. The bare store is asked the same
   query with the dataset our app asks for (``default-graph-uri`` the union graph our app keeps
   in the store): the ratio is what our app costs on top of its store.

Raw results go to ``bench/results/remote-{time}.json`` and the tables to ``bench/remote.md``,
the "Remote stores" section of BENCHMARKS.md (replaced there in place; ``bench/run.py`` keeps
it when it rewrites the file). Tests never time anything.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import shlex
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
SECTION = BENCH / "remote.md"
REPORT = ROOT / "BENCHMARKS.md"
TITLE = "## Remote stores"
TARGET = {"medium": 0.8, "heavy": 0.8}
"""Our app on a store / that bare store, per query class (light queries: reported only)."""

sys.path.insert(0, str(ROOT))  # tests/remote_stores.py starts the stores as the tests do

from bench_heavy import cpu_seconds  # noqa: E402
from run import (  # noqa: E402  (bench/ is the script's folder)
    OURS_COMMAND,
    SERVERS,
    Case,
    Context,
    Measurement,
    Options,
    Server,
    ServerKind,
    cases_of,
    describe,
    ensure_data,
    load_mix,
    machine,
    measure,
    ours_command,
    ours_env,
    serving,
    size_label,
)

from scidip_graph.store.remote import UNION  # noqa: E402
from tests.remote_stores import (  # noqa: E402
    OxigraphServer,
    StoreServer,
    VirtuosoServer,
    virtuoso_missing,
)

STORES: dict[str, type[StoreServer]] = {
    "Oxigraph server": OxigraphServer,
    "Virtuoso": VirtuosoServer,
}


class BareStore(Server):
    """A store the fixture started, measured as ``bench/run.py`` measures a server: it is
    neither started nor stopped here, and a "restart" after a timeout waits for it to answer."""

    def __init__(self, label: str, store: StoreServer, ctx: Context) -> None:
        url = store.query_url
        path = url.split("/", 3)[3]
        kind = ServerKind(
            label, lambda port, ctx: [], f"/{path}?default-graph-uri={quote(UNION.value, safe='')}"
        )
        super().__init__(kind, ctx, {})
        self.port = int(url.split("/")[2].rsplit(":", 1)[1])
        self.proc = store.process

    def start(self, *, ready_timeout: float = 900) -> None:
        if not self.answers(ready_timeout):
            raise RuntimeError(f"{self.kind.name} does not answer")

    def stop(self) -> None:
        """The fixture stops the store."""

    def restart(self) -> None:
        self.start(ready_timeout=600)


def ours_on(label: str, store: StoreServer) -> ServerKind:
    """Our app on a remote store, result cache off."""

    def env(ctx: Context) -> dict[str, str]:
        return ours_env(ctx) | store.environment() | {"SCIDIP_CACHE_BYTES": "0"}

    return ServerKind(label, ours_command, "/sparql", env=env)


@contextlib.contextmanager
def running(kind: type[StoreServer], folder: Path) -> Iterator[StoreServer]:
    store = kind(folder)
    try:
        yield store
    finally:
        store.stop()


def bench(args: argparse.Namespace) -> dict[str, Any]:
    data = ensure_data(args.triples, args.seed)
    manifest = json.loads((data / "manifest.json").read_text())
    mix = load_mix(manifest["samples"], [q for q in args.queries.split(",") if q])
    cases, _ = cases_of(mix)
    opts = Options(args.clients, args.seconds, args.seconds, args.warmup, args.timeout)
    logs = RESULTS / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    results: list[dict[str, Any]] = []
    starts: dict[str, float] = {}

    def note(m: Measurement, round_: int = 0, cpu: dict[str, float] | None = None) -> None:
        print(f"  {m.server:28} {m.case:16} {round_} {describe(m)}", file=sys.stderr)
        results.append(asdict(m) | {"round": round_} | ({"cpu": cpu} if cpu else {}))

    def measured(
        server: Server, case: Case, store: StoreServer, app: Server
    ) -> tuple[Measurement, dict[str, float]]:
        """A measure, and the CPU seconds our app's processes and the store's used meanwhile
        (warm-up and probe included), with the measure's wall time."""
        pids = {"app": app.proc.pid, "store": store.process.pid}  # type: ignore[union-attr]
        before = {who: cpu_seconds(pid) for who, pid in pids.items()}
        started = time.monotonic()
        m = measure(server, case, opts)
        cpu = {who: cpu_seconds(pid) - before[who] for who, pid in pids.items()}
        return m, cpu | {"wall": time.monotonic() - started}

    embedded = Context(data, args.workers, logs, OURS_COMMAND)
    kind = SERVERS["ours"]
    cacheless = ServerKind("ours, embedded", kind.command, kind.path, env=kind.env)
    with serving(cacheless, embedded, kind.cacheless_env or {}) as server:
        starts[cacheless.name] = round(server.start_seconds, 1)
        for case in cases:
            note(measure(server, case, opts))
    skipped = {}
    for name, store_kind in STORES.items():
        if args.stores and name not in args.stores.split(","):
            skipped[name] = "not asked for (`--stores`)"
            continue
        if store_kind is VirtuosoServer and (why := virtuoso_missing()):
            skipped[name] = why
            continue
        ctx = Context(data, args.workers, logs, OURS_COMMAND)
        started = time.monotonic()
        with running(store_kind, ctx.state / "store") as store:
            starts[name] = round(time.monotonic() - started, 1)
            ours = ours_on(f"ours on {name}", store)
            with serving(ours, ctx, {}) as app:
                # the first start loads the data into the empty store through our app
                starts[ours.name] = round(app.start_seconds, 1)
                bare = BareStore(f"bare {name}", store, ctx)
                bare.start()
                for case in cases:
                    if args.warm_store:
                        # The store's caches (an on-disk store's blocks, the page cache) fill
                        # as a query first reads its part of the data: at 1M on Oxigraph
                        # server, label search ran at 3.3 req/s cold and 7.6 warm, and
                        # whoever went first paid for it. One measure, thrown away.
                        measure(bare, case, opts)
                    for round_ in range(args.rounds):  # back to back, round after round
                        # Who goes first alternates: what is left of a drift, both pay.
                        pair = (app, bare) if round_ % 2 == 0 else (bare, app)
                        for server in pair:
                            m, cpu = measured(server, case, store, app)
                            note(m, round_, cpu)
    return {
        "size": size_label(args.triples),
        "triples": args.triples,
        "quads": manifest["triples"],
        "options": asdict(opts)
        | {
            "workers": args.workers,
            "rounds": args.rounds,
            "warm_store": args.warm_store,
            "alternate": True,
        },
        "starts": starts,
        "skipped": skipped,
        "machine": machine(),
        "results": results,
    }


# --- the report ------------------------------------------------------------------------------


def cell(m: dict[str, Any] | None) -> str:
    if m is None:
        return "-"
    if m["rps"] is None:
        return m["note"] or "-"
    text = f"{m['rps']:,.1f}"
    if m["errors"] or m["timeouts"]:
        text += f" ({m['errors']} errors, {m['timeouts']} timeouts)"
    return text


def by_server_and_case(results: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Each server's measurements of a case, rounds taken together: the median throughput and
    latencies, failures summed, and the ratios of our app to the bare store of each round."""
    rounds: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for m in results:
        rounds.setdefault((m["server"], m["case"]), []).append(m)
    merged = {}
    for key, ms in rounds.items():
        answered = [m for m in ms if m["rps"] is not None]
        one = dict(answered[len(answered) // 2] if answered else ms[0])
        for field in ("rps", "p50_ms", "p99_ms"):
            values = [m[field] for m in answered if m[field] is not None]
            one[field] = statistics.median(values) if values else None
        one["errors"] = sum(m["errors"] for m in ms)
        one["timeouts"] = sum(m["timeouts"] for m in ms)
        one["rounds"] = ms
        merged[key] = one
    return merged


def ratio(ours: dict[str, Any] | None, bare: dict[str, Any] | None, cls: str) -> str:
    """Our app / the bare store: the median of the rounds' ratios (each pair measured back to
    back), with their range when there were several."""
    if not (ours and bare and ours["rps"] and bare["rps"]):
        return "n/a"
    pairs = {m.get("round", 0): m["rps"] for m in ours["rounds"] if m["rps"]}
    ratios = [
        pairs[m.get("round", 0)] / m["rps"]
        for m in bare["rounds"]
        if m["rps"] and m.get("round", 0) in pairs
    ]
    value = statistics.median(ratios) if ratios else ours["rps"] / bare["rps"]
    spread = f" ({min(ratios):.2f}-{max(ratios):.2f})" if len(ratios) > 1 else ""
    target = TARGET.get(cls)
    if target is None:
        return f"{value:.2f}x{spread}"
    verdict = "met" if value >= target else "**not met**"
    return f"{value:.2f}x{spread} (≥ {target:g}x: {verdict})"


def cpu_lines(run: dict[str, Any]) -> list[str]:
    """Where the CPU went, when the run recorded it: per answer, our app's processes and the
    store's, medians of the rounds. The machine's two cores are shared by the store, our app
    and wrk: when the store needs both, every millisecond our app spends is one it does not."""
    rows = []
    for case in dict.fromkeys(m["case"] for m in run["results"]):
        for store in STORES:
            cells = []
            for who, server in (("app", f"ours on {store}"), ("store", f"ours on {store}"),
                                ("store", f"bare {store}")):  # fmt: skip
                per = [
                    1000 * m["cpu"][who] / (m["rps"] * m["cpu"]["wall"])
                    for m in run["results"]
                    if m["server"] == server and m["case"] == case and m.get("cpu") and m["rps"]
                ]
                cells.append(f"{statistics.median(per):,.1f}" if per else "-")
            if cells != ["-"] * 3:
                rows.append(f"| {case} | {store} | " + " | ".join(cells) + " |")
    if not rows:
        return []
    return [
        "",
        "CPU per answer in ms (the processes' user and system time over the whole measure, "
        "warm-up included, divided by the answers at the measured rate; medians of the rounds):",
        "",
        "| query | store | our app | the store, under our app | the store, bare |",
        "| --- | --- | ---: | ---: | ---: |",
        *rows,
    ]


def also_section(runs: list[dict[str, Any]]) -> list[str]:
    """Other runs (the same stores with more workers, say): ours / bare per query and store."""
    lines: list[str] = []
    for run in runs:
        by = by_server_and_case(run["results"])
        cases = list(dict.fromkeys(m["case"] for m in run["results"]))
        classes = {m["case"]: m["cls"] for m in run["results"]}
        stores = [s for s in STORES if s not in run["skipped"]]
        loads = [m["load_average"] for m in run["results"] if m.get("load_average") is not None]
        o = run["options"]
        rounds = rounds_text(
            o.get("rounds", 1), warm=o.get("warm_store", False), alternate=o.get("alternate", False)
        )
        lines += [
            "",
            f"Another run ({run['date']}; load average {min(loads):.1f}-{max(loads):.1f}; rerun: "
            f"`{run['command']}`): our app with {workers_text(o['workers'])}, {o['seconds']:g} s "
            f"of wrk per query and server. {rounds}Ours / bare:",
            "",
            "| query | class | "
            + " | ".join(f"ours on {s} req/s | ours / bare" for s in stores)
            + " |",
            "| --- | --- |" + " ---: | ---: |" * len(stores),
        ]
        for case in cases:
            cells = []
            for s in stores:
                ours, bare = by.get((f"ours on {s}", case)), by.get((f"bare {s}", case))
                cells += [cell(ours), ratio(ours, bare, classes[case])]
            lines.append(f"| {case} | {classes[case]} | " + " | ".join(cells) + " |")
        lines += cpu_lines(run)
    return lines


def section(
    run: dict[str, Any], *, when: str, command: str, also: Sequence[dict[str, Any]] = ()
) -> str:
    by = by_server_and_case(run["results"])
    cases = list(dict.fromkeys(m["case"] for m in run["results"]))
    classes = {m["case"]: m["cls"] for m in run["results"]}
    stores = [s for s in STORES if s not in run["skipped"]]
    head = ["query", "class", "ours, embedded"]
    for s in stores:
        head += [f"ours on {s}", f"bare {s}", "ours / bare"]
    table = ["| " + " | ".join(head) + " |", "| --- | --- |" + " ---: |" * (len(head) - 2)]
    latency = [
        "| query | " + " | ".join(["ours, embedded"] + [f"{w} {s}" for s in stores
                                                         for w in ("ours on", "bare")]) + " |",
        "| --- |" + " --- |" * (1 + 2 * len(stores)),
    ]  # fmt: skip
    missed, judged = [], 0
    for case in cases:
        cls = classes[case]
        row = [case, cls, cell(by.get(("ours, embedded", case)))]
        lat = [case, lat_cell(by.get(("ours, embedded", case)))]
        for s in stores:
            ours, bare = by.get((f"ours on {s}", case)), by.get((f"bare {s}", case))
            text = ratio(ours, bare, cls)
            if cls in TARGET and text != "n/a":
                judged += 1
                if "not met" in text:
                    missed.append(f"{case} on {s}")
            row += [cell(ours), cell(bare), text]
            lat += [lat_cell(ours), lat_cell(bare)]
        table.append("| " + " | ".join(row) + " |")
        latency.append("| " + " | ".join(lat) + " |")
    loads = [m["load_average"] for m in run["results"] if m.get("load_average") is not None]
    o, m = run["options"], run["machine"]
    starts = "; ".join(f"{k} {v:g} s" for k, v in run["starts"].items())
    summary = (
        "Targets met (medium and heavy queries, ours ≥ 0.8x the bare store): "
        f"{judged - len(missed)} of {judged}."
    )
    if missed:
        summary += " Not met: " + "; ".join(missed) + "."
    skipped = "".join(f" {k} skipped: {v}." for k, v in run["skipped"].items())
    packages = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    rounds = rounds_text(
        o.get("rounds", 1), warm=o.get("warm_store", False), alternate=o.get("alternate", False)
    )
    return "\n".join(
        [
            TITLE,
            "",
            f"Written by `bench/bench_remote.py` on {when} ({m['cores']} cores, Python "
            f"{m['python']}; {packages}; {virtuoso_version()}). Rerun: `{command}`. "
            f"{run['size']} triples ({run['quads']:,} quads) of `bench/generate.py`, the query "
            f"mix of `bench/run.py` (its probe, {o['warmup']:g} s of warm-up and "
            f"{o['seconds']:g} s of wrk with {o['clients']} keep-alive connections per query "
            f"and server; client timeout {o['timeout']:g} s), result cache off, our app with "
            f"{workers_text(o['workers'])}. {rounds}"
            "Our app on a remote store (`SCIDIP_STORE=sparql`) and that bare store are measured "
            "back to back for each query, the store started on loopback as the tests start it "
            "(`tests/remote_stores.py`: Oxigraph server on disk, `--location`; Virtuoso 7 with "
            "its minimal ini), the bare store asked the same query with the dataset our app asks "
            "for (`default-graph-uri` the union graph our app keeps in the store). "
            f"Start-up: {starts} (our app's first start on an empty store loads the data into "
            f"it).{skipped}",
            "",
            "The machine is shared with other engineers' work (builds and test suites): the load "
            f"average (1 min, 2 cores) was {min(loads):.1f}-{max(loads):.1f} after the runs, so "
            "every figure is lower than on a quiet machine; the ratios, measured back to back, "
            "suffer less than the throughputs.",
            "",
            summary,
            "",
            "Throughput in requests per second:",
            "",
            *table,
            "",
            "Latency p50 / p99 in ms:",
            "",
            *latency,
            *cpu_lines(run),
            "",
            "How to read it: each of our workers holds one query at a time while the store "
            "evaluates it, so with as many workers as cores the store sees at most that many "
            "queries at once, where the bare store gets all the clients' connections: on a "
            "remote store the app starts four workers per core by default (`SCIDIP_WORKERS`; "
            "the table below, when given, has a run with other counts). Light queries pay "
            "what our app adds to every request (the policy, the request to the store, the "
            "answer parsed and written again): no target there. Run-to-run noise on this "
            "shared machine is large: compare ratios, not throughputs, across runs.",
            *also_section(list(also)),
        ]
    )


def rounds_text(rounds: int, *, warm: bool = False, alternate: bool = False) -> str:
    text = (
        "Before the rounds of each query, one measure of the bare store filled the store's "
        "caches and was thrown away. "
        if warm
        else ""
    )
    if rounds <= 1:
        return text
    order = (
        "our app and the bare store back to back, who goes first alternating"
        if alternate
        else "our app then the bare store, back to back"
    )
    return text + (
        f"Each query ran {rounds} rounds of {order}: the tables give the medians of the "
        "rounds, and a ratio is the median of the rounds' ratios, with their range in "
        "brackets. "
    )


def lat_cell(m: dict[str, Any] | None) -> str:
    if m is None or m["p50_ms"] is None:
        return "-"
    return f"{m['p50_ms']:,.1f} / {m['p99_ms']:,.1f}"


def virtuoso_version() -> str:
    import subprocess

    from tests.remote_stores import VIRTUOSO

    if VIRTUOSO is None:
        return "Virtuoso not installed"
    out = subprocess.run([VIRTUOSO, "-?"], capture_output=True, text=True)
    found = re.search(r"Version (\S+)", out.stdout + out.stderr)
    return f"Virtuoso {found.group(1)}" if found else "Virtuoso 7"


def replace_section(text: str) -> None:
    """Put the section into BENCHMARKS.md in place of the old one (or at its end)."""
    report = REPORT.read_text(encoding="utf-8")
    start = report.find(f"\n{TITLE}\n")
    if start < 0:
        REPORT.write_text(report.rstrip("\n") + "\n\n" + text + "\n", encoding="utf-8")
        return
    end = report.find("\n## ", start + 1)
    rest = report[end:] if end >= 0 else "\n"
    REPORT.write_text(report[: start + 1] + text + "\n" + rest, encoding="utf-8")


def workers_text(workers: int) -> str:
    """How many workers our app had: ``--workers``, or the server's default for ``0``."""
    if workers > 0:
        return f"{workers} workers"
    from scidip_graph.settings import default_workers

    return (
        f"its default workers ({default_workers('embedded')} on the embedded store, "
        f"{default_workers('sparql')} on a remote store)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    add("--triples", type=int, default=100_000, help="data size (default 100000)")
    add("--clients", type=int, default=8, help="concurrent connections (default 8)")
    add("--seconds", type=float, default=10, help="load per query and server (default 10)")
    add("--warmup", type=float, default=2, help="warm-up per query (default 2; 0: none)")
    add("--timeout", type=float, default=30, help="client timeout of a probe (default 30)")
    add("--workers", type=int, default=0, help="our app's workers (0, the default: its own)")
    add("--rounds", type=int, default=3, help="ours and bare back to back, rounds (default 3)")
    add(
        "--warm-store",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="one measure of each query on the bare store, thrown away, before its rounds",
    )
    add("--queries", default="", help="comma-separated query names (default: all)")
    add("--stores", default="", help=f"comma-separated, of: {', '.join(STORES)} (default: all)")
    add("--seed", type=int, default=42, help="data generator seed (default 42)")
    add("--report", default="", help="only rewrite the section from this results file")
    add("--also", nargs="*", default=[], help="with --report: more results files, summed up")
    args = parser.parse_args(argv)
    command = shlex.join(["python", "bench/bench_remote.py", *(argv or sys.argv[1:])])
    if args.report:
        run = json.loads(Path(args.report).read_text())
        also = [json.loads(Path(name).read_text()) for name in args.also]
        text = section(run, when=run["date"], command=run["command"], also=also)
    else:
        started = datetime.now(UTC)
        run = bench(args)
        run["date"] = started.strftime("%Y-%m-%d %H:%M UTC")
        run["command"] = command
        RESULTS.mkdir(exist_ok=True)
        stamp = started.strftime("%Y%m%d-%H%M%S")
        (RESULTS / f"remote-{stamp}.json").write_text(json.dumps(run, indent=2) + "\n")
        text = section(run, when=run["date"], command=command)
    SECTION.write_text(text + "\n", encoding="utf-8")
    replace_section(text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
