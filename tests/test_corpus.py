"""The corpus covers every code and modifier the knowledge-base plan names."""
from collections import Counter

from index.articles import article_paths, load_article

from .conftest import KB_DIR

PLANNED_CODES = """97110 97112 97113 97116 97124 97140 97150 97530 97533 97535 97537 97542 97545 97546
97750 97755 97760 97761 97763 97161 97162 97163 97164 97165 97166 97167 97168 97010 97012 97014
97016 97018 97022 97024 97026 97028 97032 97033 97034 97035 97036 97039 G0283 97129 97130""".split()
PLANNED_MODIFIERS = "59 XE XS XP XU 25 91 76 77 22 52 51 50 RT LT GP GO GN KX CQ CO GA GY GZ".split()
PLANNED_TOPICS = """error-upcoding error-undercoding error-unbundling error-incorrect-procedure-code
error-inappropriate-modifiers error-modifier-22-overuse error-modifier-59-misuse error-cloned-documentation
error-duplicate-billing error-services-not-rendered concept-cpt concept-cpt-category-i concept-cpt-category-ii
concept-cpt-category-iii concept-hcpcs-level-ii-vs-cpt concept-icd-10-cm-and-procedure-codes rule-ncci-ptp-edits
rule-medically-unlikely-edits concept-timed-vs-untimed-codes rule-8-minute-rule rule-one-on-one-vs-group-therapy
rule-plan-of-care-medical-necessity rule-kx-threshold rule-therapy-assistants-cq-co concept-claim-denials
concept-pmr-97110-97546-overview modifier-59-or-x-guide""".split()


def articles():
    return [load_article(path)[0] for path in article_paths(KB_DIR)]


def test_every_planned_code_and_modifier_has_an_article_about_it():
    about_codes = {c for a in articles() if a.type == "code" for c in a.codes}
    about_modifiers = {m for a in articles() if a.type in ("modifier", "rule") for m in a.modifiers}
    assert set(PLANNED_CODES) - about_codes == set()
    assert set(PLANNED_MODIFIERS) - about_modifiers == set()


def test_every_planned_topic_has_its_article():
    ids = {a.id for a in articles()}
    assert set(PLANNED_TOPICS) - ids == set()


def test_each_article_has_sources_a_review_date_and_aliases():
    for article in articles():
        assert len(article.sources) >= 2, article.id
        assert article.reviewed, article.id
        assert article.aliases, article.id


def test_overview_links_every_code_of_the_range():
    overview = next(a for a in articles() if a.id == "concept-pmr-97110-97546-overview")
    range_codes = "97110 97112 97113 97116 97124 97140 97150 97530 97533 97535 97537 97542 97545 97546".split()
    assert {f"cpt-{c}" for c in range_codes} <= set(overview.related)


def test_article_counts_by_type():
    counts = Counter(a.type for a in articles())
    assert counts["code"] >= 30 and counts["modifier"] >= 20 and counts["error"] >= 10
    assert counts["rule"] + counts["concept"] >= 16
