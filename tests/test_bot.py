"""Integration: the real model and the real FAISS index over kb/."""
import re

import pytest

CITE = re.compile(r"\[(\d+)\]")


def test_acceptance_question_cites_97535_and_modifier_59(bot):
    result = bot.ask("does 97535 need modifier 59 with gait training?")
    assert not result.abstained
    assert result.entities == {"codes": ["97535", "97116"], "modifiers": ["59"]}
    first = [c.article_id for c in result.citations[:3]]
    assert "cpt-97535" in first and "modifier-59" in first
    for citation in result.citations:
        assert citation.url == f"/kb/{citation.article_id}#{citation.url.split('#')[1]}"
        assert citation.snippet


@pytest.mark.parametrize("question", [
    "what will the weather be in Paris tomorrow?",
    "recipe for chocolate chip cookies",
    "who won the world cup in 2018",
    "how do I reset my email password",
])
def test_off_topic_questions_are_declined(bot, question):
    result = bot.ask(question)
    assert result.abstained
    assert result.citations == []
    assert "does not cover" in result.answer and "It covers" in result.answer


def test_unknown_code_is_declined(bot):
    result = bot.ask("what is 33533?")
    assert result.abstained
    assert "33533" in result.reason


@pytest.mark.parametrize("question, article", [
    ("gait training units", "cpt-97116"),
    ("what is ther ex", "cpt-97110"),
    ("how many units for 38 minutes of therapeutic exercise", "rule-8-minute-rule"),
    ("what does modifier XU mean", "modifier-xu"),
    ("what is upcoding", "error-upcoding"),
    ("what are category II codes", "concept-cpt-category-ii"),
    ("what is modifier 22", "modifier-22"),
])
def test_plain_questions_find_their_article(bot, question, article):
    result = bot.ask(question)
    assert not result.abstained
    assert article in [c.article_id for c in result.citations[:2]], [c.chunk_id for c in result.citations]


def test_each_code_and_modifier_of_a_pair_question_gets_its_own_evidence(bot):
    result = bot.ask("can I bill 97530 and 97140 together with mod 59?")
    cited = [c.article_id for c in result.citations]
    for article in ("cpt-97530", "cpt-97140", "modifier-59"):
        assert article in cited


def test_every_marker_points_at_a_citation_and_every_sentence_has_one(bot):
    for question in ("does 97535 need modifier 59 with gait training?", "what is the 8 minute rule",
                     "difference between modifier 91 and 76", "what is unbundling"):
        result = bot.ask(question)
        numbers = {c.n for c in result.citations}
        lines = [line for line in result.answer.splitlines() if line.strip()]
        assert lines
        for line in lines:
            markers = CITE.findall(line)
            assert markers, line
            assert {int(m) for m in markers} <= numbers
            sentence = CITE.sub("", line).lstrip("- ").strip()
            cited = result.citations[int(markers[-1]) - 1]
            assert sentence in bot.chunk_sentences(cited.chunk_id)


def test_top_k_is_clamped_and_respected(bot):
    assert len(bot.ask("what is modifier 25", top_k=2).citations) == 2
    assert len(bot.search("modifier 25", k=500)) == 20
