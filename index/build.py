"""kb/ → index directory: lint, chunk, embed what changed, write atomically."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from .articles import article_paths
from .chunking import chunk_article, sentence_embed_text
from .embedder import Embedder
from .errors import IndexMissing, KBError, LintError
from .lexical import LexicalIndex
from .lint import lint_kb
from .model import TokenCounter
from .records import FORMAT_VERSION, Chunk, Manifest
from .scope import SCOPE_FILE, read_scope
from . import store


@dataclass
class BuildReport:
    index_path: Path
    manifest: Manifest
    chunks: int
    reused_chunks: int
    encoded_texts: int
    seconds: float


_PIPELINE_SOURCES = ("ann.py", "articles.py", "chunking.py", "codes.py", "lexical.py", "records.py", "store.py")


def pipeline_hash() -> str:
    """A hash of the code that decides what goes into an index, so an index built by an
    older chunker or tokenizer counts as stale even when kb/ did not change."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in _PIPELINE_SOURCES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def kb_hash(kb_dir: Path) -> str:
    """One hash over every article's path and bytes: any edit changes it."""
    digest = hashlib.sha256(f"format {FORMAT_VERSION}\n".encode())
    scope = Path(kb_dir) / SCOPE_FILE
    for path in article_paths(kb_dir) + ([scope] if scope.is_file() else []):
        digest.update(str(path.relative_to(kb_dir)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def staleness(kb_dir: Path, index_dir: Path, model_sha256: str, faiss_kind: str = "flat") -> str | None:
    """Why the index needs a rebuild, or None when it matches kb/, the model and the
    FAISS index kind asked for."""
    try:
        manifest = store.read_manifest(index_dir)
    except IndexMissing:
        return "no index yet"
    except KBError as exc:
        return str(exc)
    if manifest.format_version != FORMAT_VERSION:
        return "the index format changed"
    if manifest.model_sha256 != model_sha256:
        return "the model changed"
    if manifest.pipeline_hash != pipeline_hash():
        return "the indexing code changed"
    if manifest.kb_hash != kb_hash(kb_dir):
        return "the knowledge base changed"
    if manifest.faiss_kind != faiss_kind:
        return f"the FAISS index kind changed ({manifest.faiss_kind} → {faiss_kind})"
    return None


def _previous_vectors(index_dir: Path, model_sha256: str) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Vectors of the current index by chunk content hash, when it used the same model and
    index format: a change of FAISS kind or of retrieval code keeps them."""
    try:
        manifest = store.read_manifest(index_dir)
        if (manifest.model_sha256, manifest.format_version) != (model_sha256, FORMAT_VERSION):
            return {}
        directory = Path(os.path.realpath(index_dir))
        chunks = store.read_chunks(directory)
        chunk_vectors = np.load(directory / store.CHUNK_VECTORS)
        sentence_vectors = np.load(directory / store.SENTENCE_VECTORS)
    except (KBError, OSError, ValueError):
        return {}
    reuse, offset = {}, 0
    for row, chunk in enumerate(chunks):
        count = len(chunk.sentences)
        reuse[chunk.content_hash] = (chunk_vectors[row], sentence_vectors[offset:offset + count])
        offset += count
    return reuse


def _embed(chunks: list[Chunk], reuse: dict, embedder: Embedder,
           progress: Callable[[int], Callable[[int], None]] | None):
    """Chunk and sentence vectors; only chunks whose hash is new are encoded."""
    fresh = [c for c in chunks if c.content_hash not in reuse]
    texts = []
    for chunk in fresh:
        texts.append(chunk.embed_text)
        texts.extend(sentence_embed_text(chunk.title, s) for s in chunk.sentences)
    on_batch = progress(len(texts)) if progress and texts else None
    vectors = embedder.encode(texts, on_batch=on_batch)
    computed, row = {}, 0
    for chunk in fresh:
        count = len(chunk.sentences)
        computed[chunk.content_hash] = (vectors[row], vectors[row + 1:row + 1 + count])
        row += 1 + count
    table = {**reuse, **computed}
    dim = vectors.shape[1] if len(vectors) else next(iter(reuse.values()))[0].shape[0]
    chunk_vectors = np.vstack([table[c.content_hash][0] for c in chunks]).astype(np.float32)
    sentence_parts = [table[c.content_hash][1] for c in chunks]
    sentence_vectors = (np.vstack(sentence_parts) if sentence_parts else np.zeros((0, dim))).astype(np.float32)
    return chunk_vectors, sentence_vectors, len(chunks) - len(fresh), len(texts)


def build_index(kb_dir: Path, index_dir: Path, embedder: Embedder,
                progress: Callable[[int], Callable[[int], None]] | None = None,
                faiss_kind: str = "flat") -> BuildReport:
    """Build (or rebuild) the index for kb_dir. Raises LintError before writing anything
    when an article has problems; the previous index then stays as it was."""
    started = time.perf_counter()
    kb_dir, index_dir = Path(kb_dir), Path(index_dir)
    counter = TokenCounter(embedder.model_dir)
    digest = kb_hash(kb_dir)
    articles, problems = lint_kb(kb_dir, counter)
    if problems:
        raise LintError(problems)
    chunks = [chunk for article in articles for chunk in chunk_article(article, counter)]
    reuse = _previous_vectors(index_dir, embedder.sha256)
    chunk_vectors, sentence_vectors, reused, encoded = _embed(chunks, reuse, embedder, progress)
    built_at = dt.datetime.now(dt.timezone.utc)
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        model_name=embedder.name,
        model_sha256=embedder.sha256,
        dimension=int(chunk_vectors.shape[1]),
        kb_hash=digest,
        pipeline_hash=pipeline_hash(),
        chunk_count=len(chunks),
        sentence_count=int(sentence_vectors.shape[0]),
        article_count=len(articles),
        built_at=built_at.isoformat(timespec="seconds"),
        index_version=f"{built_at:%Y%m%dT%H%M%S%f}-{digest[:8]}",
        faiss_kind=faiss_kind,
    )
    article_table = {a.id: a.metadata() for a in articles}
    lexical = LexicalIndex.build([c.embed_text for c in chunks])
    scope = [(subject.name, text) for subject in read_scope(kb_dir)[0] for text in subject.texts()]
    scope_vectors = embedder.encode([text for _, text in scope])
    path = store.write_index(index_dir, manifest, chunks, article_table, chunk_vectors,
                             sentence_vectors, lexical, store.Scope([s for s, _ in scope], scope_vectors))
    return BuildReport(path, manifest, len(chunks), reused, encoded, time.perf_counter() - started)
