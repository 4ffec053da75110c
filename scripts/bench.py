"""Speed and scale of Akhbar, with Lucene measured in the same run.

    python scripts/bench.py                                  # ANT from ../shared, 3 runs
    python scripts/bench.py --scale 300000 --runs 1          # ANT repeated to 300k articles (generated, not kept)
    python scripts/bench.py --index var/ant --skip-build     # queries and HTTP on an existing index
    python scripts/bench.py --skip-build --opensearch http://127.0.0.1:9200 akhbar   # the same on a cluster index

Prints, as a markdown table with medians over ``--runs``:
- index build (``akhbar index`` in a subprocess): wall time, documents/s, peak
  memory (the sum of the resident memory of the build's processes, sampled; and the peaks of
  the build's own process and of its largest worker), their CPU time
  (user + system, summed: steadier than wall time on a shared machine), index size;
- query latency through ``search()`` with facets and highlighted snippets, over
  the query list in ``scripts/bench_queries.txt``: p50, p95, p99 (and ranking only);
- HTTP: the production server (``akhbar serve``, waitress) on loopback under
  ``wrk`` (or a bounded Python client when wrk is missing) at ``--concurrency``:
  requests/s, p95, errors, the server's CPU time a request and its memory before and after;
- Lucene 4.10 (``../shared/anchors/run-lucene.sh speed``) on the same articles and
  queries, and the ratios.  Timings vary with machine load: compare within a run.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.documents import Document  # noqa: E402
from index.readers import read_collection  # noqa: E402
from scripts import bench_requests  # noqa: E402
from scripts.bench_requests import WARM_TABLES, queries  # noqa: E402
from search.engines import open_engine  # noqa: E402
from search.engines.whoosh import docsets  # noqa: E402
from search.engines.whoosh.store import current_dir  # noqa: E402
from search.query import FIELD_WEIGHTS, parse_query  # noqa: E402
from search.searching import search  # noqa: E402

SHARED = Path(os.environ.get("AKHBAR_SHARED", ROOT.parent / "shared"))
ANT = SHARED / "corpus" / "ant-multisource-v2.1.tar.gz"
AKHBAR = [sys.executable, "-m", "web.cli"]

#: More parameters of every HTTP request (``--http-params``, e.g. "&group=off").
HTTP_PARAMS = ""


def search_paths() -> list[str]:
    """The /search JSON requests of the HTTP load, with ``HTTP_PARAMS``."""
    return bench_requests.search_paths(HTTP_PARAMS)


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


# -- memory -------------------------------------------------------------------------------------------------

def _proc_kb(pid: int, kind: str = "VmRSS", file: str = "status") -> int:
    """A memory figure of a process, in kB: from /proc/PID/status its resident memory, all of it
    (VmRSS), private (RssAnon: what a leak grows) or its mapped files (RssFile: the index's
    memory-mapped arrays and libraries, shared page cache that every server process counts
    again); from /proc/PID/smaps_rollup its share of private memory (Pss_Anon: pages shared with
    the processes it was forked from or with counted a fraction each, so that the sum over
    processes is what they hold together)."""
    try:
        for line in Path(f"/proc/{pid}/{file}").read_text().splitlines():
            if line.startswith(kind + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def _cpu_s(pid: int) -> float | None:
    """CPU seconds (user + system) a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


