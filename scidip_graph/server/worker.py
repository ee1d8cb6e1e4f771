"""The gunicorn worker: slow clients wait in an event loop, never in a worker's request.

gunicorn's sync worker reads a request and writes its answer with blocking calls, so a client
that sends its headers a byte at a time, or reads a large answer a byte at a time, holds the
worker (and with one worker per core, a handful of them hold the server). A per-read timeout
does not help: a byte every few seconds is never silent long enough.

:class:`PatientWorker` keeps gunicorn's request handling (its parser, limits, error answers and
WSGI environment) but puts a ``selectors`` loop around it. The loop accepts connections and
reads them without blocking into buffers (:mod:`scidip_graph.server.connections`); only a connection
whose whole request has arrived (headers, and the body by Content-Length or chunked) goes to
gunicorn's ``handle()``, which reads it from the buffer. The answer goes to the kernel as far as
the kernel takes it, the rest to an outbox the loop flushes. So a dripping or slowly reading
client costs a buffer and a file descriptor, never the worker's time. Deadlines bound both ends:
``client_timeout`` for the whole request (past it the client is dropped, or answered 408 by the
app when its headers had arrived), ``send_timeout`` for handing the whole answer to the kernel
(past it the connection is reset).

Keep-alive: an answered connection goes back to the loop for its next request (idle at most
``keepalive_seconds``, at most ``keepalive_requests`` answers). Decided after the app ran, before
the head goes out: ``Connection: close`` when the client asks, when bytes of another request
came with this one (pipelined: the client resends it), when the worker stops, or when its query
overran. When a query turns heavy or overruns, the worker gives its other connections to an idle
worker (:mod:`scidip_graph.server.handoff`): a heavy query parks a light one at most
``heavy_after``, and a doomed worker exits without cutting a kept connection.

What the sync worker gave, kept:

- one request at a time runs the app, on this process's main thread;
- a response's ``close()`` runs once its bytes are all handed to the kernel (or the send
  deadline passes, or the client is gone): the app stops a doomed worker there with
  ``os._exit``, so its last answer goes out first. Whatever else the worker holds at that
  moment is cut: the other clients see their connection closed, as when a worker is killed;
- gunicorn's heartbeat (``notify()``) every turn of the loop, at least once a second;
- SIGTERM (or ``max_requests``) stops accepting, serves the requests that complete, flushes
  the answers, and exits within the graceful timeout;
- gunicorn's limits on the request line and headers, applied by gunicorn's own parser;
- no ``sendfile``: a file answer goes through the outbox under the same deadline (the wrapper
  that defers ``close()`` is not a ``wsgi.file_wrapper``, so gunicorn iterates it).

When does a worker accept? While no request is ready to run in it, and while it holds fewer
than gunicorn's ``worker_connections`` clients (or half the file descriptors it may open).
Connections the worker has not accepted stay in the kernel's queue, where any idle worker takes
them; a connection it has accepted is its own until closed, so a request that becomes whole in
a busy worker waits there. Hence the order: a worker reads a connection as soon as it accepts
it (a request usually arrives whole with its connection), and runs that request before it
accepts another; while the app runs, the loop does not turn, so a busy worker accepts nothing
and the queue's requests go to idle workers. When no worker is idle (each answering its kept
connections' requests back to back), a connection that has waited :data:`ACCEPT_WAIT` in the
queue is taken by the next worker between two requests, and so is a connection another worker
handed over. Connections that arrive together (a client pool opening its connections at once)
may all be accepted by one worker: when requests then wait together in a worker after a
request that took a while, all but the one it runs next go to the idle workers
(:meth:`PatientWorker._spread`), so the connections settle where the workers are. What stays
exposed: a connection in a worker that starts a long query waits until the query turns heavy
(``heavy_after``) and the worker hands it over; a request of more than
:data:`~scidip_graph.server.handoff.MAX_CARRIED` read so far cannot be carried, and waits for
the query (at most the query time limit). While the app runs, the outboxes are not flushed
either; the kernel's buffers keep the readers going meanwhile.

Why not hold at most ``backlog`` waiting clients per worker: 300 clients dripping headers then
filled both workers' 64 places and the kernel's queue, and a light query waited 11 s. A waiting
client costs little: its head (gunicorn's header limit, usually under a kilobyte) and at most
1 MiB of body in memory, the rest in a temporary file; an answer waiting for a slow reader
likewise keeps 1 MiB in memory and the rest in a file.
"""

