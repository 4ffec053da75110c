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
    """The engine serving ``INDEX_DIR`` (or with ``ENGINE = "opensearch"``, the cluster's index; opened on first use)."""
    extensions = current_app.extensions
    config = current_app.config
    with _lock:
        engine = extensions.get("akhbar_engine")
        if engine is None:
            if config["ENGINE"] == "opensearch":  # raises EngineUnavailableError or IndexMissingError
                engine = open_engine(config["OPENSEARCH_URL"], "opensearch", config["OPENSEARCH_INDEX"])
            else:
                engine = open_engine(config["INDEX_DIR"])  # raises IndexMissingError
            extensions["akhbar_engine"] = engine
        return engine
