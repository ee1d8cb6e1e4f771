"""The worker's reading of when a request is whole agrees with gunicorn's reading of it.

A worker hands a request to gunicorn once :class:`RequestBuffer` says it is whole. Should it say
so while gunicorn still needs bytes, gunicorn would read them from the socket, holding the worker
until the request deadline: so, fuzzed against gunicorn's own parser, that must never happen;
and for well-formed requests, the two readings must agree byte for byte.
"""

from __future__ import annotations

import contextlib
import random

from gunicorn.config import Config
from gunicorn.http.message import Request
from gunicorn.http.unreader import Unreader

from scidip_graph.server.framing import RequestBuffer

CFG = Config()
ADDR = ("127.0.0.1", 1)


class _Prefix(Unreader):  # type: ignore[misc]
    """The bytes received so far; notes whether gunicorn asked for more."""

    def __init__(self, data: bytes) -> None:
        super().__init__()
        self.data: bytes | None = data
        self.exhausted = False

    def chunk(self, size_hint: int | None = None) -> bytes:
        if self.data is None:
            self.exhausted = True
            return b""
        data, self.data = self.data, None
        return data


def gunicorn_needs_more(data: bytes) -> bool:
    """Whether gunicorn, reading the head and the whole body, runs past ``data``."""
    source = _Prefix(data)
    with contextlib.suppress(Exception):  # refused, or out of bytes: the source tells which
        Request(CFG, source, ADDR).body.read()
    return source.exhausted


def buffer_says_whole(data: bytes, rng: random.Random) -> bool:
    """Whether a RequestBuffer fed ``data`` in random pieces calls the request whole."""
    buffer = RequestBuffer(CFG, ADDR, max_body=1 << 30)
    whole = False
    start = 0
    while start < len(data) and not whole:
        end = min(len(data), start + rng.choice([1, 2, 3, 7, 64, 1000]))
        whole = buffer.feed(data[start:end])
        start = end
    buffer.data.close()
    return whole


def chunked_body(rng: random.Random) -> bytes:
    parts = []
    for _ in range(rng.randint(0, 4)):
        data = bytes(rng.choice(b"ab\r\n0") for _ in range(rng.randint(1, 40)))
        size = format(len(data), rng.choice(["x", "X", "03x"]))
        extension = rng.choice([b"", b";a=1", b" ;b", b';c="q"'])
        parts.append(size.encode() + extension + b"\r\n" + data + b"\r\n")
    trailer = rng.choice([b"", b"X-T: 1\r\n", b"X-T: 1\r\nX-U: 2\r\n"])
    return b"".join(parts) + rng.choice([b"0", b"000"]) + b"\r\n" + trailer + b"\r\n"


def request(rng: random.Random) -> bytes:
    """A well-formed request: a GET, a POST with Content-Length, or a chunked POST."""
    kind = rng.choice(["get", "length", "chunked"])
    head = [b"GET /sparql?query=ASK HTTP/1.1" if kind == "get" else b"POST /sparql HTTP/1.1"]
    head.append(b"Host: x")
    if rng.random() < 0.3:
        head.append(b"Expect: 100-continue")
    body = b""
    if kind == "length":
        body = bytes(rng.choice(b"ab\r\n") for _ in range(rng.randint(0, 50)))
        head.append(b"content-LENGTH: " + str(len(body)).encode())
    elif kind == "chunked":
        body = chunked_body(rng)
        head.append(b"Transfer-Encoding: chunked")
    rng.shuffle(head[1:])
    return b"\r\n".join(head) + b"\r\n\r\n" + body


def mutate(data: bytes, rng: random.Random) -> bytes:
    """The request with a byte changed, dropped or doubled: often malformed."""
    at = rng.randrange(len(data))
    return rng.choice(
        [
            data[:at] + bytes([rng.choice(b"\r\n:; 0aZ")]) + data[at + 1 :],
            data[:at] + data[at + 1 :],
            data[:at] + data[at : at + 1] * 2 + data[at + 1 :],
        ]
    )


def test_well_formed_requests_are_whole_exactly_when_gunicorn_needs_no_more() -> None:
    rng = random.Random(7)
    for _ in range(300):
        data = request(rng)
        for end in sorted({len(data), *(rng.randint(1, len(data)) for _ in range(30))}):
            prefix = data[:end]
            assert buffer_says_whole(prefix, rng) == (not gunicorn_needs_more(prefix)), prefix


def test_no_request_is_called_whole_while_gunicorn_needs_more() -> None:
    rng = random.Random(11)
    for _ in range(1500):
        data = mutate(request(rng), rng)
        for end in {len(data), *(rng.randint(1, len(data)) for _ in range(10))}:
            prefix = data[:end]
            if buffer_says_whole(prefix, rng):
                assert not gunicorn_needs_more(prefix), prefix
