"""Fusion and diversity maths on small hand-made rankings."""
from bot.fuse import demote, diversify, reciprocal_rank_fusion


def test_rrf_rewards_agreement_between_signals():
    fused = reciprocal_rank_fusion([[(1, 0.9), (2, 0.8)], [(2, 5.0), (3, 4.0)]], k=60)
    assert [row for row, _ in fused] == [2, 1, 3]
    assert fused[0][1] == 1 / 62 + 1 / 61


def test_rrf_weights():
    fused = reciprocal_rank_fusion([[(1, 0)], [(2, 0)]], weights=[1.0, 2.0])
    assert fused[0][0] == 2


def test_demote_reorders():
    assert [r for r, _ in demote([(1, 1.0), (2, 0.8)], {1}, 0.5)] == [2, 1]


def test_diversify_covers_each_entity_and_caps_articles():
    article_of = {1: "a", 2: "a", 3: "a", 4: "b", 5: "c"}
    fused = [(1, 0.9), (2, 0.8), (3, 0.7), (4, 0.6), (5, 0.5)]
    rows = diversify(fused, [[(5, 0.1)], [(4, 0.2)]], article_of, top_k=4, per_article=2)
    assert set(rows[:2]) == {4, 5}          # each entity's evidence leads
    assert rows[:2] == [4, 5]                # in fused order
    assert rows[2:] == [1, 2]                # then fused order, article "a" capped at 2
    assert len(rows) == 4


def test_diversify_clamps_to_what_exists():
    assert diversify([(1, 1.0)], [], {1: "a"}, top_k=10) == [1]
