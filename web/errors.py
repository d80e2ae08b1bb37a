"""API errors carry their status; one function builds every error body."""
from __future__ import annotations

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from index.errors import KBError

from .state import answered_version

JSON_PREFIXES = ("/api/", "/admin/")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers = headers or {}


def error_body(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


def _json_error(status: int, code: str, message: str, headers: dict | None = None):
    body = error_body(code, message)
    version = answered_version()
    if version:
        body["index_version"] = version
    response = jsonify(body)
    response.status_code = status
    response.headers.update(headers or {})
    return response


_HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed",
               413: "body_too_large", 415: "unsupported_media_type", 429: "rate_limited"}


def register(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):
        return _json_error(exc.status, exc.code, exc.message, exc.headers)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code == 404 and not request.path.startswith(JSON_PREFIXES):
            from .pages import not_found_page
            return not_found_page()
        message = {413: "the request body is too large"}.get(exc.code, exc.description or exc.name)
        return _json_error(exc.code or 500, _HTTP_CODES.get(exc.code, "http_error"), message)

    @app.errorhandler(KBError)
    def index_unavailable(exc: KBError):
        app.logger.error("index unavailable: %s", exc)
        return _json_error(503, "index_unavailable", "the knowledge base index is not available")

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        app.logger.exception("unexpected error")
        return _json_error(500, "internal_error", "something went wrong on our side")
