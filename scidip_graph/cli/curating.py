"""The curators' commands on a data folder's history: revert."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from scidip_graph.cli.common import (
    EXIT_NOT_CONFORMING,
    EXIT_OK,
    Declare,
    curator_name,
    open_data_folder,
)
from scidip_graph.errors import NotConformingError


def cmd_revert(args: argparse.Namespace, out: TextIO) -> int:
    from scidip_graph.curation.history import revert
    from scidip_graph.sparql.tokens import Curator
    from scidip_graph.sparql.tokens_file import EVERY_GRAPH, graph_label

    store = open_data_folder(args.data_dir, None)
    name = curator_name(args.curator)
    try:
        result = revert(store, args.change, curator=Curator(name, frozenset({EVERY_GRAPH})))
    except NotConformingError as err:
        print(f"error: {err.message}", file=sys.stderr)
        if err.report is not None:
            print(err.report.text(), file=sys.stderr)
        return EXIT_NOT_CONFORMING
    graphs = ", ".join(graph_label(g) for g in result.graphs) or "nothing"
    out.write(
        f"reverted change {args.change} in {store.data_dir}: {result.added:,} quads added, "
        f"{result.removed:,} removed, in {graphs}; changeset {result.changeset} by {name}\n"
    )
    return EXIT_OK


def add_commands(command: Declare) -> None:
    """Declare this module's commands."""
    p = command(
        "revert",
        cmd_revert,
        "Undo one change of a data folder's change log, through the SHACL gate, as a change of "
        "its own; refused (exit 2) when a later change touched the same triples (a server may "
        "be running on the folder).",
        data=False,
    )
    p.add_argument("change", type=int, metavar="CHANGE_ID", help="the change's number (/changes)")
    p.add_argument(
        "--curator",
        metavar="NAME",
        help="who reverts, as the change log records it (default: your login name)",
    )
    p.add_argument("--data-dir", type=Path, help="the server's data folder (SCIDIP_DATA_DIR)")
