import pytest

from index.codes import find_codes, find_modifiers, is_code, is_modifier


@pytest.mark.parametrize("text, codes", [
    ("does 97535 need modifier 59", ["97535"]),
    ("bill 97110 and 97530 same day?", ["97110", "97530"]),
    ("category II code 2000F", ["2000F"]),
    ("category III 0791T", ["0791T"]),
    ("what replaced 97014? g0283", ["97014", "G0283"]),
    ("97530-59 on the claim", ["97530"]),
    ("38 minutes of ther ex in 2026", []),
    ("12.5 units over 2 days", []),
])
def test_codes_found_in_text(text, codes):
    assert find_codes(text) == codes


@pytest.mark.parametrize("text, modifiers", [
    ("does 97535 need modifier 59 with gait training?", ["59"]),
    ("mod 59 on 97140", ["59"]),
    ("is the 59 modifier needed", ["59"]),
    ("append -59 to the second code", ["59"]),
    ("97530-59 and 97535", ["59"]),
    ("XU or 59?", ["XU", "59"]),
    ("59/XS on the second line", ["59", "XS"]),
    ("XE and 60 minutes", ["XE"]),
    ("which modifier do i use for telehealth, 95 or GT", ["95", "GT"]),
    ("do I need a modifier for 25 minutes of 97110", []),
    ("is a modifier needed when 97530 and 97535 are billed", []),
    ("what does GP mean", ["GP"]),
    ("modifier 91 vs 76", ["91", "76"]),
    ("modifiers 25 and 59", ["25", "59"]),
    ("Mod XE for a separate encounter", ["XE"]),
    ("what is modifier GO", ["GO"]),
    ("when does KX apply", ["KX"]),
    ("can I go home", []),
    ("26 minutes of manual therapy", []),
    ("what is the 8-minute rule", []),
])
def test_modifiers_in_the_ways_coders_write_them(text, modifiers):
    assert find_modifiers(text) == modifiers


@pytest.mark.parametrize("value, ok", [("97535", True), ("2000F", True), ("0791T", True), ("G0283", True),
                                       ("9753", False), ("97535X", False), ("g0283", False), ("ABCDE", False)])
def test_code_shape(value, ok):
    assert is_code(value) is ok


@pytest.mark.parametrize("value, ok", [("59", True), ("XU", True), ("GP", True), ("5", False), ("591", False)])
def test_modifier_shape(value, ok):
    assert is_modifier(value) is ok


def test_short_ranges_hold_every_code_between_their_ends():
    from index.codes import codes_in_ranges
    assert codes_in_ranges("CMT (98940–98942) and 97161 - 97163") == [
        "98940", "98941", "98942", "97161", "97162", "97163"]
    assert codes_in_ranges("the PM&R section 97010–97799") == []   # a section, not a family
    assert codes_in_ranges("8–22 minutes is 1 unit") == []
