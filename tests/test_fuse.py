"""Fusion and diversity maths on small hand-made rankings."""
from bot.fuse import demote, diversify, ranked, reciprocal_rank_fusion


def test_rrf_rewards_agreement_between_signals():
    fused = reciprocal_rank_fusion({}, [[(1, 0.9), (2, 0.8)], [(2, 5.0), (3, 4.0)]], k=60)
    assert ranked(fused) == [2, 1, 3]
    assert fused[2] == 1 / 62 + 1 / 61
    assert 0 not in fused and 4 not in fused


def test_rrf_weights():
    fused = reciprocal_rank_fusion({}, [[(1, 0)], [(2, 0)]], weights=[1.0, 2.0])
    assert ranked(fused) == [2, 1]


def test_a_fusion_continues_from_an_earlier_one_without_changing_it():
    earlier = reciprocal_rank_fusion({}, [[(1, 0)]])
    fused = reciprocal_rank_fusion(earlier, [[(2, 0), (1, 0)]])
    assert fused[1] == 1 / 61 + 1 / 62 and fused[2] == 1 / 61
    assert earlier == {1: 1 / 61}


def test_ties_are_ranked_by_row():
    fused = reciprocal_rank_fusion({}, [[(5, 0)], [(3, 0)]])
    assert ranked(fused) == [3, 5]


def test_demote_reorders_and_leaves_rows_no_ranking_holds_out():
    fused = {1: 1.0, 2: 0.8}
    demote(fused, {1, 7}, 0.5)
    assert fused == {1: 0.5, 2: 0.8}
    assert ranked(fused) == [2, 1]


def test_diversify_covers_each_entity_and_caps_articles():
    article_of = {1: "a", 2: "a", 3: "a", 4: "b", 5: "c"}
    fused = {1: 0.9, 2: 0.8, 3: 0.7, 4: 0.6, 5: 0.5}
    rows = diversify(ranked(fused), fused, [[(5, 0.1)], [(4, 0.2)]], article_of, top_k=4, per_article=2)
    assert set(rows[:2]) == {4, 5}          # each entity's evidence leads
    assert rows[:2] == [4, 5]                # in fused order
    assert rows[2:] == [1, 2]                # then fused order, article "a" capped at 2
    assert len(rows) == 4


def test_entity_rows_no_ranking_holds_lead_after_the_others_in_their_own_order():
    article_of = {1: "a", 2: "b", 3: "c", 4: "d"}
    fused = {1: 0.9}
    rows = diversify(ranked(fused), fused, [[(4, 0.1)], [(1, 0.2)], [(2, 0.3)]], article_of, top_k=4)
    assert rows == [1, 4, 2]


def test_diversify_clamps_to_what_exists():
    fused = {1: 1.0}
    assert diversify(ranked(fused), fused, [], {1: "a"}, top_k=10) == [1]
