"""Security headers, the frame policy, request ids, the index version on every JSON
response, and one structured log line per request with questions masked or left out."""
import json
import logging
from dataclasses import replace

import pytest

from web import create_app


@pytest.mark.parametrize("path", ["/", "/kb", "/kb/cpt-97535", "/widget/demo", "/kb/no-such-article"])
def test_pages_get_a_strict_policy(client, path):
    headers = client.get(path).headers
    policy = headers["Content-Security-Policy"]
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                      "frame-ancestors 'none'", "base-uri 'none'"):
        assert directive in policy
    assert "unsafe" not in policy
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style(client):
    for path in ("/", "/kb", "/kb/cpt-97535", "/widget/demo"):
        html = client.get(path).get_data(as_text=True)
        assert "<style" not in html and " style=" not in html and "<script>" not in html
        assert " onclick=" not in html and "javascript:" not in html


@pytest.mark.parametrize("setting, ancestors, frame_options", [
    (("'self'",), "frame-ancestors 'self'", "SAMEORIGIN"),
    (("'self'", "https://intranet.example.org"), "frame-ancestors 'self' https://intranet.example.org", None),
])
def test_framing_only_where_configured(settings, bot, setting, ancestors, frame_options):
    headers = create_app(replace(settings, frame_ancestors=setting), bot=bot).test_client().get("/").headers
    assert ancestors in headers["Content-Security-Policy"]
    assert headers.get("X-Frame-Options") == frame_options


def test_api_responses_are_not_cached_and_carry_version_and_request_id(client):
    answer = client.post("/api/chat", json={"question": "what is modifier 59"})
    error = client.post("/api/chat", json={"question": ""})
    search = client.get("/api/search?q=gait")
    version = answer.get_json()["index_version"]
    for response in (answer, error, search):
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["X-Index-Version"] == version == response.get_json()["index_version"]
        assert len(response.headers["X-Request-Id"]) >= 8
        assert "Content-Security-Policy" not in response.headers  # JSON, not a page
    assert answer.headers["X-Request-Id"] != error.headers["X-Request-Id"]
    assert client.get("/", headers={"X-Request-Id": "proxy-abc-12345"}).headers["X-Request-Id"] == "proxy-abc-12345"
    assert client.get("/", headers={"X-Request-Id": "bad id <x>"}).headers["X-Request-Id"] != "bad id <x>"


def request_lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "kbbot.requests"]


QUESTION = "Patient John Smith DOB 03/14/1952 MRN 00482913: does 97535 need modifier 59?"


def test_one_log_line_per_request_without_the_question(client, caplog):
    caplog.set_level(logging.INFO, logger="kbbot.requests")
    response = client.post("/api/chat", json={"question": QUESTION})
    client.get("/api/search?q=")
    chat, search = request_lines(caplog)
    assert chat["request_id"] == response.headers["X-Request-Id"]
    assert (chat["method"], chat["path"], chat["status"], chat["abstained"]) == ("POST", "/api/chat", 200, False)
    assert chat["index_version"] == response.get_json()["index_version"] and chat["latency_ms"] > 0
    assert "question" not in chat and "Smith" not in caplog.text and "00482913" not in caplog.text
    assert (search["path"], search["status"]) == ("/api/search", 400)


def test_questions_are_logged_masked_when_turned_on(settings, bot, caplog):
    caplog.set_level(logging.INFO, logger="kbbot.requests")
    client = create_app(replace(settings, log_questions=True), bot=bot).test_client()
    client.post("/api/chat", json={"question": QUESTION})
    (line,) = request_lines(caplog)
    assert line["question"] == "Patient [NAME] DOB [DATE] MRN [ID]: does 97535 need modifier 59?"
