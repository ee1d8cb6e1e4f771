"""The web app: ``create_app()`` is the only way to get one (STYLE habit 2).

Blueprints (``linkeddata``, ``site``, ``downloads``, ``ops``, ``query_page``,
``permalinks``, ``dry_run``, ``graph_store``), the WSGI fast path for ``/sparql``, templates,
the OpenAPI description, metrics, links. The only room that imports Flask. May import:
sparql, pages and the rooms below them.

>>> from scidip_graph.store import OxigraphStore
>>> app = create_app(store=OxigraphStore())
>>> app.test_client().get("/-/health").json["status"]
'ok'
"""

from __future__ import annotations

import logging
from importlib import import_module
from typing import Any

from flask import Flask

from scidip_graph.settings import Settings
from scidip_graph.sparql.cache import ResultCache
from scidip_graph.sparql.runner import Runner
from scidip_graph.sparql.service import SparqlService
from scidip_graph.store import Store, serve_store
from scidip_graph.web.errors import register_error_handlers
from scidip_graph.web.fastpath import SparqlEndpoint
from scidip_graph.web.links import endpoint_iri
from scidip_graph.web.metrics import Metrics

log = logging.getLogger("scidip_graph.web")

BLUEPRINTS = (
    "query_page",
    "permalinks",
    "ops",
    "site",
    "linkeddata",
    "downloads",
    "dry_run",
    "graph_store",
    "reconcile",
    "history",
    "curate",
)
"""The modules of this package whose ``bp`` blueprint the app registers, in order."""


def create_app(
    settings: Settings | None = None,
    store: Store | None = None,
    *,
    runner: Runner | None = None,
    on_doomed: Any = None,
    shared_metrics: bool = False,
) -> Flask:
    """Build the app.

    Args:
        settings: the settings; read from ``SCIDIP_*`` variables when None.
        store: the store to serve; when None, the one ``settings.store`` names
            (``embedded``: the durable store of ``settings.data_dir``, built from
            ``settings.source_dir`` and validated on first start).
        runner: runs queries under their time limit (the server passes one that knows the
            heavy-query slots); a plain :class:`Runner` by default.
        on_doomed: called after answering a request whose query overran (the server stops
            the worker there).
        shared_metrics: count metrics across pre-forked worker processes (the server).
    """
    settings = settings or Settings.from_env()
    if store is None:
        store = serve_store(settings)
    app = Flask(__name__)
    app.config["SCIDIP_SETTINGS"] = settings
    metrics = Metrics(shared=shared_metrics)
    cache = None
    if settings.cache_bytes > 0 and store.data_dir is not None:
        cache = ResultCache(store.data_dir / "cache", max_bytes=settings.cache_bytes)
    service = SparqlService(
        store,
        settings,
        runner=runner,
        cache=cache,
        on_event=metrics.event,
        base_iri=endpoint_iri(settings),
    )
    app.extensions["scidip"] = {
        "store": store,
        "settings": settings,
        "service": service,
        "metrics": metrics,
        "on_doomed": on_doomed,  # for the Flask routes that run work on the runner too
    }

    for name in BLUEPRINTS:
        app.register_blueprint(import_module(f"{__name__}.{name}").bp)
    register_error_handlers(app)

    @app.before_request
    def catch_up() -> None:
        store.refresh()  # a store with no one else writing returns at once

    from scidip_graph.web.ops import after_request

    app.after_request(after_request)
    app.wsgi_app = SparqlEndpoint(  # type: ignore[method-assign]
        app.wsgi_app,
        service,
        before=store.refresh_lazily,
        observe=metrics.observe,
        on_doomed=on_doomed,
    )
    return app
