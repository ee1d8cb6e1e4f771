"""One client connection as :class:`~scidip_graph.server.worker.PatientWorker` holds it.

A connection is read without blocking until its whole request is buffered; then gunicorn's own
request handling reads it from :class:`ClientSocket`, which replays the buffer, and writes the
answer there, which goes to the kernel as far as the kernel takes it and into an outbox for the
rest. The worker's loop flushes the outbox and closes the connection. Two deadlines bound a
client: the whole request must arrive within one, the whole answer must be handed to the kernel
within the other.

When is a request whole: :mod:`.framing` decides, with gunicorn's own parser. Should its
reading and gunicorn's ever differ, the request deadline is the second barrier, which reads
nothing: past the buffer, :class:`ClientSocket` reads the socket itself, blocking, but never
past that deadline.

A connection kept alive (HTTP/1.1) goes back to reading once its answer is out, *idle* until
the first byte of its next request: until then it has the keep-alive deadline, from then on
the request deadline again.
"""

from __future__ import annotations

import contextlib
import enum
import fcntl
import logging
import socket
import struct
import termios
import time
from collections.abc import Callable
from typing import Any

from scidip_graph.server.framing import CHUNK, RequestBuffer, Tape

log = logging.getLogger("scidip_graph.server.worker")

LINGER_SECONDS = 2.0
LINGER_BYTES = 64 * 1024
"""Once the answer is out, how long and how much the client may still send before it is closed
(as gunicorn's ``close_graceful``: closing with unread input would reset the connection and
could lose the end of the answer); longer, up to the send deadline, while it is still reading."""
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"


class Phase(enum.Enum):
    """Where a connection is."""

    READING = "the request is arriving"
    READY = "the request is whole, waiting for the app"
    SERVING = "the app is answering"
    WRITING = "the answer is leaving through the outbox"
    LINGERING = "the answer is out; waiting for the client to close"
    CLOSED = "closed"


