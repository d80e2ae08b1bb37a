"""Identifiers a coder might paste into a question are masked; codes and modifiers are not."""
import pytest

from web.masking import mask_identifiers


@pytest.mark.parametrize("text, expected", [
    ("Patient John Smith DOB 03/14/1952 had 97535 and 97116-59 today",
     "Patient [NAME] DOB [DATE] had 97535 and 97116-59 today"),
    ("pt Mary O'Neil, MRN: 00482913, seen 2024-01-05 for G0283 with GP and XU",
     "pt [NAME], MRN: [ID], seen [DATE] for G0283 with GP and XU"),
    ("Mrs. Garcia born January 5, 1948: can I bill 97110 -59 and 0001F?",
     "Mrs. [NAME] born [DATE]: can I bill 97110 -59 and 0001F?"),
    ("member ID W123456789 denied 97530 with modifier 59, call 555-867-5309",
     "member ID [ID] denied 97530 with modifier 59, call [PHONE]"),
    ("name: john smith, phone (212) 555-0199, email jdoe@example.org, SSN 123-45-6789",
     "name: [NAME], phone [PHONE], email [EMAIL], SSN [SSN]"),
    ("acct #A77-1234 billed 97140-XU and 97530 for Mr. lee on 3/2/24",
     "acct #[ID] billed 97140-XU and 97530 for Mr. [NAME] on [DATE]"),
    ("claim 4455667788 for 38 minutes of 97110 GP KX", "claim [ID] for 38 minutes of 97110 GP KX"),
])
def test_identifiers_are_masked(text, expected):
    assert mask_identifiers(text) == expected


@pytest.mark.parametrize("text", [
    "does 97535 need modifier 59 with gait training?",
    "what's the difference between modifier 91 and 76?",
    "PT Evaluation 97161 and 97110-GP-59 for the patient with claim 97535-59 denied",
    "how many units for 38 minutes of therapeutic exercise? G0283, 0001F, 1234T, -59, XE XS XP XU",
    "the patient had 97530 and 97140 on the same day",
])
def test_coding_questions_stay_readable(text):
    assert mask_identifiers(text) == text
