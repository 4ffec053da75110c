"""The app's engine: opened once per app, shared by every server thread.

The engine follows rebuilds itself (the Whoosh engine opens the new generation
on the next request after ``current`` is swapped).  A missing or unreadable
index raises IndexMissingError, which the app answers with 503; the next
request tries again, so an index built after the server started is served.
"""
from __future__ import annotations

import threading
from urllib.parse import quote

from flask import current_app

from search.engines import StoreSettings, open_engine

_lock = threading.Lock()


def get_engine():
    """The engine the app's store settings name (``INDEX_DIR``, or ``ENGINE`` and the cluster's; opened on first
    use).  Raises IndexMissingError (no index yet) or EngineUnavailableError (a cluster not answering)."""
    extensions = current_app.extensions
    config = current_app.config
    with _lock:
        engine = extensions.get("akhbar_engine")
        if engine is None:
            engine = open_engine(StoreSettings.from_config(config))
            extensions["akhbar_engine"] = engine
        return engine


#: Requests a serving process answers itself before it listens: the search page (its templates
#: compiled) and a search in Latin letters (the name lexicons read).
WARM_REQUESTS = ("/search?q=" + quote("خبر"), "/search?format=json&q=news+today")


def warm_up(app) -> None:
    """Open the engine, build the tables derived from its index (the suggestions, the Latin names'
    contexts, the spellings) and answer :data:`WARM_REQUESTS` in-process, so that no request waits
    for them: a serving process does this before it listens (``web.server``).  An index missing,
    unreadable or unreachable now is left to the requests (503 until it is built, then built on demand)."""
    from search.errors import EngineUnavailableError, IndexMissingError
    from search.latin import contexts
    from search.suggest import suggesters

    with app.app_context():
        try:
            engine = get_engine()
            suggesters.get(engine)
            contexts.get(engine)
            engine.spellings()
        except (IndexMissingError, EngineUnavailableError) as exc:
            app.logger.warning("tables not built at start: %s", exc)
            return
    client = app.test_client()
    for path in WARM_REQUESTS:
        client.get(path)
