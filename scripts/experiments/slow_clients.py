"""Slow clients at the connection limit: how long normal searches take while many connections
trickle their headers (a "slowloris"), on loopback.

    python scripts/experiments/slow_clients.py --index var/ant [--connections 1050] [--every 5]
        [--seconds 60] [--reconnect] [--server-root DIR]

Starts ``akhbar serve`` (one process) on a free loopback port, opens ``--connections``
connections that each send a request line, then one header line every ``--every`` seconds
and never the blank line that ends the headers; with ``--reconnect`` a connection the server
closes is opened again at once, as an attacker's would be.  Meanwhile one client sends a
normal search, waits for its answer (at most 60 s), pauses 0.2 s and sends the next, for
``--seconds``.  Prints the normal searches' latency (median, 95th percentile, largest), their
errors, and how many trickling connections the server closed.  ``--server-root``: the
checkout whose server is run (default: this one), to compare with an older commit.
"""
from __future__ import annotations

import argparse
import selectors
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEARCH = "/search?format=json&q=" + urllib.parse.quote("ترامب")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Trickle:
    """The trickling connections, driven by one thread."""

    def __init__(self, port: int, count: int, every: float, reconnect: bool):
        self.port, self.every, self.reconnect = port, every, reconnect
        self.closed = self.reconnects = self.refused = 0
        self.selector = selectors.DefaultSelector()
        self.next_send: dict[socket.socket, float] = {}
        self.lines: dict[socket.socket, int] = {}
        now = time.monotonic()
        for n in range(count):
            self._open(now + every * n / count)  # spread over one period, as many clients would be
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _open(self, first_send: float) -> None:
        try:
            s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        except OSError:
            self.refused += 1
            return
        s.sendall(b"GET /search?q=x HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        s.setblocking(False)
        self.selector.register(s, selectors.EVENT_READ)
        self.next_send[s], self.lines[s] = first_send, 0

    def _close(self, s: socket.socket) -> None:
        self.selector.unregister(s)
        del self.next_send[s], self.lines[s]
        s.close()
        self.closed += 1
        if self.reconnect and not self.stop.is_set():
            self.reconnects += 1
            self._open(time.monotonic() + self.every)

    def _run(self) -> None:
        while not self.stop.is_set() and self.next_send:
            for key, _events in self.selector.select(timeout=0.1):
                try:
                    data = key.fileobj.recv(4096)
                except BlockingIOError:
                    continue
                except OSError:
                    data = b""
                if not data:  # the server closed it (a trickling request is never answered)
                    self._close(key.fileobj)
            now = time.monotonic()
            for s, due in list(self.next_send.items()):
                if due <= now and s in self.next_send:
                    self.lines[s] += 1
                    try:
                        s.send(f"X-Line-{self.lines[s]}: a\r\n".encode())
                    except OSError:
                        pass  # closed by the server: read as b'' next turn
                    self.next_send[s] = due + self.every

    def open_count(self) -> int:
        return len(self.next_send)

    def close_all(self) -> None:
        self.stop.set()
        self.thread.join(10)
        for s in list(self.next_send):
            self.selector.unregister(s)
            s.close()


def normal_searches(base: str, seconds: float) -> tuple[list[float], list[str]]:
    latencies, errors = [], []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t = time.perf_counter()
        try:
            with urllib.request.urlopen(base + SEARCH, timeout=60) as r:
                r.read()
            latencies.append(time.perf_counter() - t)
        except (urllib.error.URLError, OSError) as exc:
            errors.append(f"{type(exc).__name__} after {time.perf_counter() - t:.1f} s")
        time.sleep(0.2)
    return latencies, errors


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", default="var/ant")
    ap.add_argument("--connections", type=int, default=1050)
    ap.add_argument("--every", type=float, default=5.0, help="seconds between a connection's header lines")
    ap.add_argument("--seconds", type=float, default=60.0, help="how long normal searches are sent (at most 110)")
    ap.add_argument("--reconnect", action="store_true", help="reopen each connection the server closes")
    ap.add_argument("--server-root", default=str(ROOT), help="the checkout whose server is run")
    args = ap.parse_args()
    seconds = min(args.seconds, 110.0)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "web.cli", "serve", "--index", str(Path(args.index).resolve()),
                               "--host", "127.0.0.1", "--port", str(port)], cwd=args.server_root,
                              env={"PYTHONPATH": args.server_root, "PATH": "/usr/bin:/bin"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + SEARCH, timeout=10).close()  # up, and its tables built
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise SystemExit("the server did not start")
        trickle = Trickle(port, args.connections, args.every, args.reconnect)
        trickle.thread.start()
        started = time.monotonic()
        latencies, errors = normal_searches(base, seconds)
        still_open = trickle.open_count()
        trickle.close_all()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"{args.connections} connections sending a header line every {args.every:g} s"
          f"{' (reopened when closed)' if args.reconnect else ''}, {time.monotonic() - started:.0f} s, server at "
          f"{args.server_root}")
    print(f"trickling connections closed by the server: {trickle.closed} (reopened {trickle.reconnects}, "
          f"refused {trickle.refused}); open at the end: {still_open}")
    if latencies:
        print(f"normal searches: {len(latencies)} answered, p50 {statistics.median(latencies):.3f} s, "
              f"p95 {percentile(latencies, 95):.3f} s, max {max(latencies):.3f} s; errors {len(errors)}")
    else:
        print(f"normal searches: none answered; errors {len(errors)}")
    for e in errors[:5]:
        print("  error:", e)


if __name__ == "__main__":
    main()
