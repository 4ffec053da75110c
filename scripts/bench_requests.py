"""The benchmark's queries and HTTP requests, shared by ``bench.py`` and
``experiments/server_memory.py`` (kept apart from bench.py so that importing them loads no
more than a server process does)."""
from __future__ import annotations

import urllib.parse
from pathlib import Path

QUERIES_FILE = Path(__file__).resolve().parent / "bench_queries.txt"

#: Requests that need a server process's derived tables (each process builds them before it
#: listens, web.index_access.warm_up): sent several times, so that every process has answered them.
WARM_TABLES = ["/suggest?q=" + urllib.parse.quote("ترا"), "/search?format=json&q=Trump"]


def queries() -> list[str]:
    return [q for q in QUERIES_FILE.read_text(encoding="utf-8").splitlines() if q.strip() and not q.startswith("#")]


def search_paths(params: str = "") -> list[str]:
    """The /search JSON requests of the HTTP load: the bench queries, with ``params`` (e.g. "&group=off")."""
    return [f"/search?format=json&q={urllib.parse.quote(q)}{params}" for q in queries()]
