""""What is X?" questions: find X, and recognise a sentence that defines it
("An Advance Beneficiary Notice (ABN) is …", "Modifier indicator 9: …")."""
from __future__ import annotations

import re
from functools import lru_cache

_ASKS = re.compile(
    # an aside before the question: "im new, …", "can someone …"
    r"^\s*(?:[^,;:?]{1,40}[,;:]\s*|(?:can|could) (?:some ?one|somebody|anyone|you)\s+)?"
    r"(?:so\s+)?(?:(?:what(?:'s|s| is| are| does)|define|meaning of|explain)\s+(?:an?\s+|the\s+)?"
    r"|what\s+(?:an?|the)\s+)(?P<subject>.+?)"
    r"(?:\s+(?:mean|means|stand for|do|in (?:medical )?(?:billing|coding)|in ncci|code|codes"
    r"|simply|in plain english|like i'?m (?:5|five)))*\s*\??\s*$",
    re.I)
_MAX_SUBJECT_WORDS = 5


# "97763 what is it", "KX modifier meaning", "G0283 definition?"
_ASKS_AFTER = re.compile(
    r"^\s*(?P<subject>[\w/ -]+?)\s*[-,:?]*\s*(?:(?:what(?:'s|s| is| are| does))\s+(?:it|that|this|they)"
    r"(?:\s+mean)?|meaning|definition)\s*\??\s*$", re.I)


def subject_of(question: str) -> str | None:
    """The thing a definition question asks about, lower-cased, or None."""
    match = _ASKS.match(question) or _ASKS_AFTER.match(question)
    if not match:
        return None
    subject = re.sub(r"[^\w\s/-]", " ", match.group("subject").lower()).strip()
    subject = re.sub(r"\s+", " ", subject)
    if not subject or len(subject.split()) > _MAX_SUBJECT_WORDS:
        return None
    return subject


@lru_cache(maxsize=256)
def _definition_pattern(subject: str) -> re.Pattern:
    words = r"\s+".join(re.escape(w) for w in subject.split())
    return re.compile(rf"^[^.;]{{0,60}}?\b{words}s?\b\)?(?:\s*\([^)]*\))?(?:\s+[\w-]+)?\s*"
                      rf"(?:\b(?:is|are|means|stands for|refers to)\b|:)", re.I)


def defines(sentence: str, subject: str) -> bool:
    """Whether the sentence reads as a definition of subject: the subject near its
    start, then "is/are/means/stands for/refers to" or a colon. A list item carries its
    lead-in ("… shows its section: L codes: orthotics …"), so the item counts alone too."""
    if subject.split(None, 1)[0] not in sentence.lower():  # most sentences: no pattern run
        return False
    pattern = _definition_pattern(subject)
    _, lead_in, item = sentence.partition(": ")
    return bool(pattern.search(sentence) or (lead_in and pattern.search(item)))