class PeakMemory(threading.Thread):
    """Samples the summed RSS of a process and its descendants every 0.2 s, and the CPU time each
    has used (``cpu_s``: their sum, as last seen: a steadier figure than wall time on a shared
    machine, short by at most 0.2 s of each process's last moments)."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self._done = pid, 0, threading.Event()
        self.cpu: dict[int, float] = {}
        self.peaks: dict[int, int] = {}  # each process's own peak (kB)

    @property
    def cpu_s(self) -> float:
        return sum(self.cpu.values())

    def run(self) -> None:
        while not self._done.wait(0.2):
            tree = _tree(self.pid)
            rss = {p: _proc_kb(p) for p in tree}
            self.peak_kb = max(self.peak_kb, sum(rss.values()))
            for p, kb in rss.items():
                self.peaks[p] = max(self.peaks.get(p, 0), kb)
            for p in tree:
                used = _cpu_s(p)
                if used is not None:
                    self.cpu[p] = used

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak_kb


# -- collection ---------------------------------------------------------------------------------------------

def scaled_collection(source: Path, size: int, folder: Path) -> Path:
    """A JSONL collection of ``size`` articles: ``source`` repeated, each copy with its own ids."""
    out = folder / f"scaled-{size}.jsonl"
    docs = [d for d in read_collection(source) if isinstance(d, Document)]
    with out.open("w", encoding="utf-8") as fh:
        for n in range(size):
            d = docs[n % len(docs)]
            row = {"id": f"{d.id}-r{n // len(docs)}", "title": d.title, "text": d.body, "source": d.source,
                   "date": d.date.isoformat() if d.date else None, "url": d.url, "category": d.category}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return out


def lucene_inputs(collection: Path, folder: Path) -> tuple[Path, Path]:
    """The same articles as Lucene's TSV, and the query list as plain words."""
    docs_tsv, queries_txt = folder / "docs.tsv", folder / "queries.txt"
    clean = re.compile(r"[\t\n\r]+")
    with docs_tsv.open("w", encoding="utf-8") as fh:
        for d in read_collection(collection):
            if isinstance(d, Document):
                fh.write(f"{d.id}\t{clean.sub(' ', d.title)}\t{clean.sub(' ', d.body)}\n")
    words = []
    for q in queries():
        pq = parse_query(q)
        text = " ".join([w for alts in pq.scored_words for w in alts] + pq.phrases + [v for _, v in pq.filters])
        words.append(text or q)
    queries_txt.write_text("\n".join(words) + "\n", encoding="utf-8")
    return docs_tsv, queries_txt


# -- measurements -------------------------------------------------------------------------------------------

def measure_build(collection: Path, index: Path, workers: int | None, code: Path = ROOT) -> dict:
    """One build of ``collection`` by the checkout at ``code`` (this one unless ``--checkout``)."""
    shutil.rmtree(index, ignore_errors=True)
    cmd = AKHBAR + ["index", "--collection", str(collection), "--index", str(index), "--no-progress"]
    if workers:
        cmd += ["--workers", str(workers)]
    began = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=code, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    sampler = PeakMemory(proc.pid)
    sampler.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - began
    peak = sampler.stop()
    if proc.returncode:
        raise SystemExit(f"build failed: {' '.join(cmd)}")
    docs = int(re.search(r"indexed (\d+) documents", out).group(1))
    size = sum(f.stat().st_size for f in current_dir(index).resolve().iterdir())
    others = [kb for p, kb in sampler.peaks.items() if p != proc.pid]
    return {"build_s": seconds, "docs": docs, "docs_per_s": docs / seconds, "build_peak_mb": peak / 1024,
            "build_main_peak_mb": sampler.peaks.get(proc.pid, 0) / 1024,  # the build's own process
            "build_worker_peak_mb": max(others, default=0) / 1024,       # the largest of the others
            "build_cpu_s": sampler.cpu_s, "index_mb": size / 2**20}


def measure_queries(index: Path, repeat: int, engine: tuple[str, str] | None = None) -> dict:
    """Query latency through ``search()``; ``engine``: (URL, index name) of a cluster instead of ``index``
    (no cold figures there: the cluster's caches are not this process's)."""
    qs = queries()
    with (open_engine(engine[0], "opensearch", engine[1]) if engine else open_engine(index)) as s:
        for q in qs:  # warm: caches, facet table
            search(s, q)
        full, ranking, cold = [], [], []
        for _ in range(repeat):
            for q in qs:
                t = time.perf_counter()
                search(s, q)
                full.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                search(s, q, facets=False, snippets=False)
                ranking.append((time.perf_counter() - t) * 1000)
        for q in qs if engine is None else []:
            docsets.clear()  # as if no earlier query had used these words
            t = time.perf_counter()
            search(s, q)
            cold.append((time.perf_counter() - t) * 1000)
    return {"queries": len(qs), "q_p50": statistics.median(full), "q_p95": percentile(full, 95),
            "q_p99": percentile(full, 99), "rank_p50": statistics.median(ranking), "rank_p95": percentile(ranking, 95),
            "cold_p50": statistics.median(cold) if cold else float("nan"),
            "cold_p95": percentile(cold, 95) if cold else float("nan")}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wrk(base: str, seconds: int, concurrency: int, folder: Path) -> dict:
    paths = search_paths()
    script = folder / "queries.lua"
    script.write_text(
        "local paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n"
        "local i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
        "done = function(summary, latency, requests)\n"
        "  io.write(string.format('JSON {\"requests\": %d, \"errors\": %d, \"timeouts\": %d, \"non2xx\": %d, "
        "\"p95_ms\": %.2f, \"p50_ms\": %.2f}\\n', summary.requests, summary.errors.connect + summary.errors.read + "
        "summary.errors.write, summary.errors.timeout, summary.errors.status, latency:percentile(95) / 1000, "
        "latency:percentile(50) / 1000))\nend\n", encoding="utf-8")
    out = subprocess.run(["wrk", "-t", "2", "-c", str(concurrency), "-d", f"{seconds}s", "--timeout", "10s",
                          "-s", str(script), base], capture_output=True, text=True, check=True).stdout
    r = json.loads(out.split("JSON ", 1)[1].splitlines()[0])
    r["rps"] = r["requests"] / seconds
    return r


