"""The index directory: FAISS, BM25, chunk and article tables, vectors and a manifest.

`index_dir` is a symbolic link to a versioned sibling directory. A build writes a new
version beside the old one and swaps the link with one atomic rename, so a reader sees
the old index or the new one, never a half-written one.
"""
from __future__ import annotations

import json
import os
import shutil
import uuid
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from . import ann
from .errors import IndexCorrupt, IndexMismatch, IndexMissing
from .lexical import LexicalIndex
from .records import FORMAT_VERSION, Chunk, Manifest

MANIFEST = "manifest.json"
CHUNKS = "chunks.jsonl"
ARTICLES = "articles.json"
CHUNK_VECTORS = "chunk_vectors.npy"
SENTENCE_VECTORS = "sentence_vectors.npy"
FAISS_FILE = "chunks.faiss"
SENTENCE_FAISS_FILE = "sentences.faiss"
BM25_DIR = "bm25"
SCOPE = "scope.json"
SCOPE_VECTORS = "scope_vectors.npy"
KEEP_OLD_VERSIONS = 1


@dataclass(frozen=True)
class Scope:
    """The subjects the knowledge base does not cover (index/scope.py): one row per
    embedded text, named by its subject."""
    subjects: list[str]
    vectors: np.ndarray

    @classmethod
    def empty(cls, dimension: int) -> "Scope":
        return cls([], np.zeros((0, dimension), dtype=np.float32))


@dataclass
class IndexData:
    path: Path
    manifest: Manifest
    chunks: list[Chunk]
    articles: dict[str, dict]
    chunk_vectors: np.ndarray
    sentence_vectors: np.ndarray
    faiss_index: object
    sentence_index: object | None  # approximate kinds only; flat scores every sentence
    sentence_owners: np.ndarray    # the chunk row of every sentence row
    lexical: LexicalIndex
    scope: Scope
    # The flat kind multiplies every chunk, sentence and scope vector by each question's
    # vector: one product over one matrix, these stacked in that order. Column-major, BLAS
    # streams it with its axpy kernel: right after an encode (caches cold) the product over
    # 3,048 sentences took 283 against 493 µs row-major. Rows (a passage's sentences) are
    # read from the row-major arrays above: a row of a column-major one spans 384 cache lines.
    vector_columns: np.ndarray | None = None

    @cached_property
    def sentence_counts(self) -> np.ndarray:
        """How many sentences each chunk row has."""
        return np.array([len(c.sentences) for c in self.chunks], dtype=np.int64)

    @cached_property
    def sentence_firsts(self) -> np.ndarray:
        """The first sentence row of each chunk row (where it would be, for one without)."""
        return np.cumsum(self.sentence_counts) - self.sentence_counts

    @cached_property
    def sentence_spans(self) -> list[tuple[int, int]]:
        """(first, end) sentence rows of each chunk row."""
        firsts = self.sentence_firsts.tolist()
        return [(first, first + count) for first, count in zip(firsts, self.sentence_counts.tolist())]

    @cached_property
    def sentence_starts(self) -> np.ndarray:
        """The first sentence row of each chunk that has sentences."""
        owners = self.sentence_owners
        return np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]]) if len(owners) else owners


def read_manifest(index_dir: Path) -> Manifest:
    path = Path(index_dir) / MANIFEST
    if not path.is_file():
        raise IndexMissing(f"no index at {index_dir} (run 'kbbot build')")
    try:
        return Manifest.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        raise IndexCorrupt(f"{path} cannot be read ({exc}); rebuild with 'kbbot build'") from None


def check_model(manifest: Manifest, model_sha256: str, where: Path) -> None:
    if manifest.format_version != FORMAT_VERSION:
        raise IndexMismatch(f"the index at {where} has format {manifest.format_version}, this "
                            f"version reads {FORMAT_VERSION}; rebuild with 'kbbot build'")
    if manifest.model_sha256 != model_sha256:
        raise IndexMismatch(f"the index at {where} was built with another model "
                            f"({manifest.model_name}, weights {manifest.model_sha256[:12]}); "
                            "rebuild with 'kbbot build'")


