"""The ``scidip-graph`` command.

Exit codes: 0 success; 1 the data does not conform to the shapes; 2 a usage or load error
(bad option, unknown format, unreadable or malformed file, bad query); 141 the reader of the
output stopped early (``| head``), as for tools that SIGPIPE stops. Library code raises;
only this module prints and exits.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from scidip_graph.cli import building, curating, importing, reading, serving, writing
from scidip_graph.cli.common import EXIT_NOT_CONFORMING, EXIT_OK, EXIT_USAGE, Handler
from scidip_graph.errors import DataSyntaxError, NotConformingError, ScidipError, UsageError
from scidip_graph.version import __version__

COMMANDS = (reading, serving, building, writing, curating, importing)
"""The modules that declare the commands, in the order ``--help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: each module of :data:`COMMANDS` declares its commands."""
    parser = argparse.ArgumentParser(
        prog="scidip-graph",
        description="The science diplomacy knowledge graph: validate, query, export.",
        epilog="Exit codes: 0 ok, 1 data does not conform, 2 usage or load error.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str,
        func: Handler,
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

    for module in COMMANDS:
        module.add_commands(command)
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


__all__ = ["EXIT_CLOSED_PIPE", "EXIT_NOT_CONFORMING", "EXIT_OK", "EXIT_USAGE", "main", "run"]
