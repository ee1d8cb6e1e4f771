"""Our JSON-LD writer against PyLD's and rdflib's, on the same quads: time, and a round trip.

Usage: ``python bench/bench_jsonld.py [--triples 100000] [--repeat 3]``

Each writer starts from what the store gives (a list of pyoxigraph quads) and ends with the
UTF-8 bytes of a JSON-LD document compacted with our context (``ontology/context.jsonld``):

- **ours**: :func:`scidip_graph.rdf.jsonld.jsonld_bytes`;
- **PyLD** (``pyld`` on PyPI): the quads as N-Quads (pyoxigraph), ``jsonld.from_rdf``, then
  ``jsonld.compact`` with our context, ``json.dumps``;
- **rdflib**: the quads copied into an rdflib ``Dataset`` (``quads_to_rdflib``, as the project
  does for SHACL), then ``serialize(format="json-ld", context=...)``;
- **pyoxigraph**, for reference: its own JSON-LD writer, which takes prefixes but no terms, so
  it does not write our context's short keys (``name``, ``memberOf``).

A run is timed from the quads to the bytes (best of ``--repeat``, or of the runs done within
:data:`TIME_BUDGET`). Correctness is a round trip: the document is read back, by PyLD
(``jsonld.to_rdf``) and by pyoxigraph's JSON-LD parser, and the quads it gives must be the same
dataset as the quads written, compared by isomorphism (pyoxigraph's canonicalisation of blank
nodes). Every document loader PyLD is given refuses to
fetch; the context is embedded in every document, so nothing needs fetching.

The data: the bundled ``data/`` (about 4k quads) and a generated graph of ``--triples``
(``bench/generate.py``, as ``bench/run.py`` makes it). PyLD is installed for this run only, with
pip into ``bench/data/pyld/`` (git-ignored), never into the project's environment. Results go
to ``bench/results/jsonld-{time}.json``; the section "JSON-LD writers" of BENCHMARKS.md (kept in
``bench/jsonld.md``, which ``bench/run.py`` appends when it rewrites BENCHMARKS.md) is rewritten
with the table and the decision it makes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from scidip_graph.ingest.loading import load_sources, quads_to_rdflib
from scidip_graph.rdf.jsonld import CONTEXT_PATH, jsonld_bytes

BENCH = Path(__file__).resolve().parent
PYLD_DIR = BENCH / "data" / "pyld"
RESULTS = BENCH / "results"
REPORT = BENCH.parent / "BENCHMARKS.md"
SECTION = BENCH / "jsonld.md"
HEADING = "## JSON-LD writers"
TIME_BUDGET = 60.0
"""Seconds after which a writer is not run again (PyLD takes minutes at 100k triples)."""
CONTEXT: dict[str, Any] = json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))
PREFIXES = {
    key: value
    for key, value in CONTEXT["@context"].items()
    if isinstance(value, str) and value.endswith(("/", "#"))
}


def never_fetch(url: str, options: Any = None) -> Any:
    """A PyLD document loader that refuses every URL."""
    raise RuntimeError(f"asked to fetch {url}: this benchmark fetches nothing")


def ensure_pyld() -> Any:
    """PyLD, installed into bench/data/pyld/ on first use; its loader fetches nothing."""
    if not (PYLD_DIR / "pyld").is_dir():
        pip = [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(PYLD_DIR)]
        subprocess.run([*pip, "pyld"], check=True)
    sys.path.append(str(PYLD_DIR))  # after the project's own packages: it shadows none
    from pyld import jsonld

    jsonld.set_document_loader(never_fetch)
    return jsonld


# -- the writers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Writer:
    """A way from the store's quads to JSON-LD bytes."""

    name: str
    write: Callable[[list[ox.Quad]], bytes]
    note: str = ""


def writers(jsonld: Any) -> list[Writer]:
    def pyld(quads: list[ox.Quad]) -> bytes:
        nquads = ox.serialize(quads, format=ox.RdfFormat.N_QUADS).decode()
        expanded = jsonld.from_rdf(nquads, {"format": "application/n-quads"})
        document = jsonld.compact(expanded, CONTEXT, {"documentLoader": never_fetch})
        return json.dumps(document, ensure_ascii=False, indent=2).encode()

    def rdflib(quads: list[ox.Quad]) -> bytes:
        dataset = quads_to_rdflib(quads)
        return dataset.serialize(format="json-ld", context=CONTEXT["@context"], encoding="utf-8")

    def oxigraph(quads: list[ox.Quad]) -> bytes:
        return ox.serialize(quads, format=ox.RdfFormat.JSON_LD, prefixes=PREFIXES)

    return [
        Writer("ours", jsonld_bytes),
        Writer("PyLD", pyld),
        Writer("rdflib", rdflib),
        Writer("pyoxigraph", oxigraph, note="prefixes only: no terms of our context"),
    ]


