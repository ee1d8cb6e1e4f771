"""Doctest fixtures: what the package's ``>>>`` examples use, without importing the tests.

- ``sample_store``: a store holding ``tests/data/sample.trig`` (a handful of organisations,
  countries and memberships), loaded once per session.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

SAMPLE = Path(__file__).parent / "tests" / "data" / "sample.trig"


@pytest.fixture(autouse=True, scope="session")
def _doctest_names(doctest_namespace: dict[str, Any]) -> None:
    from scidip_graph.api import open_graph

    doctest_namespace["sample_store"] = open_graph([SAMPLE]).store
