"""The record /api/chat keeps of every question it answers, for the content team's report.
Only declined and low-confidence questions keep their text, masked like the request log."""
from __future__ import annotations

import logging

from flask import current_app

from feedback.errors import FeedbackError
from feedback.store import FeedbackStore, outcome_of

from .masking import mask_identifiers

log = logging.getLogger("kbbot.feedback")


def feedback_store() -> FeedbackStore:
    return current_app.extensions["kbbot.feedback"]


def record_answer(question: str, result: dict) -> None:
    """Record one chat answer; a storage failure is logged and never fails the chat."""
    outcome = outcome_of(result["abstained"], result["confidence"])
    try:
        feedback_store().record_asked(outcome, None if outcome == "answered" else mask_identifiers(question),
                                      result["confidence"], [c["url"] for c in result["citations"]],
                                      result["index_version"])
    except FeedbackError as exc:
        log.error("question not recorded: %s", exc)