# -- reading back ------------------------------------------------------------------------------


def read_with_pyld(jsonld: Any, data: bytes) -> list[ox.Quad]:
    options = {"format": "application/n-quads", "documentLoader": never_fetch}
    nquads = jsonld.to_rdf(json.loads(data), options)
    return list(ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS))


def read_with_oxigraph(data: bytes) -> list[ox.Quad]:
    return list(ox.parse(data, format=ox.RdfFormat.JSON_LD))


def canonical(quads: list[ox.Quad]) -> set[ox.Quad]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


@dataclass
class RoundTrip:
    """What a reader gave back, against the quads written."""

    same: bool
    written: int = 0
    read: int = 0
    not_written: int = 0  # quads read back that were not written (after canonicalisation)
    examples: tuple[str, ...] = ()
    error: str = ""

    def cell(self) -> str:
        if self.error:
            return f"**fails to read**: {self.error[:80]}"
        if self.same:
            return "same dataset"
        return (
            f"**differs**: {self.written:,} quads written, {self.read:,} read back, "
            f"{self.not_written:,} of them not as written"
        )


def round_trip(expected: set[ox.Quad], read: Callable[[], list[ox.Quad]]) -> RoundTrip:
    try:
        got = canonical(read())
    except Exception as err:  # a reader's failure is a measurement here, not a crash
        return RoundTrip(same=False, error=f"{type(err).__name__}: {err}")
    missing, extra = expected - got, got - expected

    def examples(sign: str, quads: set[ox.Quad]) -> list[str]:
        # Quads without blank nodes first: canonical blank node labels shift with any change.
        ranked = sorted(quads, key=lambda q: (_has_blank_node(q), str(q)))
        return [f"{sign} {quad}" for quad in ranked[:3]]

    return RoundTrip(
        not missing and not extra,
        len(expected),
        len(got),
        len(extra),
        (*examples("-", missing), *examples("+", extra)),
    )


def _has_blank_node(quad: ox.Quad) -> bool:
    terms = (quad.subject, quad.object, quad.graph_name)
    return any(isinstance(term, ox.BlankNode) for term in terms)


# -- measuring ---------------------------------------------------------------------------------


@dataclass
class Measurement:
    data: str
    quads: int
    writer: str
    seconds: float
    runs: int
    bytes: int
    read_by_pyld: RoundTrip
    read_by_pyoxigraph: RoundTrip
    note: str


def measure(jsonld: Any, label: str, quads: list[ox.Quad], *, repeat: int) -> list[Measurement]:
    expected = canonical(quads)
    found = []
    for writer in writers(jsonld):
        times: list[float] = []
        data = b""
        while len(times) < repeat and sum(times) < TIME_BUDGET:
            started = time.perf_counter()
            data = writer.write(list(quads))
            times.append(time.perf_counter() - started)
        found.append(
            Measurement(
                label,
                len(expected),  # distinct quads (a source may state one twice)
                writer.name,
                min(times),
                len(times),
                len(data),
                round_trip(expected, lambda data=data: read_with_pyld(jsonld, data)),
                round_trip(expected, lambda data=data: read_with_oxigraph(data)),
                writer.note,
            )
        )
        print(f"{label}: {writer.name} {min(times):.3f} s", file=sys.stderr)
    return found


def generated_quads(triples: int) -> list[ox.Quad]:
    sys.path.insert(0, str(BENCH))
    from run import ensure_data  # the same data bench/run.py serves

    folder = ensure_data(triples, 42)
    return load_sources([folder / "trig"]).quads


def table(results: list[Measurement]) -> str:
    lines = [
        "| data | writer | seconds (runs) | MB | read back by PyLD | read back by pyoxigraph |",
        "| --- | --- | ---: | ---: | --- | --- |",
    ]
    for m in results:
        writer = f"{m.writer} ({m.note})" if m.note else m.writer
        lines.append(
            f"| {m.data} ({m.quads:,} quads) | {writer} | {m.seconds:.3f} ({m.runs}) | "
            f"{m.bytes / 1e6:.2f} | {m.read_by_pyld.cell()} | {m.read_by_pyoxigraph.cell()} |"
        )
    return "\n".join(lines)


def _span(ratios: list[float]) -> str:
    low, high = min(ratios), max(ratios)
    return f"{low:.0f}x" if round(low) == round(high) else f"{low:.0f}-{high:.0f}x"


