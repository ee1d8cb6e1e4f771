"""Real SPARQL stores on loopback for the remote backend's tests: Oxigraph server and Virtuoso.

Each is started by a test fixture in a folder of its own, answers only on 127.0.0.1, and is
stopped by the fixture that started it. Virtuoso comes from Debian
(``virtuoso-opensource-7-bin``, which ``.ci/run`` installs); where its binary is missing its
tests skip, saying so.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from scidip_graph.settings import Settings
from tests.live import free_port

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt") or shutil.which("isql")
OXIGRAPH = Path(sys.executable).with_name("oxigraph")
USER, PASSWORD = "scidip", "store-secret"


class StoreServer:
    """A store server process; :meth:`settings` points the app at it."""

    query_url = update_url = gsp_url = ""
    user = password = ""
    query_parameters = ""
    process: subprocess.Popen[bytes]
    log_path: Path

    def settings(self, tmp: Path, **more: object) -> Settings:
        """Settings of an app serving this store (its derived caches in ``tmp``)."""
        return Settings(
            store="sparql",
            store_query_url=self.query_url,
            store_update_url=self.update_url,
            store_gsp_url=self.gsp_url,
            store_user=self.user,
            store_password=self.password,
            store_query_parameters=self.query_parameters,
            data_dir=tmp / "var",
            **more,  # type: ignore[arg-type]
        )

    def environment(self) -> dict[str, str]:
        """The same settings as ``SCIDIP_*`` variables (for a server process)."""
        return {
            "SCIDIP_STORE": "sparql",
            "SCIDIP_STORE_QUERY_URL": self.query_url,
            "SCIDIP_STORE_UPDATE_URL": self.update_url,
            "SCIDIP_STORE_GSP_URL": self.gsp_url,
            "SCIDIP_STORE_USER": self.user,
            "SCIDIP_STORE_PASSWORD": self.password,
            "SCIDIP_STORE_QUERY_PARAMETERS": self.query_parameters,
        }

    def wipe(self) -> None:
        """Drop every graph of the store but its own system graphs: an empty store again."""
        from scidip_graph.store.seeding import STORE_SYSTEM_GRAPHS

        rows = self.ask("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        graphs = [
            g
            for g in rows
            if g.startswith("urn:x-scidip:") or not g.startswith(STORE_SYSTEM_GRAPHS)
        ]
        if graphs:
            self.update(" ; ".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))

    def ask(self, query: str) -> list[str]:
        """The values of a one-variable SELECT, as CSV reads them (a bare client's view)."""
        data = urllib.parse.urlencode({"query": query}).encode()
        request = urllib.request.Request(self.query_url, data, {"Accept": "text/csv"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            lines = answer.read().decode().splitlines()[1:]
        return [line.strip('"') for line in lines if line]

    def update(self, text: str) -> None:
        """Send an update as the app's own credentials would."""
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if self.user:
            import base64

            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        data = urllib.parse.urlencode({"update": text}).encode()
        request = urllib.request.Request(self.update_url, data, headers)
        urllib.request.urlopen(request, timeout=60).read()

    def _wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the store exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                self.ask("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1")
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the store did not start:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        """Stop the server this fixture started (SIGTERM, then SIGKILL)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)


class OxigraphServer(StoreServer):
    """``oxigraph serve`` (PyPI ``oxigraph``) on a folder of its own."""

    name = "oxigraph"

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        self.query_url, self.update_url, self.gsp_url = (
            f"{base}/query",
            f"{base}/update",
            f"{base}/store",
        )
        self.log_path = folder / "oxigraph.log"
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(OXIGRAPH), "serve", "--location", str(folder / "db"), "--bind", base[7:]],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait()


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {folder}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
ServerThreads = 4
MaxClientConnections = 8

[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryExecutionTime = 120
"""

# Its own user, allowed SPARQL Update, and two endpoints that take that user by HTTP Basic
# authentication: SPARQL (query and update) and the Graph Store Protocol. Reads stay open.
VIRTUOSO_GRANTS = """\
DB.DBA.USER_CREATE ('{user}', '{password}');
GRANT SPARQL_UPDATE TO "{user}";
DB.DBA.VHOST_DEFINE (lhost=>'*ini*', vhost=>'*ini*', lpath=>'/sparql-basic', ppath=>'/!sparql/',
  is_dav=>1, vsp_user=>'dba', auth_fn=>'DB.DBA.HP_AUTH_SQL_USER', realm=>'SPARQL', sec=>'basic',
  opts=>vector('noinherit', 1));
DB.DBA.VHOST_DEFINE (lhost=>'*ini*', vhost=>'*ini*', lpath=>'/sparql-graph-crud-basic',
  ppath=>'/!sparql-graph-crud/', is_dav=>1, vsp_user=>'dba', auth_fn=>'DB.DBA.HP_AUTH_SQL_USER',
  realm=>'SPARQL', sec=>'basic', opts=>vector('noinherit', 1));
"""


class VirtuosoServer(StoreServer):
    """OpenLink Virtuoso (Debian's ``virtuoso-t``) with a minimal ini on loopback ports."""

    name = "virtuoso"

    def __init__(self, folder: Path) -> None:
        assert VIRTUOSO is not None and ISQL is not None
        folder.mkdir(parents=True, exist_ok=True)
        sql_port, http_port = free_port(), free_port()
        ini = folder / "virtuoso.ini"
        ini.write_text(VIRTUOSO_INI.format(folder=folder, sql_port=sql_port, http_port=http_port))
        base = f"http://127.0.0.1:{http_port}"
        self.query_url = f"{base}/sparql"
        self.update_url = f"{base}/sparql-basic"
        self.gsp_url = f"{base}/sparql-graph-crud-basic"
        self.user, self.password = USER, PASSWORD
        self.query_parameters = "timeout=60000"
        self.log_path = folder / "out.log"
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [VIRTUOSO, "-f", "-c", str(ini)],
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=folder,
            )
        self._wait()
        grants = folder / "grants.sql"
        grants.write_text(VIRTUOSO_GRANTS.format(user=USER, password=PASSWORD))
        subprocess.run(
            [ISQL, f"127.0.0.1:{sql_port}", "dba", "dba", str(grants)],
            check=True,
            capture_output=True,
            timeout=60,
        )


def virtuoso_missing() -> str:
    """Why the Virtuoso tests cannot run here ("" when they can)."""
    if VIRTUOSO is None or ISQL is None:
        return (
            "Virtuoso is not installed (Debian: apt-get install virtuoso-opensource-7-bin; "
            ".ci/run does it where apt can)"
        )
    return ""
