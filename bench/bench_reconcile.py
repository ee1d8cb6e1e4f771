"""Reconciling batches of 100 names on the generated graph, as OpenRefine sends them.

Usage: ``python bench/bench_reconcile.py [--triples 1000000] [--batches 7]``

The generated graph of ``--triples`` (``bench/generate.py``, the data ``bench/run.py`` serves) is
loaded into the embedded store (:func:`scidip_graph.api.open_graph`) and an app is built on it
(:func:`scidip_graph.web.create_app`). Each batch is 100 queries, one ``POST /reconcile`` form
(``queries=``) through Flask's test client (routing, parsing, the candidates of every query, the
JSON; no socket), of names drawn from the graph's own (a fixed seed per batch) and written as
people write them: a quarter as they are, a quarter lower-cased without accents and with
punctuation, a quarter by their acronyms or other names, a quarter misspelt (two letters
swapped). The same batches again with ``type`` (``schema:Organization``). Reading the name index
(once per data version: the first batch after a change pays it) is timed once, apart.

Results go to ``bench/results/reconcile-{time}.json``; the section "Reconciliation" of
BENCHMARKS.md (kept in ``bench/reconcile.md``, which ``bench/run.py`` appends when it rewrites
BENCHMARKS.md) is rewritten with the table. Tests never time anything.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
SECTION = BENCH / "reconcile.md"
HEADING = "## Reconciliation"
BATCH = 100
ORGANIZATION = "http://schema.org/Organization"


def as_people_write(name: str, how: int, rng: random.Random) -> str:
    """A name written the way a spreadsheet may have it (``how``: 0-3, see the module)."""
    if how == 1:
        plain = unicodedata.normalize("NFKD", name)
        return "".join(c for c in plain if not unicodedata.combining(c)).lower() + "."
    if how == 3 and len(name) > 4:
        i = rng.randrange(1, len(name) - 2)
        return name[:i] + name[i + 1] + name[i] + name[i + 2 :]
    return name


def batches(
    index: Any, count: int, *, seed: int = 42, of_type: str | None = None
) -> list[list[tuple[str, str]]]:
    """``count`` batches of (written name, the IRI it was drawn from), drawn from every
    resource or from the instances of ``of_type``."""
    entities = sorted(
        (e for e in index.entities.values() if of_type is None or of_type in e.types),
        key=lambda e: e.iri,
    )
    found = []
    for b in range(count):
        rng = random.Random(seed + b)
        batch = []
        for i in range(BATCH):
            entity = rng.choice(entities)
            others = [n for n in entity.names if n != entity.name]
            how = i % 4
            name = rng.choice(others) if how == 2 and others else entity.name
            batch.append((as_people_write(name, how, rng), entity.iri))
        found.append(batch)
    return found


def measure(triples: int, count: int) -> dict[str, Any]:
    from run import ensure_data  # bench/ is the script's folder

    from scidip_graph.api import open_graph
    from scidip_graph.curation.index import NameIndex
    from scidip_graph.settings import Settings
    from scidip_graph.web import create_app

    folder = ensure_data(triples, 42)
    kg = open_graph(sorted((folder / "trig").glob("*.trig")))
    client = create_app(Settings(), store=kg.store).test_client()
    started = time.perf_counter()
    index = NameIndex.build(kg.store)
    build_s = time.perf_counter() - started
    client.get("/reconcile/suggest/entity", query_string={"prefix": "a"})  # the app's index
    runs: dict[str, list[float]] = {"any": [], "typed": []}
    first: dict[str, int] = {"any": 0, "typed": 0}
    drawn = {
        "any": batches(index, count),
        "typed": batches(index, count, of_type=ORGANIZATION),
    }
    for b in range(count):
        for mode in runs:
            batch = drawn[mode][b]
            extra = {"type": ORGANIZATION} if mode == "typed" else {}
            queries = {f"q{i}": {"query": text, **extra} for i, (text, _) in enumerate(batch)}
            form = {"queries": json.dumps(queries)}
            start = time.perf_counter()
            answer = client.post("/reconcile", data=form)
            runs[mode].append((time.perf_counter() - start) * 1000)
            assert answer.status_code == 200, answer.data[:500]
            results = answer.get_json()
            first[mode] += sum(
                1
                for i, (_, iri) in enumerate(batch)
                if results[f"q{i}"]["result"] and results[f"q{i}"]["result"][0]["id"] == iri
            )
        print({m: round(v[-1], 1) for m, v in runs.items()}, file=sys.stderr)
    return {
        "quads": len(kg.store),
        "resources": len(index.entities),
        "names": sum(len(e.names) for e in index.entities.values()),
        "build_s": build_s,
        "batches": count,
        "runs_ms": runs,
        "first_right": first,
    }


def report_section(m: dict[str, Any], *, when: str, command: str) -> str:
    from importlib.metadata import version

    packages = ", ".join(f"{n} {version(n)}" for n in ("pyoxigraph", "rapidfuzz"))
    total = m["batches"] * BATCH
    lines = [
        HEADING,
        "",
        f"Written by `bench/bench_reconcile.py` on {when} ({os.cpu_count()} cores, Python "
        f"{platform.python_version()}; {packages}; load average {os.getloadavg()[0]:.1f} at the "
        f"end). Rerun: `{command}`. The generated graph ({m['quads']:,} quads) in the embedded "
        f"store; {m['batches']} batches of {BATCH} names each, one `POST /reconcile` form "
        "(`queries=`) through Flask's test client (no socket), names drawn from the graph and "
        "written as people write them (as they are; lower case without accents, with a full "
        "stop; by an acronym or other name; two letters swapped). The name index "
        f"({m['resources']:,} resources, {m['names']:,} names; `curation/index.py`) is read "
        f"once per data version, in {m['build_s']:,.1f} s: the first batch after a write pays "
        "it. A query without an exact match is scored against every name by rapidfuzz (C++), "
        "so a batch's time grows with the number of names.",
        "",
        "| batch of 100 | median ms per batch | best / worst ms | per name ms "
        "| drawn resource ranked first |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for mode, label in (("any", "any type"), ("typed", "`type` schema:Organization")):
        runs = m["runs_ms"][mode]
        median = statistics.median(runs)
        lines.append(
            f"| {label} | {median:,.0f} | {min(runs):,.0f} / {max(runs):,.0f} "
            f"| {median / BATCH:,.1f} | {m['first_right'][mode] / total:.0%} |"
        )
    lines += [
        "",
        "The typed batches are drawn from the organisations only, and only their names are "
        "scored. A query whose name or identifier matches skips the similarity search, so a "
        "batch's time is mostly its misspelt names. The generated names repeat their words "
        '("... Institute 12", "... Institute 13") and people\'s names repeat (the generator '
        "draws them from short lists): a drawn resource not ranked first shares its name, or "
        "nearly, with others.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="generated graph size")
    parser.add_argument("--batches", type=int, default=7, help="timed batches of 100 names")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(BENCH))
    m = measure(args.triples, args.batches)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    (RESULTS / f"reconcile-{stamp}.json").write_text(json.dumps(m, indent=2))
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = "python bench/bench_reconcile.py " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )
    section = report_section(m, when=when, command=command.strip())
    from bench_jsonld import write_section  # bench/ is the script's folder

    write_section(section, heading=HEADING, keep=SECTION)
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
