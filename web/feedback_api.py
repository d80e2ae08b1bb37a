"""POST /api/feedback: a thumbs up or down on an answer, with an optional reason and
comment. Parse, mask, store (feedback/store.py)."""
from __future__ import annotations

import logging
import re

from flask import Flask, jsonify

from feedback.errors import FeedbackError
from feedback.store import REASONS, VOTES, FeedbackStore

from .api import _json_object, _question
from .errors import ApiError
from .masking import mask_identifiers
from .recording import feedback_store
from .settings import Settings

log = logging.getLogger("kbbot.feedback")
MAX_ANSWER_CHARS = 8000
MAX_COMMENT_CHARS = 1000
MAX_CITATIONS = 20
CITATION_URL = re.compile(r"/kb/[A-Za-z0-9._\-]{1,120}(?:#[A-Za-z0-9._\-]{1,120})?")
INDEX_VERSION = re.compile(r"[A-Za-z0-9._\-]{1,80}")


def _text(payload: dict, field: str, limit: int, required: bool) -> str | None:
    value = payload.get(field)
    if value is None or (not required and value == ""):
        if required:
            raise ApiError(400, f"missing_{field}", f"'{field}' is required")
        return None
    if not isinstance(value, str) or "\x00" in value:
        raise ApiError(400, f"invalid_{field}", f"'{field}' must be a string")
    value = value.strip()
    if required and not value:
        raise ApiError(400, f"empty_{field}", f"'{field}' must not be empty")
    if len(value) > limit:
        raise ApiError(400, f"{field}_too_long", f"'{field}' is longer than {limit} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ApiError(400, f"invalid_{field}", f"'{field}' must be valid Unicode text") from None
    return value or None


def _choice(payload: dict, field: str, allowed: tuple[str, ...], required: bool) -> str | None:
    value = payload.get(field)
    if value is None or (not required and value == ""):
        if required:
            raise ApiError(400, f"missing_{field}", f"'{field}' is required: one of {', '.join(allowed)}")
        return None
    if value not in allowed:
        raise ApiError(400, f"invalid_{field}", f"'{field}' must be one of {', '.join(allowed)}")
    return value


def _citations(value) -> list[str]:
    """The `url`s of the answer's citations, as /api/chat returned them (/kb/article#section)."""
    if value is None:
        return []
    message = f"'citations' must be a list of up to {MAX_CITATIONS} citation URLs such as /kb/cpt-97535#billing"
    if not isinstance(value, list) or len(value) > MAX_CITATIONS:
        raise ApiError(400, "invalid_citations", message)
    if not all(isinstance(url, str) and CITATION_URL.fullmatch(url) for url in value):
        raise ApiError(400, "invalid_citations", message)
    return list(dict.fromkeys(value))


def _index_version(value) -> str:
    if value is None:
        raise ApiError(400, "missing_index_version", "'index_version' is required (the one /api/chat returned)")
    if not isinstance(value, str) or not INDEX_VERSION.fullmatch(value):
        raise ApiError(400, "invalid_index_version", "'index_version' must be the version /api/chat returned")
    return value


def post_feedback():
    payload = _json_object()
    question = _question(payload.get("question"))
    answer = _text(payload, "answer", MAX_ANSWER_CHARS, required=True)
    citations = _citations(payload.get("citations"))
    version = _index_version(payload.get("index_version"))
    vote = _choice(payload, "vote", VOTES, required=True)
    reason = _choice(payload, "reason", REASONS, required=False)
    comment = _text(payload, "comment", MAX_COMMENT_CHARS, required=False)
    try:
        # The answer comes back from the client too, so it is masked like the rest.
        row = feedback_store().record_vote(vote, mask_identifiers(question), mask_identifiers(answer), citations, version,
                                   reason, mask_identifiers(comment) if comment else None)
    except FeedbackError as exc:
        log.error("feedback not stored: %s", exc)
        raise ApiError(503, "feedback_unavailable", "the feedback could not be stored; please try again later") from None
    response = jsonify({"status": "stored", "id": row})
    response.status_code = 201
    return response


def register(app: Flask, settings: Settings) -> None:
    app.extensions["kbbot.feedback"] = FeedbackStore(settings.feedback_path, settings.feedback_retention_days)
    app.add_url_rule("/api/feedback", view_func=post_feedback, methods=["POST"])
