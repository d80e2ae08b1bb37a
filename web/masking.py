"""Mask the obvious patient identifiers in free text a coder typed, keep codes readable.

Masked: e-mail addresses, social security numbers, phone numbers, dates (of birth or of
service), labelled member / record / account / claim numbers, any run of six or more
digits, and names after "patient", "pt", "Mr.", "Mrs.", "Ms." or "name:". Kept: CPT and
HCPCS codes (97535, 0001F, G0283), modifiers (59, -59, XU, GP) and units or minutes.
This is a safety net for logs, not de-identification: a name typed with no cue before it,
a street address or a five-digit ZIP code (which looks like a CPT code) stays.
"""
from __future__ import annotations

import re

_MONTH = (r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?")
# Capitalised words with lower case in them: "PT" (physical therapy) or "XU" is not a name.
_NAME_WORD = r"(?:[A-Z][a-z'’\-]+(?:[A-Z][a-z'’\-]+)?|[A-Z]\.)"

# Order matters: specific shapes first, so a phone number is not eaten as a date.
_RULES = (
    ("[EMAIL]", re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")),
    ("[SSN]", re.compile(r"\b\d{3}-\d{2}-\d{4}\b")),
    ("[PHONE]", re.compile(r"(?:\+?1[\s.\-]?)?(?:\(\d{3}\)\s?|\b\d{3}[\s.\-])\d{3}[\s.\-]\d{4}\b")),
    ("[DATE]", re.compile(r"\b\d{1,4}[/\-.]\d{1,2}[/\-.]\d{2,4}\b")),
    ("[DATE]", re.compile(rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b", re.I)),
    ("[DATE]", re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+\d{{4}}\b", re.I)),
)
# A label, then the identifier: the label stays so the log still reads sensibly.
_LABELLED_ID = re.compile(
    r"\b((?:member|subscriber|policy|record|medical record|mrn|account|acct|claim|chart|patient|pt|"
    r"mbi|hicn)\s*(?:id|no\.?|num(?:ber)?|#)?\s*[:#]?\s*)"
    r"([A-Z0-9][A-Z0-9\-]{3,})\b", re.I)
_CODE_WITH_MODIFIERS = re.compile(r"(?:\d{5}|\d{4}[FT]|[A-Z]\d{4})(?:-[A-Z0-9]{2})*", re.I)
_LONG_NUMBER = re.compile(r"\b\d{6,}\b")
_TITLED_NAME = re.compile(r"\b((?:Mr|Mrs|Ms|Miss|Mx)\.?\s+)([A-Za-z][a-zA-Z'’\-]+(?:\s+[A-Z][a-zA-Z'’\-]+)?)")
_PATIENT_NAME = re.compile(rf"\b((?:[Pp]atient|[Pp]t\.?|PATIENT)(?:'s name is|\s+name)?:?\s+)({_NAME_WORD}(?:\s+{_NAME_WORD}){{0,2}})")
_NAME_LABEL = re.compile(r"\b((?:[Nn]ame|NAME)\s*:\s*)([A-Za-z][a-zA-Z'’\-]+(?:[ \t]+[A-Za-z][a-zA-Z'’\-]+){0,2})")


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def _mask_labelled(match: re.Match) -> str:
    value = match.group(2)
    # "patient 97535"? A bare five-digit code after a label is a code, not an id.
    if not _has_digit(value) or _CODE_WITH_MODIFIERS.fullmatch(value):
        return match.group(0)
    return match.group(1) + "[ID]"


def mask_identifiers(text: str) -> str:
    """`text` with names, dates, phone, record and member numbers replaced by [NAME],
    [DATE], [PHONE], [ID]…; codes and modifiers unchanged."""
    for token, pattern in _RULES:
        text = pattern.sub(token, text)
    text = _LABELLED_ID.sub(_mask_labelled, text)
    text = _LONG_NUMBER.sub("[ID]", text)
    text = _TITLED_NAME.sub(lambda m: m.group(1) + "[NAME]", text)
    text = _PATIENT_NAME.sub(lambda m: m.group(1) + "[NAME]", text)
    text = _NAME_LABEL.sub(lambda m: m.group(1) + "[NAME]", text)
    return text
