"""POST /api/feedback, what /api/chat records, and the token-guarded /admin/report, over
the real app, model and index, each test with its own feedback database."""
import sqlite3
from dataclasses import replace

import pytest

from web import create_app

TOKEN = "admin-token-for-tests-0123456789"
PATIENT_QUESTION = "Patient John Smith DOB 03/14/1952 MRN 00482913: does 97535 need modifier 59 with 97116?"
DECLINED = "what will the weather be in Paris tomorrow?"


@pytest.fixture()
def database(tmp_path):
    return tmp_path / "feedback.sqlite"


@pytest.fixture()
def feedback_client(settings, bot, database):
    return create_app(replace(settings, feedback_db=str(database), admin_token=TOKEN), bot=bot).test_client()


def rows(database, sql):
    with sqlite3.connect(database) as con:
        return con.execute(sql).fetchall()


def vote_body(**changes):
    body = {"question": "what is modifier 59", "answer": "Modifier 59 marks a distinct procedural service [1].",
            "citations": ["/kb/modifier-59#what-it-means"], "index_version": "20261130T0000-abc", "vote": "down",
            "reason": "outdated", "comment": "the X modifiers are preferred now"}
    body.update(changes)
    return {k: v for k, v in body.items() if v is not ...}


def test_vote_is_stored_with_question_answer_citations_and_version(feedback_client, database):
    response = feedback_client.post("/api/feedback", json=vote_body())
    assert response.status_code == 201 and response.get_json()["status"] == "stored"
    assert rows(database, "SELECT vote, reason, comment, question, answer, cited, index_version FROM vote") == [
        ("down", "outdated", "the X modifiers are preferred now", "what is modifier 59",
         "Modifier 59 marks a distinct procedural service [1].", '["/kb/modifier-59#what-it-means"]',
         "20261130T0000-abc")]


def test_patient_identifiers_are_masked_before_storing_and_codes_kept(feedback_client, database):
    feedback_client.post("/api/feedback", json=vote_body(question=PATIENT_QUESTION,
                                                         comment="pt Mary O'Neil, claim 4455667788 denied 97116-59"))
    question, comment = rows(database, "SELECT question, comment FROM vote")[0]
    assert question == "Patient [NAME] DOB [DATE] MRN [ID]: does 97535 need modifier 59 with 97116?"
    assert comment == "pt [NAME], claim [ID] denied 97116-59"
    assert "Smith" not in open(database, "rb").read().decode("latin-1")


def test_a_thumbs_up_needs_no_reason(feedback_client, database):
    assert feedback_client.post("/api/feedback", json=vote_body(vote="up", reason=None, comment="")).status_code == 201
    assert rows(database, "SELECT vote, reason, comment FROM vote") == [("up", None, None)]


@pytest.mark.parametrize("body, status, code", [
    (vote_body(question=...), 400, "missing_question"),
    (vote_body(question=7), 400, "invalid_question"),
    (vote_body(question="   "), 400, "empty_question"),
    (vote_body(question="x" * 1001), 400, "question_too_long"),
    (vote_body(answer=...), 400, "missing_answer"),
    (vote_body(answer=["a"]), 400, "invalid_answer"),
    (vote_body(answer="a\x00b"), 400, "invalid_answer"),
    (vote_body(answer="x" * 8001), 400, "answer_too_long"),
    (vote_body(vote=...), 400, "missing_vote"),
    (vote_body(vote="sideways"), 400, "invalid_vote"),
    (vote_body(vote=True), 400, "invalid_vote"),
    (vote_body(reason="too_long"), 400, "invalid_reason"),
    (vote_body(reason=3), 400, "invalid_reason"),
    (vote_body(comment=5), 400, "invalid_comment"),
    (vote_body(comment="x" * 1001), 400, "comment_too_long"),
    (vote_body(citations="/kb/modifier-59"), 400, "invalid_citations"),
    (vote_body(citations=["https://evil.example/kb/x"]), 400, "invalid_citations"),
    (vote_body(citations=[1]), 400, "invalid_citations"),
    (vote_body(citations=[f"/kb/a{i}" for i in range(21)]), 400, "invalid_citations"),
    (vote_body(index_version=...), 400, "missing_index_version"),
    (vote_body(index_version="../../etc"), 400, "invalid_index_version"),
    ([vote_body()], 400, "invalid_json"),
])
def test_bad_feedback_is_refused_with_a_stable_code(feedback_client, database, body, status, code):
    response = feedback_client.post("/api/feedback", json=body)
    assert (response.status_code, response.get_json()["error"]["code"]) == (status, code)
    assert not database.exists() or rows(database, "SELECT count(*) FROM vote") == [(0,)]


