"""The published pages render in headless Chromium (Debian's `chromium`, installed by .ci/run): no console error,
no failed load, readable on a phone without sideways scrolling, and reachable with the keyboard.

Chromium missing is a failure, not a skip. Set WPSGRAPH_SCREENSHOTS=DIR to keep screenshots of what was checked.
"""

from __future__ import annotations

import csv
import io
import os
import threading
import time
from pathlib import Path

import pytest

from wpsgraph.publishing.conneg import make_server


# Resource IRIs are opened extension-less, through content negotiation, as a browser would follow them.
PAGES = [
    "",
    "id/organisation/usnorthcom",
    "id/event/north-american-wps-design-workshop-2024",
    "id/country/MX",
    "ontology",
    "doc/class-diagram",
    "dataset",
    "doc/action-plans",
    "id/theme/gender-based-violence",
]


@pytest.fixture(scope="module")
def served(published):
    server = make_server(published, port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


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
    assert width[1] == 390, f"{url}: the layout viewport grew past the phone's width {width}"
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


def test_pictures_show_on_country_actor_and_theme_pages(served, browser):
    for path, kinds in [("id/country/MX", ["timeline", "network"]),
                        ("id/organisation/usnorthcom", ["timeline", "network"]),
                        ("id/theme/gender-based-violence", ["network"])]:
        for width, height, mobile, tag in ((1280, 900, False, "desktop"), (390, 844, True, "phone")):
            assert browser.open(served + path, width, height, mobile) == [], path
            images = browser.evaluate("""[...document.querySelectorAll('figure.picture img')].map(i =>
                ({src: i.getAttribute('src'), alt: i.alt, ok: i.complete && i.naturalWidth > 0,
                  width: i.getBoundingClientRect().width}))""")
            assert [i["src"].rsplit("-", 1)[1] for i in images] == [k + ".svg" for k in kinds], path
            assert all(i["ok"] and len(i["alt"]) > 40 for i in images), images
            # a picture fills the column it is in, on a phone too
            assert all(i["width"] >= (340 if mobile else 600) for i in images), images
            folder = shots()
            if folder:
                browser.evaluate("document.getElementById('h-pictures').scrollIntoView()")
                browser.screenshot(folder / f"pictures-{path.replace('/', '_')}-{tag}.png")


def shown(browser):
    return browser.evaluate("""[...document.querySelectorAll('#plans tbody tr')].filter(tr => !tr.hidden)
        .map(tr => ({...tr.dataset}))""")


def choose(browser, select, value):
    browser.evaluate(f"""(() => {{ const s = document.getElementById({select!r}); s.value = {value!r};
        s.dispatchEvent(new Event('change', {{bubbles: true}})); }})()""")


@pytest.mark.parametrize("width, height, mobile", [(1280, 900, False), (390, 844, True)], ids=["desktop", "phone"])
def test_nap_table_filters_and_downloads(published, served, browser, width, height, mobile):
    assert browser.open(served + "doc/action-plans", width, height, mobile) == []
    everything = shown(browser)
    assert len(everything) > 60 and browser.evaluate("!document.getElementById('plan-filters').hidden")
    choose(browser, "f-country", "Mexico")
    rows = shown(browser)
    assert rows and all(r["country"] == "Mexico" for r in rows)
    assert browser.evaluate("document.getElementById('shown-count').textContent").startswith(f"{len(rows)} of ")
    choose(browser, "f-country", "")
    choose(browser, "f-region", "c:Africa")
    africa = shown(browser)
    assert africa and all(r["continent"] == "Africa" for r in africa)
    assert len(africa) == sum(r["continent"] == "Africa" for r in everything)
    choose(browser, "f-region", "s:Northern Europe")
    choose(browser, "f-from", "2010")
    choose(browser, "f-to", "2015")
    rows = shown(browser)
    assert rows and all(r["subregion"] == "Northern Europe" and "2010" <= r["year"] <= "2015" for r in rows)
    assert len(rows) == sum(r["subregion"] == "Northern Europe" and "2010" <= (r["year"] or "0") <= "2015"
                            for r in everything)
    folder = shots()
    if folder:
        browser.screenshot(folder / f"nap-table-filtered-{'phone' if mobile else 'desktop'}.png")
    # the rows shown, as CSV: the header and the same rows as the full download's
    browser.evaluate("""window.__csv = null; (() => { const make = URL.createObjectURL;
        URL.createObjectURL = (blob) => { blob.text().then(t => { window.__csv = t; }); return make(blob); }; })();
        document.getElementById('download-shown').click()""")
    for _ in range(50):
        text = browser.evaluate("window.__csv")
        if text:
            break
        time.sleep(0.1)
    lines = list(csv.reader(io.StringIO(text)))
    full = list(csv.reader(io.StringIO((published / "doc" / "action-plans.csv").read_text(encoding="utf-8"))))
    assert lines[0] == full[0] and len(lines) == len(rows) + 1
    assert all(line in full for line in lines[1:])
    at = full[0].index("subregion")
    assert {line[at] for line in lines[1:]} == {"Northern Europe"}
