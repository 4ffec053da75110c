"""Hostile clients and a damaged index against the production server (issue #35, points 7 and 9).

* Clients trickling a request's headers a line a second are closed once they have had
  ``REQUEST_TIMEOUT`` seconds (waitress's idle timeout never fires: they are never idle),
  and a normal search meanwhile is answered; at the connection limit the connections
  waiting longest are closed to make room, so a normal search gets in at once.
* A damaged index file answers 503 on every route that reads the index, ``/healthz``
  included, and no error body shows where the index is.
* A metadata source of 5,000 characters is not kept as a facet: every facet and
  suggestion link of the index answers 200.

Loopback only, bounded in connections and time.
"""
from __future__ import annotations

import json
import select
import shutil
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager

import pytest
from waitress import wasyncore

from index.builder import build_index
from search.fields import MAX_FACET_CHARS
from tests.conftest import SAMPLE, serving
from web import create_app, server
from web.server import REQUEST_TIMEOUT, SERVER_SETTINGS, bind, create_server
from web.views import FACET_PREFIX, search_url

TRICKLING = 100  # connections sending a header line a second, never the blank line that ends the headers
JSON = {"Accept": "application/json"}


class Trickle:
    """``count`` connections to ``base``, each sending a request line, then a header line a second
    from a thread of its own; ``closed`` counts those the server has closed."""

    def __init__(self, base: str, count: int):
        host, port = urllib.parse.urlsplit(base).netloc.split(":")
        self.open = []
        for _ in range(count):
            s = socket.create_connection((host, int(port)), timeout=5)
            s.sendall("GET /search?q=حفتر HTTP/1.1\r\nHost: x\r\n".encode())
            self.open.append(s)
        self.closed = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        line = 0
        while self.open and not self._stop.wait(1.0):
            line += 1
            readable, _, _ = select.select(self.open, [], [], 0)
            for s in readable:  # a closed connection reads as b'' (or a reset)
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b""
                assert data == b"", "a trickling request was answered"
                self.open.remove(s)
                s.close()
                self.closed += 1
            for s in self.open:
                try:
                    s.sendall(f"X-Trickle-{line}: a\r\n".encode())
                except OSError:
                    pass  # closed by the server: read as b'' on the next turn

    def wait_all_closed(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.open and time.monotonic() < deadline:
            time.sleep(0.5)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)
        for s in self.open:
            s.close()


def get_json(url: str, timeout: float = 30) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=JSON), timeout=timeout) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_trickling_clients_are_closed_and_searches_get_through(sample_index, tmp_path):
    with serving(sample_index, tmp_path) as base:
        trickle = Trickle(base, TRICKLING)
        try:
            time.sleep(3)  # the trickling requests are under way
            status, body = get_json(base + "/search?q=" + urllib.parse.quote("حفتر"))
            assert status == 200 and body["total"] == 4
            # never idle, so waitress's idle timeout never closes them: the request bound does
            trickle.wait_all_closed(REQUEST_TIMEOUT + 4 * SERVER_SETTINGS["cleanup_interval"] + 15)
            assert trickle.closed == TRICKLING and not trickle.open
            status, _body = get_json(base + "/healthz")
            assert status == 200
        finally:
            trickle.stop()


@contextmanager
def in_process_server(app, **settings):
    """``web.server.create_server`` on a free loopback port, its main loop in a thread."""
    sock = bind("127.0.0.1", 0)
    srv = create_server(app, sock, threads=2, **settings)
    stop = threading.Event()

    def run():
        while not stop.is_set():
            wasyncore.loop(timeout=0.2, map=srv._map, use_poll=True, count=1)
        srv.task_dispatcher.shutdown()
        wasyncore.close_all(srv._map)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.effective_port}"
    finally:
        stop.set()
        thread.join(10)


def test_at_the_connection_limit_the_longest_waiting_make_room(sample_index, monkeypatch):
    # no request bound here: only making room can let the search in while the clients trickle
    monkeypatch.setattr(server, "REQUEST_TIMEOUT", 3600)
    app = create_app({"INDEX_DIR": str(sample_index)})
    with in_process_server(app, connection_limit=20) as base:
        trickle = Trickle(base, 30)  # more than the limit: the last ones wait in the listen backlog
        try:
            time.sleep(server.MAKE_ROOM_AFTER + 1)
            status, body = get_json(base + "/search?q=" + urllib.parse.quote("حفتر"))
            assert status == 200 and body["total"] == 4
            assert trickle.closed > 0
        finally:
            trickle.stop()


def _damage(root, how: str) -> None:
    generation = (root / "current").resolve()
    if how == "truncated terms file":
        f = next(generation.glob("*.trm"))
        f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])
    else:  # zeros over the middle third of the stored fields: found when an article is read
        f = next(generation.glob("*._stored.col"))
        data = f.read_bytes()
        third = len(data) // 3
        f.write_bytes(data[:third] + bytes(third) + data[2 * third:])