def _python_load(base: str, seconds: int, concurrency: int) -> dict:
    paths = search_paths()
    lat: list[float] = []
    errors = [0]
    deadline = time.perf_counter() + seconds

    def client(k: int) -> None:
        i = k
        while time.perf_counter() < deadline:
            t = time.perf_counter()
            try:
                with urllib.request.urlopen(base + paths[i % len(paths)], timeout=10) as r:
                    r.read()
                lat.append((time.perf_counter() - t) * 1000)
            except OSError:
                errors[0] += 1
            i += 1

    threads = [threading.Thread(target=client, args=(k,)) for k in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"requests": len(lat), "errors": errors[0], "timeouts": 0, "non2xx": 0, "rps": len(lat) / seconds,
            "p95_ms": percentile(lat, 95), "p50_ms": statistics.median(lat)}


def _tree_cpu_s(pid: int) -> float:
    return sum(_cpu_s(p) or 0.0 for p in _tree(pid))


def measure_http(index: Path, seconds: int, concurrency: int, folder: Path, processes: int = 1,
                 engine: tuple[str, str] | None = None, threads: int | None = None) -> dict:
    port = _free_port()
    where = ["--engine", "opensearch", "--url", engine[0], "--index-name", engine[1]] if engine else ["--index", str(index)]
    server = subprocess.Popen(AKHBAR + ["serve", *where, "--port", str(port), "--processes", str(processes),
                                        *(["--threads", str(threads)] if threads else [])], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # a serving process listens once its tables are built
        while server.poll() is None and time.monotonic() < deadline:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        for path in search_paths():  # warm, as a server that has been up a while
            urllib.request.urlopen(base + path, timeout=30).read()
        for path in WARM_TABLES * 8:  # each process's suggestion and Latin-name tables built (waits for them)
            urllib.request.urlopen(base + path, timeout=120).read()
        for path in search_paths():  # each process and thread opens its searcher and fills its caches
            urllib.request.urlopen(base + path, timeout=30).read()
        rss_before = sum(_proc_kb(p, "RssAnon") for p in _tree(server.pid))
        cpu_before = _tree_cpu_s(server.pid)
        r = _wrk(base, seconds, concurrency, folder) if shutil.which("wrk") else _python_load(base, seconds, concurrency)
        # the server's CPU time a request: steadier than req/s on a shared machine
        r["server_cpu_ms"] = (_tree_cpu_s(server.pid) - cpu_before) * 1000 / max(1, r["requests"])
        r["client"] = "wrk" if shutil.which("wrk") else "python"
        r["server_mb_before"] = rss_before / 1024  # private memory of all server processes
        tree = _tree(server.pid)
        r["server_mb_after"] = sum(_proc_kb(p, "RssAnon") for p in tree) / 1024
        forked = [p for p in tree if p != server.pid]  # with --processes N, the serving processes
        r["server_process_mb_after"] = [_proc_kb(p, "RssAnon") / 1024 for p in forked or [server.pid]]
        r["server_process_max_mb_after"] = max(r["server_process_mb_after"])
        r["server_parent_mb_after"] = _proc_kb(server.pid, "RssAnon") / 1024 if forked else 0.0
        r["server_pss_mb_after"] = sum(_proc_kb(p, "Pss_Anon", "smaps_rollup") for p in tree) / 1024
        r["server_file_mb_after"] = sum(_proc_kb(p, "RssFile") for p in tree) / 1024
        return r
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)


