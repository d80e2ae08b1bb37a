"""CORS allowlist for /api/: same origin by default, configured origins allowed, others
told clearly that they are not allowed."""
from dataclasses import replace

import pytest

from web import create_app

ALLOWED = "https://billing.example.org"


@pytest.fixture()
def cors_client(settings, bot):
    return create_app(replace(settings, cors_origins=(ALLOWED,)), bot=bot).test_client()


def test_allowed_origin_gets_cors_headers(cors_client):
    response = cors_client.post("/api/chat", json={"question": "what is modifier 59"}, headers={"Origin": ALLOWED})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ALLOWED
    assert "Origin" in response.headers["Vary"]


def test_preflight(cors_client):
    response = cors_client.options("/api/chat", headers={"Origin": ALLOWED, "Access-Control-Request-Method": "POST",
                                                        "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 204
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]


def test_other_origin_is_refused_readably(cors_client):
    response = cors_client.post("/api/chat", json={"question": "what is modifier 59"},
                                headers={"Origin": "https://evil.example.com"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "origin_not_allowed"
    assert "answer" not in response.get_json()


def test_default_is_same_origin_only(client):
    refused = client.post("/api/chat", json={"question": "what is modifier 59"}, headers={"Origin": ALLOWED})
    assert refused.status_code == 403
    same = client.post("/api/chat", json={"question": "what is modifier 59"}, headers={"Origin": "http://localhost"})
    assert same.status_code == 200
    assert client.post("/api/chat", json={"question": "what is modifier 59"}).status_code == 200


def test_widget_script_is_served_as_javascript(client):
    response = client.get("/widget.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert b"attachShadow" in response.data
    assert client.get("/widget/demo").status_code == 200


@pytest.mark.parametrize("value", ["not a url", "ftp://x.org", "https://ok.org,javascript:alert(1)"])
def test_bad_origin_setting_is_refused(value):
    from web.settings import SettingError, Settings

    with pytest.raises(SettingError, match="KBBOT_CORS_ORIGINS"):
        Settings.from_env(environ={"KBBOT_CORS_ORIGINS": value})
