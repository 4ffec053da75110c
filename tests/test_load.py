"""The production server under load on the whole ANT index: no error, no timeout, no leak.

wrk (Debian's, installed by scripts/test.sh) sends the benchmark query list
(scripts/bench_queries.txt) for 60 s over 16 connections to ``akhbar serve``
(waitress, two processes) on loopback, as scripts/bench.py does.  The figures it prints are
quoted in docs/reliability.md; only correctness and memory are asserted here.
"""
import os
import shutil

import pytest

from scripts.bench import measure_http

pytestmark = pytest.mark.slow


def test_server_under_wrk_load_has_no_error_and_no_leak(ant_index, tmp_path):
    if not shutil.which("wrk"):
        if os.environ.get("CI"):
            pytest.fail("CI must have wrk: scripts/test.sh installs it with apt")
        pytest.skip("wrk is not installed (scripts/test.sh installs it with apt)")
    root, _summary = ant_index
    r = measure_http(root, seconds=60, concurrency=16, folder=tmp_path, processes=2)
    print(f"wrk 60 s x 16 connections: {r['rps']:.1f} req/s, p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms, "
          f"{r['requests']} requests, server private memory {r['server_mb_before']:.0f} -> {r['server_mb_after']:.0f} MB "
          f"(mapped files {r['server_file_mb_after']:.0f} MB)")
    assert r["requests"] > 100
    assert r["errors"] == 0 and r["timeouts"] == 0 and r["non2xx"] == 0
    # flat memory: after thousands of requests the server's private memory (what a leak grows; the index's
    # memory-mapped arrays are shared page cache) holds no more than a warm-up's worth
    assert r["server_mb_after"] - r["server_mb_before"] < max(64, 0.15 * r["server_mb_before"])
