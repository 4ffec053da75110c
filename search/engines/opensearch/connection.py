"""Connecting to an OpenSearch cluster, and saying in one line what is wrong when it fails.

A URL may carry basic-auth credentials (``https://user:password@host:9200``); an API
key comes from ``AKHBAR_OPENSEARCH_API_KEY`` and a CA bundle for a private
certificate authority from ``AKHBAR_OPENSEARCH_CA_CERTS``.  Messages show the URL
without its credentials.
"""
from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from search.errors import EngineUnavailableError

#: Seconds a request may take before it is retried on another node or reported.
TIMEOUT = 30


def redact(url: str) -> str:
    """``url`` (or comma-separated URLs) without user names or passwords."""
    out = []
    for one in (u.strip() for u in url.split(",") if u.strip()):
        parts = urlsplit(one if "://" in one else f"http://{one}")
        host = parts.hostname or ""
        try:
            if parts.port:
                host = f"{host}:{parts.port}"
        except ValueError:
            host = f"{host}:?"
        out.append(urlunsplit((parts.scheme, host, parts.path, "", "")))
    return ",".join(out)


def client(url: str, compress: bool = True):
    """An opensearch-py client for ``url`` (several URLs: comma-separated); not yet contacted.
    ``compress=False``: bodies sent and received as they are (the stories' chunks: gzip took 19
    of the 24 s that storing ANT's 165 MB of them took)."""
    try:
        from opensearchpy import OpenSearch
    except ImportError as exc:
        raise EngineUnavailableError("the OpenSearch engine needs opensearch-py: pip install 'akhbar[opensearch]'") from exc

    hosts, auth = [], None
    for one in (u.strip() for u in url.split(",") if u.strip()):
        parts = urlsplit(one if "://" in one else f"http://{one}")
        if parts.username:
            auth = (parts.username, parts.password or "")
        hosts.append({"host": parts.hostname or "127.0.0.1", "port": parts.port or 9200,
                      "scheme": parts.scheme or "http", "url_prefix": parts.path.rstrip("/")})
    kwargs: dict[str, Any] = {"timeout": TIMEOUT, "max_retries": 3, "retry_on_timeout": True, "http_compress": compress}
    if auth:
        kwargs["http_auth"] = auth
    api_key = os.environ.get("AKHBAR_OPENSEARCH_API_KEY")
    if api_key:
        kwargs["headers"] = {"Authorization": f"ApiKey {api_key}"}
    if any(h["scheme"] == "https" for h in hosts):
        kwargs["use_ssl"] = True
        kwargs["verify_certs"] = True
        if os.environ.get("AKHBAR_OPENSEARCH_CA_CERTS"):
            kwargs["ca_certs"] = os.environ["AKHBAR_OPENSEARCH_CA_CERTS"]
    return OpenSearch(hosts, **kwargs)


def unavailable(url: str, exc: Exception) -> EngineUnavailableError:
    """The one-line error for a failed call to the cluster at ``url``."""
    from opensearchpy import exceptions as E

    where = redact(url)
    if isinstance(exc, E.AuthenticationException):
        why = "the cluster refused the credentials (check the user and password in the URL, or AKHBAR_OPENSEARCH_API_KEY)"
    elif isinstance(exc, E.AuthorizationException):
        why = "the credentials lack permission for this index (check the user's roles)"
    elif isinstance(exc, E.SSLError):
        why = "the TLS handshake failed (check https vs http, and AKHBAR_OPENSEARCH_CA_CERTS for a private CA)"
    elif isinstance(exc, E.ConnectionTimeout):
        why = f"no answer within {TIMEOUT} s (check that the cluster is up and not overloaded)"
    elif isinstance(exc, E.ConnectionError):
        why = "cannot connect (check the URL and port, and that the cluster is running)"
    elif isinstance(exc, E.TransportError) and exc.status_code == 503:
        why = "the cluster is not ready (status red or no cluster manager: check GET _cluster/health)"
    else:
        why = f"{exc.__class__.__name__}: {str(exc)[:200]}"
    return EngineUnavailableError(f"OpenSearch at {where}: {why}", public=f"the search cluster: {why}")
