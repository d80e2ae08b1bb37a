"""Pure question analysis: what a definition question asks about, what kind of section a
question wants, shorthand and typo repair."""
import pytest

from bot.analyze import Query, normalize
from bot.definition import defines, subject_of
from bot.intent import HeadingIndex, is_pair_question, wanted_headings
from bot.spelling import Speller


@pytest.mark.parametrize("question, subject", [
    ("what is modifier 59?", "modifier 59"),
    ("whats an ABN", "abn"),
    ("what does indicator 9 mean in ncci", "indicator 9"),
    ("what is a column 2 code", "column 2"),
    ("define upcoding", "upcoding"),
    ("what the 8-minute rule", "8-minute rule"),
    ("97763 what is it", "97763"),
    ("can someone explain modifier 59 simply", "modifier 59"),
    ("explain NCCI like im 5", "ncci"),
    ("for medicare, what is the KX threshold", "kx threshold"),
    ("KX modifier meaning", "kx modifier"),
    ("G0283 definition?", "g0283"),
    ("can i bill 97110 and 97530", None),
    ("is 97150 timed", None),
    ("what modifier for telehealth", None),
])
def test_subject_of_definition_questions(question, subject):
    assert subject_of(question) == subject


@pytest.mark.parametrize("sentence, subject, expected", [
    ("An Advance Beneficiary Notice of Noncoverage (ABN) is a written notice.", "abn", True),
    ("Modifier indicator 9: not applicable.", "indicator 9", True),
    ("CPT Category III codes are temporary codes.", "category iii", True),
    ("Always check the current quarter's file for indicator 9 changes.", "indicator 9", False),
])
def test_defining_sentences(sentence, subject, expected):
    assert defines(sentence, subject) is expected


def test_pair_questions_and_wanted_sections():
    pair = Query(text="can i bill 97530 and 97535 same day", normalized="", codes=("97530", "97535"))
    assert is_pair_question(pair)
    one = Query(text="what is 97535", normalized="", codes=("97535",))
    assert not is_pair_question(one)
    index = HeadingIndex(["What it covers", "Billing with other codes", "Units and billing", "Documentation"])
    assert index.rows(wanted_headings(pair)) == {1}
    units = Query(text="how many units for 38 min", normalized="")
    assert index.rows(wanted_headings(units)) == {2}


def test_shorthand_and_typos():
    assert normalize("38 min ther ex w/ NMR") == "38 minutes therapeutic exercise with neuromuscular re-education"
    speller = Speller(["Therapeutic exercise and neuromuscular re-education"])
    assert speller.correct("therapuetic excercise reeducation") == "therapeutic exercise re-education"
    assert speller.correct("97535 GP") == "97535 GP"


def test_a_list_item_defines_what_it_names():
    item = "The first letter of a HCPCS Level II code shows its section: L codes: orthotics and prosthetics."
    assert subject_of("what are L codes") == "l"
    assert defines(item, "l")
    assert not defines("Common errors: Billing an L code for the fitting again under 97760.", "l")


def test_bare_numbers_in_aliases_do_not_match_minutes():
    from bot.analyze import AliasTable
    table = AliasTable({"modifier-25": {"type": "modifier", "aliases": ["-25", "mod 25"]}})
    assert table.match("paraffin bath 25 mins") == []
    assert table.match("do I need mod 25 here") == [("mod 25", "modifier-25")]


def test_is_that_ok_wants_error_sections_unless_two_codes_go_together():
    index = HeadingIndex(["Common errors", "Billing with other codes", "What it covers"])
    single = Query(text="we always bill 97110 for walking, is that ok", normalized="", codes=("97110",))
    assert index.rows(wanted_headings(single)) == {0}
    pair = Query(text="massage and manual therapy same day, is that ok", normalized="", codes=("97124", "97140"))
    assert index.rows(wanted_headings(pair)) == {1}


def test_aliases_match_singular_and_plural_alike():
    from bot.analyze import AliasTable
    table = AliasTable({"rule-8-minute-rule": {"type": "rule", "aliases": ["units"]},
                        "cpt-supervised-modalities": {"type": "code", "aliases": ["hot pack"]}})
    assert [a for _, a in table.match("how long is a unit")] == ["rule-8-minute-rule"]
    assert [a for _, a in table.match("two hot packs")] == ["cpt-supervised-modalities"]


def test_timed_questions_want_the_units_sections():
    index = HeadingIndex(["What it covers", "Units and billing", "Documentation"])
    assert index.rows(wanted_headings(Query(text="is 97150 timed or untimed", normalized=""))) == {1}
