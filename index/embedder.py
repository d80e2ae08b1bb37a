"""Texts in, normalised float32 vectors out, through the ONNX Runtime encoder (default)
or PyTorch. The backend is chosen lazily, on first use: with a checked ONNX export cached,
neither torch nor sentence-transformers is ever imported."""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from .errors import ModelError
from .model import model_name, model_sha256, resolve_model_dir

ENCODERS = ("onnx", "torch")
log = logging.getLogger(__name__)


class Embedder:
    def __init__(self, model_dir: Path | str | None = None, encoder: str = "onnx",
                 cache_dir: Path | str | None = None, batch_size: int = 64):
        if encoder not in ENCODERS:
            raise ModelError(f"unknown encoder {encoder!r}; choose one of {', '.join(ENCODERS)}")
        self.model_dir = resolve_model_dir(str(model_dir) if model_dir else None)
        self.name = model_name(self.model_dir)
        self.sha256 = model_sha256(self.model_dir)
        self.requested = encoder
        self.cache_dir = Path(cache_dir) if cache_dir else Path.home() / ".cache" / "kbbot" / "onnx"
        self.batch_size = batch_size
        self.encoded_count = 0  # texts encoded so far; tests use it to prove reuse
        self.fallback_reason = ""  # why the ONNX encoder was asked for but PyTorch is used
        self._backend = None

    @property
    def backend(self):
        if self._backend is None:
            self._backend = self._load_backend()
        return self._backend

    def _load_backend(self):
        from .torch_encoder import TorchEncoder

        if self.requested == "onnx":
            try:
                from .onnx_encoder import OnnxEncoder
                from .onnx_export import export_checked

                return OnnxEncoder(self.model_dir, export_checked(self.model_dir, self.sha256, self.cache_dir))
            except ModelError as exc:
                self.fallback_reason = str(exc)
                log.warning("using the PyTorch encoder: %s", exc)
        return TorchEncoder(self.model_dir)

    def prepare(self) -> None:
        """Export and check the ONNX encoder now (once, before server workers start), without
        loading it into this process."""
        if self.requested != "onnx" or self._backend is not None:
            return
        from .onnx_export import export_checked

        try:
            export_checked(self.model_dir, self.sha256, self.cache_dir)
        except ModelError as exc:
            log.warning("the ONNX encoder cannot be used; workers will use PyTorch: %s", exc)

    @property
    def encoder(self) -> str:
        """The encoder in use: 'onnx' or 'torch'."""
        return self.backend.name

    @property
    def dimension(self) -> int:
        return self.backend.dimension

    def encode(self, texts: Sequence[str],
               on_batch: Callable[[int], None] | None = None) -> np.ndarray:
        """Unit-length float32 vectors, one row per text. Texts are batched by length, so
        a batch is padded to similar lengths, not to its longest passage."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        batches = [order[start:start + self.batch_size] for start in range(0, len(order), self.batch_size)]
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        runs = min(len(batches), getattr(self.backend, "concurrent_runs", 1))
        with ThreadPoolExecutor(max_workers=runs) as pool:
            vectors = pool.map(lambda rows: self.backend.encode_batch([texts[i] for i in rows]), batches)
            for rows, batch_vectors in zip(batches, vectors):
                out[rows] = batch_vectors
                self.encoded_count += len(rows)
                if on_batch:
                    on_batch(len(rows))
        return out

    def encode_query(self, text: str) -> np.ndarray:
        self.encoded_count += 1
        return self.backend.encode_batch([text])[0]
