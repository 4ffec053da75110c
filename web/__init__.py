"""Akhbar's web front end: the Arabic search page and the /search JSON API.

``create_app(test_config)`` follows Flask's tutorial: defaults, then the
instance ``config.py`` or the test mapping; no index is opened at import.
"""
from __future__ import annotations

import os

from flask import Flask

from search.engines.settings import STORE_SETTINGS, StoreSettings

#: Declared settings: name -> (default, help).  The README documents each.  Where the index is
#: and which engine serves it are the store's settings (``search.engines.settings``).
SETTINGS = {
    **{s.name: (s.default, s.help) for s in STORE_SETTINGS},
    "PAGE_SIZE": (10, "results per page"),
    "MAX_QUERY_LEN": (500, "longest query accepted, in characters"),
    "PUBLIC_URL": ("", "the site's address as readers reach it (e.g. https://akhbar.example.org, or with a path "
                       "behind a proxy); the Atom feed's links start with it. Empty: they are relative, resolved "
                       "against the feed's own URL. Never taken from the request's Host header; "
                       "AKHBAR_PUBLIC_URL overrides it"),
}


#: Settings the environment overrides, and the variable that does.
ENVIRONMENT = {**{s.name: s.variable for s in STORE_SETTINGS}, "PUBLIC_URL": "AKHBAR_PUBLIC_URL"}


def public_url(value: str) -> str:
    """``PUBLIC_URL`` checked and without its final slash ("" stays "": relative links)."""
    from urllib.parse import urlsplit

    from search.errors import ConfigError

    value = (value or "").strip()
    parts = urlsplit(value)
    if value and (parts.scheme not in ("http", "https") or not parts.hostname or "@" in parts.netloc or parts.query or parts.fragment
                  or any(c.isspace() or ord(c) < 32 for c in value)):
        raise ConfigError(f"PUBLIC_URL must be an http(s) address such as https://akhbar.example.org "
                          f"(a path may follow; no user, query or fragment), not {value[:100]!r}")
    return value.rstrip("/")


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping({name: default for name, (default, _help) in SETTINGS.items()})
    for name, variable in ENVIRONMENT.items():
        if os.environ.get(variable):
            app.config[name] = os.environ[variable]
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.update(test_config)
    app.config["PUBLIC_URL"] = public_url(app.config["PUBLIC_URL"])
    StoreSettings.from_config(app.config)  # an unknown ENGINE is a ConfigError now, not on the first request
    app.json.ensure_ascii = False

    from web import errors, views

    errors.init_app(app)
    app.register_blueprint(views.bp)
    return app
