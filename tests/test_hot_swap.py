"""Real gunicorn with two workers: the load-test script, and a new index swapped in while
clients keep asking — no failed request, every answer wholly from the old or the new index."""
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest

from index.build import build_index

from .conftest import KB_DIR, ROOT
from .servers import running_server

TOKEN = "test-admin-token-0123456789"
QUESTION = "what is modifier 59"
ARTICLE = "modifiers/modifier-59.md"
SECTION = "What it means"
MARKER = "(quokka)"  # a small edit, so the section still ranks first for QUESTION


@pytest.fixture(scope="module")
def private_index(tmp_path_factory, index_dir):
    """A copy of kb/ and of the session's index version, so a rebuild here harms no one."""
    root = tmp_path_factory.mktemp("swap")
    kb = root / "kb"
    shutil.copytree(KB_DIR, kb)
    version_dir = index_dir.resolve()
    shutil.copytree(version_dir, root / "build" / version_dir.name)
    os.symlink(version_dir.name, root / "build" / "index")
    return kb, root / "build" / "index"


@pytest.fixture(scope="module")
def server(private_index, tmp_path_factory):
    kb, index = private_index
    env = {"KBBOT_INDEX_DIR": str(index), "KBBOT_KB_DIR": str(kb), "KBBOT_AUTO_BUILD": "0",
           "KBBOT_RATE_LIMIT": "0", "KBBOT_ADMIN_TOKEN": TOKEN}
    with running_server(env, tmp_path_factory.mktemp("swap-log") / "server.log", workers=2) as running:
        yield running


def call(url: str, data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, data, headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.headers, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, error.headers, json.loads(error.read())


def test_loadtest_script_reports_zero_errors_and_worker_memory(server):
    base, process = server
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "loadtest.py"), "--url", base,
                             "--clients", "4", "--requests", "40", "--seconds", "120", "--json",
                             "--server-pid", str(process.pid)], capture_output=True, text=True, timeout=300)
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["errors"] == 0 and report["requests"] == 40
    assert 0 < report["latency_ms"]["p50"] <= report["latency_ms"]["p95"] <= report["latency_ms"]["p99"]
    assert report["throughput_rps"] > 0
    assert len(report["worker_rss_mb"]) == 2 and all(mb > 50 for mb in report["worker_rss_mb"].values())


def ask_until(base: str, stop: threading.Event, record: list):
    body = json.dumps({"question": QUESTION}).encode()
    while not stop.is_set():
        started = time.monotonic()
        try:
            status, headers, data = call(f"{base}/api/chat", body, {"Content-Type": "application/json"})
            record.append((started, status, headers.get("X-Index-Version"), data))
        except OSError as exc:  # a refused or dropped connection is a failed request too
            record.append((started, type(exc).__name__, None, {}))


def test_new_index_swaps_in_under_load_without_a_failed_request(server, private_index, embedder):
    base, _ = server
    kb, index = private_index
    old = call(f"{base}/readyz")[2]["index_version"]
    stop, records = threading.Event(), [[] for _ in range(4)]
    threads = [threading.Thread(target=ask_until, args=(base, stop, r)) for r in records]
    for thread in threads:
        thread.start()
    try:
        while sum(map(len, records)) < 12:
            time.sleep(0.2)
        article = kb / ARTICLE
        text = article.read_text()
        article.write_text(text.replace("procedural service: it tells", f"procedural service {MARKER}: it tells", 1))
        new = build_index(kb, index, embedder).manifest.index_version
        status, _, reloaded = call(f"{base}/admin/reload", b"", {"Authorization": f"Bearer {TOKEN}"})
        reloaded_at = time.monotonic()
        assert status == 200 and reloaded["index_version"] == new
        while min(sum(1 for r in rs if r[0] > reloaded_at) for rs in records) < 4:
            time.sleep(0.2)
    finally:
        stop.set()
        for thread in threads:
            thread.join()

    answers = [r for rs in records for r in rs]
    assert [r[1] for r in answers if r[1] != 200] == []
    assert {r[2] for r in answers} == {old, new}
    marked = {old: 0, new: 0}
    for started, _, version, data in answers:
        assert data["index_version"] == version  # header and body from the same bot
        if started > reloaded_at:
            assert version == new
        for citation in data["citations"]:
            if citation["article_id"] == "modifier-59" and citation["section"] == SECTION:
                assert (MARKER in citation["snippet"]) == (version == new)
                marked[version] += 1
    assert marked[old] and marked[new]  # the content check above ran on both versions
    for rs in records:  # each client saw the old index, then the new, never back
        versions = [r[2] for r in rs]
        assert versions == sorted(versions, key=[old, new].index)
