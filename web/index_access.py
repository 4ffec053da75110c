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


def warm_tables(app, then=None) -> threading.Thread:
    """In the background, open the engine and build the tables derived from its index (the
    suggestions, the Latin names), so that a server's first requests do not build them; then
    call ``then()`` if given."""
    from search.errors import EngineUnavailableError, IndexMissingError
    from search.latin import contexts
    from search.suggest import suggesters

    def run():
        with app.app_context():
            try:
                engine = get_engine()
                suggesters.get(engine)
                contexts.get(engine)
            except (IndexMissingError, EngineUnavailableError) as exc:  # built or reachable later: built on demand
                app.logger.info("tables not built at start: %s", exc)
            if then is not None:
                then()

    thread = threading.Thread(target=run, daemon=True, name="akhbar-warm")
    thread.start()
    return thread
