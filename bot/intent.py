"""What kind of section a question wants. A coder asking about a pair wants the "Billing
with other codes" section, one asking "how many units" the units section; the articles
use the same headings everywhere (kb/README.md), so the heading says what a section is."""
from __future__ import annotations

import re

from .analyze import Query

_PAIR_WORDS = re.compile(r"same (?:day|visit|date|session|encounter)|together|\bboth\b|\bwith\b|\+|\band\b", re.I)
_INTENTS = (
    # (question pattern, heading pattern)
    (re.compile(r"how many units|\bunits?\b|\bmin(?:ute)?s?\b|\d+\s*min|\b(?:un)?timed\b", re.I),
     re.compile(r"unit|minute|worked example|assigning|time", re.I)),
    (re.compile(r"\bdocument|\bnote|\bchart|\brecord", re.I), re.compile(r"documentation", re.I)),
    (re.compile(r"\bfix|correct(?:ed)? claim|resubmit|reopen|send it again|appeal", re.I),
     re.compile(r"fix|correct|appeal|resubmi|what to do", re.I)),
    (re.compile(r"penalt|fraud|audit|why (?:does it|it) matter|risk|recoup", re.I),
     re.compile(r"why it matters|fraud|risk|audit", re.I)),
    (re.compile(r"when (?:should|do|can|would|to|may) (?:i |we |you )?use|when is .{1,30} used", re.I),
     re.compile(r"^when to use", re.I)),
    (re.compile(r"criteria|requirements?\b|components?\b|what makes|qualif|\blevels?\b", re.I),
     re.compile(r"components|criteria|requirements|levels", re.I)),
)
# "is that ok?": the error sections, unless it asks whether two codes go together (below)
_ASKS_IF_WRONG = re.compile(r"\bproblem\b|\bwrong\b|mistake|\bok\b|allowed|is that (?:a problem|ok)", re.I)
_ERROR_HEADINGS = re.compile(r"error|mistake|misuse|what it is", re.I)
_CHOICE_WORDS = re.compile(r"\b(?:or|vs\.?|versus|instead of)\b", re.I)
_SAME_VISIT_WORDS = re.compile(r"same (?:day|visit|date|session|encounter)|together|\bboth\b", re.I)
_CHOICE_HEADINGS = re.compile(r"^when to use|what it covers|in plain words", re.I)
PAIR_HEADINGS = re.compile(r"billing with|other codes|which code gets|pairs?\b|ncci|same visit|same day|edits?\b", re.I)


def is_choice_question(query: Query) -> bool:
    """"97012 or 97140?": which code fits, not whether both can be billed."""
    return (len(query.codes) >= 2 and bool(_CHOICE_WORDS.search(query.text))
            and not _SAME_VISIT_WORDS.search(query.text))


def is_pair_question(query: Query) -> bool:
    if is_choice_question(query):
        return False
    return len(query.codes) >= 2 or (len(query.codes) == 1 and bool(query.modifiers)
                                     and bool(_PAIR_WORDS.search(query.text)))


def wanted_headings(query: Query) -> list[re.Pattern]:
    """Heading patterns of the sections that answer this kind of question."""
    wanted = [heading for question, heading in _INTENTS if question.search(query.text)]
    if is_pair_question(query):
        wanted.append(PAIR_HEADINGS)
    elif _ASKS_IF_WRONG.search(query.text):
        wanted.append(_ERROR_HEADINGS)
    if is_choice_question(query):
        wanted.append(_CHOICE_HEADINGS)
    return wanted


class HeadingIndex:
    """Which chunks each heading pattern matches, worked out once per pattern."""

    def __init__(self, headings: list[str]):
        self._headings = headings
        self._rows: dict[re.Pattern, frozenset[int]] = {}

    def rows(self, wanted: list[re.Pattern]) -> set[int]:
        out: set[int] = set()
        for pattern in wanted:
            if pattern not in self._rows:
                self._rows[pattern] = frozenset(r for r, h in enumerate(self._headings) if pattern.search(h))
            out |= self._rows[pattern]
        return out
