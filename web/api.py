"""JSON endpoints: parse, call the bot, serialise. No retrieval logic here."""
from __future__ import annotations

from flask import Flask, current_app, jsonify, request

from .errors import ApiError
from .recording import record_answer
from .requestlog import note
from .state import current_bot, holder


def _settings():
    return current_app.extensions["kbbot.settings"]


def _top_k(value, default: int) -> int:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(value) if isinstance(value, str) and value.strip().isdigit() else None
        except ValueError:
            value = None
        if value is None:
            raise ApiError(400, "invalid_top_k", "top_k must be a whole number from 1 to 20")
    if not 1 <= value <= 20:
        raise ApiError(400, "invalid_top_k", "top_k must be a whole number from 1 to 20")
    return value


def _question(value, field: str = "question") -> str:
    if value is None:
        raise ApiError(400, f"missing_{field}", f"'{field}' is required")
    if not isinstance(value, str):
        raise ApiError(400, f"invalid_{field}", f"'{field}' must be a string")
    text = value.strip()
    if not text:
        raise ApiError(400, f"empty_{field}", f"'{field}' must not be empty")
    limit = _settings().max_question_chars
    if len(text) > limit:
        raise ApiError(400, f"{field}_too_long", f"'{field}' is longer than {limit} characters")
    if "\x00" in text:
        raise ApiError(400, f"invalid_{field}", f"'{field}' must not contain NUL characters")
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate, from a \ud800-style JSON escape
            raise ApiError(400, f"invalid_{field}", f"'{field}' must be valid Unicode text") from None
    return text


def _json_object() -> dict:
    if not request.mimetype or request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", "send JSON with Content-Type: application/json")
    payload = request.get_json(silent=True)
    if payload is None:
        raise ApiError(400, "invalid_json", "the request body is not valid JSON")
    if not isinstance(payload, dict):
        raise ApiError(400, "invalid_json", "the request body must be a JSON object")
    return payload


def chat():
    payload = _json_object()
    question = _question(payload.get("question"))
    note(question=question)
    top_k = _top_k(payload.get("top_k"), _settings().top_k)
    result = current_bot().ask(question, top_k=top_k).to_json()
    note(abstained=result["abstained"])
    record_answer(question, result)
    response = jsonify(result)
    response.headers["X-Index-Version"] = result["index_version"]
    return response


def search():
    query = _question(request.args.get("q"), field="q")
    k = _top_k(request.args.get("k"), _settings().top_k)
    bot = current_bot()
    hits = [{key: value for key, value in vars(c).items() if key != "chunk_id"} for c in bot.search(query, k)]
    return jsonify({"query": query, "results": hits, "index_version": bot.index_version})


def healthz():
    """Alive: 200 as soon as the process answers, loaded or not."""
    return jsonify({"status": "ok", "ready": holder().loaded, "index_version": holder().version})


def readyz():
    """Ready: 200 once the index is loaded, 503 while it loads or when it cannot be."""
    bot_holder = holder()
    if not bot_holder.loaded:
        if bot_holder.load_error:
            raise ApiError(503, "index_unavailable", "the knowledge base index is not available")
        raise ApiError(503, "not_ready", "the knowledge base index is still loading",
                       headers={"Retry-After": "5"})
    bot = current_bot()
    return jsonify({"status": "ready", "index_version": bot.index_version,
                    "chunks": bot.data.manifest.chunk_count})


def register(app: Flask) -> None:
    app.add_url_rule("/api/chat", view_func=chat, methods=["POST"])
    app.add_url_rule("/api/search", view_func=search, methods=["GET"])
    app.add_url_rule("/healthz", view_func=healthz, methods=["GET"])
    app.add_url_rule("/readyz", view_func=readyz, methods=["GET"])
