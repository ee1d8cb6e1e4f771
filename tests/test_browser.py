"""A real browser (Debian's headless chromium) on a real server with the bundled data: the
faceted browse and search as a researcher's browser renders them, after the HTML parser has
decoded every entity in the links."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

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
    assert "<script>" not in dom.split("<main", 1)[1]


# -- fit and finish: a phone's width, the keyboard, the console, the 404 ----------------------

PHONE_PAGES = (
    "/id/organization/cern",
    "/id/country/CH",
    "/id/example/cern",
    "/",
    "/browse/sd:Example",
    "/search?q=CERN",
    "/download/",
    "/void",
    "/ontology",
)


def test_pages_fit_a_phone_work_by_keyboard_and_log_no_errors(
    live: LiveServer, workbench: Any
) -> None:
    """In the workbench's browser (network cut off but for the server): at 390 px no page
    scrolls sideways; Tab first reaches the skip link, shown with a focus ring, and Enter moves
    to the content; no page logs an error; an unknown path is an HTML page (a 404)."""
    errors: list[str] = []
    page = _page(workbench, live, errors)
    page.set_viewport_size({"width": 390, "height": 800})
    page.set_default_timeout(300_000)  # /download/ makes every dump on first request
    for path in PHONE_PAGES:
        answer = page.goto(live.url + path)
        assert answer is not None and answer.status == 200, path
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (path, width)
    page.goto(live.url + "/id/organization/cern")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "[document.activeElement.className, document.activeElement.getAttribute('href'),"
        " getComputedStyle(document.activeElement).outlineStyle,"
        " document.activeElement.getBoundingClientRect().left]"
    )
    assert focused[:3] == ["skip", "#main", "solid"] and focused[3] >= 0, focused
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")  # the first link of the content, not the navigation's
    assert page.evaluate("!!document.activeElement.closest('main')")
    assert errors == [], errors  # before the 404, which chromium logs as an error
    answer = page.goto(live.url + "/nope")
    assert answer is not None and answer.status == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert page.locator("h1").inner_text() == "Page not found"
    page.context.close()


# -- the workbench: the query editor, its views, its examples and permalinks ------------------

ARTIFACTS = Path(__file__).parent / "artifacts"
"""Screenshots of each view, kept as CI artifacts (git-ignored)."""

# Colours of a screenshot, counted by the browser itself (no imaging library needed): how many
# distinct ones, and the share of pixels that are not the background's.
_COLOURS = """async (data) => {
  const image = new Image();
  image.src = "data:image/png;base64," + data;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width; canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, image.width, image.height).data;
  const seen = new Map();
  for (let i = 0; i < pixels.length; i += 4) {
    const key = (pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2];
    seen.set(key, (seen.get(key) || 0) + 1);
  }
  const background = Math.max(...seen.values());
  return [seen.size, 1 - background / (pixels.length / 4)];
}"""


@pytest.fixture(scope="module")
def workbench(live: LiveServer) -> Iterator[Any]:
    """A headless chromium whose network ends at the live server."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="no playwright")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield browser
        browser.close()


def _page(browser: Any, live: LiveServer, errors: list[str] | None = None) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live.url) else route.abort()
        ),
    )
    page = context.new_page()
    page.set_default_timeout(60_000)
    if errors is not None:
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
    return page


def _view(page: Any, name: str, shot: str) -> Any:
    """The active tab's result view ``name``, chosen by hand, its screenshot checked for content."""
    page.locator(f".tabPanel.active .yasr .select_{name}").click()
    view = page.locator(f".tabPanel.active .yasr_results [data-view='{name}'] svg")
    view.wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    png = view.screenshot(path=str(ARTIFACTS / f"{shot}.png"))
    colours, drawn = page.evaluate(_COLOURS, base64.b64encode(png).decode())
    assert colours >= 3 and drawn > 0.01, (shot, colours, drawn)
    return view


def _run_example(page: Any, words: str, name: str) -> str:
    """Find an example in the panel by words of its title, run it; the view chosen for it."""
    page.locator("#examples-search").fill(words)
    page.locator(f"#examples-list li[data-name='{name}'] a").click()
    return _drawn(page, name)


def _drawn(page: Any, name: str | None = None) -> str:
    """The view drawn in the active tab (named ``name``) once its results are in."""
    page.wait_for_function(
        """(name) => {
          const tab = workbench.yasgui.getTab();
          return (!name || tab.getName() === name) && tab.getYasr().results &&
            tab.getYasr().resultsEl.children.length > 0;
        }""",
        arg=name,
    )
    return str(page.evaluate("workbench.yasgui.getTab().getYasr().getSelectedPluginName()"))


