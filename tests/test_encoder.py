"""The ONNX Runtime encoder: checked against PyTorch, cached by weights hash, torch-free
when cached, and PyTorch as the fallback when the check refuses it."""
import json
import subprocess
import sys

import numpy as np
import pytest

from bot.evaluate import load_golden
from index import onnx_export
from index.embedder import Embedder
from web.settings import SettingError, Settings

from .conftest import ROOT

GOLDEN = ROOT / "tests" / "eval" / "golden.jsonl"


@pytest.fixture(scope="module")
def torch_embedder():
    return Embedder(encoder="torch")


def test_default_encoder_is_onnx_and_matches_pytorch_on_every_golden_question(embedder, torch_embedder):
    questions = [item.question for item in load_golden(GOLDEN)]
    assert embedder.encoder == "onnx" and not embedder.fallback_reason
    onnx_vectors = embedder.encode(questions)
    torch_vectors = torch_embedder.encode(questions)
    cosines = np.sum(onnx_vectors * torch_vectors, axis=1)
    assert cosines.min() >= 0.9999, questions[int(cosines.argmin())]


def test_export_is_cached_by_weights_hash_with_its_check(embedder, encoder_cache):
    embedder.encode_query("warm")
    entry = onnx_export.cache_entry(encoder_cache, embedder.sha256)
    check = json.loads((entry / "check.json").read_text())
    assert check["model_sha256"] == embedder.sha256
    assert check["min_cosine"] >= onnx_export.MIN_COSINE
    assert check["texts"] == len(onnx_export.CHECK_TEXTS)
    assert check["export_format"] == onnx_export.EXPORT_FORMAT
    # every attention block became one fused operator, which is what makes it fast
    assert check["fused_operators"]["Attention"] == 6


def test_a_cached_export_serves_without_importing_torch(embedder, encoder_cache):
    embedder.encode_query("warm")
    script = ("import sys; from index.embedder import Embedder; "
              f"e = Embedder(cache_dir={str(encoder_cache)!r}); v = e.encode_query('what is mod 59'); "
              "print(e.encoder, round(float(v @ v), 4), 'torch' in sys.modules, 'sentence_transformers' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["onnx", "1.0", "False", "False"]


def test_a_failed_check_is_refused_and_pytorch_is_used(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(onnx_export, "MIN_COSINE", 1.5)  # no export can reach it
    refused = Embedder(encoder="onnx", cache_dir=tmp_path)
    vector = refused.encode_query("what is modifier 59")
    assert refused.encoder == "torch"
    assert "lowest cosine" in refused.fallback_reason
    assert "using the PyTorch encoder" in caplog.text
    assert vector.shape == (384,)
    assert not any(tmp_path.glob("*/model.onnx")), "a refused export must not be cached"


@pytest.mark.parametrize("check", [{"min_cosine": 0.5, "export_format": onnx_export.EXPORT_FORMAT},
                                   {"min_cosine": 1.0, "export_format": 1}], ids=["failed check", "older format"])
def test_a_damaged_or_outdated_cache_entry_is_exported_again(tmp_path, embedder, check):
    entry = onnx_export.cache_entry(tmp_path, embedder.sha256)
    entry.mkdir(parents=True)
    (entry / "model.onnx").write_bytes(b"not a model")
    (entry / "check.json").write_text(json.dumps({"model_sha256": embedder.sha256, **check}))
    fresh = Embedder(encoder="onnx", cache_dir=tmp_path)
    assert fresh.encoder == "onnx"
    assert json.loads((entry / "check.json").read_text())["min_cosine"] >= onnx_export.MIN_COSINE


def test_encoder_setting_is_validated():
    assert Settings.from_env(environ={"KBBOT_ENCODER": "torch"}).encoder == "torch"
    with pytest.raises(SettingError, match="KBBOT_ENCODER must be onnx or torch"):
        Settings.from_env(environ={"KBBOT_ENCODER": "tensorrt"})
