"""What a long command shows while it works: a bar on a terminal, a line per step elsewhere.

A terminal (``stream.isatty()``) gets one line per stage, redrawn in place as the stage
advances, and left standing with its time once the stage is over. Anything else (a log file, a
pipe, CI) gets one plain line per step, so a log says what happened and when, without
carriage returns.

>>> import io
>>> bar = ProgressBar(io.StringIO())
>>> bar.update("parse", 5, 10, unit="bytes", note="a.ttl")
>>> bar.update("parse", 10, 10, unit="bytes", note="1 file", seconds=0.25)
>>> print(bar.stream.getvalue(), end="")
parse: 5 B of 10 B (50%) a.ttl
parse: 10 B of 10 B (100%) 1 file, 0.2 s
"""

from __future__ import annotations

from typing import TextIO

WIDTH = 30
"""Characters of the bar itself."""


class ProgressBar:
    """Shows the steps of a long command on ``stream`` (standard error, for a command)."""

    def __init__(self, stream: TextIO, *, prefix: str = "") -> None:
        self.stream = stream
        self.prefix = prefix
        self.tty = stream.isatty()
        self._open = False  # a terminal line is being redrawn

    def update(
        self,
        stage: str,
        done: int,
        total: int,
        *,
        unit: str = "steps",
        note: str = "",
        seconds: float | None = None,
    ) -> None:
        """Show that ``done`` of ``total`` units of ``stage`` are done (``done == total``: over)."""
        over = done >= total
        amount = "" if unit == "steps" else f"{_amount(done, unit)} of {_amount(total, unit)} "
        share = done / total if total else 1.0
        timing = f", {seconds:.1f} s" if over and seconds is not None else ""
        head = f"{self.prefix}{stage}:"
        if not self.tty:
            percent = "" if unit == "steps" else f"({share:.0%}) "
            line = f"{head} {amount}{percent}{note}{timing}" if amount else f"{head} {note}{timing}"
            self.stream.write(line.rstrip() + "\n")
            self.stream.flush()
            return
        filled = round(WIDTH * share) if unit != "steps" or over else 0
        bar = "#" * filled + ("-" if unit != "steps" or over else ".") * (WIDTH - filled)
        self.stream.write(f"\r\033[K{head:<10} [{bar}] {amount}{note}{timing}")
        self._open = not over
        if over:
            self.stream.write("\n")
        self.stream.flush()

    def close(self) -> None:
        """End a line left open (a command that stopped half-way through a stage)."""
        if self._open:
            self.stream.write("\n")
            self.stream.flush()
            self._open = False


def _amount(n: int, unit: str) -> str:
    """``n`` units, shortly: bytes as B/kB/MB/GB, anything else with thousands separators.

    >>> _amount(18_763_969, "bytes"), _amount(1234, "quads")
    ('18.8 MB', '1,234 quads')
    """
    if unit != "bytes":
        return f"{n:,} {unit}"
    size = float(n)
    for name in ("B", "kB", "MB", "GB"):
        if size < 1000 or name == "GB":
            return f"{size:.0f} {name}" if name == "B" else f"{size:.1f} {name}"
        size /= 1000
    raise AssertionError("unreachable")


__all__ = ["ProgressBar"]
