"""Facts a question can be built on, read from the articles' front matter and sections.

Each fact says where it is stated (article and section), so a question can cite it and
a test can check the citation. Anything not stated plainly is left out."""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.records import Article, Section

TITLE_SEPARATOR = " — "
# A sentence that hedges its own claim is not a basis for a right-or-wrong answer.
_HEDGES = re.compile(r"\b(verify|older|unconfirmed|reportedly|may be deleted)\b", re.I)
# "97530 (column 1) / 97535 (column 2)", "97140 is column 1 and 97530 is column 2":
# a code, then "column N" with no other code between them. A code closing a range
# ("98940–98942") names no single code.
_COLUMN = re.compile(r"(?<![\d–-])(\d{5})(?:(?!\d{5})[^.;])*?\bcolumn ([12])\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class Cite:
    article_id: str
    title: str
    section: str
    anchor: str

    @property
    def url(self) -> str:
        return f"/kb/{self.article_id}#{self.anchor}"


def cite(article: Article, section: Section) -> Cite:
    return Cite(article.id, article.title, section.heading, section.anchor)


def section(article: Article, *headings: str) -> Section | None:
    """The first section whose heading is one of `headings` (case-insensitive)."""
    wanted = [h.lower() for h in headings]
    for heading in wanted:
        for s in article.sections:
            if s.heading.lower() == heading:
                return s
    return None


def title_parts(article: Article) -> tuple[str, str] | None:
    """'97110 — Therapeutic exercise' → ('97110', 'Therapeutic exercise')."""
    if TITLE_SEPARATOR not in article.title:
        return None
    name, description = article.title.split(TITLE_SEPARATOR, 1)
    return name.strip(), description.strip()


def first_sentence(text: str) -> str:
    return _SENTENCE_END.split(text.strip(), 1)[0]


def sentences(text: str) -> list[str]:
    return [s.strip(" -*") for s in _SENTENCE_END.split(text) if s.strip(" -*")]


def words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text.lower())) - {"and", "or", "the", "a", "of", "with"}


def overlapping(a: str, b: str) -> bool:
    """One description says all the other says ('therapeutic exercise' and 'aquatic
    therapy with therapeutic exercise'): as distractors they could both be right."""
    wa, wb = words(a), words(b)
    return wa <= wb or wb <= wa


@dataclass(frozen=True)
class ColumnPair:
    column1: str
    column2: str
    cite: Cite
    sentence: str


def column_pairs(articles: list[Article]) -> list[ColumnPair]:
    """NCCI pairs whose column order an article states plainly in one sentence, first
    statement of each pair kept. A pair stated both ways anywhere is dropped."""
    found: dict[tuple[str, str], ColumnPair] = {}
    for article in articles:
        for s in article.sections:
            for sentence in sentences(s.body):
                if _HEDGES.search(sentence):
                    continue
                columns = {}
                for match in _COLUMN.finditer(sentence):
                    columns.setdefault(match.group(2), set()).add(match.group(1))
                if len(columns.get("1", ())) == 1 and len(columns.get("2", ())) == 1:
                    key = (next(iter(columns["1"])), next(iter(columns["2"])))
                    if key[0] != key[1]:
                        found.setdefault(key, ColumnPair(*key, cite(article, s), sentence))
    return [p for key, p in found.items() if (key[1], key[0]) not in found]


def units_for(minutes: int) -> int:
    """Medicare 8-minute rule: total timed minutes → units (8–22 = 1, 23–37 = 2, ...)."""
    return 0 if minutes < 8 else (minutes + 7) // 15


def unit_row(units: int) -> tuple[int, int]:
    """The minutes row of the unit table for a number of units (1 → 8–22)."""
    return 15 * units - 7, 15 * units + 7
