"""Passing a kept-alive connection from a busy worker to an idle one.

With keep-alive a connection belongs to the worker that accepted it. A worker runs one request
at a time, so a client whose connection sits in a worker that has started a long query would
wait for that query: a heavy query would park light ones. So a worker whose query turns heavy
(or overruns, before it exits) gives its other connections away: each goes, as a file
descriptor (``SCM_RIGHTS``) with the bytes of its next request read so far, into a queue that
every worker shares, and an idle worker takes it from there as it takes new connections from
the listening socket. Nothing the client sent is lost: bytes still in the kernel stay on the
socket, bytes already read travel with it.

The queue is a datagram socket pair made by the master before it forks: every worker holds
both ends, writes to one and, while idle, reads from the other. A datagram carries one
connection whole, so a request larger than :data:`MAX_CARRIED` read so far stays where it is.

Beside it, a board says which workers are idle: one byte per worker in memory the master maps
before it forks, each worker writing only its own (its slot, given by the master, which also
clears a slot whose worker has exited, however it ended). A worker that finds several of its
connections' requests waiting at once after a request that took a while gives the extra ones to
the idle workers the board counts: connections that arrived together (a client pool opening its
connections at once) may all have been accepted by one worker, which would answer them one
after the other for as long as they are kept while other workers idle. Where no worker is idle,
nothing moves, and so nothing waits in the queue.

>>> with Handoff() as queue:
...     a, b = socket.socketpair()
...     assert queue.give(a, b"GET / HTTP/1.1\\r\\n")
...     a.close()  # the copy in the queue keeps the connection open
...     taken = queue.take()
...     assert taken is not None
...     sock, carried = taken
...     _ = b.sendall(b"ping"); sock.recv(4), carried
...     sock.close(); b.close()
(b'ping', b'GET / HTTP/1.1\\r\\n')
>>> with Handoff() as queue:
...     print(queue.take())
None
>>> with Handoff(slots=3) as queue:
...     first, second = queue.claim_slot(), queue.claim_slot()
...     queue.set_idle(first, True); queue.set_idle(second, True)
...     queue.idle_workers(), queue.release_slot(first), queue.idle_workers()
(2, None, 1)
"""

from __future__ import annotations

import mmap
import socket
from types import TracebackType

MAX_CARRIED = 64 * 1024
"""Bytes of a partly read request a connection may carry with it (a datagram holds them)."""


class Handoff:
    """The queue of connections given away by busy workers, and the board of idle workers
    (``slots`` places: more than the workers that may run at once), shared by every worker."""

    def __init__(self, *, slots: int = 1) -> None:
        self._give, self._take = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
        for end in (self._give, self._take):
            end.setblocking(False)
            end.set_inheritable(False)  # forked workers keep it; exec'd programs do not
        self._give.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 * MAX_CARRIED)
        # Anonymous and shared: the forked workers write to the master's pages, not copies.
        self._board = mmap.mmap(-1, slots, flags=mmap.MAP_SHARED | mmap.MAP_ANONYMOUS)
        self._claimed = bytearray(slots)  # the master's record of the slots given out

    def claim_slot(self) -> int | None:
        """In the master, before a worker forks: a free place on the board for it (None when
        all are taken: that worker never counts as idle)."""
        slot = self._claimed.find(0)
        if slot < 0:
            return None
        self._claimed[slot] = 1
        self._board[slot] = 0
        return slot

    def release_slot(self, slot: int | None) -> None:
        """In the master, once a worker has exited: its place is free and not idle."""
        if slot is not None:
            self._board[slot] = 0
            self._claimed[slot] = 0

    def set_idle(self, slot: int | None, idle: bool) -> None:
        """In a worker: say whether it is idle (nothing to answer, ready to take a connection)."""
        if slot is not None:
            self._board[slot] = idle

    def idle_workers(self) -> int:
        """How many workers say they are idle now."""
        return self._board[:].count(1)

    def fileno(self) -> int:
        """The end an idle worker waits on (for ``selectors``)."""
        return self._take.fileno()

    def give(self, sock: socket.socket, carried: bytes = b"") -> bool:
        """Put a connection in the queue; False when it cannot go (too much carried, or the
        queue is full): the caller keeps it. The caller closes its own descriptor after."""
        if len(carried) > MAX_CARRIED:
            return False
        try:
            socket.send_fds(self._give, [carried], [sock.fileno()])
        except OSError:  # BlockingIOError: full; others: the socket is gone
            return False
        return True

    def take(self) -> tuple[socket.socket, bytes] | None:
        """A connection from the queue, with the bytes it carries; None when it is empty (or
        another worker was quicker)."""
        try:
            carried, fds, _, _ = socket.recv_fds(self._take, MAX_CARRIED, 1)
        except (BlockingIOError, InterruptedError):
            return None
        if not fds:
            return None
        return socket.socket(fileno=fds[0]), carried

    def close(self) -> None:
        """Close this process's ends (connections still queued close with the last holder)."""
        self._give.close()
        self._take.close()
        self._board.close()

    def __enter__(self) -> Handoff:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
