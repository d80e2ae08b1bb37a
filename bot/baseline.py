"""The pipeline a user would build from a RAG tutorial, kept as the yardstick for
`kbbot eval`: fixed 1000-character chunks with 200 overlap over each article's text, the
same model, FAISS top-k by inner product; no BM25, no entities, no abstention."""
from __future__ import annotations

import time
from dataclasses import dataclass


from index.embedder import Embedder

CHUNK_CHARS = 1000
OVERLAP_CHARS = 200


@dataclass(frozen=True)
class BaselineHit:
    article_id: str
    text: str
    score: float


def fixed_chunks(text: str, size: int = CHUNK_CHARS, overlap: int = OVERLAP_CHARS) -> list[str]:
    step = size - overlap
    return [text[start:start + size] for start in range(0, max(1, len(text) - overlap), step)]


class NaiveRAG:
    def __init__(self, articles: dict[str, dict], embedder: Embedder):
        import faiss

        self.embedder = embedder
        self.rows: list[tuple[str, str]] = []
        for article_id, meta in articles.items():
            for piece in fixed_chunks(f"{meta['title']}\n\n{meta['body']}"):
                self.rows.append((article_id, piece))
        vectors = embedder.encode([text for _, text in self.rows])
        self.index = faiss.IndexFlatIP(vectors.shape[1])
        self.index.add(vectors)

    def search(self, question: str, k: int = 5) -> tuple[list[BaselineHit], float]:
        started = time.perf_counter()
        vector = self.embedder.encode_query(question).reshape(1, -1)
        scores, rows = self.index.search(vector, min(k, len(self.rows)))
        hits = [BaselineHit(self.rows[r][0], self.rows[r][1], float(s)) for r, s in zip(rows[0], scores[0]) if r >= 0]
        return hits, (time.perf_counter() - started) * 1000
