"""Prometheus metrics, shared by the worker processes.

With pre-forked workers each process counts on its own; prometheus_client's multiprocess mode
keeps the counts in files of one folder (``PROMETHEUS_MULTIPROC_DIR``, set by the server before
the workers fork) and adds them up when ``/-/metrics`` is read. Without that variable (tests,
the CLI) the counts stay in this process.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)


class Metrics:
    """The server's counters: requests by route and status, latency, query events."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self, *, shared: bool = False) -> None:
        # Shared (the pre-fork server, which sets PROMETHEUS_MULTIPROC_DIR before anything
        # imports prometheus_client): counts in files, summed on read. Else this process only.
        self._shared = shared and bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
        # Shared mode: metrics go to the default registry backed by files; else a private one.
        registry = REGISTRY if self._shared else CollectorRegistry()
        self._registry = registry
        self.requests = Counter(
            "scidip_http_requests",
            "HTTP requests answered.",
            ["route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "scidip_http_request_seconds",
            "Time to answer a request.",
            ["route"],
            buckets=BUCKETS,
            registry=registry,
        )
        self.events = Counter(
            "scidip_query_events",
            "Query events: timeout, memory, rejected, cache_hit, capped, busy.",
            ["event"],
            registry=registry,
        )

    def observe(self, route: str, status: int, seconds: float) -> None:
        """Count one answered request."""
        self.requests.labels(route, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def event(self, name: str) -> None:
        """Count one query event."""
        self.events.labels(name).inc()

    def render(self) -> bytes:
        """The Prometheus text exposition of every worker's counts."""
        if self._shared:
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            return generate_latest(registry)
        return generate_latest(self._registry)
