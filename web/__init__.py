"""Akhbar's web front end: the Arabic search page and the /search JSON API.

``create_app(test_config)`` follows Flask's tutorial: defaults, then the
instance ``config.py`` or the test mapping; no index is opened at import.
"""
from __future__ import annotations

import os

from flask import Flask

#: Declared settings: name -> (default, help).  The README documents each.
SETTINGS = {
    "INDEX_DIR": ("var/index", "index location; the environment variable AKHBAR_INDEX overrides it"),
    "PAGE_SIZE": (10, "results per page"),
    "MAX_QUERY_LEN": (500, "longest query accepted, in characters"),
}


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping({name: default for name, (default, _help) in SETTINGS.items()})
    if os.environ.get("AKHBAR_INDEX"):
        app.config["INDEX_DIR"] = os.environ["AKHBAR_INDEX"]
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.update(test_config)
    app.json.ensure_ascii = False

    from web import errors, views

    errors.init_app(app)
    app.register_blueprint(views.bp)
    return app
