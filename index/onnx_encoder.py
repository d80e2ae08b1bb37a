"""The ONNX Runtime encoder: the same weights exported to ONNX, run without torch.

Tokenise with the model's own fast tokenizer and run the exported graph, which ends with
what the sentence-transformers modules after the transformer do for this model: mean
pooling over the attention mask and L2 normalisation. The export (index/onnx_export.py)
checks the result against PyTorch, so a model this pipeline does not reproduce is refused,
not used."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Sequence

import numpy as np

from .errors import ModelError
from .model import window_size

ONNX_FILE = "model.onnx"
CHECK_FILE = "check.json"
INPUT_NAMES = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT_NAME = "sentence_embedding"


def mean_pooling_model(model_dir: Path) -> bool:
    """True when the model's sentence-transformers modules are mean pooling (+ Normalize)."""
    modules = json.loads((Path(model_dir) / "modules.json").read_text(encoding="utf-8"))
    for module in modules:
        if module.get("type", "").endswith("Pooling"):
            config = Path(model_dir) / module.get("path", "") / "config.json"
            settings = json.loads(config.read_text(encoding="utf-8")) if config.is_file() else {}
            mode = settings.get("pooling_mode") or ("mean" if settings.get("pooling_mode_mean_tokens") else "")
            return mode == "mean"
    return False


class OnnxEncoder:
    name = "onnx"

    def __init__(self, model_dir: Path, onnx_dir: Path, threads: int = 1):
        """One thread per run: a question's matrices are too small to gain much from a
        second (6.6 against 6.2 ms measured here), and the other core stays free for the
        question's text work (bot/engine.py) and the worker's other requests. Batches use every core by running side by side
        (`concurrent_runs`); an ORT session allows that."""
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as exc:
            raise ModelError(f"onnxruntime is not installed ({exc})") from None
        self.tokenizer = Tokenizer.from_file(str(Path(model_dir) / "tokenizer.json"))
        self.tokenizer.enable_truncation(window_size(model_dir))
        self.tokenizer.enable_padding()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        # Idle ORT threads would otherwise spin for a while after each run and starve the
        # BLAS and FAISS work that follows the encode on the same cores.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(str(Path(onnx_dir) / ONNX_FILE), options,
                                                    providers=["CPUExecutionProvider"])
        self.dimension = int(self.session.get_outputs()[0].shape[-1])
        self.concurrent_runs = max(1, (os.cpu_count() or 1) // threads)

    def encode_batch(self, texts: Sequence[str]) -> np.ndarray:
        # One text (a question) is tokenised holding the GIL: encode_batch releases it, and
        # getting it back can wait out another thread's whole switch interval.
        encodings = [self.tokenizer.encode(texts[0])] if len(texts) == 1 else self.tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        return self.session.run(None, {"input_ids": ids, "attention_mask": mask,
                                       "token_type_ids": np.zeros_like(ids)})[0]
