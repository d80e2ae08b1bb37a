"""Group near-duplicate questions so "how do I bill ICD-10 codes?" and "how to bill icd10
codes" count as one content gap.

Two steps. Exact duplicates after normalising case, spacing and end punctuation count
together without a model. The distinct texts are then embedded with the bot's own encoder
and grouped greedily, most frequent first: a text joins the group whose first (most
asked) text is closest, when the cosine reaches `SAME_QUESTION`, or starts a group of its
own. Comparing with the group's first text, not with any member, keeps a chain of small
steps from drifting into one large group.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

# Measured with the packaged MiniLM on 15 hand-written pairs: rewordings of one question
# scored 0.75–0.99 (most above 0.88), different questions 0.56–0.79 once their codes
# differ — "modifier 59 for 97110" vs "… 97140" scores 0.97, so questions naming
# different codes never group (`_codes`). 0.80 keeps every different pair apart and
# misses the loosest rewordings ("billing telehealth PT visits", 0.75): a gap split in
# two is still seen, two gaps merged into one is not.
SAME_QUESTION = 0.80
_CODE = re.compile(r"\b(?:\d{4}[0-9FT]|[A-Z]\d{4}|[A-Z]\d{2}(?:\.\w{1,4})?)\b", re.I)


@dataclass(frozen=True)
class Group:
    text: str                 # the most asked wording, as first typed
    count: int                # every question in the group, duplicates included
    variants: tuple[str, ...] # the other wordings, most asked first


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().strip("?!.").strip().lower()


def _codes(text: str) -> frozenset[str]:
    return frozenset(code.upper() for code in _CODE.findall(text))


def group_questions(questions: Sequence[str], encode: Callable[[list[str]], np.ndarray],
                    threshold: float = SAME_QUESTION) -> list[Group]:
    """Groups of similar questions, largest first. `encode` gives unit-length rows
    (Embedder.encode)."""
    questions = [q for q in questions if q and q.strip()]
    counts = Counter(normalize(q) for q in questions)
    typed = {}
    for q in questions:
        typed.setdefault(normalize(q), q.strip())
    distinct = [text for text, _ in counts.most_common()]
    if not distinct:
        return []
    vectors = encode(distinct)
    leaders: list[int] = []
    members: dict[int, list[int]] = {}
    for i, text in enumerate(distinct):
        candidates = [leader for leader in leaders if _codes(distinct[leader]) == _codes(text)]
        best = max(candidates, key=lambda leader: float(vectors[leader] @ vectors[i]), default=None)
        if best is not None and float(vectors[best] @ vectors[i]) >= threshold:
            members[best].append(i)
        else:
            leaders.append(i)
            members[i] = []
    groups = [Group(typed[distinct[leader]],
                    counts[distinct[leader]] + sum(counts[distinct[m]] for m in members[leader]),
                    tuple(typed[distinct[m]] for m in members[leader])) for leader in leaders]
    return sorted(groups, key=lambda g: -g.count)
