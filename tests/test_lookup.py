"""Every code and modifier an article is about: a plain lookup cites that article first."""

import pytest

from index.articles import article_paths, load_article

from .conftest import KB_DIR


def lookups():
    cases = []
    for path in article_paths(KB_DIR):
        article, _, _ = load_article(path)
        if article.type not in ("code", "modifier"):
            continue
        for code in article.codes:
            cases.append(pytest.param(f"what is {code}?", article.id, id=f"{code}"))
        for modifier in article.modifiers:
            cases.append(pytest.param(f"what does modifier {modifier} mean?", article.id, id=f"mod-{modifier}"))
    return cases


@pytest.mark.parametrize("question, article_id", lookups())
def test_lookup_cites_the_article_about_it_first(bot, question, article_id):
    result = bot.ask(question)
    assert not result.abstained
    assert result.citations[0].article_id == article_id, [c.chunk_id for c in result.citations]
