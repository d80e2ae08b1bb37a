import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from web.cli import main

from .conftest import KB_DIR

KBBOT = str(Path(sys.executable).parent / "kbbot")


def test_ask_json_equals_the_api(capsys, client, index_dir):
    question = "does 97535 need modifier 59 with gait training?"
    assert main(["ask", question, "--json", "--index-dir", str(index_dir), "--kb-dir", str(KB_DIR)]) == 0
    printed = json.loads(capsys.readouterr().out)
    api = client.post("/api/chat", json={"question": question}).get_json()
    printed.pop("timings_ms"), api.pop("timings_ms")
    assert printed == api


def test_ask_plain_prints_answer_and_sources(capsys, index_dir):
    assert main(["ask", "what is modifier 25", "--index-dir", str(index_dir), "--kb-dir", str(KB_DIR)]) == 0
    out = capsys.readouterr().out
    assert "[1]" in out and "/kb/modifier-25#" in out


def test_search_json(capsys, index_dir):
    assert main(["search", "gait training", "--json", "--top-k", "3", "--index-dir", str(index_dir),
                 "--kb-dir", str(KB_DIR)]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 3 and hits[0]["article_id"] == "cpt-97116"


def test_lint_exit_codes(capsys, tmp_path):
    assert main(["lint", "--kb-dir", str(KB_DIR)]) == 0
    bad = tmp_path / "kb"
    bad.mkdir()
    (bad / "x.md").write_text("---\nid: [\n---\n")
    assert main(["lint", "--kb-dir", str(bad)]) == 1
    assert "x.md: front matter" in capsys.readouterr().out


@pytest.mark.parametrize("argv", [[], ["nonsense"], ["ask"], ["ask", ""], ["ask", "q", "--top-k", "0"],
                                  ["serve", "--port", "99999"], ["build", "--bogus"],
                                  ["serve", "--workers", "0"], ["serve", "--workers", "many"], ["serve", "--dev=1"]])
def test_bad_arguments_exit_2(argv, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2


def _run(args, env_extra=None, cwd=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KBBOT_")}
    env.update(env_extra or {})
    return subprocess.run([KBBOT, *args], capture_output=True, text=True, env=env, timeout=300, cwd=cwd)


def test_missing_index_without_auto_build_is_one_line_exit_3(tmp_path):
    result = _run(["ask", "what is modifier 59", "--index-dir", str(tmp_path / "none")],
                  {"KBBOT_AUTO_BUILD": "0"})
    assert result.returncode == 3
    assert result.stderr.strip().count("\n") == 0 and "kbbot:" in result.stderr
    assert "Traceback" not in result.stderr


def test_index_from_another_model_is_refused(copy_index):
    path = copy_index()
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["model_sha256"] = "e" * 64
    (path / "manifest.json").write_text(json.dumps(manifest))
    result = _run(["search", "modifier 59", "--index-dir", str(path), "--kb-dir", str(KB_DIR)],
                  {"KBBOT_AUTO_BUILD": "0"})
    assert result.returncode == 3
    assert "model" in result.stderr and "Traceback" not in result.stderr


def test_build_with_lint_errors_writes_nothing(tmp_path):
    kb = tmp_path / "kb"
    shutil.copytree(KB_DIR, kb)
    (kb / "codes" / "cpt-97110.md").write_text("---\ntype: nonsense\n---\n## A\nb\n")
    result = _run(["build", "--kb-dir", str(kb), "--index-dir", str(tmp_path / "index")])
    assert result.returncode == 1
    assert "nothing was written" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "index").exists()


def one_clear_line(result) -> bool:
    return result.stderr.startswith("kbbot: ") and result.stderr.strip().count("\n") == 0 \
        and "Traceback" not in result.stderr


@pytest.mark.parametrize("damage", ["faiss", "manifest", "chunks"])
def test_corrupt_index_is_one_line_exit_3(copy_index, damage):
    path = copy_index()
    if damage == "faiss":
        (path / "chunks.faiss").write_bytes(b"\x00" * 64)
    elif damage == "manifest":
        (path / "manifest.json").write_text("{ not json")
    else:
        (path / "chunks.jsonl").write_text((path / "chunks.jsonl").read_text().splitlines()[0] + "\n")
    result = _run(["search", "modifier 59", "--index-dir", str(path), "--kb-dir", str(KB_DIR)],
                  {"KBBOT_AUTO_BUILD": "0"})
    assert result.returncode == 3 and one_clear_line(result), result.stderr
    assert "kbbot build" in result.stderr


def test_serve_refuses_a_missing_index_in_one_line(tmp_path):
    result = _run(["serve", "--index-dir", str(tmp_path / "none"), "--port", "8999"], {"KBBOT_AUTO_BUILD": "0"})
    assert result.returncode == 3 and one_clear_line(result), result.stderr


@pytest.mark.parametrize("variable, value", [("KBBOT_RATE_LIMIT", "lots"), ("KBBOT_TRUSTED_PROXIES", "proxy.lan"),
                                             ("KBBOT_WORKERS", "-2")])
def test_bad_setting_is_one_line(variable, value):
    result = _run(["serve"], {variable: value})
    assert result.returncode != 0 and one_clear_line(result) and variable in result.stderr, result.stderr
