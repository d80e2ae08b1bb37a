"""Every quiz question the real kb/ yields, checked against the articles it cites."""
import re
from collections import Counter

import pytest

from index.articles import article_paths, load_article
from index.codes import find_codes
from learn.facts import units_for
from learn.questions import TIMED, UNTIMED
from learn.quiz import Curriculum, QuizError, score

from .conftest import KB_DIR


@pytest.fixture(scope="module")
def curriculum():
    return Curriculum.from_kb(KB_DIR)


@pytest.fixture(scope="module")
def articles():
    return {a.id: (a, meta) for a, meta, _ in (load_article(p) for p in article_paths(KB_DIR))}


def cited_text(articles, question):
    article, _ = articles[question.cite.article_id]
    return next(s.body for s in article.sections if s.anchor == question.cite.anchor)


def by_kind(curriculum, kind):
    found = [q for q in curriculum.questions if q.kind == kind]
    assert found, kind
    return found


def test_every_kind_is_there_and_ids_are_unique(curriculum):
    kinds = Counter(q.kind for q in curriculum.questions)
    assert set(kinds) == {"code", "modifier", "error", "timed", "units", "pair", "code-set"}
    ids = [q.id for q in curriculum.questions]
    assert len(ids) == len(set(ids))


def test_every_question_cites_a_real_section_that_states_its_explanation(curriculum, articles):
    for q in curriculum.questions:
        text = cited_text(articles, q)
        if q.kind != "units":
            first = q.explanation.split(" The NCCI-associated")[0]
            assert first in text, q.id
        assert q.answer not in q.wrong, q.id
        assert len(set(q.wrong)) == len(q.wrong) and len(q.wrong) >= 1, q.id
        assert all(a in articles for a in q.articles), q.id


def _about(articles, kind):
    return {a.id: a for a, _ in articles.values() if a.type == kind}


def test_code_questions_match_the_article_and_no_wrong_answer_is_also_right(curriculum, articles):
    codes = {a.codes[0]: a for a in _about(articles, "code").values() if len(a.codes) == 1}
    for q in by_kind(curriculum, "code"):
        code = q.id.split(":")[1]
        article = codes[code]
        meaning = article.title.split(" — ", 1)[1]
        assert code in cited_text(articles, q)
        assert (q.answer, q.id.endswith(":meaning")) in {(meaning, True), (code, False)}
        for wrong in q.wrong:
            other = codes[wrong] if wrong in codes else next(a for a in codes.values() if a.title.endswith(wrong))
            other_meaning = other.title.split(" — ", 1)[1]
            assert other.codes[0] != code and other_meaning.lower() != meaning.lower()
            assert meaning.lower() not in other_meaning.lower() and other_meaning.lower() not in meaning.lower()


def test_modifier_questions_never_offer_a_modifier_the_kb_groups_with_the_answer(curriculum, articles):
    groups = [set(a.modifiers) for a, _ in articles.values() if len(a.modifiers) > 1]
    assert {"59", "XE", "XS", "XP", "XU"} in groups
    mods = {a.modifiers[0]: a for a in _about(articles, "modifier").values() if len(a.modifiers) == 1}
    titles = {a.title.split(" — ", 1)[1]: m for m, a in mods.items()}
    for q in by_kind(curriculum, "modifier"):
        mod = q.id.split(":")[1]
        assert re.search(rf"\b{mod}\b", cited_text(articles, q))
        for wrong in q.wrong:
            other = wrong.removeprefix("Modifier ") if wrong.startswith("Modifier ") else titles[wrong]
            assert other != mod
            assert not any({mod, other} <= g for g in groups), (q.id, other)
            assert mods[other].id not in mods[mod].related and mods[mod].id not in mods[other].related
    xe = next(q for q in curriculum.questions if q.id == "modifier:XE:name")
    assert "Modifier 59" not in xe.wrong


