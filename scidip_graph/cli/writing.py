"""The commands that write a data folder: tokens, load, backup, compact, restore."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from scidip_graph.cli.common import (
    EXIT_NOT_CONFORMING,
    EXIT_OK,
    Declare,
    data_folder,
    one_graph,
    open_data_folder,
)
from scidip_graph.errors import NotConformingError, UsageError

DATA_DIR_HELP = "the server's data folder (SCIDIP_DATA_DIR, default ./var)"


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

    if args.batch is not None:
        return load_in_batches(args, out)
    graph = None if args.graph is None else one_graph(args.graph)
    store = open_data_folder(args.data_dir, args.source_dir)
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
        return refused(err)
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


def refused(err: NotConformingError) -> int:
    """Say why the gate refused a load (the report, on standard error); the exit code."""
    print(f"error: {err.message}", file=sys.stderr)
    if err.report is not None:
        print(err.report.text(), file=sys.stderr)
    return EXIT_NOT_CONFORMING


def load_in_batches(args: argparse.Namespace, out: TextIO) -> int:
    """``load --batch N``: each file streamed in batches into the served store (the data
    folder's, or the remote store ``SCIDIP_STORE=sparql`` names), resuming a file's earlier run."""
    from scidip_graph.cli.common import curator_name
    from scidip_graph.console import ProgressBar
    from scidip_graph.settings import Settings
    from scidip_graph.sparql.bulk_load import Step
    from scidip_graph.sparql.stream_load import stream_load, streamed_format
    from scidip_graph.sparql.tokens import Curator
    from scidip_graph.sparql.tokens_file import EVERY_GRAPH
    from scidip_graph.store import serve_store

    if args.graph is not None or args.replace:
        raise UsageError("--batch loads each file into its own graphs: no --graph, no --replace")
    paths = [Path(p) for p in args.files]
    for path in paths:
        streamed_format(path)  # every file's format checked before anything is written
    settings = Settings.from_env()
    if settings.store == "embedded":
        store = open_data_folder(args.data_dir, args.source_dir)
    else:
        store = serve_store(settings)
    curator = Curator(curator_name(args.curator), frozenset({EVERY_GRAPH}))
    try:
        for path in paths:
            bar = ProgressBar(sys.stderr, prefix=f"load {path.name} ")

            def show(step: Step, bar: ProgressBar = bar) -> None:
                bar.update(step.stage, step.done, step.total, unit=step.unit, note=step.note)

            try:
                done = stream_load(store, path, curator=curator, batch=args.batch, progress=show)
            except NotConformingError as err:
                bar.close()
                return refused(err)
            finally:
                bar.close()
            resumed = f", {done.resumed} committed by an earlier run" if done.resumed else ""
            out.write(
                f"loaded {path.name} ({done.quads:,} quads in {done.batches} batches{resumed}): "
                f"{done.added:,} quads added in {len(done.changesets)} changesets by "
                f"{curator.name}" + (f"; {done.warnings} warnings" if done.warnings else "") + "\n"
            )
    finally:
        store.close()
    return EXIT_OK


def cmd_backup(args: argparse.Namespace, out: TextIO) -> int:
    from scidip_graph.store.backup import backup

    data_dir = data_folder(args.data_dir)
    manifest = backup(data_dir, Path(args.dir))
    out.write(
        f"backed up {data_dir} at changeset {manifest.head} into {args.dir}: "
        f"{', '.join(manifest.files)} and manifest.json\n"
    )
    return EXIT_OK


def cmd_compact(args: argparse.Namespace, out: TextIO) -> int:
    from scidip_graph.store.durable import LOG_FILE, open_durable

    data_dir = data_folder(args.data_dir)
    if not (data_dir / LOG_FILE).is_file():
        raise UsageError(f"no data folder at {data_dir} (no {LOG_FILE})")
    store = open_durable(data_dir)
    try:
        done = store.compact()
    finally:
        store.close()
    if done.snapshot is None:
        out.write(f"{data_dir}: the snapshot is current (changeset {store.head})")
    else:
        out.write(f"folded {done.folded} changesets into {done.snapshot.name}")
    out.write(f"; removed {', '.join(done.removed)}\n" if done.removed else "\n")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, out: TextIO) -> int:
    from scidip_graph.store.backup import restore

    data_dir = data_folder(args.data_dir)
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


def add_commands(command: Declare) -> None:
    """Declare this module's commands."""
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
        "* (every graph); an IRI or graph:NAME ending in * covers every graph it starts "
        "(graph:import-* for a curator's imports)",
    )
    listing = actions.add_parser("list", help="curators and their graphs, never a token")
    remove = actions.add_parser("remove", help="delete a curator's token")
    remove.add_argument("name", metavar="NAME", help="the curator")
    for action in (add, listing, remove):
        action.add_argument("--file", help="the tokens file (default: SCIDIP_TOKENS_FILE)")

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
    p.add_argument(
        "--batch",
        type=int,
        metavar="N",
        help="stream each file (N-Triples, N-Quads, Turtle, TriG, maybe .gz) in batches of N "
        "quads, each checked and committed alone, into the served store (SCIDIP_STORE); a "
        "rerun of the same file resumes after its last committed batch",
    )
    p.add_argument("--data-dir", type=Path, help=DATA_DIR_HELP)
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
    p.add_argument("--data-dir", type=Path, help=DATA_DIR_HELP)

    p = command(
        "compact",
        cmd_compact,
        "Fold a data folder's change log into a new snapshot, so that opening it replays "
        "less; the log (the history of writes) is kept. A server may be running.",
        data=False,
    )
    p.add_argument("--data-dir", type=Path, help=DATA_DIR_HELP)

    p = command("restore", cmd_restore, "Bring a backup back into a data folder.", data=False)
    p.add_argument("dir", metavar="DIR", help="a folder made by scidip-graph backup")
    p.add_argument("--data-dir", type=Path, help=DATA_DIR_HELP)
    p.add_argument(
        "--force",
        action="store_true",
        help="replace the data of a folder that holds some, even one a running server serves "
        "(restart it then)",
    )
