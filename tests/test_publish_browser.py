"""The published pages render in headless Chromium (Debian's `chromium`, installed by .ci/run): no console error,
no failed load, readable on a phone without sideways scrolling, and reachable with the keyboard.

Chromium missing is a failure, not a skip. Set WPSGRAPH_SCREENSHOTS=DIR to keep screenshots of what was checked.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from wpsgraph.cli import main
from wpsgraph.publishing.conneg import make_server

from headless import Chromium, ensure_chromium

# Resource IRIs are opened extension-less, through content negotiation, as a browser would follow them.
PAGES = [
    "",
    "id/organisation/usnorthcom",
    "id/event/north-american-wps-design-workshop-2024",
    "id/country/MX",
    "ontology",
    "doc/class-diagram",
    "dataset",
]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "site"
    result = CliRunner().invoke(main, ["publish", "--out", str(out), "--quiet"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    server = make_server(out, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    binary = ensure_chromium()
    assert binary, "chromium is not installed and could not be: run `apt-get install -y chromium` as root"
    chromium = Chromium(binary)
    yield chromium
    chromium.close()


def shots() -> Path | None:
    folder = os.environ.get("WPSGRAPH_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return Path(folder)
    return None


@pytest.mark.parametrize("path", PAGES)
def test_page_renders_without_errors_on_desktop_and_phone(served, browser, path):
    url = served + path
    name = (path or "index").replace("/", "_")
    problems = browser.open(url, 1280, 900)
    assert problems == [], f"{url}: {problems}"
    assert browser.evaluate("document.documentElement.lang") in ("en", "es", "fr")
    assert browser.evaluate("document.querySelectorAll('h1').length") >= 1
    assert browser.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0 && i.alt)")
    folder = shots()
    if folder:
        browser.screenshot(folder / f"{name}-desktop.png")
    problems = browser.open(url, 390, 844, mobile=True)
    assert problems == [], f"{url} (phone): {problems}"
    width = browser.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1] + 1, f"{url}: wider than a phone screen {width}"
    font = browser.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert font >= 14, f"{url}: body text {font}px on a phone"
    if folder:
        browser.screenshot(folder / f"{name}-phone.png")


def test_keyboard_reaches_the_skip_link_and_the_content(served, browser):
    assert browser.open(served + "id/organisation/usnorthcom", 1280, 900) == []
    browser.press_tab()
    first = browser.evaluate("[document.activeElement.tagName, document.activeElement.getAttribute('href')]")
    assert first == ["A", "#main"], first
    # Every link and summary is focusable from the keyboard (no negative tabindex on interactive elements).
    assert browser.evaluate("[...document.querySelectorAll('a[href], summary')].every(e => e.tabIndex >= 0)")
    seen = set()
    for _ in range(12):
        browser.press_tab()
        seen.add(browser.evaluate("document.activeElement.closest('main') ? 'main' : "
                                  "document.activeElement.closest('nav') ? 'nav' : 'other'"))
    assert {"nav", "main"} <= seen, seen
