"""Shared fixtures: a small sample dataset and the bundled knowledge graph."""

from __future__ import annotations

import gc
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from scidip_graph.api import KnowledgeGraph, open_graph
from scidip_graph.ingest.loading import bundled_files
from scidip_graph.resources import DATA_DIR
from tests.remote_stores import StoreServer

TESTS = Path(__file__).parent
SAMPLE = TESTS / "data" / "sample.trig"


@pytest.fixture(scope="session")
def sample_kg() -> KnowledgeGraph:
    return open_graph([SAMPLE])


@pytest.fixture(scope="session")
def bundled_kg() -> KnowledgeGraph:
    if not bundled_files():
        pytest.skip("no bundled data yet")
    return open_graph()


@pytest.fixture(scope="session")
def core_sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled files without the case files (data/cases/): what the write tests need
    (CERN, SESAME, the countries, the editorial graph), a tenth of the data to copy per test."""
    folder = tmp_path_factory.mktemp("core-sources")
    for path in DATA_DIR.glob("*.trig"):
        (folder / path.name).symlink_to(path)
    return folder


@pytest.fixture(autouse=True, scope="module")
def _collect_leaked_sockets() -> Iterator[None]:
    """Collect at the end of each module what its real clients left to the garbage collector.

    SPARQLWrapper and rdflib's SPARQLStore leave HTTP responses unclosed; collected later,
    in another module, their ResourceWarning would fail an unrelated test.
    """
    yield
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreServer]:
    """An Oxigraph server on loopback for the session (tests/remote_stores.py)."""
    from tests.remote_stores import OxigraphServer

    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StoreServer]:
    """A Virtuoso server on loopback for the session; skips, saying why, where it is missing."""
    from tests.remote_stores import VirtuosoServer, virtuoso_missing

    if reason := virtuoso_missing():
        pytest.skip(reason)
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()
