"""One error shape: JSON ``{"ok": false, "error": "...", "status": N}`` for
programs, an Arabic HTML page for browsers.  Never a traceback."""
from __future__ import annotations

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from search.errors import EngineUnavailableError, IndexMissingError


class ApiError(Exception):
    """A request the app refuses, with a message in Arabic and English."""

    def __init__(self, status: int, arabic: str, english: str, link: tuple[str, str] | None = None):
        super().__init__(english)
        self.status, self.arabic, self.english = status, arabic, english
        self.link = link  # (href, Arabic label): where the page offers to go instead

    @property
    def message(self) -> str:
        return f"{self.arabic} ({self.english})"


def wants_json() -> bool:
    """Programs get JSON: ``format=json``, an Accept header preferring it, or a file endpoint
    (``/search.csv`` ...: its errors are for the program that asked for the file)."""
    if request.args.get("format") == "json":
        return True
    if request.args.get("format") == "html":
        return False
    if request.path.rsplit("/", 1)[-1].startswith("search."):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_response(status: int, arabic: str, english: str, link: tuple[str, str] | None = None):
    if wants_json():
        resp = jsonify({"ok": False, "error": f"{arabic} ({english})", "status": status})
    else:
        resp = render_template("error.html", status=status, arabic=arabic, english=english, link=link,
                               q=request.args.get("q", "")[:500])
    return resp, status


def init_app(app) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return error_response(exc.status, exc.arabic, exc.english, exc.link)

    @app.errorhandler(IndexMissingError)
    def _no_index(exc: IndexMissingError):
        app.logger.warning("%s", exc)  # with the index's location, which the response leaves out
        return error_response(503, "الفهرس غير متاح", exc.public)

    @app.errorhandler(EngineUnavailableError)
    def _no_engine(exc: EngineUnavailableError):
        app.logger.error("%s", exc)
        return error_response(503, "محرك البحث غير متاح الآن", exc.public)  # the log names the cluster

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        arabic = {404: "الصفحة غير موجودة", 405: "طريقة الطلب غير مسموحة"}.get(exc.code, "طلب غير صالح")
        resp, status = error_response(exc.code or 500, arabic, exc.name)
        allowed = getattr(exc, "valid_methods", None)
        if allowed:  # a 405 says what is allowed (RFC 9110)
            resp = app.make_response(resp)
            resp.headers["Allow"] = ", ".join(allowed)
        return resp, status

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unexpected error")
        return error_response(500, "خطأ داخلي في الخادم", "internal server error")

    @app.after_request
    def _security_headers(resp):
        resp.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; connect-src 'self'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "same-origin"
        return resp