def test_feedback_must_be_json(feedback_client):
    response = feedback_client.post("/api/feedback", data="vote=up", content_type="application/x-www-form-urlencoded")
    assert (response.status_code, response.get_json()["error"]["code"]) == (415, "unsupported_media_type")
    response = feedback_client.post("/api/feedback", data="{not json", content_type="application/json")
    assert (response.status_code, response.get_json()["error"]["code"]) == (400, "invalid_json")


def test_chat_records_declined_questions_masked_and_confident_ones_without_text(feedback_client, database):
    declined = feedback_client.post("/api/chat", json={"question": "Patient Ann Lee DOB 1/2/1950: " + DECLINED})
    answered = feedback_client.post("/api/chat", json={"question": "what is modifier 59"}).get_json()
    assert declined.get_json()["abstained"] and not answered["abstained"] and answered["confidence"] >= 0.75
    assert rows(database, "SELECT outcome, question, cited FROM asked ORDER BY id") == [
        ("declined", "Patient [NAME] DOB [DATE]: " + DECLINED, "[]"),
        ("answered", None, str([c["url"] for c in answered["citations"]]).replace("'", '"'))]


def test_a_storage_failure_never_breaks_the_chat(settings, bot, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the database's folder should be")
    client = create_app(replace(settings, feedback_db=str(blocked / "feedback.sqlite")), bot=bot).test_client()
    response = client.post("/api/chat", json={"question": DECLINED})
    assert response.status_code == 200 and response.get_json()["abstained"]
    failed = client.post("/api/feedback", json=vote_body())
    assert (failed.status_code, failed.get_json()["error"]["code"]) == (503, "feedback_unavailable")


def test_admin_report_needs_the_token(settings, bot, feedback_client):
    no_token = create_app(settings, bot=bot).test_client().get("/admin/report",
                                                                   headers={"Authorization": f"Bearer {TOKEN}"})
    assert (no_token.status_code, no_token.get_json()["error"]["code"]) == (403, "admin_disabled")
    wrong = feedback_client.get("/admin/report", headers={"Authorization": "Bearer wrong"})
    assert (wrong.status_code, wrong.get_json()["error"]["code"]) == (401, "unauthorized")
    assert feedback_client.get("/admin/report").status_code == 401


def test_admin_report_page_shows_declined_groups_and_votes(feedback_client):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert feedback_client.get("/admin/report", headers=auth).get_json()["error"]["code"] == "no_feedback"
    for question in (DECLINED, "weather in paris tomorrow?"):
        feedback_client.post("/api/chat", json={"question": question})
    feedback_client.post("/api/feedback", json=vote_body(comment="<script>alert(1)</script>"))
    page = feedback_client.get("/admin/report", headers=auth)
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "<td>2</td><td>what will the weather be in Paris tomorrow?<ul><li>weather in paris tomorrow?</li>" in html
    assert "outdated ×1" in html and "&lt;script&gt;" in html and "<script>alert" not in html
    assert "Content-Security-Policy" in page.headers
    bad = feedback_client.get("/admin/report?since=yesterday", headers=auth)
    assert (bad.status_code, bad.get_json()["error"]["code"]) == (400, "invalid_since")
