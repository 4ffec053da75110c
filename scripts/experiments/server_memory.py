"""What one server process holds, step by step: the private memory a serving process adds
opening an index, building its tables and answering the HTTP benchmark's requests.

    python scripts/experiments/server_memory.py --index var/ant [--top 15]

Does in one process, through the Flask app (its test client), what a server process does
under ``scripts/bench.py``'s HTTP load: open the engine and build the tables derived from
it (``web.index_access.warm_up``: the suggestions, the Latin names' contexts), return
the memory freed meanwhile to the system (``web.server``), then answer bench.py's warm-up
requests and its ``/search`` requests twice.  Prints the private
memory (``RssAnon``, what ``bench.py`` reports for the server) after each step and, with
``--top``, the lines that allocated most of what is still held at the end (``tracemalloc``,
which slows every step: the steps' memory is measured in a run without it).
"""
from __future__ import annotations

import argparse
import sys
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from scripts.bench_requests import WARM_TABLES, search_paths  # noqa: E402
from search.latin import contexts  # noqa: E402
from search.memory import give_back_free_memory  # noqa: E402
from search.suggest import suggesters  # noqa: E402
from web import create_app  # noqa: E402
from web.index_access import get_engine  # noqa: E402


def private_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--index", default="var/ant")
    ap.add_argument("--top", type=int, default=0, help="also list the N lines holding most (tracemalloc)")
    args = ap.parse_args()
    if args.top:
        tracemalloc.start(1)
    app = create_app({"INDEX_DIR": str(Path(args.index).resolve())})
    client = app.test_client()
    paths = search_paths()
    engine = None

    def opened():
        nonlocal engine
        with app.app_context():
            engine = get_engine()
            engine.searcher()

    def get(requests: list[str]) -> None:
        for path in requests:
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)

    steps = [("imports, app", lambda: None),
             ("engine opened", opened),
             ("suggestions", lambda: suggesters.get(engine)),
             ("Latin contexts", lambda: contexts.get(engine)),
             ("free memory returned", give_back_free_memory),  # as web.server does once they are built
             (f"{len(paths)} searches", lambda: get(paths)),
             ("warm-up requests", lambda: get(WARM_TABLES)),
             ("the searches again", lambda: get(paths)),
             ("and again", lambda: get(paths))]
    before = 0.0
    for name, step in steps:
        step()
        now = private_mb()
        print(f"{name:<20} {now:8.1f} MB  (+{now - before:.1f})")
        before = now
    if args.top:
        snapshot = tracemalloc.take_snapshot()
        for stat in snapshot.statistics("lineno")[:args.top]:
            frame = stat.traceback[0]
            where = Path(frame.filename)
            where = where.relative_to(ROOT) if where.is_relative_to(ROOT) else Path(*where.parts[-2:])
            print(f"{stat.size / 2**20:8.1f} MB  {stat.count:>9,} blocks  {where}:{frame.lineno}")


if __name__ == "__main__":
    main()
