"""``scidip-graph serve``: the SPARQL endpoint and web interface."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from scidip_graph.cli.common import EXIT_OK, Declare
from scidip_graph.store import BACKENDS


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


def add_commands(command: Declare) -> None:
    """Declare this module's commands."""
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