def test_the_editor_runs_examples_in_every_view(workbench: Any, live: LiveServer) -> None:
    """Open the editor, run examples from the panel and see rows, then the graph, map,
    timeline and chart views, each chosen for the result that fits it, and screenshots of
    them with content; no request leaves the server, and the console stays clean."""
    errors: list[str] = []
    page = _page(workbench, live, errors)
    page.goto(live.url + "/sparql")
    page.locator(".yasqe .CodeMirror").wait_for()
    page.locator("#examples summary").click()

    assert _run_example(page, "CERN member states years", "cern-member-count-by-year") == "chart"
    _view(page, "chart", "chart")
    page.locator(".tabPanel.active .yasr .select_table").click()
    rows = page.locator(".tabPanel.active .yasr_results tbody tr")
    rows.first.wait_for()
    assert rows.count() >= 10
    page.screenshot(path=str(ARTIFACTS / "table.png"))

    assert _run_example(page, "most cases", "countries-taking-part-in-most-cases") == "map"
    _view(page, "map", "map")
    assert page.locator(".tabPanel.active .sd-map path.hit").count() >= 10

    assert _run_example(page, "memberships ended", "ended-memberships") == "timeline"
    _view(page, "timeline", "timeline")

    page.goto(
        live.url
        + "/sparql?query="
        + quote("DESCRIBE <https://w3id.org/scidip/id/organization/cern>")
    )
    assert _drawn(page) == "graph"
    graph = _view(page, "graph", "graph")
    assert graph.locator("circle").count() >= 5
    graph.locator("circle").first.click()  # its neighbourhood, in a new tab
    page.wait_for_function("workbench.yasgui.getTab().getName() !== 'Query'")
    assert _drawn(page) == "graph"
    assert errors == [], errors


def test_a_resource_page_opens_its_neighbourhood_graph(workbench: Any, live: LiveServer) -> None:
    page = _page(workbench, live)
    page.goto(live.url + "/id/organization/sesame")
    page.get_by_role("link", name="neighbourhood graph").click()
    page.wait_for_function(
        "window.workbench && workbench.yasgui.getTab().getName() === 'id:organization/sesame'"
    )
    assert _drawn(page) == "graph"
    graph = _view(page, "graph", "neighbourhood")
    assert graph.locator("circle").count() >= 5
    labels = graph.locator("text").evaluate_all("nodes => nodes.map((n) => n.textContent)")
    assert "CERN" in labels and any("SESAME" in label for label in labels), sorted(set(labels))


def test_a_permalink_opens_in_a_fresh_browser(workbench: Any, live: LiveServer) -> None:
    page = _page(workbench, live)
    page.goto(live.url + "/sparql")
    page.locator("#examples summary").click()
    _run_example(page, "CERN 2000", "cern-members-in-2000")
    page.locator("#share").click()
    share = page.locator("#share-url")
    share.wait_for()
    page.wait_for_function("document.querySelector('#share-url').value.includes('/q/')")
    url = share.input_value()
    page.context.close()

    fresh = _page(workbench, live)  # a new profile: nothing kept from the first
    answer = fresh.goto(url)
    assert answer is not None and answer.headers["content-type"].startswith("text/html")
    assert "has not changed since" in fresh.locator("#permalink-note").inner_text()
    _drawn(fresh)
    rows = fresh.evaluate("workbench.yasgui.getTab().getYasr().results.getBindings().length")
    assert rows >= 10
    text = fresh.evaluate("workbench.yasgui.getTab().getQuery()")
    assert text == (Path(__file__).parent.parent / "queries/cern-members-in-2000.rq").read_text()
    fresh.screenshot(path=str(ARTIFACTS / "permalink.png"))
    fresh.context.close()


def test_a_syntax_error_is_marked_in_the_editor(workbench: Any, live: LiveServer) -> None:
    page = _page(workbench, live)
    answer = page.goto(
        live.url + "/sparql?query=" + quote("SELECT * WHERE {\n ?s ?p ?o\n FILTER(\n}")
    )
    assert answer is not None and answer.headers["content-type"].startswith("text/html")
    page.locator(".sd-error-line").wait_for()
    assert "line 4, column 1" in page.locator(".tabPanel.active .sd-error").inner_text().lower()
    page.context.close()
