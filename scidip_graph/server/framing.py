"""When is a request whole? Reading a request's framing from bytes that arrive in pieces.

gunicorn's parser reads the head from the buffer, so the limits on the request line and the
headers, and the reading of Content-Length and Transfer-Encoding, are gunicorn's own; a head it
refuses is handed over at once, and gunicorn answers 400, 414 or 431 from the same bytes. A
chunked body ends where :class:`ChunkedEnd` says, which reads the framing as gunicorn's
``ChunkedReader`` does (tests/test_connections.py fuzzes the two readings against each other).
"""

from __future__ import annotations

import re
import tempfile
from typing import Any

from gunicorn.http.body import LengthReader
from gunicorn.http.errors import NoMoreData
from gunicorn.http.message import Request
from gunicorn.http.unreader import IterUnreader

SPILL = 1024 * 1024
"""Bytes a request or an outbox keeps in memory; past this they go to a temporary file."""
CHUNK = 64 * 1024
"""Bytes read from a socket or a buffer at once."""
_HEX = b"0123456789abcdefABCDEF"
_BODY_FIELDS = re.compile(rb"content-length|transfer-encoding", re.IGNORECASE)
"""Without either, gunicorn reads no body: the head alone is the request (the common GET)."""


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
        self.exact = False
        """Whether the body ended, well-formed, at the last byte fed (nothing came after it)."""

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
                end = 2 if line[:2] == b"\r\n" else line.find(b"\r\n\r\n") + 4
                if end != 3:  # found
                    self.exact = end == len(line)
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
        self.exact = False
        """Whether the request is whole and ended at the last byte received: the connection
        may then carry another request (keep-alive). Not after a head or body gunicorn will
        refuse, a body too large to read, or bytes past the end (a pipelined request)."""
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

    def drain(self) -> bytes:
        """Every byte received so far, in order; the buffer is spent after."""
        out = bytearray()
        while view := self.data.peek():
            out += view
            self.data.advance(len(view))
        return bytes(out + self._head)

    def _read_head(self) -> bool:
        end = self._head.find(b"\r\n\r\n") + 4
        if end >= 4 and not _BODY_FIELDS.search(self._head):
            self.exact = end == len(self._head)  # a refused head gets a 400 that closes anyway
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
            self.exact = self._body_left == 0
            return self._body_left <= 0
        self._body_seen += len(data)
        if self._body_seen > self.max_body:
            return True
        whole = self._chunked.feed(data)
        self.exact = whole and self._chunked.exact
        return whole
