"""Measurement (not part of the product): the resident memory of each process of a build, over time.

    python scripts/experiments/build_memory.py --collection ../shared/corpus/ant-multisource-v2.1.tar.gz \\
        --index /tmp/ix-trace [--every 2] > trace.tsv

Runs ``akhbar index`` and every ``--every`` seconds prints a line: seconds since the start, the
sum of the resident memory of the build's processes (MB), the build's own process's, and the
others' (its workers, largest first).  ``bench.py`` gives the peaks alone; this says when they
happen and which process holds what.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from bench import AKHBAR, _rss_kb, _tree  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--collection", required=True)
    ap.add_argument("--index", required=True)
    ap.add_argument("--workers", type=int, help="akhbar index --workers (default: one per core)")
    ap.add_argument("--every", type=float, default=2.0, help="seconds between samples")
    args = ap.parse_args()
    cmd = AKHBAR + ["index", "--collection", args.collection, "--index", args.index, "--no-progress"]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    began = time.perf_counter()
    print("seconds\tsum_mb\tbuild_mb\tothers_mb", flush=True)
    while proc.poll() is None:
        rss = {p: _rss_kb(p) // 1024 for p in _tree(proc.pid)}
        others = sorted((mb for p, mb in rss.items() if p != proc.pid), reverse=True)
        print(f"{time.perf_counter() - began:.0f}\t{sum(rss.values())}\t{rss.get(proc.pid, 0)}\t"
              f"{','.join(map(str, others))}", flush=True)
        time.sleep(args.every)
    sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