ROUTES = ["/search?q=" + urllib.parse.quote("حفتر"), "/article?id=000_7d249ea639f1103d",
          "/suggest?q=" + urllib.parse.quote("حف"), "/healthz"]


def _no_location(text: str, root) -> None:
    assert str(root) not in text and root.name not in text and "gen-" not in text and "/tmp" not in text


@pytest.mark.parametrize("how", ["truncated terms file", "garbled stored fields"])
def test_a_damaged_index_answers_503_on_every_route_without_its_location(sample_index, tmp_path, how):
    root = tmp_path / "ix"
    shutil.copytree(sample_index, root, symlinks=True)
    _damage(root, how)
    client = create_app({"TESTING": True, "INDEX_DIR": str(root)}).test_client()
    for url in ROUTES:  # the search reads the damaged articles first; from then on the index is refused
        r = client.get(url, headers=JSON)
        body = r.get_json()
        assert r.status_code == 503 and body["ok"] is False and body["status"] == 503, url
        assert "unreadable index" in body["error"] and "akhbar index" in body["error"]
        _no_location(r.get_data(as_text=True), root)
    page = client.get(ROUTES[0])  # the browser's page too
    assert page.status_code == 503 and "akhbar index" in page.get_data(as_text=True)
    _no_location(page.get_data(as_text=True), root)


def test_a_server_started_on_a_damaged_index_answers_503(sample_index, tmp_path):
    root = tmp_path / "ix"
    shutil.copytree(sample_index, root, symlinks=True)
    _damage(root, "truncated terms file")
    with serving(root, tmp_path) as base:
        for url in ROUTES:
            status, body = get_json(base + url)
            assert status == 503 and "unreadable index" in body["error"], url
            _no_location(json.dumps(body, ensure_ascii=False), root)


def test_missing_index_503_does_not_show_its_location(tmp_path):
    root = tmp_path / "nowhere"
    client = create_app({"TESTING": True, "INDEX_DIR": str(root)}).test_client()
    for url in ROUTES:
        r = client.get(url, headers=JSON)
        assert r.status_code == 503 and "akhbar index" in r.get_json()["error"]
        _no_location(r.get_data(as_text=True), root)


LONG_SOURCE = ("وكالة أنباء الشرق " * 300)[:5000]


def test_a_5000_character_source_is_no_facet_and_every_facet_link_works(tmp_path):
    c = tmp_path / "c"
    shutil.copytree(SAMPLE, c)
    table = (c / "metadata.csv").read_text(encoding="utf-8").replace(
        "002_ec7758134357b2f5.txt,,", f'002_ec7758134357b2f5.txt,"{LONG_SOURCE}",')
    (c / "metadata.csv").write_text(table, encoding="utf-8")
    problems = []
    summary = build_index([c], tmp_path / "ix", progress=False, on_problem=problems.append)
    assert summary.documents == 5 and summary.skipped == 0
    assert any("source of 5,000 characters" in p.reason for p in problems)
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "ix")}).test_client()

    facets = client.get("/search?q=" + urllib.parse.quote("ليبيا"), headers=JSON).get_json()["facets"]
    links = [search_url("", [(FACET_PREFIX[name], f["value"])]) for name, values in facets.items() for f in values]
    assert links and all(len(f["value"]) <= MAX_FACET_CHARS for values in facets.values() for f in values)
    suggested = client.get("/suggest?q=" + urllib.parse.quote("وكا")).get_json()["suggestions"]
    links += [s["url"] for s in suggested]
    assert all(s["value"] != LONG_SOURCE for s in suggested)
    for link in links:
        r = client.get(link, headers=JSON)
        assert r.status_code == 200, link
    # the filter takes any value a facet can hold
    r = client.get(search_url("", [("source", "و" * MAX_FACET_CHARS)]), headers=JSON)
    assert r.status_code == 200 and r.get_json()["total"] == 0


def test_an_error_inside_whoosh_that_is_no_damage_fails_that_request_alone(sample_index):
    """Only errors of Whoosh decoding bytes it did not write (zlib, pickle, struct ...: the garbled
    stored fields above) mark the index damaged for good; any other error raised in Whoosh's code
    (issue #31's column read past its end was an ``OSError`` from Whoosh's file reader) fails the one
    request that reached it, and the next request is served."""
    from search.engines.whoosh.engine import raised_in_whoosh
    from search.errors import IndexMissingError
    from web.index_access import get_engine

    app = create_app({"TESTING": True, "INDEX_DIR": str(sample_index)})
    client = app.test_client()
    url = "/article?id=000_7d249ea639f1103d"
    assert client.get(url, headers=JSON).status_code == 200
    with app.app_context():
        engine = get_engine()
        try:
            engine.searcher().reader().stored_fields(10**9)  # Whoosh's own IndexError: no damaged file
        except IndexError as exc:
            assert raised_in_whoosh(exc)
            assert isinstance(engine.damaged(exc), IndexMissingError)  # what that request answers: 503
    assert client.get(url, headers=JSON).status_code == 200
    assert client.get("/healthz", headers=JSON).status_code == 200
    engine.close()
