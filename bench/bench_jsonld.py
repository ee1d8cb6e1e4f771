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
:data:`TIME_BUDGET`). Correctness is a round trip:
the document is read back, by PyLD (``jsonld.to_rdf``) and by pyoxigraph's JSON-LD parser, and
the quads it gives must be the same dataset as the quads written, compared by isomorphism
(pyoxigraph's canonicalisation of blank nodes). Every document loader PyLD is given refuses to
fetch; the context is embedded in every document, so nothing needs fetching.

The data: the bundled ``data/`` (about 4k quads) and a generated graph of ``--triples``
(``bench/generate.py``, as ``bench/run.py`` makes it). PyLD is installed for this run only, with
pip into ``bench/data/pyld/`` (git-ignored), never into the project's environment. Results go
to ``bench/results/jsonld-{time}.json`` and a Markdown table on standard output.
"""

from __future__ import annotations

import argparse
import json
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
                len(quads),
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000, help="generated graph size")
    parser.add_argument("--repeat", type=int, default=3, help="runs per writer (best counts)")
    args = parser.parse_args(argv)
    jsonld = ensure_pyld()
    results = measure(jsonld, "bundled", load_sources().quads, repeat=args.repeat)
    results += measure(jsonld, "generated", generated_quads(args.triples), repeat=args.repeat)
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"jsonld-{stamp}.json"
    out.write_text(json.dumps([asdict(m) for m in results], indent=2) + "\n")
    print(table(results))
    for m in results:
        for reader, trip in (("PyLD", m.read_by_pyld), ("pyoxigraph", m.read_by_pyoxigraph)):
            for example in trip.examples:
                print(f"{m.data} {m.writer}, read by {reader}: {example}")
    print(f"\nRaw results: {out.relative_to(BENCH.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
