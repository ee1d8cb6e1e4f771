"""Search by name on the generated graph: ``/search`` answered in process, per query.

Usage: ``python bench/bench_search.py [--triples 1000000] [--repeat 7]``

The generated graph of ``--triples`` (``bench/generate.py``, the data ``bench/run.py`` serves) is
loaded into the embedded store (:func:`scidip_graph.api.open_graph`), and an app is built on it
(:func:`scidip_graph.web.create_app`). Each query is asked of ``/search`` as JSON through Flask's
test client (routing, the search, its kinds and the JSON: everything but the socket), and of
:meth:`scidip_graph.pages.search.NameIndex.search` alone; each ``--repeat`` times after one
warm-up, the median counts. Reading the index (once per data version) is timed once. The
queries: a word many names contain, two words, three, one with a kind filter, a word no name
has.

Results go to ``bench/results/search-{time}.json``; the section "Search" of BENCHMARKS.md (kept
in ``bench/search.md``, which ``bench/run.py`` appends when it rewrites BENCHMARKS.md) is
rewritten with the table. Tests never time anything.
"""

from __future__ import annotations

import argparse
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

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
SECTION = BENCH / "search.md"
HEADING = "## Search"


@dataclass
class Row:
    q: str
    kind: str
    hits: int
    page_ms: float
    search_ms: float


def timed(call: object, repeat: int) -> float:
    """The median of ``repeat`` runs of ``call()`` after one warm-up, in milliseconds."""
    assert callable(call)
    call()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        runs.append((time.perf_counter() - start) * 1000)
    return statistics.median(runs)


def measure(triples: int, repeat: int) -> dict[str, Any]:
    from run import ensure_data  # bench/ is the script's folder

    from scidip_graph.api import open_graph
    from scidip_graph.pages.search import NameIndex
    from scidip_graph.settings import Settings
    from scidip_graph.web import create_app

    folder = ensure_data(triples, 42)
    kg = open_graph(sorted((folder / "trig").glob("*.trig")))
    client = create_app(Settings(), store=kg.store).test_client()
    started = time.perf_counter()
    index = NameIndex.read(kg.store)
    read_s = time.perf_counter() - started
    queries = [
        ("institute", ""),
        ("african physics", ""),
        ("seismology council 9", ""),
        ("andean", "organisation"),
        ("zzzqqq", ""),
    ]
    rows = []
    for q, kind in queries:
        params = {"q": q, "format": "json", **({"kind": kind} if kind else {})}
        answer = client.get("/search", query_string=params)  # reads the app's index once
        assert answer.status_code == 200, answer.data[:500]
        hits = answer.get_json()["total"]
        page_ms = timed(lambda p=params: client.get("/search", query_string=p), repeat)
        search_ms = timed(lambda q=q: index.search(q, limit=None), repeat)
        rows.append(Row(q, kind, hits, page_ms, search_ms))
        print(asdict(rows[-1]), file=sys.stderr)
    return {"quads": len(kg.store), "names": len(index), "read_s": read_s, "rows": rows}


def report_section(m: dict[str, Any], *, when: str, command: str) -> str:
    from importlib.metadata import version

    rows: list[Row] = m["rows"]
    return "\n".join(
        [
            HEADING,
            "",
            f"Written by `bench/bench_search.py` on {when} ({os.cpu_count()} cores, Python "
            f"{platform.python_version()}; pyoxigraph {version('pyoxigraph')}; load average "
            f"{os.getloadavg()[0]:.1f} at the end). Rerun: `{command}`. The generated graph "
            f"({m['quads']:,} quads) in the embedded store. Search reads every name, alternate "
            f"name and label of the resources once per data version into an index "
            f"({m['names']:,} names, read in {m['read_s']:,.1f} s, the first search after a "
            "change pays it), then answers from memory (`pages/search.py`). Timed: "
            "`/search?q=...&format=json` through Flask's test client (the search, each hit's "
            "kind, the counts per kind, 100 hits as JSON; no socket), and `NameIndex.search` "
            "alone (every hit, ranked); medians.",
            "",
            "| q | kind filter | hits | `/search` ms | `NameIndex.search` ms |",
            "| --- | --- | ---: | ---: | ---: |",
            *(
                f"| `{r.q}` | {r.kind or '-'} | {r.hits:,} | {r.page_ms:,.1f} "
                f"| {r.search_ms:,.1f} |"
                for r in rows
            ),
            "",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="generated graph size")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per query")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(BENCH))
    m = measure(args.triples, args.repeat)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    result = {**m, "rows": [asdict(r) for r in m["rows"]]}
    (RESULTS / f"search-{stamp}.json").write_text(json.dumps(result, indent=2))
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = "python bench/bench_search.py " + " ".join(argv if argv is not None else sys.argv[1:])
    section = report_section(m, when=when, command=command.strip())
    from bench_jsonld import write_section  # bench/ is the script's folder

    write_section(section, heading=HEADING, keep=SECTION)
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
