"""Shared fixtures: the real model, a real index built once over the real kb/, the real app."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.engine import Bot
from index.build import build_index
from index.embedder import Embedder
from index.model import TokenCounter, packaged_model_dir
from ncci.check import PairChecker
from web import create_app
from web.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
KB_DIR = ROOT / "kb"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The session's build folder: the index and, beside it, the encoder cache (as `serve` lays them out)."""
    return tmp_path_factory.mktemp("built")


@pytest.fixture(scope="session")
def encoder_cache(built) -> Path:
    return built / "encoders"


@pytest.fixture(scope="session")
def embedder(encoder_cache) -> Embedder:
    """The default encoder (ONNX Runtime), exported and checked once for the session."""
    return Embedder(encoder="onnx", cache_dir=encoder_cache)


@pytest.fixture(scope="session")
def token_counter() -> TokenCounter:
    return TokenCounter(packaged_model_dir())


@pytest.fixture(scope="session")
def index_dir(built, embedder) -> Path:
    path = built / "index"
    build_index(KB_DIR, path, embedder)
    return path


@pytest.fixture(scope="session")
def settings(index_dir) -> Settings:
    # No rate limit: the whole session is one client; tests/test_limits.py checks the limit.
    return Settings.from_env(environ={}, index_dir=str(index_dir), kb_dir=str(KB_DIR), auto_build="0",
                             rate_limit="0")


@pytest.fixture(scope="session")
def bot(index_dir, embedder, settings) -> Bot:
    """The bot as `kbbot serve` builds it: its pair checker points at an NCCI database
    beside the index that no test imports into (so pair questions say "not checked")."""
    return Bot.from_index(index_dir, embedder, PairChecker(settings.ncci_path))


@pytest.fixture(scope="session")
def ncci_db(tmp_path_factory) -> Path:
    """An NCCI database holding the SYNTHETIC release of tests/ncci_synthetic.py."""
    from ncci.reader import table_files
    from ncci.store import import_files

    from .ncci_synthetic import synthetic_release

    folder = tmp_path_factory.mktemp("ncci")
    import_files(folder / "ncci.sqlite", table_files(synthetic_release(folder / "release")))
    return folder / "ncci.sqlite"


@pytest.fixture(scope="session")
def ncci_bot(bot, ncci_db) -> Bot:
    """The session bot's index and model, with the synthetic NCCI tables loaded."""
    return Bot(bot.data, bot.embedder, PairChecker(ncci_db))


@pytest.fixture(scope="session")
def app(settings, bot):
    return create_app(settings, bot=bot)


@pytest.fixture()
def client(app):
    return app.test_client()


def write_small_kb(kb: Path) -> Path:
    """Three real articles with their `related` links cut."""
    for name in ("codes/cpt-97535.md", "codes/cpt-97116.md", "modifiers/modifier-59.md"):
        target = kb / name
        target.parent.mkdir(parents=True, exist_ok=True)
        text = (KB_DIR / name).read_text(encoding="utf-8")
        lines = [("related: []" if line.startswith("related:") else line) for line in text.splitlines()]
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return kb


@pytest.fixture()
def small_kb(tmp_path) -> Path:
    """The small knowledge base, for build tests that edit files."""
    return write_small_kb(tmp_path / "kb")


def write_article(path: Path, front_matter: str, body: str = "## What it covers\nSome text.\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front_matter.strip()}\n---\n{body}", encoding="utf-8")
    return path


@pytest.fixture()
def copy_index(tmp_path, index_dir):
    """A private copy of the session index, for tests that damage it."""
    def make() -> Path:
        target = tmp_path / "copied-index"
        shutil.copytree(index_dir.resolve(), target)
        return target
    return make
