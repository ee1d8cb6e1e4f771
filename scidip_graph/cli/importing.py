"""The spreadsheet import: ``scidip-graph import FILE.csv|FILE.xlsx``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from scidip_graph.cli.common import (
    EXIT_NOT_CONFORMING,
    EXIT_OK,
    EXIT_USAGE,
    Declare,
    curator_name,
    open_data_folder,
)
from scidip_graph.errors import PayloadTooLargeError, UsageError


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from scidip_graph.curation.importer import plan_sheet
    from scidip_graph.curation.index import NameIndex
    from scidip_graph.curation.pending import commit_plan
    from scidip_graph.curation.sheet import read_sheet
    from scidip_graph.settings import Settings
    from scidip_graph.sparql.tokens import Curator
    from scidip_graph.sparql.tokens_file import EVERY_GRAPH, graph_label

    path = Path(args.file)
    limit = Settings.from_env().max_upload_bytes
    try:
        size = path.stat().st_size
        if size > limit:
            raise PayloadTooLargeError(
                f"{path} ({size:,} bytes) is larger than the limit of {limit:,} bytes",
                hint="Import it in parts, or raise SCIDIP_MAX_UPLOAD_BYTES.",
            )
        data = path.read_bytes()
    except OSError as err:
        raise UsageError(f"cannot read {path}: {err.strerror}") from None
    sheet = read_sheet(data, name=path.name)
    store = open_data_folder(args.data_dir, None)
    name = curator_name(args.curator)
    curator = Curator(name, frozenset({EVERY_GRAPH}))
    plan = plan_sheet(store, NameIndex.build(store), sheet, curator=curator)
    out.write(plan.text() + "\n")
    if not plan.clean:
        print("nothing written: fix what the preview lists, and import again", file=sys.stderr)
        return EXIT_NOT_CONFORMING
    if not args.yes:
        if not sys.stdin.isatty():
            print("nothing written: confirm at the prompt, or give --yes", file=sys.stderr)
            return EXIT_USAGE
        answer = input(f"write {len(plan.rows)} examples into {graph_label(plan.graph)}? [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing written", file=sys.stderr)
            return EXIT_OK
    message = f"import {sheet.name} (sha256 {sheet.digest}): {len(plan.rows)} examples"
    result = commit_plan(store, plan, curator=curator, message=message)
    graphs = ", ".join(graph_label(g) for g in result.graphs)
    out.write(
        f"imported {len(plan.rows)} examples into {store.data_dir}: {result.added:,} quads "
        f"added, in {graphs}; changeset {result.changeset} by {name}\n"
    )
    return EXIT_OK


def add_commands(command: Declare) -> None:
    """Declare this module's commands."""
    p = command(
        "import",
        cmd_import,
        "Import a spreadsheet of examples (CSV in UTF-8, or XLSX; the columns of "
        "docs/import-template.csv) into a data folder: every name reconciled, a preview with "
        "the SHACL report, then, once confirmed, one change into graph:import-DATE-DIGEST. "
        "Exit 1 when the preview is not clean (nothing written).",
        data=False,
    )
    p.add_argument("file", metavar="FILE", help="the sheet: FILE.csv or FILE.xlsx")
    p.add_argument("--yes", action="store_true", help="write a clean preview without asking")
    p.add_argument(
        "--curator",
        metavar="NAME",
        help="who imports, as the change log records it (default: your login name)",
    )
    p.add_argument("--data-dir", type=Path, help="the server's data folder (SCIDIP_DATA_DIR)")
