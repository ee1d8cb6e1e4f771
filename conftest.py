"""Doctest fixtures: what the package's ``>>>`` examples use, without importing the tests.

- ``sample_store``: a store holding ``tests/data/sample.trig`` (a handful of organisations,
  countries and memberships), loaded once per session.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from _pytest.doctest import DoctestItem

SAMPLE = Path(__file__).parent / "tests" / "data" / "sample.trig"


@pytest.fixture(scope="session")
def _sample_store() -> Any:
    from scidip_graph.api import open_graph

    return open_graph([SAMPLE]).store


@pytest.fixture(autouse=True)
def _doctest_names(request: pytest.FixtureRequest, doctest_namespace: dict[str, Any]) -> None:
    if isinstance(request.node, DoctestItem):  # the other tests have their own fixtures
        doctest_namespace["sample_store"] = request.getfixturevalue("_sample_store")
