"""The ``scidip-graph`` command.

Exit codes: 0 success; 1 the data does not conform to the shapes; 2 a usage or load error
(bad option, unknown format, unreadable or malformed file, bad query); 141 the reader of the
output stopped early (``| head``), as for tools that SIGPIPE stops. Library code raises;
only this module prints and exits.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from scidip_graph.api import open_graph
from scidip_graph.errors import DataSyntaxError, NotConformingError, ScidipError, UsageError
from scidip_graph.namespaces import compact
from scidip_graph.rdf.exporters import dump
from scidip_graph.rdf.formats import RDF_KINDS, format_names, formats_for, get_format
from scidip_graph.rdf.negotiation import negotiate
from scidip_graph.sparql.results import render_table, result_kind, serialize_result
from scidip_graph.store import BACKENDS, Store
from scidip_graph.version import __version__

if TYPE_CHECKING:
    from rdflib import Graph

    from scidip_graph.ingest.validation import ValidationReport

EXIT_OK, EXIT_NOT_CONFORMING, EXIT_USAGE = 0, 1, 2

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
        graph = _one_graph(args.graph)
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


def cmd_build_countries(args: argparse.Namespace, out: TextIO) -> int:
    from scidip_graph.ingest import country_shapes

    country_shapes.write_all(Path(args.output), shapes_path=Path(args.shapes_output))
    print(f"wrote {args.output} and {args.shapes_output}", file=sys.stderr)
    return EXIT_OK


def cmd_build_regions(args: argparse.Namespace, out: TextIO) -> int:
    from scidip_graph.ingest import regions

    try:
        regions.write_regions(Path(args.output))
    except ModuleNotFoundError as err:
        raise UsageError(
            f"build-regions needs {err.name}: pip install -e '.[maintainers]'"
        ) from None
    print(f"wrote {args.output}", file=sys.stderr)
    return EXIT_OK


def cmd_serve(args: argparse.Namespace, out: TextIO) -> int:
    from scidip_graph.server.prefork import serve
    from scidip_graph.settings import Settings

    overrides = {
        name: value
        for name, value in (
            ("host", args.host),
            ("port", args.port),
            ("workers", args.workers),
            ("store", args.store),
            ("data_dir", args.data_dir),
            ("source_dir", args.source_dir),
        )
        if value is not None
    }
    if args.no_validate:
        overrides["validate"] = False
    if args.allow_invalid:
        overrides["allow_invalid"] = True
    serve(Settings.from_env(**overrides))
    return EXIT_OK


def cmd_token(args: argparse.Namespace, out: TextIO) -> int:
    from scidip_graph.settings import Settings
    from scidip_graph.sparql import tokens_file as tf

    name = args.file or Settings.from_env().tokens_file
    if not name:
        raise UsageError("which tokens file? Set SCIDIP_TOKENS_FILE, or give --file PATH")
    path = Path(name)
    if args.action == "add":
        token = tf.add_token(path, args.name, args.graph)
        out.write(token + "\n")  # stdout holds the token alone: TOKEN=$(scidip-graph token add ...)
        graphs = tf.graph_list(tf.graph_iri(g) for g in args.graph)
        print(
            f"curator {args.name} may write {graphs}. The token above is shown this once and "
            f"kept nowhere ({path} has its SHA-256): give it to {args.name} by a private channel.",
            file=sys.stderr,
        )
    elif args.action == "list":
        entries = tf.read_tokens_file(path)
        width = max((len(e.curator) for e in entries), default=0)
        for entry in entries:
            out.write(f"{entry.curator:<{width}}  {tf.graph_list(entry.graphs)}\n")
    else:
        tf.remove_token(path, args.name)
        print(f"removed curator {args.name}'s token from {path}", file=sys.stderr)
    return EXIT_OK


def cmd_load(args: argparse.Namespace, out: TextIO) -> int:
    import getpass

    from scidip_graph.console import ProgressBar
    from scidip_graph.sparql.bulk_load import Step, load_files
    from scidip_graph.sparql.tokens import Curator
    from scidip_graph.sparql.tokens_file import EVERY_GRAPH, graph_label

    graph = None if args.graph is None else _one_graph(args.graph)
    store = _open_data_folder(args.data_dir, args.source_dir)
    try:
        name = args.curator or getpass.getuser()
    except OSError:  # no login name (a container without a passwd entry)
        name = "cli"
    bar = ProgressBar(sys.stderr, prefix="load ")

    def show(step: Step) -> None:
        bar.update(
            step.stage, step.done, step.total, unit=step.unit, note=step.note, seconds=step.seconds
        )

    try:
        loaded = load_files(
            store,
            [Path(p) for p in args.files],
            curator=Curator(name, frozenset({EVERY_GRAPH})),
            graph=graph,
            replace=args.replace,
            progress=show,
        )
    except NotConformingError as err:
        bar.close()
        print(f"error: {err.message}", file=sys.stderr)
        if err.report is not None:
            print(err.report.text(), file=sys.stderr)
        return EXIT_NOT_CONFORMING
    finally:
        bar.close()
    result = loaded.result
    graphs = ", ".join(graph_label(g) for g in result.graphs) or "nothing"
    out.write(
        f"loaded {len(loaded.files)} file{'s' * (len(loaded.files) != 1)} "
        f"({loaded.quads:,} quads) into {store.data_dir}: "
        f"{result.added:,} quads added, {result.removed:,} removed, in {graphs}; "
        f"changeset {result.changeset} by {name}"
        + (f"; {len(result.warnings)} warnings" if result.warnings else "")
        + "\n"
    )
    return EXIT_OK


def cmd_backup(args: argparse.Namespace, out: TextIO) -> int:
    from scidip_graph.store.backup import backup

    data_dir = _data_dir(args.data_dir)
    manifest = backup(data_dir, Path(args.dir))
    out.write(
        f"backed up {data_dir} at changeset {manifest.head} into {args.dir}: "
        f"{', '.join(manifest.files)} and manifest.json\n"
    )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, out: TextIO) -> int:
    from scidip_graph.store.backup import restore

    data_dir = _data_dir(args.data_dir)
    done = restore(Path(args.dir), data_dir, force=args.force)
    m = done.manifest
    out.write(
        f"restored the backup of {m.created} (changeset {m.head}, {m.snapshot}) into {data_dir}"
        + (", replacing the data it held" if done.replaced else "")
        + "\n"
    )
    if done.removed:
        out.write(f"removed from {data_dir}: {', '.join(done.removed)}\n")
    if done.served:
        print(
            f"a running server serves {data_dir}: restart it now; until then its workers "
            "answer with the data they held",
            file=sys.stderr,
        )
    return EXIT_OK


def _data_dir(given: Path | None) -> Path:
    from scidip_graph.settings import Settings

    return given if given is not None else Settings.from_env().data_dir


def _open_data_folder(data_dir: Path | None, source_dir: Path | None) -> Store:
    """A data folder's store; a new folder is built first, as the server's first start does."""
    from scidip_graph.settings import Settings
    from scidip_graph.store.durable import open_durable
    from scidip_graph.store.startup import prepare_store

    given: dict[str, object] = {"data_dir": data_dir, "source_dir": source_dir}
    settings = Settings.from_env(None, **{k: v for k, v in given.items() if v is not None})
    store = open_durable(settings.data_dir)
    if store.meta("snapshot") is not None:
        return store
    store.close()
    print(
        f"{settings.data_dir} is a new data folder: building it from {settings.source_dir} "
        "first, as the server's first start would",
        file=sys.stderr,
    )
    return prepare_store(settings)


def _one_graph(value: str) -> str:
    """A ``--graph`` value as the store names the graph (an IRI, ``""`` the default graph)."""
    from scidip_graph.sparql.tokens_file import graph_iri

    try:
        graph = graph_iri(value)
    except ValueError as err:
        raise UsageError(str(err)) from None
    if graph == "*":
        raise UsageError("--graph takes one graph, not *")
    return graph


def countries_data() -> Path:
    from scidip_graph.resources import DATA_DIR

    return DATA_DIR / "iso3166.trig"


def regions_data() -> Path:
    from scidip_graph.resources import DATA_DIR

    return DATA_DIR / "regions.trig"


def countries_shapes() -> Path:
    from scidip_graph.resources import ONTOLOGY_DIR

    return ONTOLOGY_DIR / "shapes-iso3166.ttl"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scidip-graph",
        description="The science diplomacy knowledge graph: validate, query, export.",
        epilog="Exit codes: 0 ok, 1 data does not conform, 2 usage or load error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str,
        func: Callable[[argparse.Namespace, TextIO], int],
        help: str,
        *,
        data: bool = True,
        formats: Sequence[str] = (),
    ) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func, formats=formats)
        if formats:
            p.add_argument("--format", default=formats[0], help=f"one of: {', '.join(formats)}")
        if data:
            p.add_argument(
                "--data",
                nargs="+",
                metavar="PATH",
                help="data files or folders to load instead of the bundled data/",
            )
        return p

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

    p = command("serve", cmd_serve, "Start the SPARQL endpoint and web interface.", data=False)
    p.add_argument("--host", help="interface to listen on (SCIDIP_HOST, default 127.0.0.1)")
    p.add_argument("--port", type=int, help="TCP port (SCIDIP_PORT, default 8000)")
    p.add_argument("--workers", type=int, help="worker processes (SCIDIP_WORKERS)")
    p.add_argument(
        "--store",
        metavar="NAME",
        help=f"store backend (SCIDIP_STORE): {', '.join(BACKENDS)}; default embedded",
    )
    p.add_argument("--data-dir", type=Path, help="state folder (SCIDIP_DATA_DIR, default ./var)")
    p.add_argument(
        "--source-dir",
        type=Path,
        help="data loaded into a new data folder (SCIDIP_SOURCE_DIR, default data/)",
    )
    p.add_argument(
        "--no-validate", action="store_true", help="do not validate the source data on first start"
    )
    p.add_argument(
        "--allow-invalid",
        action="store_true",
        help="serve source data that does not conform to the shapes",
    )

    p = command(
        "build-countries",
        cmd_build_countries,
        "Regenerate data/iso3166.trig and its shapes from pycountry.",
        data=False,
    )
    p.add_argument("-o", "--output", default=str(countries_data()), help="data file to write")
    p.add_argument("--shapes-output", default=str(countries_shapes()), help="shapes file to write")

    p = command(
        "build-regions",
        cmd_build_regions,
        "Regenerate data/regions.trig from country-converter (the maintainers' extra).",
        data=False,
    )
    p.add_argument("-o", "--output", default=str(regions_data()), help="data file to write")

    p = command("token", cmd_token, "Make, list and remove curators' write tokens.", data=False)
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="make a curator's token and print it, this once")
    add.add_argument("name", metavar="NAME", help="the curator, as the change log names them")
    add.add_argument(
        "--graph",
        nargs="+",
        action="extend",
        required=True,
        metavar="IRI",
        help="graphs the token may write: IRIs, graph:NAME, default (the default graph), "
        "* (every graph)",
    )
    listing = actions.add_parser("list", help="curators and their graphs, never a token")
    remove = actions.add_parser("remove", help="delete a curator's token")
    remove.add_argument("name", metavar="NAME", help="the curator")
    for action in (add, listing, remove):
        action.add_argument("--file", help="the tokens file (default: SCIDIP_TOKENS_FILE)")

    data_dir_help = "the server's data folder (SCIDIP_DATA_DIR, default ./var)"
    p = command(
        "load",
        cmd_load,
        "Load RDF files into a data folder as one change, through the SHACL gate (a server "
        "may be running on it).",
        data=False,
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="RDF files, by extension")
    p.add_argument(
        "--graph",
        metavar="IRI",
        help="put every triple into this graph (an IRI, graph:NAME or default); by default "
        "a Turtle, N-Triples or RDF/XML file goes into graph:STEM and a TriG, N-Quads or "
        "JSON-LD file into the graphs it names",
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help="empty the named graphs the files write (and --graph) before filling them",
    )
    p.add_argument(
        "--curator",
        metavar="NAME",
        help="who loads, as the change log records it (default: your login name)",
    )
    p.add_argument("--data-dir", type=Path, help=data_dir_help)
    p.add_argument(
        "--source-dir",
        type=Path,
        help="for a new data folder: the data it starts from (SCIDIP_SOURCE_DIR, default data/)",
    )

    p = command(
        "backup",
        cmd_backup,
        "Back up a data folder (its change log and snapshot) into a new folder; a server "
        "may be running.",
        data=False,
    )
    p.add_argument("dir", metavar="DIR", help="the backup folder to make (new, or empty)")
    p.add_argument("--data-dir", type=Path, help=data_dir_help)

    p = command("restore", cmd_restore, "Bring a backup back into a data folder.", data=False)
    p.add_argument("dir", metavar="DIR", help="a folder made by scidip-graph backup")
    p.add_argument("--data-dir", type=Path, help=data_dir_help)
    p.add_argument(
        "--force",
        action="store_true",
        help="replace the data of a folder that holds some, even one a running server serves "
        "(restart it then)",
    )
    return parser


def _check_choice(value: str, choices: Sequence[str], what: str) -> None:
    if value not in choices:
        raise UsageError(f"unknown {what} {value!r}; valid names: {', '.join(choices)}")


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    out = out or sys.stdout
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        if args.formats:
            _check_choice(args.format, args.formats, "format")
        return int(args.func(args, out))
    except NotConformingError as err:
        print(err.message, file=sys.stderr)
        print("hint: fix the data, or start with --allow-invalid", file=sys.stderr)
        return EXIT_NOT_CONFORMING
    except DataSyntaxError as err:
        print(err.message, file=sys.stderr)  # file:line:col: reason, as compilers print it
        return EXIT_USAGE
    except ScidipError as err:
        print(f"error: {err.message}", file=sys.stderr)
        if err.hint:
            print(f"hint: {err.hint}", file=sys.stderr)
        return EXIT_USAGE


EXIT_CLOSED_PIPE = 141
"""128 + SIGPIPE: what a shell reports for a tool stopped by a reader that closed its pipe."""


def run() -> None:
    """Console-script entry point.

    A reader that stops early (``scidip-graph stats | head``) closes the pipe: the command
    then stops quietly, as the Python documentation recommends (``signal`` module, "Note on
    SIGPIPE"), with :data:`EXIT_CLOSED_PIPE` (1 already means data that does not conform).
    """
    try:
        code = main()
        sys.stdout.flush()  # output still buffered meets the closed pipe here
    except BrokenPipeError:
        # Python flushes stdout again at exit; pointed at devnull, that flush stays quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_CLOSED_PIPE
    sys.exit(code)