def verdict(results: list[Measurement]) -> list[str]:
    """The decision the numbers make: keep ours only if it is faster or more correct than each
    library, on every data set."""
    by = {(m.data, m.writer): m for m in results}
    datas = list(dict.fromkeys(m.data for m in results))

    def exact(m: Measurement) -> bool:
        return m.read_by_pyld.same and m.read_by_pyoxigraph.same

    ours_exact = all(exact(by[d, "ours"]) for d in datas)
    lines, keep = [], ours_exact
    for name in ("PyLD", "rdflib", "pyoxigraph"):
        ratios = [by[d, name].seconds / by[d, "ours"].seconds for d in datas]
        correct = all(exact(by[d, name]) for d in datas)
        speed = (
            f"{_span(ratios)} slower than ours"
            if min(ratios) >= 1
            else f"{_span([1 / r for r in ratios])} faster than ours"
        )
        reading = "reads back exact" if correct else "**does not read back exact**"
        note = f" ({by[datas[0], name].note})" if by[datas[0], name].note else ""
        lines.append(f"- {name}{note}: {reading}, {speed}.")
        if name != "pyoxigraph" and correct and (min(ratios) < 1 or not ours_exact):
            keep = False  # a library that does the same job as well, and no slower
    decision = (
        "keep ours: it reads back exact on every data set, and each library that writes our "
        "context's terms is slower or loses data"
        if keep
        else "the measurement no longer supports our own writer: use the library that is "
        "exact and faster (see scidip_graph/rdf/jsonld.py)"
    )
    return [*lines, "", f"**Decision: {decision}.**"]


def report_section(results: list[Measurement], *, when: str, command: str) -> str:
    """The JSON-LD section of BENCHMARKS.md."""
    from importlib.metadata import version

    packages = ", ".join(
        f"{name} {version(name)}" for name in ("scidip-graph", "pyoxigraph", "rdflib", "pyld")
    )
    return "\n".join(
        [
            HEADING,
            "",
            f"Written by `bench/bench_jsonld.py` on {when} ({os.cpu_count()} cores, Python "
            f"{platform.python_version()}; {packages}). Rerun: `{command}`. Each writer goes "
            "from the store's quads to the bytes of a JSON-LD document with our context "
            "(`ontology/context.jsonld`); the document is read back by PyLD and by pyoxigraph "
            "and compared with the quads written, by isomorphism. Seconds are the best of the "
            "runs in brackets (PyLD is run once when a run takes more than a minute).",
            "",
            table(results),
            "",
            *verdict(results),
            "",
        ]
    )


def write_section(section: str, *, heading: str = HEADING, keep: Path = SECTION) -> None:
    """Keep the section in bench/jsonld.md (``bench/run.py`` appends it when it rewrites
    BENCHMARKS.md) and put it in BENCHMARKS.md now, in place of the previous one.

    ``heading`` and ``keep`` serve the other benchmarks that keep a section so
    (``bench/bench_gate.py``)."""
    keep.write_text(section, encoding="utf-8")
    report = REPORT.read_text(encoding="utf-8")
    start = report.find(heading)
    if start < 0:
        report = report.rstrip("\n") + "\n\n" + section
    else:
        end = report.find("\n## ", start + len(heading))
        report = report[:start] + section + (report[end + 1 :] if end >= 0 else "")
    REPORT.write_text(report, encoding="utf-8")


def load_results(path: Path) -> list[Measurement]:
    measurements = []
    for row in json.loads(path.read_text()):
        for reader in ("read_by_pyld", "read_by_pyoxigraph"):
            row[reader] = RoundTrip(**{**row[reader], "examples": tuple(row[reader]["examples"])})
        measurements.append(Measurement(**row))
    return measurements


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000, help="generated graph size")
    parser.add_argument("--repeat", type=int, default=3, help="runs per writer (best counts)")
    parser.add_argument(
        "--from-results", type=Path, help="write the report from this results file, run nothing"
    )
    args = parser.parse_args(argv)
    jsonld = ensure_pyld()
    if args.from_results:
        results = load_results(args.from_results)
        when = datetime.strptime(args.from_results.stem, "jsonld-%Y%m%d-%H%M%S")
    else:
        results = measure(jsonld, "bundled", load_sources().quads, repeat=args.repeat)
        results += measure(jsonld, "generated", generated_quads(args.triples), repeat=args.repeat)
        when = datetime.now(UTC)
        RESULTS.mkdir(exist_ok=True)
        out = RESULTS / f"jsonld-{when:%Y%m%d-%H%M%S}.json"
        out.write_text(json.dumps([asdict(m) for m in results], indent=2) + "\n")
        print(f"raw results: {out.relative_to(BENCH.parent)}", file=sys.stderr)
    for m in results:
        for reader, trip in (("PyLD", m.read_by_pyld), ("pyoxigraph", m.read_by_pyoxigraph)):
            for example in trip.examples:
                print(f"{m.data} {m.writer}, read by {reader}: {example}", file=sys.stderr)
    command = f"python bench/bench_jsonld.py --triples {args.triples} --repeat {args.repeat}"
    section = report_section(results, when=f"{when:%Y-%m-%d %H:%M} UTC", command=command)
    write_section(section)
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
