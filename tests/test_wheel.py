"""The wheel as a new user gets it: built, installed in a fresh venv outside the checkout, run.

A plain install must carry ``ontology/``, ``data/`` and ``queries/`` (as package data of
``scidip_graph.resources``). The wheel is built once per session, from the files of the working
tree that git sees (tracked, or new and not ignored: a stale ``build/`` cannot leak into it),
with ``pip wheel --no-deps``, and installed with its dependencies from the package index pip is
configured with (pip's cache makes this quick after the first time) into a venv in a temporary
folder. Every command then runs from that venv, in a working directory outside the checkout.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.live import LiveServer

pytestmark = pytest.mark.wheel

REPO_ROOT = Path(__file__).resolve().parent.parent
CERN_NAME = (
    "SELECT ?name WHERE "
    "{ <https://w3id.org/scidip/id/organization/cern> <http://schema.org/name> ?name }"
)
CERN_BINDINGS = [{"name": {"type": "literal", "value": "CERN", "xml:lang": "en"}}]


@dataclass(frozen=True)
class Installed:
    """The installed wheel: the files it was built from, the wheel, its venv, and a working
    directory outside the checkout."""

    source: Path
    wheel: Path
    venv: Path
    work: Path
    env: dict[str, str]

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """A command of the venv's ``bin/`` (``scidip-graph``, ``python``) in ``work``."""
        command = [str(self.venv / "bin" / args[0]), *args[1:]]
        return subprocess.run(
            command,
            cwd=self.work,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )


def _checkout_files(into: Path) -> Path:
    """Copy the working tree's files as git sees them (no ignored build/, .venv...)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = REPO_ROOT / name
        if source.is_file():  # a tracked file deleted from the working tree is still listed
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name)
    return into


def _pip(*args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """Build the wheel and install it in a fresh venv, once per session."""
    tmp = tmp_path_factory.mktemp("wheel")
    assert not tmp.resolve().is_relative_to(REPO_ROOT)
    source = _checkout_files(tmp / "source")
    _pip("wheel", "--no-deps", "--quiet", "--wheel-dir", str(tmp / "dist"), str(source))
    (wheel,) = (tmp / "dist").glob("scidip_graph-*.whl")
    venv = tmp / "venv"
    # No pip inside: this interpreter's pip installs into it (--python); and no bytecode
    # compiled ahead (--no-compile): together they save more than half of the time.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    _pip("--python", python, "install", "--quiet", "--no-compile", str(wheel))
    work = tmp / "work"
    work.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    return Installed(source, wheel, venv, work, env)


def test_the_wheel_carries_every_module_and_data_file(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    source = installed.source
    modules = {p.relative_to(source).as_posix() for p in (source / "scidip_graph").rglob("*.py")}
    assert {n for n in names if n.endswith(".py")} == modules
    for folder in ("ontology", "data", "queries"):
        files = {p.relative_to(source / folder).as_posix() for p in (source / folder).rglob("*.*")}
        prefix = f"scidip_graph/resources/{folder}/"
        inside = {n[len(prefix) :] for n in names if n.startswith(prefix)}
        assert inside == files, folder
    assert "scidip_graph/py.typed" in names
    static = source / "scidip_graph" / "web" / "static"
    files = {p.relative_to(source).as_posix() for p in static.rglob("*") if p.is_file()}
    assert files and files <= names  # the editor's own scripts and the vendored libraries


def test_the_installed_package_reads_its_data_from_site_packages(installed: Installed) -> None:
    done = installed.run(
        "python",
        "-c",
        "import json, sysconfig, scidip_graph.resources as r; print(json.dumps([sysconfig."
        "get_path('purelib'), r.__file__, str(r.DATA_DIR), str(r.ONTOLOGY_DIR), "
        "str(r.QUERIES_DIR)]))",
    )
    assert done.returncode == 0, done.stderr
    site_packages, *paths = (Path(p) for p in json.loads(done.stdout))
    for path in paths:
        assert path.is_relative_to(site_packages), path
        assert not path.resolve().is_relative_to(REPO_ROOT), path
    assert (site_packages / "scidip_graph/resources/data/article.trig").is_file()


def test_validate(installed: Installed) -> None:
    done = installed.run("scidip-graph", "validate", "--format", "json")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr
    report = json.loads(done.stdout)
    assert report["conforms"] is True
    assert str(REPO_ROOT) not in done.stdout


def test_query(installed: Installed) -> None:
    done = installed.run("scidip-graph", "query", CERN_NAME, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["results"]["bindings"] == CERN_BINDINGS


def _get(url: str, accept: str) -> Any:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        return json.load(response)


def test_serve(installed: Installed, tmp_path: Path) -> None:
    statements = json.loads(installed.run("scidip-graph", "stats", "--format", "json").stdout)
    live = LiveServer(
        tmp_path,
        None,  # the wheel's own data, validated on first start
        workers=2,
        command=[str(installed.venv / "bin" / "scidip-graph")],
        cwd=installed.work,
    )
    try:
        health = _get(live.url + "/-/health", "application/json")
        assert health["status"] == "ok"
        assert health["store"]["quads"] == statements["statements"]
        query = urllib.parse.urlencode({"query": CERN_NAME})
        answer = _get(f"{live.url}/sparql?{query}", "application/sparql-results+json")
        assert answer["results"]["bindings"] == CERN_BINDINGS
        # The query editor's page and every script it loads, from the installed package.
        editor = urllib.request.Request(live.url + "/sparql", headers={"Accept": "text/html"})
        with urllib.request.urlopen(editor, timeout=30) as page:
            html = page.read().decode()
        scripts = re.findall(r'<script src="([^"]+)"', html)
        assert any("yasgui" in s for s in scripts) and any("workbench" in s for s in scripts)
        for src in scripts:
            with urllib.request.urlopen(urllib.parse.urljoin(live.url, src), timeout=30) as r:
                assert r.status == 200 and len(r.read()) > 1000, src
    finally:
        live.stop()
    assert str(REPO_ROOT) not in live.log()
