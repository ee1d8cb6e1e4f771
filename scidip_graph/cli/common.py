"""What the commands share: exit codes, how a command is declared, data folders, graph names."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, TextIO

from scidip_graph.errors import UsageError
from scidip_graph.store import Store

EXIT_OK, EXIT_NOT_CONFORMING, EXIT_USAGE = 0, 1, 2

Handler = Callable[[argparse.Namespace, TextIO], int]
"""A command: its parsed arguments and the output stream in, its exit code out."""


class Declare(Protocol):
    """Declares one command (``scidip-graph NAME``) and returns its parser for its options."""

    def __call__(
        self,
        name: str,
        func: Handler,
        help: str,
        *,
        data: bool = True,
        formats: Sequence[str] = (),
    ) -> argparse.ArgumentParser: ...


def data_folder(given: Path | None) -> Path:
    from scidip_graph.settings import Settings

    return given if given is not None else Settings.from_env().data_dir


def open_data_folder(data_dir: Path | None, source_dir: Path | None) -> Store:
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


def curator_name(given: str | None) -> str:
    """Who writes, as the change log records it: ``--curator``, else the login name."""
    import getpass

    try:
        return given or getpass.getuser()
    except OSError:  # no login name (a container without a passwd entry)
        return "cli"


def one_graph(value: str) -> str:
    """A ``--graph`` value as the store names the graph (an IRI, ``""`` the default graph)."""
    from scidip_graph.sparql.tokens_file import graph_iri

    try:
        graph = graph_iri(value)
    except ValueError as err:
        raise UsageError(str(err)) from None
    if graph == "*":
        raise UsageError("--graph takes one graph, not *")
    return graph