from __future__ import annotations

import errno
import os
import resource
import selectors
import socket
import sys
import time
from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import Any

from gunicorn import util
from gunicorn.http import wsgi as gunicorn_wsgi
from gunicorn.workers.sync import SyncWorker

from scidip_graph.server.connections import Client, ClientSocket, Phase
from scidip_graph.server.framing import RequestBuffer
from scidip_graph.server.handoff import MAX_CARRIED

TICK = 1.0
"""Longest wait of the loop, in seconds: the heartbeat and the parent check run this often."""
ACCEPT_BURST = 32
"""Connections accepted in a row while none brings a whole request (a burst of slow clients)."""
ACCEPT_WAIT = 0.02
"""Seconds a new connection may wait in the kernel's queue, or a handed-over one in the
hand-over queue, while this worker has requests to run, before it takes one anyway: an idle
worker takes it first, and when none is idle (every worker busy with its kept connections'
requests), it does not wait for one. Before, the first request of a new connection waited up to
1.2 s behind the kept ones, and a handed-over one until the heavy query it left ended."""
_LISTENER = "listener"
_HANDOFF = "handoff"
_WAKE = "wake"
_EVENTS = {
    Phase.READING: selectors.EVENT_READ,
    Phase.WRITING: selectors.EVENT_WRITE,
    Phase.LINGERING: selectors.EVENT_READ,
}
_ON_EVENT: dict[Phase, Callable[[Client], None]] = {
    Phase.READING: Client.receive,
    Phase.WRITING: Client.flush,
    Phase.LINGERING: Client.linger,
}