def test_error_questions_keep_linked_errors_apart(curriculum, articles):
    errors = _about(articles, "error")
    for q in by_kind(curriculum, "error"):
        article = errors[q.id.split(":")[1]]
        for other in errors.values():
            if other.id != article.id and (other.id in article.related or article.id in other.related):
                name, meaning = other.title.split(" — ", 1)
                assert meaning not in q.wrong and name.split(" (")[0] not in q.wrong, (q.id, other.id)
    upcoding = next(q for q in curriculum.questions if q.id == "error:error-upcoding:name")
    assert "Billing for services not rendered" not in upcoding.wrong


def _codes_listed(text):
    """Codes and code ranges (97161–97163) named in a section."""
    found = set(find_codes(text))
    for low, high in re.findall(r"(\d{5})–(\d{5})", text):
        found.update(str(c) for c in range(int(low), int(high) + 1))
    return found


def test_timed_questions_agree_with_the_front_matter_and_the_timed_vs_untimed_article(curriculum, articles):
    concept, _ = articles["concept-timed-vs-untimed-codes"]
    timed_list = _codes_listed(next(s.body for s in concept.sections if s.heading == "Which codes are timed"))
    untimed_list = _codes_listed(next(s.body for s in concept.sections if s.heading == "Which codes are untimed"))
    questions = by_kind(curriculum, "timed")
    for q in questions:
        code = q.id.split(":")[1]
        article, meta = articles[q.cite.article_id]
        assert code in article.codes
        text = cited_text(articles, q).lower()
        if meta["timed"]:
            assert q.answer == TIMED and "15-minute units" in text and "untimed" not in text
            assert code in timed_list and code not in untimed_list
        else:
            assert q.answer == UNTIMED and "untimed" in text
            assert code in untimed_list and code not in timed_list
    assert {"97545", "97546", "97129"}.isdisjoint(q.id.split(":")[1] for q in questions)


def test_unit_answers_match_the_articles_unit_table(curriculum, articles):
    rule, _ = articles["rule-8-minute-rule"]
    table = next(s.body for s in rule.sections if s.heading == "Unit table")
    rows = {int(u): (int(lo), int(hi)) for u, lo, hi in re.findall(r"\|\s*(\d+)\s*\|\s*(\d+)\s*–\s*(\d+)\s*\|", table)}
    assert len(rows) == 8
    questions = by_kind(curriculum, "units")
    assert len(questions) == 120
    for q in questions:
        minutes = int(q.id.split(":")[1])
        units = next(u for u, (lo, hi) in rows.items() if lo <= minutes <= hi)
        assert q.answer == (f"{units} unit" + ("s" if units > 1 else "")) and units == units_for(minutes)
        assert f"{rows[units][0]} – {rows[units][1]}" in q.explanation
    assert [units_for(m) for m in (7, 8, 22, 23, 37, 38, 52, 53)] == [0, 1, 1, 2, 2, 3, 3, 4]


def test_pair_questions_put_the_modifier_on_the_column_2_code_stated_in_the_cited_sentence(curriculum, articles):
    questions = by_kind(curriculum, "pair")
    assert {q.id for q in questions} >= {"pair:97530-97535", "pair:97140-97530"}
    for q in questions:
        column1, column2 = q.id.split(":")[1].split("-")
        assert q.answer == column2 and q.wrong == (column1,)
        sentence = q.explanation.split(" The NCCI-associated")[0]
        assert "column 1" in sentence and "column 2" in sentence
        assert re.search(rf"{column1}\D*column 1", sentence) and re.search(rf"{column2}\D*column 2", sentence)
        for article, _ in articles.values():
            assert f"{column2} (column 1) / {column1} (column 2)" not in article.body
            assert f"{column2} is column 1 and {column1}" not in article.body


