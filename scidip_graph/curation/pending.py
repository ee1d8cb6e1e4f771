"""Previews waiting for a curator's confirmation, and the commit of a confirmed one.

``POST /import`` answers a preview with a confirmation id; a second ``POST`` with that id
writes the import. Between the two, the file and what the preview was made on (the curator,
the data version, the time that names the import's graph) wait here: in the data folder
(``imports/``, one JSON record and the file per preview), which every worker of a server
reads, or in memory for a store without one. The confirmation makes the plan again from the
file and writes it only if the data version is still the preview's and the plan is clean
(:func:`commit_plan`), under the store's write lock, through the one write core
(:func:`~scidip_graph.sparql.update.commit_change`). A record lives :data:`KEEP` at most.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from scidip_graph.curation.importer import ImportPlan
from scidip_graph.errors import ConflictError, NotFoundError, UnauthorizedError
from scidip_graph.sparql.tokens import Curator
from scidip_graph.sparql.update import UpdateResult, commit_change
from scidip_graph.store import Store

KEEP = 24 * 3600
"""Seconds a preview may wait for its confirmation."""
FOLDER = "imports"
_ID = re.compile(r"[0-9a-f]{32}")


@dataclass(frozen=True)
class Pending:
    """A preview waiting: who made it, on which data version, at what time, of which file."""

    id: str
    curator: str
    version: str
    at: str
    name: str
    clean: bool
    data: bytes


class PendingImports:
    """The previews waiting for confirmation: in ``folder``, or in memory when it is None."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._memory: dict[str, tuple[float, Pending]] = {}
        self._lock = threading.Lock()

    @classmethod
    def of(cls, store: Store) -> PendingImports:
        """The previews of a store: in its data folder, if it has one."""
        return cls(store.data_dir / FOLDER if store.data_dir is not None else None)

    def add(self, plan: ImportPlan, data: bytes, *, name: str) -> str:
        """Keep a preview's file and what it was made on; its confirmation id."""
        pending = Pending(
            secrets.token_hex(16), plan.curator, plan.version, plan.at, name, plan.clean, data
        )
        self._forget_old()
        if self.folder is None:
            with self._lock:
                self._memory[pending.id] = (time.time(), pending)
            return pending.id
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / f"{pending.id}.bin").write_bytes(data)
        record = {k: v for k, v in pending.__dict__.items() if k != "data"}
        tmp = self.folder / f"{pending.id}.json.tmp"
        tmp.write_text(json.dumps(record))
        tmp.replace(self.folder / f"{pending.id}.json")
        return pending.id

    def take(self, confirmation: str, *, curator: Curator) -> Pending:
        """The preview of a confirmation id, for its own curator.

        Raises:
            NotFoundError: no such preview (never made, confirmed already, or too old).
            UnauthorizedError: another curator's preview.
        """
        pending = self._read(confirmation)
        if pending is None:
            raise NotFoundError(
                f"no preview {confirmation!r} waits for confirmation",
                hint="Previews wait a day and are confirmed once: send the file again for "
                "a new preview.",
                detail={"confirmation": confirmation},
            )
        if pending.curator != curator.name:
            raise UnauthorizedError(
                f"preview {confirmation} is curator {pending.curator}'s, not {curator.name}'s"
            )
        return pending

    def forget(self, confirmation: str) -> None:
        """Drop a preview (once confirmed)."""
        if self.folder is None:
            with self._lock:
                self._memory.pop(confirmation, None)
            return
        for suffix in (".json", ".bin"):
            (self.folder / f"{confirmation}{suffix}").unlink(missing_ok=True)

    def _read(self, confirmation: str) -> Pending | None:
        if not _ID.fullmatch(confirmation):
            return None
        if self.folder is None:
            with self._lock:
                found = self._memory.get(confirmation)
            return found[1] if found and time.time() - found[0] < KEEP else None
        record = self.folder / f"{confirmation}.json"
        try:
            if time.time() - record.stat().st_mtime >= KEEP:
                return None
            fields = json.loads(record.read_text())
            data = (self.folder / f"{confirmation}.bin").read_bytes()
        except (OSError, ValueError):
            return None
        return Pending(**fields, data=data)

    def _forget_old(self) -> None:
        limit = time.time() - KEEP
        if self.folder is None:
            with self._lock:
                for key in [k for k, (t, _) in self._memory.items() if t < limit]:
                    del self._memory[key]
            return
        if not self.folder.is_dir():
            return
        for record in self.folder.glob("*.json"):
            try:
                if record.stat().st_mtime < limit:
                    self.forget(record.stem)
            except OSError:
                continue


def commit_plan(store: Store, plan: ImportPlan, *, curator: Curator, message: str) -> UpdateResult:
    """Write a clean plan, if the data is still the version it was made on.

    Raises:
        ConflictError: the data changed since the plan (409), or the plan is not clean.
        UnauthorizedError, NotConformingError: as :func:`commit_change` (the gate again).
    """
    if not plan.clean:
        count = len(plan.all_problems) + len(plan.report.violations())
        raise ConflictError(
            f"the preview is not clean ({count} problem{'s' * (count != 1)}); nothing was written",
            hint="Fix what the preview lists, and send the file again for a new preview.",
            detail={"problems": [p.to_json() for p in plan.all_problems]},
        )
    with store.writing():
        store.refresh()
        if store.version != plan.version:
            raise ConflictError(
                "the data changed since the preview; nothing was written",
                hint="Send the file again for a new preview of the data as it is now.",
                detail={"preview_version": plan.version, "version": store.version},
            )
        return commit_change(
            store,
            store.view(),
            plan.added,
            plan.removed,
            curator=curator,
            message=message,
            what="import",
        )
