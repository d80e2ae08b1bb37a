"""Admin endpoints behind a bearer token (KBBOT_ADMIN_TOKEN); with no token configured
they refuse every request.

`POST /admin/reload` loads the index the link points at now into the worker that received
it and answers with the version. The other workers need no message: each one checks the
link when a request starts and swaps before answering it (web/state.py).
"""
from __future__ import annotations

import hmac

from flask import Flask, current_app, jsonify, request

from index.errors import KBError

from .errors import ApiError
from .state import holder


def _require_token() -> None:
    token = current_app.extensions["kbbot.settings"].admin_token
    if not token:
        raise ApiError(403, "admin_disabled", "admin endpoints are off: set KBBOT_ADMIN_TOKEN to turn them on")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise ApiError(401, "unauthorized", "send the admin token as 'Authorization: Bearer <token>'",
                       headers={"WWW-Authenticate": "Bearer"})


def reload_index():
    _require_token()
    try:
        previous, version = holder().reload()
    except KBError as exc:
        raise ApiError(409, "reload_failed", f"the index was not swapped: {exc}") from None
    return jsonify({"status": "reloaded", "index_version": version, "previous_version": previous})


def register(app: Flask) -> None:
    app.add_url_rule("/admin/reload", view_func=reload_index, methods=["POST"])