def test_code_set_answers_follow_the_shape_the_cited_article_states(curriculum, articles):
    shapes = {"CPT Category I": (r"\d{5}", "five-digit"), "CPT Category II": (r"\d{4}F", "four digits followed by the letter F"),
              "CPT Category III": (r"\d{4}T", "four digits followed by the letter T"),
              "HCPCS Level II": (r"[A-Z]\d{4}", "one letter followed by four digits")}
    for q in by_kind(curriculum, "code-set"):
        code = q.id.split(":")[1]
        pattern, wording = shapes[q.answer]
        assert re.fullmatch(pattern, code) and wording in q.explanation
        assert not any(re.fullmatch(shapes[w][0], code) for w in q.wrong)
    assert next(q for q in curriculum.questions if q.id == "code-set:T1013").answer == "HCPCS Level II"


def test_same_seed_same_quiz_and_kinds_are_mixed(curriculum):
    first = [i.to_json() for i in curriculum.quiz("new-coder", None, 14, 42)]
    assert first == [i.to_json() for i in curriculum.quiz("new-coder", None, 14, 42)]
    assert first != [i.to_json() for i in curriculum.quiz("new-coder", None, 14, 43)]
    assert len({i["kind"] for i in first}) == 7
    for item in first:
        assert 0 <= item["answer"] < len(item["options"]) and len(set(item["options"])) == len(item["options"])


def test_a_step_quiz_asks_only_about_its_articles(curriculum):
    step = curriculum.paths["new-coder"].step("modifiers")
    items = curriculum.quiz("new-coder", "modifiers", 50, 1)
    assert items and all(set(i.question.articles) & set(step.articles) for i in items)
    assert all(i.question.kind == "modifier" for i in items)


@pytest.mark.parametrize("kwargs, code", [
    ({"path_id": "nope"}, "unknown_path"), ({"path_id": "new-coder", "step_id": "nope"}, "unknown_step"),
    ({"step_id": "modifiers"}, "missing_path"), ({"n": 0}, "invalid_n"), ({"n": 51}, "invalid_n"),
    ({"seed": -1}, "invalid_seed"), ({"seed": 2**32}, "invalid_seed")])
def test_bad_quiz_requests(curriculum, kwargs, code):
    with pytest.raises(QuizError) as info:
        curriculum.quiz(**kwargs)
    assert info.value.code == code


def test_score_counts_unanswered_as_missed(curriculum):
    items = curriculum.quiz("therapy-biller", "units", 4, 3)
    right, missed = score(items, [items[0].answer, (items[1].answer + 1) % len(items[1].options)])
    assert right == 1 and missed == items[1:]


def test_loaded_ncci_tables_add_pair_questions_only_for_edits_in_force_with_indicator_1(ncci_db):
    """From the SYNTHETIC release of tests/ncci_synthetic.py: 97530/97535 and 97140/97530 are
    in force with indicator 1; the indicator-0, deleted, indicator-9 and not-yet-effective
    edits give no question."""
    from ncci.check import PairChecker

    with_tables = Curriculum.from_kb(KB_DIR, PairChecker(ncci_db))
    pairs = {q.id: q for q in with_tables.questions if q.kind == "pair"}
    assert set(pairs) >= {"pair:97530-97535", "pair:97140-97530"}
    assert not {"pair:97161-97140", "pair:97530-97116", "pair:97150-97110", "pair:97112-97750"} & set(pairs)
    table_question = pairs["pair:97530-97535"]
    assert table_question.answer == "97535" and table_question.wrong == ("97530",)
    assert "CMS NCCI PTP edits, practitioner, 2026Q2" in table_question.explanation
    assert table_question.cite.url == "/kb/rule-ncci-ptp-edits#column-1-and-column-2"
    ncci_step = with_tables.in_scope("new-coder", "ncci-edits")
    assert "pair:97530-97535" in {q.id for q in ncci_step}


def test_without_tables_pair_questions_come_from_the_articles_alone(tmp_path):
    from ncci.check import PairChecker

    without = Curriculum.from_kb(KB_DIR, PairChecker(tmp_path / "none.sqlite"))
    assert [q.id for q in without.questions] == [q.id for q in Curriculum.from_kb(KB_DIR).questions]