def measure_lucene(docs_tsv: Path, queries_txt: Path, folder: Path) -> dict | None:
    script = SHARED / "anchors" / "run-lucene.sh"
    if not script.exists() or not shutil.which("java"):
        return None
    out = subprocess.run(["bash", str(script), "speed", str(docs_tsv), str(queries_txt), str(folder / "lucene")],
                         capture_output=True, text=True)
    m1 = re.search(r"indexed (\d+) docs in ([\d.]+) s", out.stdout)
    m2 = re.search(r"p50 ([\d.]+) ms\s+p95 ([\d.]+) ms", out.stdout)
    if not (m1 and m2):
        print(f"Lucene run failed: {out.stderr[-500:]}", file=sys.stderr)
        return None
    return {"build_s": float(m1.group(2)), "docs_per_s": int(m1.group(1)) / float(m1.group(2)),
            "q_p50": float(m2.group(1)), "q_p95": float(m2.group(2))}


def median_of(runs: list[dict]) -> dict:
    keys = [k for k, v in runs[0].items() if isinstance(v, (int, float))]
    return {k: statistics.median(r[k] for r in runs) for k in keys} | \
           {k: v for k, v in runs[0].items() if not isinstance(v, (int, float))}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--collection", default=str(ANT))
    ap.add_argument("--scale", type=int, help="repeat the collection to this many articles")
    ap.add_argument("--index", help="index location (default: a temporary folder)")
    ap.add_argument("--skip-build", action="store_true", help="measure an existing --index")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--repeat", type=int, default=3, help="passes over the query list per run")
    ap.add_argument("--workers", type=int, help="build worker processes (default: one per core)")
    ap.add_argument("--http-seconds", type=int, default=30)
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--http-params", default="", help="more parameters of each HTTP request, e.g. '&group=off'")
    ap.add_argument("--server-processes", type=int, default=os.cpu_count() or 1,
                    help="akhbar serve --processes (default: one per core)")
    ap.add_argument("--server-threads", type=int, help="akhbar serve --threads (default: akhbar serve's)")
    ap.add_argument("--no-lucene", action="store_true")
    ap.add_argument("--zero-weight", metavar="FIELD", action="append", default=[],
                    help="measure queries as if this scored field had weight 0, e.g. text_broad "
                         "(in-process query figures only: no HTTP run)")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--checkout", metavar="DIR",
                    help="build with the code of another checkout (e.g. a git worktree of an earlier commit) "
                         "to compare its build time, CPU time and memory with this one's in one session; "
                         "only the build is measured")
    ap.add_argument("--opensearch", nargs=2, metavar=("URL", "INDEX_NAME"),
                    help="measure queries and HTTP on this cluster index instead (with --skip-build)")
    args = ap.parse_args()
    global HTTP_PARAMS
    HTTP_PARAMS = args.http_params
    cluster = tuple(args.opensearch) if args.opensearch else None
    if args.checkout and args.skip_build:
        ap.error("--checkout measures a build: drop --skip-build")
    if args.checkout:
        args.no_lucene, args.http_seconds = True, 0
    if cluster and not args.skip_build:
        ap.error("--opensearch measures an index already on the cluster: add --skip-build")
    for name in args.zero_weight:
        if name not in FIELD_WEIGHTS:
            ap.error(f"--zero-weight: {name!r} is not one of {sorted(FIELD_WEIGHTS)}")
        FIELD_WEIGHTS[name] = 0.0  # search.query skips fields of weight 0: the ranking without them
    if args.zero_weight and args.http_seconds:
        print("--zero-weight: the server would rank with every field; no HTTP run", file=sys.stderr)
        args.http_seconds = 0
    with tempfile.TemporaryDirectory(prefix="akhbar-bench-") as tmp:
        folder = Path(tmp)
        collection = Path(args.collection)
        if args.scale:
            collection = scaled_collection(collection, args.scale, folder)
        index = Path(args.index) if args.index else folder / "index"
        builds, query_runs, http_runs, lucene_runs = [], [], [], []
        lucene_in = None if args.no_lucene else lucene_inputs(collection, folder)
        for run in range(args.runs):
            if not args.skip_build:
                builds.append(measure_build(collection, index, args.workers,
                                            Path(args.checkout).resolve() if args.checkout else ROOT))
                print(f"run {run + 1}: build {builds[-1]}", file=sys.stderr)
                if args.checkout:  # another checkout's index: this checkout's queries may not read it
                    continue
            query_runs.append(measure_queries(index, args.repeat, cluster))
            print(f"run {run + 1}: queries {query_runs[-1]}", file=sys.stderr)
            if args.http_seconds:
                http_runs.append(measure_http(index, args.http_seconds, args.concurrency, folder,
                                              args.server_processes, cluster, args.server_threads))
                print(f"run {run + 1}: http {http_runs[-1]}", file=sys.stderr)
            if lucene_in:
                lucene = measure_lucene(*lucene_in, folder)
                if lucene:
                    lucene_runs.append(lucene)
                    print(f"run {run + 1}: lucene {lucene}", file=sys.stderr)
        figures = {"collection": str(collection if not args.scale else f"{args.collection} x{args.scale}"),
                   "runs": args.runs, "cpus": os.cpu_count(),
                   "build": median_of(builds) if builds else None,
                   "queries": median_of(query_runs) if query_runs else None,
                   "http": median_of(http_runs) if http_runs else None,
                   "lucene": median_of(lucene_runs) if lucene_runs else None}
    print(json.dumps(figures, indent=1, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=1, ensure_ascii=False), encoding="utf-8")
    b, q, h, lu = figures["build"], figures["queries"], figures["http"], figures["lucene"]
    print(f"\n| figure (median of {args.runs}) | Akhbar | Lucene 4.10 | ratio |\n|---|---|---|---|")
    if b:
        lb = f"{lu['build_s']:.1f} s" if lu else "-"
        ratio = f"{b['build_s'] / lu['build_s']:.1f}x" if lu else "-"
        print(f"| index build, {b['docs']} articles | {b['build_s']:.1f} s ({b['docs_per_s']:.0f} docs/s) | {lb} | {ratio} |")
        print(f"| build peak memory (all processes) | {b['build_peak_mb']:.0f} MB | | |")
        if "build_main_peak_mb" in b:
            print(f"| peak of the build's own process / of the largest worker | {b['build_main_peak_mb']:.0f} / "
                  f"{b['build_worker_peak_mb']:.0f} MB | | |")
        if "build_cpu_s" in b:
            print(f"| build CPU time (all processes) | {b['build_cpu_s']:.0f} s "
                  f"({b['build_cpu_s'] / b['docs'] * 1000:.1f} ms an article) | | |")
        print(f"| index size | {b['index_mb']:.0f} MB | | |")
    if not q:
        return
    lq = (lambda k: f"{lu[k]:.1f} ms") if lu else (lambda k: "-")
    rq = (lambda k: f"{q[k] / lu[k]:.0f}x") if lu else (lambda k: "-")
    print(f"| query p50, {q['queries']} queries, facets + snippets | {q['q_p50']:.1f} ms | {lq('q_p50')} | {rq('q_p50')} |")
    print(f"| query p95 | {q['q_p95']:.1f} ms | {lq('q_p95')} | {rq('q_p95')} |")
    print(f"| query p99 | {q['q_p99']:.1f} ms | | |")
    print(f"| ranking only p50 / p95 | {q['rank_p50']:.1f} / {q['rank_p95']:.1f} ms | | |")
    print(f"| query p50 / p95, posting cache emptied before each | {q['cold_p50']:.1f} / {q['cold_p95']:.1f} ms | | |")
    if h:
        print(f"| HTTP ({h['client']}, {args.concurrency} connections, {args.http_seconds} s, "
              f"{args.server_processes} server processes) | {h['rps']:.1f} req/s, "
              f"p95 {h['p95_ms']:.0f} ms, {h['errors'] + h['timeouts'] + h['non2xx']:.0f} errors | | |")
        if "server_cpu_ms" in h:
            print(f"| server CPU time a request (all processes) | {h['server_cpu_ms']:.1f} ms | | |")
        print("| server private memory (all processes) before / after load | "
              f"{h['server_mb_before']:.0f} / {h['server_mb_after']:.0f} MB | | |")
        if "server_process_mb_after" in h:
            each = " / ".join(f"{mb:.0f}" for mb in h["server_process_mb_after"])
            print(f"| private memory of the largest serving process after load (each, first run; the parent's) | "
                  f"{h['server_process_max_mb_after']:.0f} MB ({each}; {h['server_parent_mb_after']:.0f}) | | |")
            print("| private memory of all server processes after load, pages shared across the fork "
                  f"counted once (sum of Pss_Anon) | {h['server_pss_mb_after']:.0f} MB | | |")
        print("| server mapped files after load (shared page cache, counted once per process) | "
              f"{h.get('server_file_mb_after', 0):.0f} MB | | |")


if __name__ == "__main__":
    main()
