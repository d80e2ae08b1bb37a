"""Cross-origin access to /api/ for the embeddable widget, by allowlist.

An allowed origin gets the usual CORS headers. A page from any other origin may read one
thing only: a 403 error saying it is not allowed, so the widget can say so clearly
instead of failing silently; its question is never answered.
"""
from __future__ import annotations

from flask import Flask, current_app, request

from .errors import ApiError

PREFLIGHT_MAX_AGE = "600"


def _origin_state() -> str:
    """'none' (no Origin header), 'same', 'allowed' or 'refused'."""
    origin = request.headers.get("Origin")
    if not origin:
        return "none"
    if origin.rstrip("/") == request.host_url.rstrip("/"):
        return "same"
    allowed = current_app.extensions["kbbot.settings"].cors_origins
    return "allowed" if origin.rstrip("/") in allowed else "refused"


def register(app: Flask) -> None:
    @app.before_request
    def refuse_other_origins():
        if not request.path.startswith("/api/"):
            return None
        state = _origin_state()
        if request.method == "OPTIONS" and state in ("allowed", "refused"):
            return app.response_class(status=204)
        if state == "refused":
            raise ApiError(403, "origin_not_allowed",
                           "this site is not allowed to use the coding help service")
        return None

    @app.after_request
    def add_cors_headers(response):
        if request.path.startswith("/api/") and _origin_state() in ("allowed", "refused"):
            response.headers["Access-Control-Allow-Origin"] = request.headers["Origin"]
            response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
            response.headers["Access-Control-Expose-Headers"] = "X-Index-Version"
        response.headers.add("Vary", "Origin")
        return response
