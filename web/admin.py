"""Admin endpoints behind a bearer token (KBBOT_ADMIN_TOKEN); with no token configured
they refuse every request.

`POST /admin/reload` loads the index the link points at now into the worker that received
it and answers with the version. The other workers need no message: each one checks the
link when a request starts and swaps before answering it (web/state.py).

`GET /admin/report[?since=YYYY-MM-DD]` is the feedback report (feedback/report.py) as a page.
"""
from __future__ import annotations

import hmac
from datetime import date

from flask import Flask, current_app, jsonify, render_template, request

from feedback.errors import FeedbackMissing, FeedbackUnavailable
from feedback.report import TOP, report_from_store
from index.errors import KBError

from .errors import ApiError
from .recording import feedback_store
from .state import current_bot, holder


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


def _since(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(400, "invalid_since", "'since' must be a date like 2026-01-31") from None


def feedback_report():
    _require_token()
    since = _since(request.args.get("since"))
    bot = current_bot()
    try:
        report = report_from_store(feedback_store(), list(bot.data.articles), bot.embedder.encode, since)
    except FeedbackMissing as exc:
        raise ApiError(404, "no_feedback", str(exc)) from None
    except FeedbackUnavailable as exc:
        raise ApiError(503, "feedback_unavailable", str(exc)) from None
    return render_template("report.html", report=report, top=TOP)


def register(app: Flask) -> None:
    app.add_url_rule("/admin/reload", view_func=reload_index, methods=["POST"])
    app.add_url_rule("/admin/report", view_func=feedback_report, methods=["GET"])
