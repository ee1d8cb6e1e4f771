"""One client connection as :class:`~scidip_graph.server.worker.PatientWorker` holds it.

A connection is read without blocking until its whole request is buffered; then gunicorn's own
request handling reads it from :class:`ClientSocket`, which replays the buffer, and writes the
answer there, which goes to the kernel as far as the kernel takes it and into an outbox for the
rest. The worker's loop flushes the outbox and closes the connection. Two deadlines bound a
client: the whole request must arrive within one, the whole answer must be handed to the kernel
within the other.

When is a request whole? gunicorn's parser reads the head from the buffer, so the limits on the
request line and the headers, and the reading of Content-Length and Transfer-Encoding, are
gunicorn's own; a head it refuses is handed over at once, and gunicorn answers 400, 414 or 431
from the same bytes. A chunked body ends where :class:`ChunkedEnd` says, which reads the framing
as gunicorn's ``ChunkedReader`` does. Should the two readings ever differ, the request deadline
is the second barrier, which reads nothing: past the buffer, :class:`ClientSocket` reads the
socket itself, blocking, but never past that deadline.
"""

from __future__ import annotations

import contextlib
import enum
import fcntl
import logging
import re
import socket
import struct
import tempfile
import termios
import time
from collections.abc import Callable
from typing import Any

from gunicorn.http.body import LengthReader
from gunicorn.http.errors import NoMoreData
from gunicorn.http.message import Request
from gunicorn.http.unreader import IterUnreader

log = logging.getLogger("scidip_graph.server.worker")

SPILL = 1024 * 1024
"""Bytes a request or an outbox keeps in memory; past this they go to a temporary file."""
CHUNK = 64 * 1024
"""Bytes read from a socket or a buffer at once."""
LINGER_SECONDS = 2.0
LINGER_BYTES = 64 * 1024
"""Once the answer is out, how long and how much the client may still send before it is closed
(as gunicorn's ``close_graceful``: closing with unread input would reset the connection and
could lose the end of the answer); longer, up to the send deadline, while it is still reading."""
CONTINUE = b"HTTP/1.1 100 Continue\r\n\r\n"
_HEX = b"0123456789abcdefABCDEF"
_BODY_FIELDS = re.compile(rb"content-length|transfer-encoding", re.IGNORECASE)
"""Without either, gunicorn reads no body: the head alone is the request (the common GET)."""


class Phase(enum.Enum):
    """Where a connection is."""

    READING = "the request is arriving"
    READY = "the request is whole, waiting for the app"
    SERVING = "the app is answering"
    WRITING = "the answer is leaving through the outbox"
    LINGERING = "the answer is out; waiting for the client to close"
    CLOSED = "closed"


class Tape:
    """Bytes written, then read once from the start: in memory, past :data:`SPILL` in a file.

    :class:`~scidip_graph.sparql.service.Spool` keeps a list of parts, right for results
    written in a few large pieces; a request arrives in pieces as small as one byte, so this is the
    standard library's spooled file, which grows one buffer.

    >>> tape = Tape()
    >>> tape.write(b"abcdef")
    >>> bytes(tape.peek()[:4]); tape.advance(4); bytes(tape.peek())
    b'abcd'
    b'ef'
    >>> tape.close()
    """

    def __init__(self) -> None:
        self._file = tempfile.SpooledTemporaryFile(max_size=SPILL)  # noqa: SIM115 - close()
        self._rest = memoryview(b"")
        self._reading = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Append bytes (only before the first read)."""
        self._file.write(data)

    def peek(self) -> memoryview:
        """The next bytes not read yet (at most :data:`CHUNK`); empty at the end."""
        if not self._rest:
            if not self._reading:
                self._file.seek(0)
                self._reading = True
            self._rest = memoryview(self._file.read(CHUNK))
        return self._rest

    def advance(self, count: int) -> None:
        """Mark ``count`` bytes of :meth:`peek` as read."""
        self._rest = self._rest[count:]

    def close(self) -> None:
        """Free the memory or the file."""
        self._rest = memoryview(b"")
        self._file.close()


class ChunkedEnd:
    """Where a chunked request body ends, read as gunicorn's ``ChunkedReader`` reads it.

    >>> end = ChunkedEnd()
    >>> end.feed(b"3\\r\\nab"), end.feed(b"c\\r\\n0\\r\\n"), end.feed(b"\\r\\n")
    (False, False, True)
    >>> ChunkedEnd().feed(b"x\\r\\n")  # gunicorn refuses it: no need to wait for more
    True
    """

    def __init__(self, line_limit: int = 8190, trailer_limit: int = 8190 * 32) -> None:
        self._line_limit = line_limit
        self._trailer_limit = trailer_limit
        self._state = "size"  # a size line, chunk data, the CRLF after it, the trailer section
        self._left = 0
        self._line = bytearray()

    def feed(self, data: bytes | memoryview) -> bool:
        """Read more of the body: True once it has ended, or once gunicorn would refuse it."""
        rest = memoryview(data)
        while True:
            if self._state == "data":
                taken = min(self._left, len(rest))
                self._left -= taken
                rest = rest[taken:]
                if self._left:
                    return False
                self._state = "crlf"
            self._line += rest
            line = self._line
            if self._state == "crlf":
                if len(line) < 2:
                    return False
                if line[:2] != b"\r\n":
                    return True
                rest, self._state = memoryview(bytes(line[2:])), "size"
            elif self._state == "size":
                end = line.find(b"\r\n")
                if end < 0:
                    return len(line) > self._line_limit
                size = _chunk_size(bytes(line[:end]))
                if size is None:
                    return True
                rest = memoryview(bytes(line[end + 2 :]))
                self._state, self._left = ("data", size) if size else ("trailer", 0)
            else:  # the trailer section ends with an empty line
                if line[:2] == b"\r\n" or b"\r\n\r\n" in line:
                    return True
                bare_lf = line.count(b"\n") != line.count(b"\r\n")
                return bare_lf or len(line) > self._trailer_limit
            self._line = bytearray()


def _chunk_size(line: bytes) -> int | None:
    """The size on a chunk's size line, or None where gunicorn refuses the line."""
    size, semicolon, extension = line.partition(b";")
    if semicolon:
        if b"\r" in extension:
            return None
        size = size.rstrip(b" \t")
    if not size or size.translate(None, _HEX):
        return None
    return int(size, 16)