class PatientWorker(SyncWorker):  # type: ignore[misc]
    """gunicorn's sync worker inside an event loop that holds the slow clients (see above)."""

    wsgi: Any
    _current: Client | None = None  # the client whose request the app is answering
    _keep = False  # whether the answer just given keeps its connection open

    def run(self) -> None:
        if self.cfg.is_ssl:
            raise RuntimeError("PatientWorker speaks no TLS: put a TLS proxy in front of it")
        settings = self.app.settings
        self._request_seconds = settings.client_timeout
        self._send_seconds = settings.send_timeout
        self._max_body = settings.max_upload_bytes
        self._idle_seconds = settings.keepalive_seconds
        self._max_answers = settings.keepalive_requests
        self._runner = self.app.runner
        self._handoff = self.app.handoff
        self._slot: int | None = getattr(self, "slot", None)  # on the board of idle workers
        self._idle = False
        self._last_run = 0.0  # seconds the last request took to run
        # A client holds up to two descriptors: its socket and a buffer spilled to a file.
        descriptors = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        if descriptors == resource.RLIM_INFINITY:
            descriptors = 2 * self.cfg.worker_connections
        self._max_clients = max(1, min(self.cfg.worker_connections, descriptors // 2 - 16))
        self._selector = selectors.DefaultSelector()
        self._selector.register(self.PIPE[0], selectors.EVENT_READ, _WAKE)
        self._clients: set[Client] = set()
        self._ready: deque[Client] = deque()
        self._listening = self._taking = False
        self._queued_since: float | None = None  # a connection waits in the kernel's queue
        self._handed_since: float | None = None  # a connection waits in the hand-over queue
        for listener in self.sockets:
            listener.setblocking(False)
        stop_by: float | None = None
        wait = 0.0
        while True:
            self.notify()
            if stop_by is None and not (self.alive and self.is_parent_alive()):
                stop_by = self._stop()
            if stop_by is not None and not self._clients:
                break
            # Idle: nothing to answer, room to take a connection another worker gives, and not
            # about to exit (a doomed worker's last answer may still be leaving).
            room = stop_by is None and len(self._clients) < self._max_clients
            self._set_idle(room and not self._ready and not self._runner.doomed)
            # Read and write first, then the deadlines: bytes that came while the app ran count.
            queued = handed = False
            for key, _ in self._selector.select(wait):
                if key.data is _WAKE:
                    self._drain_wakeups()
                elif key.data is _LISTENER:
                    queued = True
                    self._accept(key.fileobj)
                elif key.data is _HANDOFF:
                    handed = True
                    self._take_handed()
                elif action := _ON_EVENT.get(key.data.phase):
                    self._step(key.data, action)
            if not queued:
                self._queued_since = None
            if not handed:
                self._handed_since = None
            soonest = self._expire()
            served = bool(self._ready)
            if served:
                client = self._ready.popleft()
                self._set_idle(False)
                if self._ready and self._last_run >= ACCEPT_WAIT:
                    self._spread()
                started = time.monotonic()
                self._serve(client)
                self._last_run = time.monotonic() - started
            room = stop_by is None and len(self._clients) < self._max_clients
            self._listen(room, taking=room)
            wait = 0.0 if served else max(0.0, min(TICK, soonest - time.monotonic()))
        self._set_idle(False)
        self._selector.close()

    def load_wsgi(self) -> None:
        super().load_wsgi()
        app: Any = self.wsgi

        def wsgi(environ: dict[str, Any], start_response: Any) -> Any:
            body = app(environ, start_response)
            return body if self._current is None else _AfterSent(body, self._current)

        self.wsgi = wsgi

    # -- the loop ---------------------------------------------------------------------------

    def _accept(self, listener: Any) -> None:
        """Accept connections until one brings a whole request (usually the first), the queue
        is empty, or :data:`ACCEPT_BURST` connections were taken. With requests to run, one
        connection, and only once it has waited :data:`ACCEPT_WAIT` for an idle worker."""
        leave, self._queued_since = self._leave_to_idle(self._queued_since)
        if leave:
            return
        burst = 1 if self._ready else ACCEPT_BURST
        for taken in range(burst):
            if (self._ready and taken) or len(self._clients) >= self._max_clients:
                return
            try:
                sock, addr = listener.accept()
            except OSError as err:
                if err.errno in (errno.EAGAIN, errno.ECONNABORTED, errno.EWOULDBLOCK):
                    return  # none left, or another worker was quicker
                raise
            util.close_on_exec(sock)
            self._add(sock, addr)

    def _take_handed(self) -> None:
        """Take a connection another worker gave away (see :meth:`shed`): at once when idle;
        with requests to run, once it has waited :data:`ACCEPT_WAIT` for an idle worker. It
        has waited already, in the worker that gave it away: while every worker answers its
        kept connections back to back, none is ever idle, and it would wait for the heavy
        query it was given away from to end (seconds, under load) had only idle ones taken."""
        if len(self._clients) >= self._max_clients:
            return
        leave, self._handed_since = self._leave_to_idle(self._handed_since)
        if leave:
            return
        handed = self._handoff.take()
        if handed is None:
            return  # another idle worker was quicker
        sock, carried = handed
        try:
            addr = sock.getpeername()
        except OSError:  # the client left meanwhile
            sock.close()
            return
        self._add(sock, addr, carried)

    def _leave_to_idle(self, since: float | None) -> tuple[bool, float | None]:
        """The rule for a connection waiting in a queue (the kernel's, or the hand-over one)
        that this worker sees: idle, it takes it; with requests to run, it leaves it to an
        idle worker until it has waited :data:`ACCEPT_WAIT` since this worker first saw it
        waiting (``since``). Returns whether to leave it, and the new ``since``."""
        if not self._ready:
            return False, None
        now = time.monotonic()
        if since is None:
            since = now
        if now - since < ACCEPT_WAIT:
            return True, since
        return False, None

    def _add(self, sock: socket.socket, addr: Any, carried: bytes | None = None) -> None:
        """Hold a new connection (``carried``: the bytes of its request another worker read;
        b"" for a kept connection between requests) and read what it sent."""
        request = RequestBuffer(self.cfg, addr, max_body=self._max_body)
        idle = carried == b""
        seconds = self._idle_seconds if idle else self._request_seconds
        client = Client(
            sock,
            addr,
            self.sockets[0],
            request,
            deadline=time.monotonic() + seconds,
            idle=idle,
            request_seconds=self._request_seconds,
        )
        self._clients.add(client)
        if carried and request.feed(carried):
            client.phase = Phase.READY
        self._step(client, Client.receive)

    def _serve(self, client: Client) -> None:
        """Run gunicorn's request handling (and the app) on a whole request."""
        client.phase = Phase.SERVING
        self._current, self._keep = client, False
        try:
            self.handle(client.listener, ClientSocket(client), client.addr)
        finally:
            self._current = None
        now = time.monotonic()
        deadline = now + self._send_seconds
        if self._keep:
            then = RequestBuffer(self.cfg, client.addr, max_body=self._max_body)
            idle_until = now + self._idle_seconds
            self._step(client, lambda c: c.answered(deadline, then=then, idle_until=idle_until))
        else:
            self._step(client, lambda c: c.answered(deadline))

    def handle_request(self, listener: Any, req: Any, client: Any, addr: Any) -> None:
        """gunicorn's sync ``handle_request``, with the keep-alive decision instead of
        closing every connection (gunicorn 27; its hooks, access log and errors as there)."""
        environ: dict[str, Any] = {}
        resp = None
        try:
            self.cfg.pre_request(self, req)
            request_start = datetime.now()
            resp, environ = gunicorn_wsgi.create(
                req, client, addr, listener.getsockname(), self.cfg
            )
            self.nr += 1
            if self.nr >= self.max_requests:
                self.log.info("Autorestarting worker after current request.")
                self.alive = False
            respiter = self.wsgi(environ, resp.start_response)
            keep = self._keeps(self._current)  # the app has run; the head is not sent yet
            if not keep:
                resp.force_close()
            try:
                if isinstance(respiter, environ["wsgi.file_wrapper"]):
                    resp.write_file(respiter)
                else:
                    for item in respiter:
                        resp.write(item)
                resp.close()
            finally:
                request_time = datetime.now() - request_start
                self.log.access(resp, req, environ, request_time)
                if hasattr(respiter, "close"):
                    respiter.close()
            self._keep = keep and not resp.should_close()
        except OSError:
            util.reraise(*sys.exc_info())
        except (Exception, SystemExit):
            if resp and resp.headers_sent:
                self.log.exception("Error handling request")
                util.close_graceful(client)
                raise StopIteration() from None
            raise
        finally:
            try:
                self.cfg.post_request(self, req, environ, resp)
            except Exception:
                self.log.exception("Exception in post_request hook")

    def _keeps(self, client: Client | None) -> bool:
        """Whether the connection may carry another request after this answer."""
        return (
            client is not None
            and self._idle_seconds > 0
            and client.request.exact
            and client.served + 1 < self._max_answers
            and self.alive
            and not self._runner.doomed
        )

    def shed(self) -> int:
        """Give every connection waiting for (or with) a request that has not begun running
        to an idle worker; this one is about to be busy a long time, or to exit. Connections
        whose answer is leaving stay. Returns how many went."""
        return sum(
            self._give(client)
            for client in list(self._clients)
            if client.phase in (Phase.READING, Phase.READY)
        )

    def _spread(self) -> None:
        """Requests wait beside the one about to run, and the last one took a while (at least
        :data:`ACCEPT_WAIT`): give the last ones to the idle workers, one each, rather than
        have them wait their turn here (see :mod:`.handoff`). Not after a request of a
        millisecond: the next ones would wait as little, and moving a connection costs more
        than that (light queries at 2 workers and 8 connections ran 25% slower when every
        wait moved one)."""
        idle = self._handoff.idle_workers()
        if idle:
            for client in list(self._ready)[-idle:]:
                self._give(client)

    def _give(self, client: Client) -> bool:
        """Give a connection whose request has not begun running to another worker."""
        if client.request.received > MAX_CARRIED:
            return False  # too much to carry: it stays (and waits, or is cut at the exit)
        if not self._handoff.give(client.sock, client.carried()):
            return False
        if client in self._ready:
            self._ready.remove(client)
        self._step(client, Client.close)  # this process's descriptor only: no FIN
        return True

    def _set_idle(self, idle: bool) -> None:
        if idle != self._idle:
            self._handoff.set_idle(self._slot, idle)
            self._idle = idle

    def _step(self, client: Client, action: Callable[[Client], None]) -> None:
        """Move a client on, then bring the selector, the ready queue and the client set in
        line with its phase. A failure costs that client its connection, never the worker."""
        try:
            action(client)
        except Exception:
            self.log.exception("error on the connection of %s", client.addr)
            client.close()
        events = _EVENTS.get(client.phase, 0)
        if events != client.events:
            if not client.events:
                self._selector.register(client.sock, events, client)
            elif events:
                self._selector.modify(client.sock, events, client)
            else:
                self._selector.unregister(client.sock)
            client.events = events
        if client.phase is Phase.READY:
            self._ready.append(client)
        elif client.phase is Phase.CLOSED:
            self._clients.discard(client)

    def _expire(self) -> float:
        """Act on the deadlines that passed; the soonest one left."""
        now = time.monotonic()
        soonest, due = now + TICK, []
        for client in self._clients:
            if client.phase in (Phase.READY, Phase.SERVING):
                continue
            if client.deadline <= now:
                due.append(client)
            else:
                soonest = min(soonest, client.deadline)
        for client in due:
            if client.phase is Phase.READING and not (client.request.head_done or client.idle):
                self.log.debug(
                    "dropped %s: no whole request in %g s", client.addr, self._request_seconds
                )
            elif client.phase is Phase.WRITING:
                self.log.debug("cut %s: answer not sent in %g s", client.addr, self._send_seconds)
            self._step(client, Client.expire)
        return soonest

    def _listen(self, on: bool, *, taking: bool) -> None:
        """Watch the listening sockets (``on``) and the queue of connections other workers
        hand over (``taking``)."""
        if on != self._listening:
            for listener in self.sockets:
                if on:
                    self._selector.register(listener, selectors.EVENT_READ, _LISTENER)
                else:
                    self._selector.unregister(listener)
            self._listening = on
        if taking != self._taking:
            if taking:
                self._selector.register(self._handoff, selectors.EVENT_READ, _HANDOFF)
            else:
                self._selector.unregister(self._handoff)
            self._taking = taking

    def _drain_wakeups(self) -> None:
        try:
            while os.read(self.PIPE[0], 4096):
                pass
        except BlockingIOError:
            pass

    def _stop(self) -> float:
        """Stop accepting; what is under way gets until the graceful timeout (less a second)."""
        stop_by = time.monotonic() + max(0.0, float(self.cfg.graceful_timeout) - 1.0)
        self._listen(False, taking=False)
        for client in list(self._clients):
            if client.phase is Phase.READING and not client.request.received:
                self._step(client, Client.close)  # opened, nothing sent: nothing to finish
            else:
                client.deadline = min(client.deadline, stop_by)
        return stop_by


class _AfterSent:
    """A WSGI response whose ``close()`` waits until its bytes are sent (or cut off)."""

    def __init__(self, body: Any, client: Client) -> None:
        self._body = body
        self._client = client

    def __iter__(self) -> Any:
        return iter(self._body)

    def close(self) -> None:
        close = getattr(self._body, "close", None)  # optional in WSGI
        if close is None:
            return
        if self._client.phase is Phase.CLOSED:
            close()
        else:
            self._client.after_sent = close
