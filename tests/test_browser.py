"""A real browser (Debian's headless chromium) on a real server with the bundled data: the
faceted browse and search as a researcher's browser renders them, after the HTML parser has
decoded every entity in the links."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from scidip_graph.ingest.loading import bundled_files
from tests.live import LiveServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no chromium")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    files = bundled_files()
    if not files:
        pytest.skip("no bundled data")
    server = LiveServer(tmp_path_factory.mktemp("live-browser"), files, workers=1)
    yield server
    server.stop()


def dump_dom(url: str, home: Path) -> str:
    """The DOM chromium builds for ``url``, serialised."""
    args = [CHROMIUM, "--headless", "--disable-gpu", "--dump-dom", url]
    if os.geteuid() == 0:
        args.insert(1, "--no-sandbox")  # chromium refuses root without it
    done = subprocess.run(
        args,
        capture_output=True,
        timeout=120,
        check=True,
        env={**os.environ, "HOME": str(home)},  # its profile, not the user's
    )
    return done.stdout.decode()


class Links(HTMLParser):
    """The ``href`` of every ``<a>`` and the text of elements with ``data-count``."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.counts: dict[str, str] = {}
        self._count: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"] or "")
        self._count = found.get("data-count")

    def handle_data(self, data: str) -> None:
        if self._count is not None:
            self.counts[self._count] = data.strip()
            self._count = None


def test_a_browser_renders_the_combined_filters(live: LiveServer, tmp_path: Path) -> None:
    path = "/browse/sd:Example?theme=health&region=middle-east"
    dom = dump_dom(live.url + path, tmp_path)
    with urllib.request.urlopen(live.url + path + "&format=json", timeout=30) as r:
        twin = json.load(r)
    page = Links()
    page.feed(dom)
    assert page.counts["shown"] == str(twin["count"]) and twin["count"] > 0
    assert page.counts["total"] == str(twin["total"])
    for item in twin["instances"]:
        assert item["href"] in page.hrefs
    adding = [h for h in page.hrefs if h.startswith("/browse/sd:Example?") and "format" not in h]
    assert len(adding) > 20
    for href in adding:  # every facet link keeps the filters of the view, or removes one
        pairs = set(parse_qsl(urlsplit(href).query))
        assert len(pairs & {("theme", "health"), ("region", "middle-east")}) >= 1, href
    assert "Middle East" in dom and "Remove the filter" in dom


def test_a_browser_renders_search_hits_with_their_kind(live: LiveServer, tmp_path: Path) -> None:
    dom = dump_dom(live.url + "/search?q=CTBTO", tmp_path)
    assert 'href="/id/organization/ctbto"' in dom
    assert 'data-kind="organisation"' in dom
    assert "<script>" not in dom.split("<main>", 1)[1]
