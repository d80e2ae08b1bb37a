"""`kbbot serve` runs gunicorn for real and answers over HTTP on loopback."""
import json
import urllib.error
import urllib.request

import pytest

from .conftest import KB_DIR
from .servers import running_server


@pytest.fixture(scope="module")
def server_log(tmp_path_factory):
    return tmp_path_factory.mktemp("serve") / "server.log"


@pytest.fixture(scope="module")
def server(index_dir, server_log):
    env = {"KBBOT_INDEX_DIR": str(index_dir), "KBBOT_KB_DIR": str(KB_DIR), "KBBOT_AUTO_BUILD": "0"}
    with running_server(env, server_log) as (base, _):
        yield base


def post(url: str, data: bytes, content_type: str = "application/json"):
    request = urllib.request.Request(url, data, {"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_gunicorn_serves_the_acceptance_question(server):
    status, data = post(f"{server}/api/chat",
                        json.dumps({"question": "does 97535 need modifier 59 with gait training?"}).encode())
    assert status == 200 and not data["abstained"]
    articles = [c["article_id"] for c in data["citations"][:3]]
    assert "cpt-97535" in articles and "modifier-59" in articles


def test_gunicorn_turns_bad_input_into_json_errors(server):
    assert post(f"{server}/api/chat", b"[1, 2]")[0] == 400
    status, data = post(f"{server}/api/chat", b"question=x", "text/plain")
    assert status == 415 and data["error"]["code"] == "unsupported_media_type"


def test_liveness_readiness_and_one_json_log_line_per_request(server, server_log):
    with urllib.request.urlopen(f"{server}/healthz", timeout=10) as response:
        assert json.loads(response.read())["status"] == "ok"
    with urllib.request.urlopen(f"{server}/readyz", timeout=10) as response:
        ready = json.loads(response.read())
        assert ready["status"] == "ready" and response.headers["X-Index-Version"] == ready["index_version"]
    request = urllib.request.Request(f"{server}/api/chat", json.dumps({"question": "what is modifier 59"}).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        request_id = response.headers["X-Request-Id"]
    lines = [json.loads(line) for line in server_log.read_text().splitlines() if line.startswith("{")]
    chat = next(line for line in lines if line.get("request_id") == request_id)
    assert chat["path"] == "/api/chat" and chat["status"] == 200 and chat["abstained"] is False
    assert chat["index_version"] == ready["index_version"] and chat["latency_ms"] > 0
    assert "question" not in chat  # questions are not logged unless KBBOT_LOG_QUESTIONS=1
    ready_lines = [line for line in lines if line.get("message", "").startswith("worker ready")]
    assert ready_lines and "MB" in ready_lines[0]["message"]


def test_pages_carry_the_security_headers(server):
    with urllib.request.urlopen(f"{server}/", timeout=10) as response:
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
