"""The WPS query page `wpsgraph serve` shows at `/` (wpsgraph/endpoints/workbench/): its examples are the canned
queries bound as `wpsgraph query` binds them, its files come with the package, and in headless Chromium an example
runs and shows the rows the embedded engine gives, with labels beside IRIs, a CSV download and a shareable link.

Chromium missing is a failure, not a skip. Set WPSGRAPH_SCREENSHOTS=DIR to keep screenshots of what was checked.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from wpsgraph.api import Graph
from wpsgraph.endpoints.workbench import STATIC, Workbench, config
from wpsgraph.namespaces import Names
from wpsgraph.query.catalogue import catalogue

from servers import built, free_port, http, port_closed

WPSGRAPH = [sys.executable, "-m", "wpsgraph.cli"]


def wsgi(app, path, method="GET"):
    got = {}
    body = b"".join(app({"PATH_INFO": path, "REQUEST_METHOD": method},
                        lambda status, headers: got.update(status=status, headers=dict(headers))))
    return got["status"], got["headers"], body


def test_every_canned_query_is_an_example_with_its_parameters_bound():
    examples = {e["name"]: e for e in config(Names())["examples"]}
    assert set(examples) == set(catalogue()) and len(examples) >= 30
    timeline = examples["country-timeline"]
    assert timeline["params"] == [{"name": "country", "kind": "iri", "default": "country:MX",
                                   "doc": timeline["params"][0]["doc"],
                                   "term": "<https://w3id.org/wpsgraph/id/country/MX>"}]
    # bound by the project's binder, in the line the page rewrites when a parameter changes
    assert "  VALUES (?country) { (<https://w3id.org/wpsgraph/id/country/MX>) }" in timeline["text"].splitlines()
    # the header's description in full, continuation lines included, and no header left in the editor's text
    assert timeline["description"].endswith("Undated entries come first.")
    assert not timeline["text"].startswith("#")


def test_the_config_follows_the_base_iri():
    settings = config(Names("https://example.org/wps/"))
    assert settings["base"] == "https://example.org/wps/"
    assert settings["prefixes"]["country"] == "https://example.org/wps/id/country/"
    timeline = next(e for e in settings["examples"] if e["name"] == "country-timeline")
    assert "<https://example.org/wps/id/country/MX>" in timeline["text"]


def test_the_page_and_its_editor_ship_with_the_package():
    app = Workbench(Names())
    status, headers, body = wsgi(app, "/")
    assert status == "200 OK" and headers["Content-Type"].startswith("text/html")
    for src in re.findall(rb'(?:src|href)="(workbench/[^"]+)"', body):  # every file the page loads is served
        status, _, asset = wsgi(app, "/" + src.decode())
        assert status == "200 OK" and asset, src
    assert b"MIT License" in (STATIC / "vendor" / "codemirror" / "LICENSE").read_bytes()
    assert b"https://" not in re.sub(rb'href="https://[^"]*"', b"", body)  # nothing fetched from the network
    assert json.loads(wsgi(app, "/workbench/config.json")[2])["examples"]


@pytest.mark.parametrize("path", ["/workbench/../__init__.py", "/workbench/%2e%2e/front.py", "/workbench/",
                                  "/workbench/nothing.js"])
def test_no_path_reaches_other_files(path):
    status, _, body = wsgi(Workbench(Names()), path)
    assert status == "404 Not Found" and b"import" not in body


def test_the_page_is_read_only():
    assert wsgi(Workbench(Names()), "/", method="POST")[0] == "405 Method Not Allowed"


@pytest.fixture(scope="module")
def served():
    """`wpsgraph serve` as a user runs it; the base URL of the page it prints."""
    process = subprocess.Popen(WPSGRAPH + ["serve", "--db", str(built()), "--port", str(free_port())],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        match = re.match(r"SPARQL endpoint: (http://\S+/)query$", line.strip())
        assert match, f"no endpoint printed: {line!r} {process.stderr.read() if process.poll() is not None else ''}"
        yield match.group(1)
    finally:
        process.terminate()
        process.wait(10)
    assert port_closed(match.group(1))


def test_serve_shows_the_project_page_and_passes_queries_on(served):
    status, media, body = http(served)
    assert (status, media) == (200, "text/html") and b"WPS query page" in body
    status, media, body = http(served + "query?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}),
                               headers={"Accept": "application/sparql-results+json"})
    assert (status, media, json.loads(body)["boolean"]) == (200, "application/sparql-results+json", True)
    # the endpoint's own answers come through unchanged, errors included
    assert http(served + "update", b"INSERT DATA { <a:b> <a:b> <a:b> }",
                {"Content-Type": "application/sparql-update"})[0] == 403
    assert http(served + "query?" + urllib.parse.urlencode({"query": "SELECT nonsense"}))[0] == 400


def wait_for(browser, expression, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = browser.evaluate(expression)
        if value:
            return value
        time.sleep(0.1)
    status = browser.evaluate("document.getElementById('status').textContent")
    raise AssertionError(f"timed out waiting for {expression}: status {status!r}")


def table(browser) -> list[list[str]]:
    """The results table as text: the first line of each cell (the compact IRI or the value)."""
    return browser.evaluate("""[...document.querySelectorAll('#results tbody tr')].map(tr =>
        [...tr.cells].map(td => (td.firstChild ? td.firstChild.textContent : '')))""")


def shot(browser, name):
    folder = os.environ.get("WPSGRAPH_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        browser.screenshot(Path(folder) / f"{name}.png", full_page=True)


def expected_items(country: str) -> list[str]:
    return [row["item"] for row in Graph.open(built()).rows("country-timeline", country=country)]


@pytest.mark.parametrize("width, height, mobile", [(1366, 900, False), (390, 844, True)],
                         ids=["desktop", "phone"])
def test_an_example_runs_and_shows_its_rows(served, browser, width, height, mobile):
    assert browser.open(served, width, height, mobile) == []
    wait_for(browser, "document.querySelectorAll('#examples button').length")
    assert browser.evaluate("document.querySelectorAll('#examples button').length") == len(catalogue())
    browser.evaluate("document.querySelector('[data-example=\"country-timeline\"]').click()")
    wait_for(browser, "/rows? in/.test(document.getElementById('status').textContent)")
    rows = table(browser)
    items = expected_items("country:MX")
    assert [r[3] for r in rows] == items and len(items) >= 5  # the embedded engine's rows, in its order
    assert browser.evaluate("document.getElementById('example-title').textContent").startswith("A country's timeline")
    if not mobile:  # the page reflows on a phone: nothing sideways but the results table's own scroller
        shot(browser, "query-page-country-timeline-desktop")
    else:
        assert browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        shot(browser, "query-page-country-timeline-phone")


def test_a_parameter_rebinds_the_example(served, browser):
    browser.open(served)
    wait_for(browser, "document.querySelectorAll('#examples button').length")
    browser.evaluate("document.querySelector('[data-example=\"country-timeline\"]').click()")
    wait_for(browser, "/rows? in/.test(document.getElementById('status').textContent)")
    browser.evaluate("""(() => { const i = document.getElementById('param-country'); i.value = 'country:NO';
        i.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'})); })()""")
    wait_for(browser, "document.querySelector('#results caption') && "
                      "!document.querySelector('#results').textContent.includes('mexico')")
    wait_for(browser, "/rows? in/.test(document.getElementById('status').textContent)")
    assert [r[3] for r in table(browser)] == expected_items("country:NO")
    text = browser.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert "VALUES (?country) { (<https://w3id.org/wpsgraph/id/country/NO>) }" in text
    # a name, as the command line takes it: the one resource labelled so
    browser.evaluate("""(() => { const i = document.getElementById('param-country'); i.value = 'Mexico';
        i.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'})); })()""")
    wait_for(browser, "document.getElementById('param-country').value === 'country:MX'")
    wait_for(browser, "document.querySelector('#results').textContent.includes('mexico')")
    wait_for(browser, "/rows? in/.test(document.getElementById('status').textContent)")
    assert [r[3] for r in table(browser)] == expected_items("country:MX")
    text = browser.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    # a value that names nothing is refused with a message, and the query is left as it was
    browser.evaluate("""(() => { const i = document.getElementById('param-country'); i.value = 'Norway and more';
        i.dispatchEvent(new Event('change')); })()""")
    message = wait_for(browser, "document.getElementById('param-country-error').textContent")
    assert "Norway and more" in message and "prefix:name" in message
    assert browser.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()") == text


def test_labels_beside_iris_links_csv_and_a_shared_link(served, browser):
    query = ("SELECT DISTINCT ?plan ?country WHERE { ?plan a wps:NationalActionPlan ; wps:country ?country "
             "FILTER(?country = country:MX) }")
    link = served + "#" + urllib.parse.urlencode({"query": query})
    browser.open("about:blank")  # a new document: the same page with another fragment would not load again
    assert browser.open(link) == []  # a shared link opens with its query and runs it
    wait_for(browser, "/rows? in/.test(document.getElementById('status').textContent)")
    text = browser.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()")
    assert text.startswith("PREFIX country: <https://w3id.org/wpsgraph/id/country/>")  # declared on running
    assert text.endswith(query)
    cells = browser.evaluate("""[...document.querySelectorAll('#results tbody td')].map(td =>
        ({link: td.querySelector('a') && td.querySelector('a').href, shown: td.firstChild.textContent,
          label: (td.querySelector('.label') || {}).textContent}))""")
    country = [c for c in cells if c["shown"] == "country:MX"]
    assert country and all(c["label"] == "Mexico" for c in country)
    assert all(c["link"] == "https://w3id.org/wpsgraph/id/country/MX" for c in country)  # its published page
    browser.evaluate("document.getElementById('lang').value = 'es'; "
                     "document.getElementById('lang').dispatchEvent(new Event('change'))")
    wait_for(browser, "[...document.querySelectorAll('#results .label')].some(l => l.textContent === 'México')")
    shot(browser, "query-page-labels")
    # CSV: the endpoint's own CSV of the same query, handed to the browser as a download
    browser.evaluate("""window.__csv = null; (() => { const make = URL.createObjectURL;
        URL.createObjectURL = (blob) => { blob.text().then(t => { window.__csv = t; }); return make(blob); }; })();
        document.getElementById('csv').click()""")
    rows = list(csv.reader(io.StringIO(wait_for(browser, "window.__csv"))))
    assert rows[0] == ["plan", "country"] and len(rows) > 1
    assert {r[1] for r in rows[1:]} == {"https://w3id.org/wpsgraph/id/country/MX"}
    # the link the page offers carries the query as it ran
    browser.evaluate("document.getElementById('share').click()")
    shared = browser.evaluate("document.getElementById('share-link').value")
    assert urllib.parse.parse_qs(urllib.parse.urlsplit(shared).fragment)["query"] == [text]
