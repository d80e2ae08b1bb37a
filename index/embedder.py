"""The only module that imports sentence-transformers (lazily): texts in, normalised
float32 vectors out."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .errors import ModelError
from .model import model_name, model_sha256, resolve_model_dir


class Embedder:
    def __init__(self, model_dir: Path | str | None = None, batch_size: int = 64):
        self.model_dir = resolve_model_dir(str(model_dir) if model_dir else None)
        self.name = model_name(self.model_dir)
        self.sha256 = model_sha256(self.model_dir)
        self.batch_size = batch_size
        self.encoded_count = 0  # texts encoded so far; tests use it to prove reuse
        self._model = None

    @property
    def model(self):
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise ModelError(f"sentence-transformers is not installed ({exc})") from None
            try:
                self._model = SentenceTransformer(str(self.model_dir), device="cpu",
                                                  local_files_only=True)
            except Exception as exc:  # a broken model dir fails in many library-specific ways
                raise ModelError(f"cannot load the model from {self.model_dir}: {exc}") from None
        return self._model

    @property
    def dimension(self) -> int:
        get = getattr(self.model, "get_embedding_dimension", None) or \
            self.model.get_sentence_embedding_dimension
        return int(get())

    def encode(self, texts: Sequence[str],
               on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        """Unit-length float32 vectors, one row per text. Texts are batched by length, so
        a batch is padded to similar lengths, not to its longest passage."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            rows = order[start:start + self.batch_size]
            out[rows] = self.model.encode([texts[i] for i in rows], batch_size=self.batch_size,
                                          normalize_embeddings=True, convert_to_numpy=True,
                                          show_progress_bar=False)
            self.encoded_count += len(rows)
            if on_batch:
                on_batch(len(rows))
        return out

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode([text])[0]
