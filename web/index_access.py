"""Open the served index: one Index object per generation, one searcher per server thread.

After a rebuild swaps ``current`` to a new generation, the next request opens
it: no restart needed.  A missing or unreadable index raises IndexMissingError,
which the app answers with 503.
"""
from __future__ import annotations

import os
import threading

from flask import current_app

from search.errors import IndexMissingError
from search.store import current_dir, open_index, open_searcher, read_meta

_lock = threading.Lock()
_local = threading.local()


def get_index():
    """The Index of the current generation (cached until the generation changes)."""
    root = current_app.config["INDEX_DIR"]
    generation = os.path.realpath(current_dir(root))
    cache = current_app.extensions.setdefault("akhbar_index", {})
    with _lock:
        if cache.get("generation") != generation or "index" not in cache:
            cache["index"] = open_index(root)  # raises IndexMissingError
            cache["generation"] = generation
            cache["meta"] = read_meta(root)
        return cache["index"], cache["meta"]


def get_searcher():
    """This thread's searcher on the current generation.

    Generations never change once built, so a searcher stays valid for as long as
    its generation is served: each server thread keeps one and opens a new one
    only after a rebuild (opening costs more than a search on a large index).
    If the generation it was about to open was swapped out and removed in the
    meantime (two rebuilds in quick succession), the current one is opened instead.
    """
    attempt = 0
    while True:
        ix, _meta = get_index()
        current = getattr(_local, "searcher", None)
        if current is not None and _local.index is ix:
            return current
        try:
            searcher = open_searcher(ix)
            break
        except (OSError, EOFError) as exc:
            current_app.extensions.get("akhbar_index", {}).clear()
            attempt += 1
            if attempt == 3:
                raise IndexMissingError(current_app.config["INDEX_DIR"], f"unreadable index ({exc})") from exc
    if current is not None:
        current.close()
    _local.searcher, _local.index = searcher, ix
    return searcher
