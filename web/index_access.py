"""The app's engine: opened once per app, shared by every server thread.

The engine follows rebuilds itself (the Whoosh engine opens the new generation
on the next request after ``current`` is swapped).  A missing or unreadable
index raises IndexMissingError, which the app answers with 503; the next
request tries again, so an index built after the server started is served.
"""
from __future__ import annotations

import threading

from flask import current_app

from search.engines import open_engine

_lock = threading.Lock()


def get_engine():
    """The engine serving ``INDEX_DIR`` (opened on first use)."""
    extensions = current_app.extensions
    with _lock:
        engine = extensions.get("akhbar_engine")
        if engine is None:
            engine = open_engine(current_app.config["INDEX_DIR"])  # raises IndexMissingError
            extensions["akhbar_engine"] = engine
        return engine