class Client:
    """One connection: its request coming in, its answer going out, the deadline of each.

    Args:
        sock: the accepted socket (made non-blocking here).
        addr: the client's address.
        listener: the socket it was accepted on.
        request: where its request is buffered.
        deadline: when its whole request must have arrived (``time.monotonic()``); for an
            idle connection, when it is closed if no request has begun.
        idle: a kept connection waiting for a request of which nothing has come yet.
        request_seconds: the time a request has from its first byte, on an idle connection.

    Attributes:
        phase: where the connection is (see :class:`Phase`).
        deadline: the deadline of this phase: the whole request, the whole answer, the linger.
        after_sent: called once the answer is sent or cut off (the response's ``close()``; a
            doomed worker exits there).
        events: the selector events the worker waits for on this connection.
        served: the answers sent on this connection.
    """

    def __init__(
        self,
        sock: socket.socket,
        addr: Any,
        listener: Any,
        request: RequestBuffer,
        *,
        deadline: float,
        idle: bool = False,
        request_seconds: float = 0.0,
    ) -> None:
        sock.setblocking(False)
        self.sock = sock
        self.addr = addr
        self.listener = listener
        self.request = request
        self.phase = Phase.READING
        self.deadline = deadline
        self.request_deadline = deadline
        self.send_deadline = deadline
        self.continued = False
        self.after_sent: Callable[[], None] | None = None
        self.events = 0
        self.idle = idle
        self.request_seconds = request_seconds
        self.served = 0
        self._next: RequestBuffer | None = None
        self._idle_until = 0.0
        self._outbox: Tape | None = None
        self._sending: Tape | None = None
        self._lingered = 0

    # -- the request ------------------------------------------------------------------------

    def receive(self) -> None:
        """Read what the kernel holds; the phase says what came of it."""
        while self.phase is Phase.READING:
            try:
                data = self.sock.recv(CHUNK)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if not data:  # gone before its request was whole: nobody to answer
                self.close()
                return
            if self.idle:  # a kept connection's next request begins: the request deadline
                self.idle = False
                self.deadline = self.request_deadline = time.monotonic() + self.request_seconds
            if self.request.feed(data):
                self.phase = Phase.READY
            elif self.request.expects_continue and not self.continued:
                self.continued = True  # the client waits for this before it sends the body
                self.send(CONTINUE)

    def expire(self) -> None:
        """The phase's deadline has passed."""
        if self.phase is Phase.READING and self.request.head_done:
            self.phase = Phase.READY  # the app reads the body, meets the deadline and says 408
        elif (self.phase is Phase.LINGERING or self.idle) and unsent(self.sock):
            now = time.monotonic()
            if now < self.send_deadline:  # the client is still reading: look again later
                self.deadline = min(self.send_deadline, now + LINGER_SECONDS)
            else:
                self.close(abort=True)
        else:
            self.close(abort=self.phase is Phase.WRITING)

    def replay(self, size: int) -> bytes:
        """The request's next bytes: from the buffer, then from the socket within the deadline."""
        view = self.request.data.peek()
        if view:
            data = bytes(view[:size])
            self.request.data.advance(len(data))
            return data
        remaining = self.request_deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the client did not send its whole request in time")
        self.sock.settimeout(remaining)
        try:
            return self.sock.recv(size)
        finally:
            self.sock.setblocking(False)

    # -- the answer --------------------------------------------------------------------------

    def send(self, data: bytes | memoryview) -> None:
        """Hand bytes to the kernel as far as it takes them now; keep the rest in the outbox.

        Raises:
            OSError: the client is gone (gunicorn stops writing the answer).
        """
        view = memoryview(data)
        if self._outbox is None:
            with contextlib.suppress(BlockingIOError):
                while view:
                    view = view[self.sock.send(view) :]
            if not view:
                return
            self._outbox = Tape()
        self._outbox.write(view)

    def answered(
        self, deadline: float, *, then: RequestBuffer | None = None, idle_until: float = 0.0
    ) -> None:
        """The app is done: the rest of the answer must be sent by ``deadline``; then the
        connection waits for its next request in ``then`` until ``idle_until``, or (None)
        is closed."""
        self._next, self._idle_until = then, idle_until
        self.request.data.close()
        self.phase = Phase.WRITING
        self.deadline = self.send_deadline = deadline
        self._sending, self._outbox = self._outbox, None
        self.flush()

    def flush(self) -> None:
        """Send what the kernel takes now; once all is sent, shut the write side and linger."""
        if self._sending is not None:
            while view := self._sending.peek():
                try:
                    self._sending.advance(self.sock.send(view))
                except BlockingIOError:
                    return
                except OSError:
                    self.close()
                    return
            self._sending.close()
            self._sending = None
        if self._next is not None:
            self._wait_again(self._next)
            return
        try:
            self.sock.shutdown(socket.SHUT_WR)
        except OSError:
            self.close()
            return
        self.phase = Phase.LINGERING
        self.deadline = min(self.send_deadline, time.monotonic() + LINGER_SECONDS)
        self._after_sent()
        self.linger()

    def _wait_again(self, request: RequestBuffer) -> None:
        """The answer is out and the connection is kept: read its next request."""
        self.served += 1
        self.request, self._next = request, None
        self.phase = Phase.READING
        self.idle, self.continued = True, False
        self.deadline = self._idle_until
        self._after_sent()
        self.receive()

    def carried(self) -> bytes:
        """What has come of the request so far, for another worker to go on from; the
        buffer is spent after."""
        return self.request.drain()

    def linger(self) -> None:
        """Read and drop what the client still sends, until it closes or sent too much."""
        while True:
            try:
                data = self.sock.recv(CHUNK)
            except BlockingIOError:
                return
            except OSError:
                break
            self._lingered += len(data)
            if not data or self._lingered >= LINGER_BYTES:
                break
        self.close()

    def close(self, *, abort: bool = False) -> None:
        """Close the connection; ``abort`` resets it, so the client knows its answer was cut."""
        if self.phase is Phase.CLOSED:
            return
        self.phase = Phase.CLOSED
        if abort:
            with contextlib.suppress(OSError):
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with contextlib.suppress(OSError):
            self.sock.close()
        if self._next is not None:
            self._next.data.close()
        for tape in (self.request.data, self._outbox, self._sending):
            if tape is not None:
                tape.close()
        self._after_sent()

    def _after_sent(self) -> None:
        hook, self.after_sent = self.after_sent, None
        if hook is not None:
            try:
                hook()
            except Exception:  # the app's close(): its failure is not the connection's
                log.exception("error closing the response to %s", self.addr)


def unsent(sock: socket.socket) -> int:
    """Bytes of the answer the kernel holds that the client has not acknowledged (Linux; 0
    where the kernel does not tell).

    Once the whole answer is handed to the kernel, a slow reader still has those bytes to read:
    up to the kernel's send buffer, which grows to megabytes. So the worker keeps watching the
    connection until the client closes or this is 0, and resets it at the send deadline.
    """
    try:
        out = fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0")
    except (OSError, AttributeError):
        return 0
    return int(struct.unpack("i", out)[0])


class ClientSocket:
    """A :class:`Client` as gunicorn's request handling sees it: a socket that never blocks.

    Reads replay the buffered request; writes go through :meth:`Client.send`; shutting down or
    closing only tells gunicorn's ``close_graceful`` that nothing more will come, since the
    worker's loop closes the real socket once the answer is out.
    """

    def __init__(self, client: Client) -> None:
        self._client = client
        self._done = False
        self._timeout: float | None = None

    def recv(self, size: int) -> bytes:
        return b"" if self._done else self._client.replay(size)

    def send(self, data: bytes) -> int:
        if not (data == CONTINUE and self._client.continued):  # that one went out already
            self._client.send(data)
        return len(data)

    def sendall(self, data: bytes) -> None:
        self._client.send(data)

    def settimeout(self, timeout: float | None) -> None:
        self._timeout = timeout

    def gettimeout(self) -> float | None:
        return self._timeout

    def setblocking(self, flag: bool) -> None:
        self._timeout = None if flag else 0.0

    def shutdown(self, how: int) -> None:
        self._done = True

    def close(self) -> None:
        self._done = True

    def fileno(self) -> int:
        return self._client.sock.fileno()

    def getpeername(self) -> Any:
        return self._client.sock.getpeername()

    def getsockname(self) -> Any:
        return self._client.sock.getsockname()
