"""A bounded result cache shared by the worker processes: one file per result.

Keys are hashes of the dataset version and the whole request (text, dataset, format), so a
write makes every older entry unreachable; eviction removes the least recently used files
once the folder is past its size.

>>> import tempfile, pathlib
>>> cache = ResultCache(pathlib.Path(tempfile.mkdtemp()), max_bytes=1000)
>>> cache.put("k", b"data", {"rows": 1})
>>> cache.get("k")
(b'data', {'rows': 1})
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


class ResultCache:
    """Results on disk, keyed by request hash, at most ``max_bytes`` in all."""

    def __init__(self, folder: Path, *, max_bytes: int) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        folder.mkdir(parents=True, exist_ok=True)

    @property
    def max_entry_bytes(self) -> int:
        """The largest result kept: a quarter of the cache, so one result never fills it."""
        return self.max_bytes // 4

    def get(self, key: str) -> tuple[bytes, dict[str, Any]] | None:
        """The cached body and metadata, or None."""
        path = self.folder / key
        try:
            with path.open("rb") as handle:
                meta = json.loads(handle.readline())
                body = handle.read()
        except (OSError, ValueError):
            return None
        os.utime(path)  # recently used
        return body, meta

    def put(self, key: str, body: bytes, meta: dict[str, Any]) -> None:
        """Store a result (atomically: readers see all of it or nothing)."""
        if len(body) > self.max_entry_bytes:
            return
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(json.dumps(meta).encode() + b"\n" + body)
        os.replace(tmp, self.folder / key)
        self._evict()

    def _evict(self) -> None:
        entries = []
        for entry in os.scandir(self.folder):
            if not entry.name.startswith("."):
                stat = entry.stat()
                entries.append((stat.st_mtime, stat.st_size, entry.path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= self.max_bytes:
                break
            with contextlib.suppress(FileNotFoundError):  # another worker evicted it
                os.unlink(path)
            total -= size
