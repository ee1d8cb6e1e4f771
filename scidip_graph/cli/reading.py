"""The commands that read the graph: validate, query, export, stats."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from scidip_graph.api import open_graph
from scidip_graph.cli.common import EXIT_NOT_CONFORMING, EXIT_OK, Declare, one_graph
from scidip_graph.errors import UsageError
from scidip_graph.namespaces import compact
from scidip_graph.rdf.exporters import dump
from scidip_graph.rdf.formats import RDF_KINDS, format_names, formats_for, get_format
from scidip_graph.rdf.negotiation import negotiate
from scidip_graph.sparql.results import render_table, result_kind, serialize_result

if TYPE_CHECKING:
    from rdflib import Graph

    from scidip_graph.ingest.validation import ValidationReport

QUERY_FORMATS = ("table", *format_names())
"""``table`` (a text table; the default RDF format for a graph), or any format of the table."""


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    from scidip_graph.ingest.validation import load_shapes, validate

    shapes = load_shapes([Path(p) for p in args.shapes] if args.shapes else None)
    if args.against_store is not None:
        report = _validate_against_store(args, shapes)
    else:
        if args.graph is not None or args.data_dir is not None:
            raise UsageError("--graph and --data-dir go with --against-store FILE")
        sources = open_graph(args.paths or None).sources
        assert sources is not None
        report = validate(sources.to_rdflib(), shapes=shapes, origins=sources.origins)
    if args.format == "json":
        out.write(json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n")
    elif args.format == "turtle":
        out.write(report.to_turtle())
    else:
        out.write(report.text() + "\n")
    return EXIT_OK if report.conforms else EXIT_NOT_CONFORMING


def _validate_against_store(args: argparse.Namespace, shapes: Graph) -> ValidationReport:
    """The report adding the file to the store would get (the dry run of a write)."""
    from scidip_graph.ingest.gate import check_change
    from scidip_graph.namespaces import GRAPH
    from scidip_graph.rdf.formats import by_extension
    from scidip_graph.sparql.dry_run import parse_addition, validate_addition
    from scidip_graph.sparql.update import graph_key
    from scidip_graph.store.durable import open_durable

    if args.paths:
        raise UsageError("give either PATH... or --against-store FILE, not both")
    path = Path(args.against_store)
    fmt = by_extension(path.suffix)
    graph = None
    if args.graph is not None:
        graph = one_graph(args.graph)
    elif fmt.kind == "graph":
        graph = str(GRAPH[path.stem])  # where validate and the server put a file's triples
    try:
        data = path.read_bytes()
    except OSError as err:
        raise UsageError(f"cannot read {path}: {err.strerror}") from None
    quads = parse_addition(data, format=fmt.name, graph=graph, source=str(path))
    if args.data_dir is None:
        store = open_graph().store
    elif not args.data_dir.is_dir():
        raise UsageError(f"no data folder at {args.data_dir}")
    else:
        store = open_durable(args.data_dir)
    origins = {graph_key(q.graph_name): str(path) for q in quads}  # the report names FILE
    return validate_addition(
        store,
        quads,
        validate=lambda before, added, removed: check_change(
            before, added=added, removed=removed, shapes=shapes, origins=origins
        ),
    )


def cmd_query(args: argparse.Namespace, out: TextIO) -> int:
    text = args.query
    if (
        not text.lstrip()
        .upper()
        .startswith(("SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "PREFIX", "BASE", "#"))
        and Path(text).is_file()
    ):
        text = Path(text).read_text(encoding="utf-8")
    kg = open_graph(args.data or None)
    result = kg.query(text)
    kind = result_kind(result)
    if args.format == "table" and kind != "graph":
        out.write(render_table(result) + "\n")
        return EXIT_OK
    # The same choice as the endpoint's for format= (json is JSON-LD for a graph).
    fmt = negotiate(kind, None, format=None if args.format == "table" else args.format)
    out.write(serialize_result(result, fmt).decode())
    return EXIT_OK


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    get_format(args.format, kinds=RDF_KINDS)  # unknown names fail before loading anything
    kg = open_graph(args.data or None)
    if args.output:
        with open(args.output, "wb") as handle:
            report = dump(kg.store, args.format, handle)
    else:
        report = dump(kg.store, args.format, out.buffer if hasattr(out, "buffer") else out)  # type: ignore[arg-type]
    if report.merged_graphs:
        print(
            f"{report.format.name} has no named graphs: merged {len(report.merged_graphs)} "
            f"graphs and the default graph into one: "
            + ", ".join(compact(g) for g in report.merged_graphs),
            file=sys.stderr,
        )
    print(
        f"wrote {report.statements} statements as {report.format.name}"
        + (f" to {args.output}" if args.output else ""),
        file=sys.stderr,
    )
    return EXIT_OK


def cmd_stats(args: argparse.Namespace, out: TextIO) -> int:
    stats = open_graph(args.data or None).stats()
    if args.format == "json":
        out.write(
            json.dumps(
                {"statements": stats.statements, "graphs": stats.graphs, "classes": stats.classes},
                indent=2,
            )
            + "\n"
        )
        return EXIT_OK
    out.write(f"{stats.statements} statements\n\ntriples per graph\n")
    for graph, n in stats.graphs.items():
        out.write(f"  {n:>7}  {compact(graph) if graph else '(default graph)'}\n")
    out.write("\ninstances per class\n")
    for cls, n in stats.classes.items():
        out.write(f"  {n:>7}  {compact(cls)}\n")
    return EXIT_OK


def add_commands(command: Declare) -> None:
    """Declare this module's commands."""
    p = command(
        "validate",
        cmd_validate,
        "Validate data against the SHACL shapes.",
        data=False,
        formats=("text", "json", "turtle"),
    )
    p.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="data files or folders (default: the bundled data/)",
    )
    p.add_argument("--shapes", nargs="+", metavar="FILE", help="shapes instead of ontology/")
    p.add_argument(
        "--against-store",
        metavar="FILE",
        help="validate FILE as if it were added to the store (a dry run of the write): "
        "only what it changes is checked, against the data already there",
    )
    p.add_argument(
        "--graph",
        metavar="IRI",
        help="with --against-store: the graph FILE's triples go to (an IRI, graph:NAME or "
        "default; by default graph:STEM, as for the bundled files)",
    )
    p.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="with --against-store: the server's data folder (default: the bundled data)",
    )

    p = command("query", cmd_query, "Run a SPARQL query on the graph.", formats=QUERY_FORMATS)
    p.add_argument("query", help="the query text, or a file holding it")

    p = command("export", cmd_export, "Write the whole dataset in an RDF format.")
    p.add_argument("--format", required=True, help=", ".join(f.name for f in formats_for("graph")))
    p.add_argument("-o", "--output", help="file to write (default: standard output)")

    p = command(
        "stats",
        cmd_stats,
        "Count triples per graph and instances per class.",
        formats=("text", "json"),
    )
