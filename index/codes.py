"""Code and modifier patterns, shared by the linter, the chunker and the bot.

CPT Category I: five digits; Category II/III: four digits then F or T; HCPCS Level II:
one letter then four digits. Modifiers are two characters: two digits (CPT) or
letters/alphanumerics (HCPCS Level II).
"""
from __future__ import annotations

import re

CODE_RE = re.compile(r"^(?:\d{5}|\d{4}[FT]|[A-Z]\d{4})$")
MODIFIER_RE = re.compile(r"^[A-Z0-9]{2}$")

_CODE_IN_TEXT = re.compile(r"(?<![\w.$])(\d{5}|\d{4}[FfTt]|[A-Za-z]\d{4})(?![\w])")

# HCPCS Level II and CPT modifiers a coder names by letters alone ("XU", "GP").
# Letter-only pairs are common English words ("GO", "CO"), so in free text these count
# only beside the word "modifier" unless they are unambiguous (the X{EPSU} set, KX, GP...).
LETTER_MODIFIERS = frozenset(
    "XE XS XP XU GP GO GN KX CQ CO GA GY GZ RT LT TC FA F1 F2 F3 F4 F5 F6 F7 F8 F9 "
    "TA T1 T2 T3 T4 T5 T6 T7 T8 T9 E1 E2 E3 E4 LC LD RC LM RI QW JW JZ GT GQ FQ GX".split()
)
# Written alone (no "modifier" beside them) only these are read as modifiers: the rest
# are also English words ("GO", "CO") or could be anything ("T1", "26").
_STANDALONE = frozenset("XE XS XP XU GP GN KX CQ GY GZ RT LT".split())

_MOD = r"([A-Za-z0-9]{2})"
_MODIFIER_PATTERNS = (
    re.compile(r"\b(?:modifiers?|mods?|mod\.)\s*[-#:]?\s*" + _MOD + r"\b", re.I),
    re.compile(r"\b" + _MOD + r"\s*-?\s*modifiers?\b", re.I),
    # "97535-59", "97110-GP": a modifier glued to a code
    re.compile(r"\b(?:\d{5}|\d{4}[FT]|[A-Z]\d{4})-" + _MOD + r"\b", re.I),
    # " -59" standing alone
    re.compile(r"(?:^|[\s(,/])-(\d{2})\b"),
)
# "modifiers 59 and 25", "modifier 59 or XU"
_MODIFIER_LIST = re.compile(
    r"\bmod(?:ifier)?s?\s+([A-Za-z0-9]{2}(?:\s*(?:,|/|and|or|vs\.?|versus)\s*-?[A-Za-z0-9]{2}\b)+)", re.I
)
# CPT's two-digit modifiers; a bare number counts only when joined to a modifier already
# found ("XU or 59", "59/XS"), never alone ("59 minutes").
CPT_MODIFIERS = frozenset(
    "22 23 24 25 26 27 32 33 47 50 51 52 53 54 55 56 57 58 59 62 63 66 73 74 76 77 78 79 "
    "80 81 82 90 91 92 95 96 97 99".split()
)
_JOINED = re.compile(r"\b([A-Za-z0-9]{2})\s*(?:or|vs\.?|versus|and|/|,|&)\s*-?([A-Za-z0-9]{2})\b", re.I)
_MODIFIER_WORD = re.compile(r"\bmod(?:ifier)?s?\b", re.I)
# In a question about modifiers, "95 or GT" names modifiers even away from the word;
# a number followed by a unit ("25 minutes") never does.
_LOOSE = re.compile(r"(?<![\w.$-])(\d{2}|[A-Z][A-Z0-9])(?![\w.%]|\s*(?:min|minute|unit|hour|hr|day|visit|percent|%|dollar))")
_STANDALONE_RE = re.compile(r"\b(" + "|".join(sorted(_STANDALONE)) + r")\b")


def is_code(text: str) -> bool:
    return bool(CODE_RE.match(text))


def is_modifier(text: str) -> bool:
    return bool(MODIFIER_RE.match(text))


def is_bare_number(text: str) -> bool:
    """"-25", "59": a number too short to be a code; as an alias it would also match
    "25 minutes" (modifiers written "-25" are found by find_modifiers)."""
    return bool(re.fullmatch(r"\W*\d{1,4}\W*", text))


def _ordered_unique(items):
    return list(dict.fromkeys(items))


def find_codes(text: str) -> list[str]:
    """CPT/HCPCS codes in free text, upper-cased, in order of appearance."""
    found = []
    for match in _CODE_IN_TEXT.finditer(text):
        code = match.group(1).upper()
        if code[0].isdigit() or code[0] in "ABCDEGHJKLMPQRSTVU":
            found.append(code)
    return _ordered_unique(found)


_RANGE_IN_TEXT = re.compile(r"(?<![\w.$])(\d{5})\s*[–-]\s*(\d{5})(?!\w)")
MAX_RANGE = 20  # "98940–98942", "97032–97039"; a wider span is a section, not a family


def codes_in_ranges(text: str) -> list[str]:
    """Every code of the short numeric ranges in free text ("CMT (98940–98942)" holds
    98941), endpoints included."""
    found = []
    for match in _RANGE_IN_TEXT.finditer(text):
        first, last = int(match.group(1)), int(match.group(2))
        if 0 < last - first <= MAX_RANGE and match.group(1)[:3] == match.group(2)[:3]:
            found.extend(str(code) for code in range(first, last + 1))
    return _ordered_unique(found)


def _valid_modifier(token: str) -> str | None:
    token = token.upper()
    if token.isdigit() or token in LETTER_MODIFIERS:
        return token
    return None


def find_modifiers(text: str) -> list[str]:
    """Modifiers written the ways coders write them: 'modifier 59', 'mod 59', '-59',
    '59 modifier', '97535-59', and the letter modifiers such as XU or GP."""
    hits: list[tuple[int, str]] = []
    for pattern in _MODIFIER_PATTERNS:
        for match in pattern.finditer(text):
            mod = _valid_modifier(match.group(1))
            if mod:
                hits.append((match.start(1), mod))
    for match in _MODIFIER_LIST.finditer(text):
        for token in re.findall(r"[A-Za-z0-9]{2}\b", match.group(1)):
            mod = _valid_modifier(token)
            if mod and token.lower() not in {"an", "or"}:
                hits.append((match.start(1) + match.group(1).find(token), mod))
    for match in _STANDALONE_RE.finditer(text):
        hits.append((match.start(1), match.group(1)))
    if _MODIFIER_WORD.search(text):
        for match in _LOOSE.finditer(text):
            token = match.group(1)
            if token in CPT_MODIFIERS or token in LETTER_MODIFIERS:
                hits.append((match.start(1), token))
    found = {mod for _, mod in hits}
    for match in _JOINED.finditer(text):
        left, right = match.group(1).upper(), match.group(2).upper()
        for mine, other, position in ((left, right, match.start(1)), (right, left, match.start(2))):
            if other in found and (mine in CPT_MODIFIERS or mine in LETTER_MODIFIERS):
                hits.append((position, mine))
    return _ordered_unique(mod for _, mod in sorted(hits))
