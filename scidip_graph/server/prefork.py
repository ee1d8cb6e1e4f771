"""The production server: gunicorn, pre-forked workers sharing one loaded store.

The master process loads the store once (validating the source data on first start) and forks
the workers, which share its memory copy-on-write. Each worker answers one request at a time;
before answering it applies any changesets it has not seen. A query that overruns its time
limit gets a 503 and its worker exits right after sending it; the master forks a fresh one,
so the engine's work really stops while the other workers keep answering. A query that runs
past ``heavy_after`` lowers its worker's CPU priority (and the worker is replaced afterwards),
and only ``heavy_limit`` of those run at once (on a store that evaluates in the worker: a remote
store's queries run in the store, so none turns heavy). Either way the worker first gives its other
kept-alive connections to the idle workers (:mod:`scidip_graph.server.handoff`).
"""

from __future__ import annotations

import gc
import logging
import os
import shutil
from typing import Any

from gunicorn.app.base import BaseApplication

from scidip_graph.server.handoff import Handoff
from scidip_graph.settings import Settings, query_memory_bytes
from scidip_graph.sparql import egress
from scidip_graph.sparql.runner import (
    ENGINE_STACK,
    HeavySlots,
    Runner,
    lower_priority,
    release_free_memory,
)
from scidip_graph.store import serve_store, served_backend

log = logging.getLogger("scidip_graph.server.prefork")

WATCHDOG_MARGIN = 15.0
"""Seconds past the query time limit after which gunicorn itself stops a silent worker."""


_worker: Any = None
"""This process's worker (a :class:`~scidip_graph.server.worker.PatientWorker`), once forked."""


def _stop_worker() -> None:
    """Called once a doomed worker has sent its answer: stop the process and its query now."""
    handed = _worker.shed() if _worker is not None else 0
    log.warning(
        "worker %d stops: its query overran or ran heavy; a fresh worker replaces it "
        "(%d kept connections handed to other workers)",
        os.getpid(),
        handed,
    )
    logging.shutdown()
    os._exit(0)


def _on_heavy(native_id: int) -> None:
    """A query turned heavy: lower its thread's priority, and give this worker's other
    connections to idle workers rather than have them wait for it."""
    lower_priority(native_id)
    if _worker is not None:
        _worker.shed()


class ScidipServer(BaseApplication):  # type: ignore[misc]
    """gunicorn, configured from :class:`Settings`, serving :func:`create_app`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.application: Any = None
        # Made before the workers fork: they all share it. Places on its board for twice the
        # workers: a stopped worker's replacement may start before the master has reaped it.
        self.handoff = Handoff(slots=2 * max(settings.workers, 1))
        super().__init__()

    def load_config(self) -> None:
        s = self.settings
        config = {
            "bind": f"{s.host}:{s.port}",
            "workers": s.workers,
            "worker_class": "scidip_graph.server.worker.PatientWorker",
            "preload_app": True,
            "backlog": s.backlog,
            "timeout": int(s.query_timeout + WATCHDOG_MARGIN),
            "graceful_timeout": 10,
            "keepalive": round(s.keepalive_seconds),  # informative: the worker's loop keeps them
            "accesslog": None,  # ours (fast path and Flask) never logs tokens or whole queries
            "errorlog": "-",
            "loglevel": "info",
            "proc_name": "scidip-graph",
            "child_exit": _child_exit,
            "pre_fork": _pre_fork,
            "post_fork": _post_fork,
            "when_ready": _when_ready,
            "on_exit": _on_exit,
            "control_socket_disable": True,  # no admin socket in the home folder
        }
        for key, value in config.items():
            if key in self.cfg.settings:  # older gunicorn releases lack some settings
                self.cfg.set(key, value)

    def load(self) -> Any:
        if self.application is None:
            self.application = build_app(self.settings)
        return self.application

    @property
    def runner(self) -> Runner:
        """The app's query runner (a worker reads whether its query overran)."""
        runner: Runner = self.load().extensions["scidip"]["service"].runner
        return runner


