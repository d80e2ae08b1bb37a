"""One JSON line per request on the `kbbot.requests` logger, and the X-Request-Id and
X-Index-Version headers on every response.

Questions are logged only when KBBOT_LOG_QUESTIONS is on, and then masked
(web/masking.py): coders paste patient details into questions.
"""
from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid

from flask import Flask, g, request

from .masking import mask_identifiers
from .state import answered_version

log = logging.getLogger("kbbot.requests")
REQUEST_ID = re.compile(r"[A-Za-z0-9._\-]{8,64}")  # a proxy's id is kept only when it looks like one


def note(**fields) -> None:
    """Add fields to this request's log line (views call it: abstained, question)."""
    g.setdefault("log_fields", {}).update(fields)


def register(app: Flask) -> None:
    log_questions = app.extensions["kbbot.settings"].log_questions

    @app.before_request
    def start_clock():
        g.started = time.perf_counter()
        incoming = request.headers.get("X-Request-Id", "")
        g.request_id = incoming if REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex

    @app.after_request
    def log_request(response):
        version = answered_version()
        if version:
            response.headers.setdefault("X-Index-Version", version)
        response.headers["X-Request-Id"] = g.get("request_id", "")
        fields = dict(g.get("log_fields", {}))
        question = fields.pop("question", None)
        line = {"request_id": g.get("request_id"), "pid": os.getpid(), "method": request.method, "path": request.path,
                "status": response.status_code,
                "latency_ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 1),
                "index_version": version, **fields}
        if log_questions and question is not None:
            line["question"] = mask_identifiers(question)
        log.info(json.dumps(line))  # \u escapes: a question cannot break the line
        return response
