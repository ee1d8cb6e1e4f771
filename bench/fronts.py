"""The app as ``scidip-graph serve`` builds it, for the candidate HTTP fronts of bench_keepalive.py.

``scidip-graph serve`` runs the app under gunicorn with its own worker class
(:mod:`scidip_graph.server.prefork`). To compare fronts and nothing else, the candidates serve
the very same app: :func:`~scidip_graph.server.prefork.build_app` (the store, the query runner
with its heavy-query slots, the shared metrics), read from the same ``SCIDIP_*`` variables.

- ``gunicorn --preload ... 'fronts:app()'``: built once in the master, shared by the workers;
- ``granian --factory ... fronts:granian_app``: built in each worker (granian forks no
  master that loaded the app).

Run with ``bench/`` on ``PYTHONPATH`` (bench_keepalive.py sets it). Bench-only: nothing in the
package imports this.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from scidip_graph.server import prefork
from scidip_graph.settings import Settings


def app() -> Any:
    """The app, built from the ``SCIDIP_*`` variables as the server builds it."""
    return prefork.build_app(Settings.from_env())


def _stop_granian_worker() -> None:
    """A query overran: stop this worker, the one way to stop pyoxigraph's evaluation.

    As the server's own ``_stop_worker``, but granian respawns a worker only when it exits
    with a failure (``--respawn-failed-workers``); a worker exiting with 0 stops granian.
    """
    logging.shutdown()
    os._exit(1)


def granian_app() -> Any:
    """The same app for granian: a worker whose query overran exits with a failure."""
    prefork._stop_worker = _stop_granian_worker  # build_app hands it to the app as on_doomed
    return app()
