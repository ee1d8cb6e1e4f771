"""A real server process on loopback, for the tests that need one (real clients, time limits)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """``scidip-graph serve`` in a subprocess, on a fresh data folder.

    Args:
        tmp: a folder of its own (data folder, sources, log).
        sources: files to serve, unvalidated; None: the command's bundled data, validated on
            first start as a new user's is.
        workers: worker processes.
        env: environment variables added to this process's.
        command: the command before ``serve`` (the installed wheel's ``scidip-graph``...).
        cwd: working directory of the server.
        session: start the server in a session (and process group) of its own, so that
            :meth:`kill` stops the master and every worker at once, as a crash would. Started
            again on the same ``tmp``, the server reuses its data folder.
    """

    def __init__(
        self,
        tmp: Path,
        sources: list[Path] | None,
        *,
        workers: int = 3,
        env: dict[str, str] | None = None,
        command: Sequence[str] = (sys.executable, "-m", "scidip_graph"),
        cwd: Path | None = None,
        session: bool = False,
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = tmp / "var"
        options = ["--port", str(self.port), "--data-dir", str(self.data_dir)]
        if sources is not None:
            source_dir = tmp / "sources"
            source_dir.mkdir(exist_ok=True)
            for path in sources:
                shutil.copy(path, source_dir / path.name)
            options += ["--source-dir", str(source_dir), "--no-validate"]
        self.log_path = tmp / "server.log"
        self._log = self.log_path.open("ab")  # a restart on the same tmp adds to it
        self.process = subprocess.Popen(
            [*command, "serve", *options, "--workers", str(workers)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            cwd=cwd,
            start_new_session=session,
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited:\n{self.log()}")
            try:
                urllib.request.urlopen(self.url + "/-/health", timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()  # not left running behind the failed test
        raise RuntimeError(f"server did not start:\n{self.log()[-5000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def workers(self) -> list[int]:
        """The pids of the worker processes now."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(p) for p in children.read_text().split()]

    def all_workers(self, count: int) -> set[int]:
        """The worker pids once ``count`` are up (a new or replaced one takes a moment)."""
        deadline = time.monotonic() + 30
        while len(pids := self.workers()) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return set(pids)

    def worker_holding(self, client_port: int) -> int | None:
        """The worker whose descriptor table holds the server's end of the loopback connection
        from ``client_port`` (None: no worker holds it, e.g. while it is being handed over).
        Linux: the socket's inode from ``/proc/net/tcp``, then the workers' ``fd`` links."""
        wanted = f":{self.port:04X}", f":{client_port:04X}"
        inode = None
        for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[1].endswith(wanted[0]) and fields[2].endswith(wanted[1]):
                inode = fields[9]
        if inode is None:
            return None
        for pid in self.workers():
            with contextlib.suppress(OSError):  # a worker exiting meanwhile
                for fd in Path(f"/proc/{pid}/fd").iterdir():
                    with contextlib.suppress(OSError):
                        if os.readlink(fd) == f"socket:[{inode}]":
                            return pid
        return None

    def kill(self) -> None:
        """SIGKILL the server's whole process group (``session=True``): master and workers."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)
        self._log.close()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