class RequestBuffer:
    """The bytes of one request as they arrive, and whether they make a whole request yet.

    Args:
        cfg: gunicorn's configuration (its limits on the request line and headers).
        addr: the client's address (gunicorn's parser wants it).
        max_body: the largest body the app accepts; a larger one is handed over as it stands,
            for the app to refuse (413) without reading it.
    """

    def __init__(self, cfg: Any, addr: Any, *, max_body: int) -> None:
        self.cfg = cfg
        self.addr = addr
        self.max_body = max_body
        self.data = Tape()
        self.received = 0
        self.head_done = False
        self.expects_continue = False
        self._head = bytearray()
        self._body_left = 0
        self._body_seen = 0
        self._chunked: ChunkedEnd | None = None

    def feed(self, data: bytes) -> bool:
        """Add bytes: True when the request is whole, or gunicorn would refuse it as it stands."""
        self.received += len(data)
        if self.head_done:
            self.data.write(data)
            return self._feed_body(data)
        self._head += data
        whole = self._read_head()
        if whole or self.head_done:  # from here on, the bytes are kept for the replay only
            self.data.write(self._head)
            self._head = bytearray()
        return whole

    def _read_head(self) -> bool:
        if b"\r\n\r\n" in self._head and not _BODY_FIELDS.search(self._head):
            return True  # a whole head with no body: gunicorn reads nothing more, whatever it says
        source = IterUnreader([bytes(self._head)])
        try:
            request = Request(self.cfg, source, self.addr)
        except NoMoreData:
            return False
        except Exception:  # refused from these bytes alone: gunicorn will say why, to the client
            return True
        self.head_done = True
        self.expects_continue = bool(request._expected_100_continue)  # what wsgi.create reads
        reader = request.body.reader
        if isinstance(reader, LengthReader):
            if reader.length > self.max_body:
                return True
            self._body_left = reader.length
        else:
            self._chunked = ChunkedEnd(reader.limit_chunk_size_line, reader.limit_trailer_section)
        return self._feed_body(source.take_buffered())

    def _feed_body(self, data: bytes) -> bool:
        if self._chunked is None:
            self._body_left -= len(data)
            return self._body_left <= 0
        self._body_seen += len(data)
        return self._chunked.feed(data) or self._body_seen > self.max_body


class Client:
    """One connection: its request coming in, its answer going out, the deadline of each.

    Args:
        sock: the accepted socket (made non-blocking here).
        addr: the client's address.
        listener: the socket it was accepted on.
        request: where its request is buffered.
        deadline: when its whole request must have arrived (``time.monotonic()``).

    Attributes:
        phase: where the connection is (see :class:`Phase`).
        deadline: the deadline of this phase: the whole request, the whole answer, the linger.
        after_sent: called once the answer is sent or cut off (the response's ``close()``; a
            doomed worker exits there).
        events: the selector events the worker waits for on this connection.
    """

    def __init__(
        self,
        sock: socket.socket,
        addr: Any,
        listener: Any,
        request: RequestBuffer,
        *,
        deadline: float,
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
            elif self.request.feed(data):
                self.phase = Phase.READY
            elif self.request.expects_continue and not self.continued:
                self.continued = True  # the client waits for this before it sends the body
                self.send(CONTINUE)

    def expire(self) -> None:
        """The phase's deadline has passed."""
        if self.phase is Phase.READING and self.request.head_done:
            self.phase = Phase.READY  # the app reads the body, meets the deadline and says 408
        elif self.phase is Phase.LINGERING and unsent(self.sock):
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

    def answered(self, deadline: float) -> None:
        """The app is done: the rest of the answer must be sent by ``deadline``."""
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
        try:
            self.sock.shutdown(socket.SHUT_WR)
        except OSError:
            self.close()
            return
        self.phase = Phase.LINGERING
        self.deadline = min(self.send_deadline, time.monotonic() + LINGER_SECONDS)
        self._after_sent()
        self.linger()

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