def build_app(settings: Settings) -> Any:
    """The app as the master loads it: metrics shared through files, heavy slots shared."""
    metrics_dir = settings.data_dir / "metrics"
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    from scidip_graph.web import create_app

    store = serve_store(settings)
    log.info(
        "%s store: %d quads in %d named graphs (data version %s)",
        store.name,
        len(store),
        len(store.graph_names()),
        store.version,
    )
    # A store that evaluates elsewhere leaves the worker waiting on a socket, not burning CPU:
    # nothing to lower the priority of, no worker to replace, no slot to hold for it.
    here = store.evaluates_in_process
    runner = Runner(
        heavy_after=settings.heavy_after if here else None,
        heavy_slots=HeavySlots(settings.heavy_limit) if here else None,
        memory_limit=query_memory_bytes(settings),
        on_heavy=_on_heavy,
    )
    if settings.write_token or settings.tokens_file:
        from scidip_graph.ingest.gate import warm

        warm()  # the workers' first write then finds the shapes read and pyshacl loaded
    app = create_app(settings, store, runner=runner, on_doomed=_stop_worker, shared_metrics=True)
    settle_before_fork()
    return app


def settle_before_fork() -> None:
    """In the master, once the store is loaded: give back to the system the memory that loading
    freed (else every worker maps it too), and put the objects made so far out of the garbage
    collector's reach (``gc.freeze``), so that a worker collecting does not write to, and so
    copy, the pages they share with the master."""
    gc.collect()
    release_free_memory()
    gc.freeze()


def _child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
    server.app.handoff.release_slot(getattr(worker, "slot", None))  # however it ended


def _pre_fork(server: Any, worker: Any) -> None:
    """In the master, before each fork: give the worker its place on the board of idle
    workers (:mod:`.handoff`); close the store's files and connections (the change log's
    SQLite connection must not cross a fork, see ``DurableStore.close``); each worker opens
    its own. The master itself serves nothing, so it does not open them again."""
    worker.slot = server.app.handoff.claim_slot()
    server.app.application.extensions["scidip"]["store"].close()


def _post_fork(server: Any, worker: Any) -> None:
    """In each new worker, before it serves and before any thread starts: the OS barriers."""
    global _worker
    _worker = worker
    settings: Settings = server.app.settings
    limit_address_space(query_memory_bytes(settings))
    if not settings.egress_barrier:
        return
    store = {settings.store_query_url, settings.store_update_url, settings.store_gsp_url}
    ports = egress.allowlist_ports(settings.service_allowlist | settings.graph_allowlist | store)
    if egress.deny_outgoing(ports):
        log.debug("worker %d: outgoing TCP denied except to ports %s", os.getpid(), sorted(ports))
    else:
        log.warning(
            "worker %d: Landlock network rules are unavailable (kernel ABI %d); SERVICE and "
            "LOAD are stopped by the query policy and the raw-text check only",
            os.getpid(),
            egress.landlock_abi(),
        )


def limit_address_space(budget: int) -> int | None:
    """The backstop behind the memory sampler: a kernel limit on the worker's address space.

    The runner samples memory every few milliseconds; one huge allocation between two samples
    could still pass the budget by far. ``RLIMIT_AS`` makes such an allocation fail instead
    (the worker then dies and is replaced: a crash, but one that cannot take the machine).
    Set to what the worker maps now, plus the engine thread's stack and the arenas of its
    threads, plus three budgets, so the sampler always acts first.

    Returns:
        The limit set in bytes, or None where it cannot be read or set.
    """
    import resource

    try:
        with open("/proc/self/statm", "rb") as statm:
            mapped = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = mapped + ENGINE_STACK + 512 * 2**20 + 3 * budget
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError) as err:
        log.warning("could not limit the address space of worker %d: %s", os.getpid(), err)
        return None
    return limit


def _when_ready(server: Any) -> None:
    s = server.app.settings
    log.info(
        "scidip-graph serving on http://%s:%d/sparql with %d workers (query limit %g s)",
        s.host,
        s.port,
        s.workers,
        s.query_timeout,
    )


def _on_exit(server: Any) -> None:
    log.info("scidip-graph stopped")


def serve(settings: Settings) -> None:
    """Run the server until it is stopped (SIGINT or SIGTERM: graceful shutdown).

    Raises:
        UnknownNameError: ``settings.store`` names no store backend (before anything starts).
    """
    served_backend(settings)  # an unknown SCIDIP_STORE fails here, not inside gunicorn
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    server = ScidipServer(settings)
    with server.handoff:  # closed here too when the app cannot start (SystemExit)
        server.run()
