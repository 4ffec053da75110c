"""The first requests after a server starts: how long each takes, and how long the server
took to accept connections at all.

    python scripts/experiments/start_latency.py --index var/ant [--starts 3] [--processes 1] [--server-root DIR]

Starts ``akhbar serve`` on a free loopback port ``--starts`` times.  Each time, as soon as
the port accepts a connection, sends the requests below once each, one after the other
(requests that need the derived tables: the suggestions, the Latin names, a did-you-mean,
facets and the timeline), then a second round of the same requests (the tables built).
Prints, per request, the median over the starts of the first and the second round, and
the time from launch to the first accepted connection.  ``--server-root``: the checkout whose
server is run (default: this one), to compare with an older commit.
"""
from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Requests that each need some table a server derives from its index (quoted for the URL).
REQUESTS = [
    "/search?format=json&q=" + urllib.parse.quote("ترامب"),
    "/search?format=json&q=Trump",
    "/suggest?q=" + urllib.parse.quote("ترا"),
    "/search?format=json&q=" + urllib.parse.quote("اللاجئين السوريين لبنان"),
    "/search?format=json&q=" + urllib.parse.quote("باشاغة"),  # no result: a spelling suggestion
    "/search?format=json&q=Paris+Berlin+Cairo",
    "/search?q=" + urllib.parse.quote("بوتين"),  # the HTML page: templates, the timeline's SVG
    "/suggest?q=Tr",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(url: str) -> tuple[float, int]:
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    return time.perf_counter() - t, status


def one_start(index: str, processes: int, server_root: str) -> tuple[float, list[float], list[float]]:
    port = free_port()
    launched = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "web.cli", "serve", "--index", index, "--host", "127.0.0.1",
                             "--port", str(port), "--processes", str(processes)],
                            cwd=server_root, env={"PYTHONPATH": server_root, "PATH": "/usr/bin:/bin"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - launched > 300:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.02)
        accepting = time.perf_counter() - launched
        base = f"http://127.0.0.1:{port}"
        rounds = []
        for _ in range(2):
            times = []
            for path in REQUESTS:
                seconds, status = timed(base + path)
                if status != 200:
                    print(f"  {path}: HTTP {status}", file=sys.stderr)
                times.append(seconds)
            rounds.append(times)
        return accepting, rounds[0], rounds[1]
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", default="var/ant")
    ap.add_argument("--starts", type=int, default=3)
    ap.add_argument("--processes", type=int, default=1)
    ap.add_argument("--server-root", default=str(ROOT), help="the checkout whose server is run")
    args = ap.parse_args()
    index = str(Path(args.index).resolve())
    runs = [one_start(index, args.processes, args.server_root) for _ in range(args.starts)]
    print(f"index {index}, {args.starts} starts, {args.processes} process(es), server at {args.server_root}")
    print(f"launch to first accepted connection: {statistics.median(r[0] for r in runs):.2f} s (median)")
    print(f"{'request':58} {'first':>8} {'second':>8}")
    for n, path in enumerate(REQUESTS):
        first = statistics.median(r[1][n] for r in runs)
        second = statistics.median(r[2][n] for r in runs)
        print(f"{urllib.parse.unquote(path)[:58]:58} {first:7.3f}s {second:7.3f}s")
    totals = [sum(r[1]) for r in runs], [sum(r[2]) for r in runs]
    print(f"{'all, one after the other':58} {statistics.median(totals[0]):7.3f}s {statistics.median(totals[1]):7.3f}s")


if __name__ == "__main__":
    main()
