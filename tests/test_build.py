import json
import os

import numpy as np
import pytest

from bot.engine import Bot
from index.build import build_index, staleness
from index.errors import IndexCorrupt, IndexMismatch, IndexMissing, LintError
from index.store import load_index, read_manifest


def test_index_directory_holds_every_artifact(index_dir, embedder):
    manifest = read_manifest(index_dir)
    assert manifest.model_name == "all-MiniLM-L6-v2"
    assert manifest.model_sha256 == "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    assert manifest.dimension == 384
    data = load_index(index_dir, embedder.sha256)
    assert data.faiss_index.ntotal == manifest.chunk_count == len(data.chunks)
    norms = np.linalg.norm(data.chunk_vectors, axis=1)
    assert np.allclose(norms, 1.0, atol=1e-4)
    assert data.lexical.size == manifest.chunk_count
    assert index_dir.is_symlink()


def test_rebuild_after_editing_one_article_reembeds_only_its_changed_chunks(small_kb, tmp_path, embedder):
    index_dir = tmp_path / "index"
    first = build_index(small_kb, index_dir, embedder)
    assert first.reused_chunks == 0

    unchanged = build_index(small_kb, index_dir, embedder)
    assert unchanged.encoded_texts == 0 and unchanged.reused_chunks == first.chunks

    article = small_kb / "codes" / "cpt-97116.md"
    text = article.read_text(encoding="utf-8")
    marker = "## What it covers\n"
    assert marker in text
    article.write_text(text.replace(marker, marker + "97116 also covers practice on ramps and curbs.\n\n", 1),
                       encoding="utf-8")
    before = embedder.encoded_count
    edited = build_index(small_kb, index_dir, embedder)
    data = load_index(index_dir, embedder.sha256)
    changed = [c for c in data.chunks if "ramps and curbs" in c.text]
    assert len(changed) == 1
    # one chunk text plus one text per sentence of that chunk, nothing else
    assert embedder.encoded_count - before == edited.encoded_texts == 1 + len(changed[0].sentences)
    assert edited.reused_chunks == edited.chunks - 1


def test_lint_failure_leaves_previous_index_intact(small_kb, tmp_path, embedder):
    index_dir = tmp_path / "index"
    build_index(small_kb, index_dir, embedder)
    version = read_manifest(index_dir).index_version
    (small_kb / "codes" / "cpt-97116.md").write_text("---\nid: [\n---\n", encoding="utf-8")
    with pytest.raises(LintError):
        build_index(small_kb, index_dir, embedder)
    assert read_manifest(index_dir).index_version == version
    assert not list(tmp_path.glob(".index-*.tmp"))


def test_failure_while_writing_leaves_previous_index_intact(small_kb, tmp_path, embedder, monkeypatch):
    index_dir = tmp_path / "index"
    build_index(small_kb, index_dir, embedder)
    version = read_manifest(index_dir).index_version
    (small_kb / "codes" / "cpt-97116.md").write_text(
        (small_kb / "codes" / "cpt-97116.md").read_text() + "\n## Extra\nNew text.\n")

    def broken_save(self, directory):
        raise OSError("disk full")
    monkeypatch.setattr("index.lexical.LexicalIndex.save", broken_save)
    with pytest.raises(OSError):
        build_index(small_kb, index_dir, embedder)
    assert read_manifest(index_dir).index_version == version
    assert not list(tmp_path.glob(".index-*.tmp"))


def test_staleness_follows_kb_and_model(small_kb, tmp_path, embedder):
    index_dir = tmp_path / "index"
    assert staleness(small_kb, index_dir, embedder.sha256) == "no index yet"
    build_index(small_kb, index_dir, embedder)
    assert staleness(small_kb, index_dir, embedder.sha256) is None
    assert staleness(small_kb, index_dir, "0" * 64) == "the model changed"
    (small_kb / "codes" / "cpt-97535.md").write_text(
        (small_kb / "codes" / "cpt-97535.md").read_text() + "\n## Note\nA new note.\n")
    assert staleness(small_kb, index_dir, embedder.sha256) == "the knowledge base changed"


def test_index_built_with_another_model_is_refused(copy_index, embedder):
    path = copy_index()
    manifest = json.loads((path / "manifest.json").read_text())
    manifest["model_sha256"] = "f" * 64
    (path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatch, match="another model"):
        Bot.from_index(path, embedder)


def test_damaged_index_is_reported_not_crashed(copy_index, embedder):
    path = copy_index()
    (path / "chunks.faiss").write_bytes(b"not a faiss index")
    with pytest.raises(IndexCorrupt):
        load_index(path, embedder.sha256)
    os.remove(path / "manifest.json")
    with pytest.raises(IndexMissing, match="no index"):
        load_index(path, embedder.sha256)
