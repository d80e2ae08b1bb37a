"""Settings → a ready Bot: check the index against kb/ and the model, rebuild or refuse."""
from __future__ import annotations

from typing import Callable

from bot.engine import Bot
from index.build import build_index, staleness
from index.embedder import Embedder
from index.errors import IndexMismatch
from ncci.check import PairChecker

from .settings import Settings


def ensure_index(settings: Settings, embedder: Embedder, progress: Callable | None = None):
    """Rebuild the index when it is missing or stale and auto_build is on; otherwise
    refuse a stale one. Returns the build report, or None when nothing was built."""
    reason = staleness(settings.kb_dir, settings.index_dir, embedder.sha256, settings.faiss_index)
    if reason is None:
        return None
    if not settings.auto_build:
        raise IndexMismatch(f"the index at {settings.index_dir} is out of date ({reason}); "
                            "run 'kbbot build' or set KBBOT_AUTO_BUILD=1")
    return build_index(settings.kb_dir, settings.index_dir, embedder, progress, settings.faiss_index)


def make_embedder(settings: Settings) -> Embedder:
    """The configured encoder; an ONNX export is cached beside the index directory."""
    return Embedder(settings.model or None, settings.encoder, settings.index_dir.parent / "encoders")


def load_bot(settings: Settings, progress: Callable | None = None) -> Bot:
    embedder = make_embedder(settings)
    ensure_index(settings, embedder, progress)
    bot = Bot.from_index(settings.index_dir, embedder, PairChecker(settings.ncci_path))
    embedder.encode_query("warm up")  # load the weights now, not during the first question
    return bot
