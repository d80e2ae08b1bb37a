"""The content team's report: what the bot could not answer, what coders distrusted,
which articles answer questions and which never do, week by week."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from .grouping import Group, group_questions, normalize
from .store import Asked, Vote

TOP = 10
_ARTICLE_OF_URL = re.compile(r"^/kb/([^#/?]+)")


@dataclass(frozen=True)
class DownVoted:
    answer: str
    downs: int
    ups: int
    reasons: tuple[tuple[str, int], ...]   # most given first
    questions: tuple[str, ...]             # the masked questions it answered, distinct
    comments: tuple[str, ...]
    cited: tuple[str, ...]


@dataclass(frozen=True)
class Week:
    week: str       # ISO week, "2026-W48"
    questions: int
    declined: int
    low_confidence: int
    up: int
    down: int


@dataclass(frozen=True)
class Report:
    since: str | None
    questions: int
    declined: tuple[Group, ...]
    low_confidence: tuple[Group, ...]
    down_voted: tuple[DownVoted, ...]
    cited_most: tuple[tuple[str, int], ...]
    never_cited: tuple[str, ...]
    weeks: tuple[Week, ...]


def article_of(url: str) -> str | None:
    match = _ARTICLE_OF_URL.match(url)
    return match.group(1) if match else None


def _down_voted(votes: Sequence[Vote]) -> list[DownVoted]:
    """Votes on the same answer text count together; answers with a down vote, most downs first."""
    by_answer: dict[str, list[Vote]] = {}
    for v in votes:
        by_answer.setdefault(normalize(v.answer), []).append(v)
    result = []
    for same in by_answer.values():
        downs = [v for v in same if v.vote == "down"]
        if not downs:
            continue
        result.append(DownVoted(
            answer=same[0].answer, downs=len(downs), ups=len(same) - len(downs),
            reasons=tuple(Counter(v.reason for v in downs if v.reason).most_common()),
            questions=tuple(dict.fromkeys(v.question for v in same)),
            comments=tuple(v.comment for v in downs if v.comment),
            cited=tuple(dict.fromkeys(url for v in same for url in v.cited))))
    return sorted(result, key=lambda d: (-d.downs, d.ups))


def _weeks(asked: Sequence[Asked], votes: Sequence[Vote]) -> list[Week]:
    def week(at) -> str:
        year, number, _ = at.isocalendar()
        return f"{year}-W{number:02d}"

    counts: dict[str, Counter] = {}
    for a in asked:
        counts.setdefault(week(a.at), Counter()).update(["questions", a.outcome])
    for v in votes:
        counts.setdefault(week(v.at), Counter()).update([v.vote])
    return [Week(w, c["questions"], c["declined"], c["low_confidence"], c["up"], c["down"])
            for w, c in sorted(counts.items())]


def build_report(asked: Sequence[Asked], votes: Sequence[Vote], article_ids: Sequence[str],
                 encode: Callable[[list[str]], np.ndarray], since: str | None = None) -> Report:
    """`article_ids`: every article of the index, so the ones never cited show up."""
    def texts(outcome: str) -> list[str]:
        return [a.question for a in asked if a.outcome == outcome and a.question]

    cited = Counter(article for a in asked for article in dict.fromkeys(filter(None, map(article_of, a.cited))))
    return Report(
        since=since, questions=len(asked),
        declined=tuple(group_questions(texts("declined"), encode)),
        low_confidence=tuple(group_questions(texts("low_confidence"), encode)),
        down_voted=tuple(_down_voted(votes)),
        cited_most=tuple(cited.most_common()),
        never_cited=tuple(sorted(set(article_ids) - set(cited))),
        weeks=tuple(_weeks(asked, votes)))


def report_from_store(store, article_ids: Sequence[str], encode: Callable[[list[str]], np.ndarray],
                      since: date | None = None) -> Report:
    """The report over a FeedbackStore's rows from `since` (a UTC day) on."""
    start = datetime.combine(since, time.min, tzinfo=timezone.utc) if since else None
    asked, votes = store.read(start)
    return build_report(asked, votes, article_ids, encode, since.isoformat() if since else None)
