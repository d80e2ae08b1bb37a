"""`kbbot serve` runs gunicorn for real and answers over HTTP on loopback."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import KB_DIR

KBBOT = str(Path(sys.executable).parent / "kbbot")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(index_dir):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KBBOT_")}
    env.update({"KBBOT_INDEX_DIR": str(index_dir), "KBBOT_KB_DIR": str(KB_DIR), "KBBOT_AUTO_BUILD": "0"})
    process = subprocess.Popen([KBBOT, "serve", "--port", str(port), "--workers", "1"], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while True:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            break
        except OSError:
            if process.poll() is not None or time.time() > deadline:
                process.kill()
                pytest.fail(f"server did not start: {process.stdout.read()}")
            time.sleep(0.3)
    yield base
    process.terminate()
    process.wait(timeout=30)


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
