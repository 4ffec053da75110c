"""Tables derived from an index, kept per index version (suggestions, Latin names).

A server process builds each table before it listens (``web.index_access.warm_up``;
seconds on a large collection), or on the first request that needs it if the index came
later; after a rebuild or update, the previous table keeps answering while one background
thread builds the new one.
"""
from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable


class PerVersion:
    """``build(engine)``'s result for the engine's current index version."""

    def __init__(self, build: Callable):
        self.build = build
        self._lock = threading.Lock()
        self._cache: dict[int, tuple[tuple, object]] = {}
        self._building: set[int] = set()
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._worker: threading.Thread | None = None  # one thread builds (one searcher of its own)
        self._first: dict[int, threading.Lock] = {}  # the first build of an engine's table: one at a time

    def get(self, engine, wait: bool = False):
        version = engine.version
        key = id(engine)
        with self._lock:
            held = self._cache.get(key)
            if held is not None and held[0] == version:
                return held[1]
            if held is not None and not wait:
                if key not in self._building:
                    self._building.add(key)
                    self._queue.put((engine, version))
                    if self._worker is None:
                        self._worker = threading.Thread(target=self._work, daemon=True, name="akhbar-tables")
                        self._worker.start()
                return held[1]
            first = self._first.setdefault(key, threading.Lock())
        with first:  # a request arriving while the server warms up waits for that build, not a second one
            with self._lock:
                held = self._cache.get(key)
            if held is not None and (held[0] == version or not wait):
                return held[1]
            return self._build(engine, version)

    def warm(self, engine) -> threading.Thread:
        """Build the table in a background thread now (a server starting), so that the first
        request does not wait for all of it."""
        thread = threading.Thread(target=self.get, args=(engine,), daemon=True, name="akhbar-warm")
        thread.start()
        return thread

    def _work(self) -> None:
        while True:
            engine, version = self._queue.get()
            try:
                self._build(engine, version)
            except Exception as exc:  # noqa: BLE001 - the previous table keeps answering; the next request retries
                logging.getLogger(__name__).warning("%s not rebuilt: %s", self.build.__qualname__, exc)

    def _build(self, engine, version):
        try:
            table = self.build(engine)
            with self._lock:
                self._cache[id(engine)] = (version, table)
            return table
        finally:
            with self._lock:
                self._building.discard(id(engine))
