"""GET /api/ncci/check and the pair fact in chat answers (real model, real index), with
the SYNTHETIC NCCI release loaded and without any tables."""
import json
from dataclasses import replace

import pytest

from web import create_app
from web.cli import main

PAIR_QUESTION = "can I bill 97530 and 97535 together?"


@pytest.fixture(scope="module")
def ncci_app(settings, ncci_bot, ncci_db):
    return create_app(replace(settings, ncci_db=str(ncci_db)), bot=ncci_bot)


@pytest.fixture()
def ncci_client(ncci_app):
    return ncci_app.test_client()


def test_the_endpoint_returns_what_the_cli_prints(ncci_client, ncci_db, capsys):
    response = ncci_client.get("/api/ncci/check?codes=97530,97535&date=2026-05-01")
    assert response.status_code == 200
    body = response.get_json()
    assert main(["ncci", "check", "97530", "97535", "--date", "2026-05-01", "--json", "--ncci-db", str(ncci_db)]) == 0
    assert json.loads(capsys.readouterr().out) == body
    (pair,) = body["pairs"]
    assert (pair["column1"], pair["column2"], pair["modifier_goes_on"]) == ("97530", "97535", "97535")
    assert body["source"] == "CMS NCCI PTP edits, practitioner, 2026Q2"


@pytest.mark.parametrize("query, code", [
    ("", "missing_codes"),
    ("?codes=", "missing_codes"),
    ("?codes=97530", "too_few_codes"),
    ("?codes=97530,97530", "too_few_codes"),
    ("?codes=97530,hello", "invalid_code"),
    ("?codes=97530,97535&date=2026-02-30", "invalid_date"),
    ("?codes=97530,97535&date=tomorrow", "invalid_date"),
    ("?codes=" + ",".join(str(97000 + i) for i in range(25)), "too_many_codes"),
])
def test_bad_requests_get_a_400_with_a_stable_code(ncci_client, query, code):
    response = ncci_client.get("/api/ncci/check" + query)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == code and response.get_json()["error"]["message"]


def test_without_tables_the_endpoint_answers_503_saying_how_to_load_them(client):
    response = client.get("/api/ncci/check?codes=97530,97535")
    assert response.status_code == 503
    error = response.get_json()["error"]
    assert error["code"] == "ncci_not_loaded" and "kbbot ncci import" in error["message"]
    assert "sqlite" not in error["message"]  # no server paths in a public message


def test_the_chat_answer_carries_the_pair_fact_beside_the_citations(ncci_client):
    body = ncci_client.post("/api/chat", json={"question": PAIR_QUESTION}).get_json()
    check = body["pair_check"]
    assert check["status"] == "checked" and check["source"] == "CMS NCCI PTP edits, practitioner, 2026Q2"
    (pair,) = check["pairs"]
    assert (pair["column1"], pair["column2"], pair["modifier_indicator"], pair["modifier_goes_on"]) == (
        "97530", "97535", 1, "97535")
    assert "goes on 97535" in check["message"]
    assert not body["abstained"] and {"cpt-97530", "cpt-97535"} <= {c["article_id"] for c in body["citations"]}


def test_the_chat_never_shows_an_edit_the_table_does_not_hold(ncci_client):
    check = ncci_client.post("/api/chat", json={"question": "can I bill 97535 and 97116 on the same day?"}).get_json()["pair_check"]
    assert check["status"] == "checked" and check["pairs"][0]["edits"] == []
    assert check["message"].startswith("No NCCI PTP edit between 97535 and 97116 is in force")


def test_without_tables_the_chat_says_the_pair_was_not_checked(client):
    body = client.post("/api/chat", json={"question": PAIR_QUESTION}).get_json()
    check = body["pair_check"]
    assert check == {"status": "not_checked", "codes": ["97530", "97535"], "message": check["message"]}
    assert "could not be checked" in check["message"] and "kbbot ncci import" in check["message"]
    assert body["citations"] and not body["abstained"]


def test_a_question_about_one_code_has_no_pair_fact(ncci_client):
    assert ncci_client.post("/api/chat", json={"question": "is 97150 timed"}).get_json()["pair_check"] is None