def write_index(index_dir: Path, manifest: Manifest, chunks: list[Chunk], articles: dict,
                chunk_vectors: np.ndarray, sentence_vectors: np.ndarray,
                lexical: LexicalIndex, scope: Scope) -> Path:
    import faiss

    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    final = index_dir.parent / f".{index_dir.name}-{manifest.index_version}"
    staging = index_dir.parent / f".{index_dir.name}-{uuid.uuid4().hex}.tmp"
    staging.mkdir()
    try:
        with open(staging / CHUNKS, "w", encoding="utf-8") as handle:
            for chunk in chunks:
                handle.write(json.dumps(chunk.to_json(), ensure_ascii=False) + "\n")
        (staging / ARTICLES).write_text(json.dumps(articles, ensure_ascii=False, indent=1), encoding="utf-8")
        np.save(staging / CHUNK_VECTORS, chunk_vectors)
        np.save(staging / SENTENCE_VECTORS, sentence_vectors)
        faiss.write_index(ann.build(chunk_vectors, manifest.faiss_kind), str(staging / FAISS_FILE))
        if manifest.faiss_kind != "flat":
            faiss.write_index(ann.build(sentence_vectors, manifest.faiss_kind), str(staging / SENTENCE_FAISS_FILE))
        lexical.save(staging / BM25_DIR)
        (staging / SCOPE).write_text(json.dumps(scope.subjects, ensure_ascii=False), encoding="utf-8")
        np.save(staging / SCOPE_VECTORS, scope.vectors)
        (staging / MANIFEST).write_text(json.dumps(manifest.to_json(), indent=1), encoding="utf-8")
        os.replace(staging, final)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_link(index_dir, final)
    _remove_old_versions(index_dir, keep=final)
    return final


def _swap_link(index_dir: Path, target: Path) -> None:
    if index_dir.exists() and not index_dir.is_symlink():
        # An index directory from before links were used: move it out of the way first.
        shutil.rmtree(index_dir)
    link = index_dir.parent / f".{index_dir.name}-{uuid.uuid4().hex}.link"
    os.symlink(target.name, link)
    os.replace(link, index_dir)


def _remove_old_versions(index_dir: Path, keep: Path) -> None:
    versions = sorted((p for p in index_dir.parent.glob(f".{index_dir.name}-*")
                       if p.is_dir() and not p.name.endswith(".tmp") and p != keep),
                      key=lambda p: p.stat().st_mtime, reverse=True)
    for old in versions[KEEP_OLD_VERSIONS:]:
        shutil.rmtree(old, ignore_errors=True)


def read_chunks(directory: Path) -> list[Chunk]:
    with open(directory / CHUNKS, encoding="utf-8") as handle:
        return [Chunk.from_json(json.loads(line)) for line in handle if line.strip()]


def load_index(index_dir: Path, model_sha256: str | None = None) -> IndexData:
    """Everything a bot needs, read from one version of the index."""
    import faiss

    directory = Path(os.path.realpath(index_dir))
    manifest = read_manifest(directory)
    if model_sha256 is not None:
        check_model(manifest, model_sha256, index_dir)
    try:
        chunks = read_chunks(directory)
        articles = json.loads((directory / ARTICLES).read_text(encoding="utf-8"))
        chunk_vectors = np.load(directory / CHUNK_VECTORS)
        sentence_vectors = np.load(directory / SENTENCE_VECTORS)
        faiss_index = faiss.read_index(str(directory / FAISS_FILE))
        sentence_index = (None if manifest.faiss_kind == "flat"
                          else faiss.read_index(str(directory / SENTENCE_FAISS_FILE)))
        lexical = LexicalIndex.load(directory / BM25_DIR)
        scope = (Scope(json.loads((directory / SCOPE).read_text(encoding="utf-8")), np.load(directory / SCOPE_VECTORS))
                 if (directory / SCOPE).exists() else Scope.empty(manifest.dimension))  # built before scope.yaml
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise IndexCorrupt(f"the index at {index_dir} is damaged ({exc}); rebuild with 'kbbot build'") from None
    if len(chunks) != manifest.chunk_count or faiss_index.ntotal != len(chunks) \
            or sentence_vectors.shape[0] != sum(len(c.sentences) for c in chunks) \
            or (sentence_index is not None and sentence_index.ntotal != sentence_vectors.shape[0]) \
            or len(scope.subjects) != scope.vectors.shape[0]:
        raise IndexCorrupt(f"the index at {index_dir} is inconsistent; rebuild with 'kbbot build'")
    owners = np.repeat(np.arange(len(chunks)), [len(c.sentences) for c in chunks])
    columns = (np.asfortranarray(np.vstack([chunk_vectors, sentence_vectors, scope.vectors]), dtype=np.float32)
               if manifest.faiss_kind == "flat" else None)
    return IndexData(directory, manifest, chunks, articles, chunk_vectors, sentence_vectors,
                     faiss_index, sentence_index, owners, lexical, scope, columns)
