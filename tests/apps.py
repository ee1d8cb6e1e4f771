"""Apps on the sample data for Flask's test client: a fresh app, with the settings a test needs."""

from __future__ import annotations

from flask.testing import FlaskClient

from scidip_graph.api import open_graph
from scidip_graph.settings import Settings
from scidip_graph.web import create_app
from tests.conftest import SAMPLE


def sample_client(**settings: object) -> FlaskClient:
    """A test client of a new app on ``tests/data/sample.trig`` with these settings."""
    app = create_app(Settings(**settings), store=open_graph([SAMPLE]).store)  # type: ignore[arg-type]
    return app.test_client()
