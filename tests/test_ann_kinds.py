"""The approximate FAISS kinds answer through the same bot: on a corpus this small their
search is exhaustive in effect, so every kind must cite what the exact (flat) kind cites."""
import pytest

from bot.engine import Bot
from index.build import build_index

from .conftest import write_small_kb

QUESTIONS = [
    "does 97535 need modifier 59 with gait training?",
    "what is modifier 59",
    "how many units of gait training for 20 minutes",
    "can I bill self care and gait training same day",
]


@pytest.fixture(scope="module")
def bots(tmp_path_factory, embedder):
    kb = write_small_kb(tmp_path_factory.mktemp("kinds") / "kb")
    out = {}
    for kind in ("flat", "hnsw", "ivf"):
        index_dir = kb.parent / f"index-{kind}"
        build_index(kb, index_dir, embedder, faiss_kind=kind)
        out[kind] = Bot.from_index(index_dir, embedder)
    return out


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
@pytest.mark.parametrize("question", QUESTIONS)
def test_approximate_kinds_cite_what_flat_cites(bots, kind, question):
    exact, approximate = bots["flat"].ask(question), bots[kind].ask(question)
    assert approximate.index_version != exact.index_version
    assert approximate.abstained == exact.abstained
    assert [c.url for c in approximate.citations] == [c.url for c in exact.citations]
    assert [c.score for c in approximate.citations] == pytest.approx([c.score for c in exact.citations], abs=1e-5)
    assert approximate.answer == exact.answer
