"""The production server under idle and half-sent connections (loopback only, bounded).

waitress's defaults stop accepting at 100 open connections and keep an idle one
for 120 s, so a few hundred idle sockets would lock real clients out.  With
``web.server.SERVER_SETTINGS`` searches still get through while more sockets
than that are held open, and the server closes the idle ones itself.
"""
from __future__ import annotations

import json
import socket
import time
import urllib.parse
import urllib.request

from tests.conftest import serving
from web.server import SERVER_SETTINGS

IDLE = 250      # more than waitress's default connection limit (100)
HALF_SENT = 50  # requests cut before their end


def test_searches_get_through_while_idle_and_half_sent_connections_are_held(sample_index, tmp_path):
    host_port = None
    with serving(sample_index, tmp_path) as base:
        host_port = urllib.parse.urlsplit(base).netloc.split(":")
        held = []
        try:
            for n in range(IDLE + HALF_SENT):
                s = socket.create_connection((host_port[0], int(host_port[1])), timeout=5)
                if n >= IDLE:
                    s.sendall("GET /search?q=حفتر&page=1 HTTP/1.1\r\nHost: x\r\n".encode())  # never ends
                held.append(s)
            # a real client is answered at once, not after the idle ones time out
            url = base + "/search?" + urllib.parse.urlencode({"q": "حفتر", "format": "json"})
            for _ in range(3):
                with urllib.request.urlopen(url, timeout=5) as r:
                    assert r.status == 200 and json.loads(r.read())["total"] == 4
            # the server closes idle and half-sent connections itself
            deadline = time.monotonic() + SERVER_SETTINGS["channel_timeout"] + 4 * SERVER_SETTINGS["cleanup_interval"] + 10
            closed = 0
            for s in held:
                s.settimeout(max(0.1, deadline - time.monotonic()))
                try:
                    data = s.recv(4096)
                except TimeoutError:
                    break
                except ConnectionResetError:
                    data = b""
                closed += data == b""
            assert closed == len(held)
        finally:
            for s in held:
                s.close()
