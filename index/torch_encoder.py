"""The PyTorch encoder: the model through sentence-transformers. The reference the ONNX
encoder is checked against, and the fallback when ONNX Runtime cannot be used. The only
module that imports sentence-transformers (and so torch)."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np

from .errors import ModelError


class TorchEncoder:
    name = "torch"

    def __init__(self, model_dir: Path):
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError(f"sentence-transformers is not installed ({exc})") from None
        try:
            self.model = SentenceTransformer(str(model_dir), device="cpu", local_files_only=True)
        except Exception as exc:  # a broken model dir fails in many library-specific ways
            raise ModelError(f"cannot load the model from {model_dir}: {exc}") from None
        get = getattr(self.model, "get_embedding_dimension", None) or \
            self.model.get_sentence_embedding_dimension
        self.dimension = int(get())

    def encode_batch(self, texts: Sequence[str]) -> np.ndarray:
        return self.model.encode(list(texts), batch_size=max(1, len(texts)), normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False).astype(np.float32)
