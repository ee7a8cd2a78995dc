"""Issue 13, serve-site and publish: nothing outside the site is served, many clients at once are all answered,
silent clients are dropped, impossible paths get 414/404, trailing slashes are redirected; data IRIs cannot take the
site's own pages; a blank-node comment publishes. All on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from wpsgraph.cli import main
from wpsgraph.errors import WpsError
from wpsgraph.namespaces import Names
from wpsgraph.publishing.conneg import make_server
from wpsgraph.publishing.site import Site

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "valid" / "minimal.ttl"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    base = tmp_path_factory.mktemp("site")
    root = base / "site"
    (root / "id").mkdir(parents=True)
    (root / "index.html").write_text("<h1>home</h1>")
    (root / "id" / "thing.html").write_text("<h1>thing</h1>")
    (root / "id" / "thing.ttl").write_text("<a> <b> <c> .")
    secret = base / "secret.txt"
    secret.write_text("outside the site")
    (root / "id" / "leak.html").symlink_to(secret)                  # a link out of the site
    (root / "id" / "escape").symlink_to(base, target_is_directory=True)
    (root / "id" / "alias.html").symlink_to(root / "id" / "thing.html")  # a link inside it is fine
    return root


@pytest.fixture(scope="module")
def server(site):
    srv = make_server(site, port=0, timeout=2)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv, f"http://127.0.0.1:{srv.server_address[1]}/"
    srv.shutdown()
    thread.join(10)


def get(url, accept=None):
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def test_nothing_outside_the_site_is_served(server):
    _, url = server
    assert get(url + "id/leak")[0] == 404
    assert get(url + "id/leak.html")[0] == 404
    assert get(url + "id/escape/secret.txt")[0] == 404
    assert get(url + "id/../../secret.txt")[0] == 404
    status, _, body = get(url + "id/alias")
    assert status == 200 and body == b"<h1>thing</h1>"


def test_impossible_paths_get_404_and_414(server):
    _, url = server
    status, _, body = get(url + "x" * 300)  # a segment no file system has
    assert status == 404 and b"Not found" in body
    assert get(url + "a/" * 1500)[0] == 414


def test_a_trailing_slash_is_redirected_to_the_page(server):
    _, url = server
    request = urllib.request.Request(url + "id/thing/")
    opener = urllib.request.build_opener(type("NoRedirect", (urllib.request.HTTPRedirectHandler,),
                                              {"redirect_request": lambda *a, **k: None}))
    with pytest.raises(urllib.error.HTTPError) as moved:
        opener.open(request, timeout=10)
    assert moved.value.code == 301 and moved.value.headers["Location"] == "/id/thing"
    status, _, body = get(url + "id/thing/")  # followed: the page whose relative links work
    assert status == 200 and body == b"<h1>thing</h1>"


def test_negotiation_still_works(server):
    _, url = server
    status, headers, body = get(url + "id/thing", "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle") and headers["Vary"] == "Accept"


def test_a_hundred_clients_at_once_are_all_answered(server):
    _, url = server
    with ThreadPoolExecutor(100) as pool:
        statuses = list(pool.map(lambda _: get(url + "id/thing")[0], range(300)))
    assert statuses == [200] * 300


def test_a_silent_client_is_dropped(server):
    srv, _ = server
    with socket.create_connection(srv.server_address, timeout=15) as s:
        s.sendall(b"GET /index HTTP/1.1\r\nHost: x\r\n")  # never finishes its request
        start = time.monotonic()
        assert s.recv(1024) == b""  # closed by the server
        assert time.monotonic() - start < 10


def test_a_data_iri_cannot_take_a_site_page():
    names = Names()
    for path in ("index", "doc/class-diagram", "dumps/dataset.trig"):
        store = ox.Store()
        store.add(ox.Quad(ox.NamedNode(names.base + path), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                          ox.Literal("squatter"), ox.NamedNode(names.base + "graph/source/x")))
        with pytest.raises(WpsError, match="would take the site's own page"):
            Site(store, names)


def test_publish_with_a_blank_node_comment(tmp_path):
    data = tmp_path / "comment.ttl"
    data.write_text(MINIMAL.read_text(encoding="utf-8") + "\norganisation:fixture-network rdfs:comment "
                    "[ rdfs:label \"a comment that is a node\" ] .\n", encoding="utf-8")
    assert CliRunner().invoke(main, ["validate", str(data), "--no-cache"]).exit_code == 0
    result = CliRunner().invoke(main, ["publish", "--data", str(data), "--out", str(tmp_path / "site"), "--quiet"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "id" / "organisation" / "fixture-network.html").is_file()
