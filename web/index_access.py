"""Open the served index: one Index object per generation, a searcher per request.

After a rebuild swaps ``current`` to a new generation, the next request opens
it: no restart needed.  A missing or unreadable index raises IndexMissingError,
which the app answers with 503.
"""
from __future__ import annotations

import os
import threading

from flask import current_app, g

from search.errors import IndexMissingError
from search.searching import weighting
from search.store import current_dir, open_index, read_meta

_lock = threading.Lock()


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
    """This request's searcher.

    If the generation it was about to read was swapped out and removed in the
    meantime (two rebuilds in quick succession), the current one is opened instead.
    """
    if "searcher" not in g:
        for attempt in range(3):
            ix, _meta = get_index()
            try:
                g.searcher = ix.searcher(weighting=weighting())
                break
            except (OSError, EOFError) as exc:
                current_app.extensions.get("akhbar_index", {}).clear()
                if attempt == 2:
                    raise IndexMissingError(current_app.config["INDEX_DIR"], f"unreadable index ({exc})") from exc
    return g.searcher


def close_searcher(_exc=None) -> None:
    searcher = g.pop("searcher", None)
    if searcher is not None:
        searcher.close()


def init_app(app) -> None:
    app.teardown_appcontext(close_searcher)
