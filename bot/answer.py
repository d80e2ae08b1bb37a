"""Extractive answers: the best sentences of the retrieved passages, each with the
[n] marker of the passage it was taken from."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from index.codes import codes_in_ranges, find_codes
from index.lexical import tokenize

from .analyze import Query
from .definition import defines, subject_of
from .figures import MIN_SHARED, minute_figures
from .intent import is_pair_question

ENTITY_BONUS = 0.08          # per code or modifier of the question the sentence names
ABOUT_BONUS = 0.06           # ... said in the article about that code or modifier
DEFINITION_BONUS = 0.05      # the first sentence of an article: its direct definition
ASKED_DEFINITION_BONUS = 0.12  # ... when the question asks what something is
DEFINES_BONUS = 0.10         # a sentence that defines what a "what is X?" question asks about
SHORT_PENALTY = 0.05         # a lead of a few words rarely stands alone
SHORT_WORDS = 8
NAVIGATION_PENALTY = 0.12    # "Related codes" lists point elsewhere; they rarely answer
MISTAKE_PENALTY = 0.10       # a listed mistake is a poor reply unless mistakes were asked about
PAIR_BONUS = 0.10            # a pair question wants the sentence on the pair's edit/modifier first
PAIR_PARTIAL_BONUS = 0.03    # ... or at least an edit/modifier sentence about one of the codes
OFF_PAIR_PENALTY = 0.15      # ... and not a sentence from an article about some third code
OTHER_PAIR_PENALTY = 0.10    # ... nor one that names a code the question did not ask about
UNNAMED_PAIR_PENALTY = 0.08  # ... nor one that names neither code ("exercise done alone is not billable")
OTHER_CODE_PENALTY = 0.08    # any question: a sentence naming only codes it did not ask about
_PAIR_TERMS = re.compile(r"column|modifier|NCCI|edit|together|same day|bundl|separate", re.I)
_MISTAKE_SECTION = re.compile(r"error|mistake|misuse|pitfall|when not", re.I)
_ASKS_ABOUT_MISTAKES = re.compile(r"error|mistake|wrong|misuse|avoid|pitfall|audit|denied|denial|not to", re.I)
OVERLAP_BONUS = 0.05
FIGURES_BONUS = 0.20         # × the share of the question's minute figures the sentence works through
WANTED_BONUS = 0.05          # a sentence in a section of the kind the question asks for
SERVICE_SECTION_BONUS = 0.30 # ... of the one service the question names ("hot pack 20 min, units?")
RETRIEVAL_PRIOR = 0.10       # × the passage's fused retrieval score (1.0 for the best): the lead leans to it
MAX_SENTENCES = 4
SUPPORT_MARGIN = 0.3
NEAR_DUPLICATE = 0.92
_NOTHING = frozenset()


@dataclass(frozen=True, slots=True)  # thousands per index, read right after an encode: compact objects
class Sentence:
    """What the scoring needs of a sentence that does not depend on the question; worked
    out once per index."""
    text: str
    terms: frozenset        # lexical terms (index.lexical.tokenize)
    codes: frozenset        # codes named (index.codes.find_codes), and those inside a range it names
    ranged: frozenset       # the codes of the ranges it names ("98940–98942")
    short: bool             # a few words: rarely stands alone
    pair_terms: bool        # speaks of edits, modifiers, columns or same-day billing
    minutes: frozenset      # minute figures named (bot/figures.py)
    modifiers: frozenset    # modifiers it mentions (_mentions_modifier)

    @classmethod
    def of(cls, text: str) -> "Sentence":
        ranged = frozenset(codes_in_ranges(text))
        terms = frozenset(tokenize(text))
        modifiers = frozenset(m for m in {word.upper() for word in _TWO_CHARACTERS.findall(text)}
                              if _mentions_modifier(text, terms, m))
        return cls(text, terms, _shared(frozenset(find_codes(text)) | ranged), _shared(ranged),
                   len(text.split()) < SHORT_WORDS, bool(_PAIR_TERMS.search(text)),
                   _shared(minute_figures(text)), _shared(modifiers))


def _shared(items: frozenset) -> frozenset:
    """Most sentences name no code, range, minute figure or modifier: one empty set for
    all of them stays in cache when a question's sentences are scored, a set of each
    sentence's own would be read from memory (about 20 µs a question, right after an encode)."""
    return items or _NOTHING


_TWO_CHARACTERS = re.compile(r"\b[A-Za-z0-9]{2}\b")  # every modifier is two letters or digits


def _mentions_modifier(text: str, terms: frozenset, modifier: str) -> bool:
    """Whether a sentence speaks of the modifier: "modifier 59", "-59", "59 goes on …", or
    a letter modifier as a word of its own ("XU")."""
    if modifier.lower() not in terms:
        return False
    m = re.escape(modifier)
    return bool(re.search(rf"\b(?:modifiers?|-)\s*{m}\b|\b{m}\b(?=\W*(?:modifier|on|goes))", text, re.I)
                or (not modifier.isdigit() and re.search(rf"\b{m}\b", text)))


@dataclass(slots=True)  # a few per question, on the answer's critical path: no frozen __init__
class Passage:
    citation: int
    sentences: list[Sentence]
    vectors: np.ndarray
    similarities: list[float]  # each sentence's similarity to the question
    about: frozenset        # the question's entities this passage's article is about
    own: bool               # a code or modifier article (not an error or rule citing it)
    opens_article: bool     # the article's first section
    navigation: bool        # a "Related …" section
    wanted: bool            # a section of the kind the question asks for (bot/intent.py)
    retrieval: float        # its fused retrieval score, 1.0 for the best passage
    section: str = ""
    service: bool = False   # a code article (a service) the question names


@dataclass(slots=True)  # thousands are made per question; a frozen dataclass's __init__ is slower
class Candidate:
    citation: int       # the [n] it will carry
    text: str
    vector: np.ndarray
    score: float
    entities: frozenset  # the question's codes and modifiers it names
    about: frozenset     # the question's codes and modifiers its article is about


def _mentions(sentence: Sentence, cues: "Cues") -> frozenset:
    if sentence.codes.isdisjoint(cues.asked_codes) and sentence.modifiers.isdisjoint(cues.modifiers):
        return _NOTHING
    return frozenset([f"code:{c}" for c in cues.codes if c in sentence.codes] +
                     [f"modifier:{m}" for m in cues.modifiers if m in sentence.modifiers])


@lru_cache(maxsize=None)  # headings are the knowledge base's, a few hundred
def _mistake_section(heading: str) -> bool:
    return bool(_MISTAKE_SECTION.search(heading))


def _pair_bonus(entities: frozenset, sentence: Sentence) -> float:
    if not sentence.pair_terms:
        return 0.0
    codes_named = sum(1 for e in entities if e.startswith("code:"))
    return PAIR_BONUS if codes_named >= 2 else PAIR_PARTIAL_BONUS if codes_named == 1 else 0.0


def _definition_bonus(opening: Sentence, names_subject: re.Pattern | None) -> float:
    """An article's opening sentence defines its subject: worth more when the question
    asks what something is and the sentence names that thing."""
    return ASKED_DEFINITION_BONUS if names_subject and names_subject.search(opening.text) else DEFINITION_BONUS


@dataclass(frozen=True)
class Cues:
    """What sentence scoring needs of the question alone, worked out once per question
    (beside the encode, bot/engine.py)."""
    terms: frozenset
    codes: tuple[str, ...]
    asked_codes: frozenset
    modifiers: frozenset
    asks_about_mistakes: bool
    pair_question: bool
    subject: str | None              # what a "what is X?" question asks about
    names_subject: re.Pattern | None
    minutes: frozenset               # the minute figures it carries (bot/figures.py)

    @classmethod
    def of(cls, query: Query) -> "Cues":
        subject = subject_of(query.normalized)
        return cls(frozenset(tokenize(query.normalized)), query.codes, frozenset(query.codes),
                   frozenset(query.modifiers), bool(_ASKS_ABOUT_MISTAKES.search(query.text)),
                   is_pair_question(query), subject,
                   re.compile(rf"\b{re.escape(subject)}", re.I) if subject else None,
                   minute_figures(query.normalized))


def candidates(cues: Cues, passages: list[Passage]) -> list[Candidate]:
    """Every sentence of the cited passages, scored against the question."""
    query_terms, asked_codes, asked_minutes = cues.terms, cues.asked_codes, cues.minutes
    pair_question, subject, names_subject = cues.pair_question, cues.subject, cues.names_subject
    out = []
    for passage in passages:
        if not passage.sentences:
            continue
        mistakes = not cues.asks_about_mistakes and _mistake_section(passage.section)
        # naming the question's codes counts fully only in an article about one of them,
        # and most in the code's or modifier's own article
        entity_weight = ENTITY_BONUS if passage.about else ENTITY_BONUS / 2
        own_weight = 1.0 if passage.own or not passage.about else 0.5
        passage_score = (RETRIEVAL_PRIOR * passage.retrieval
                         + (WANTED_BONUS if passage.wanted else 0.0)
                         + (SERVICE_SECTION_BONUS if passage.wanted and passage.service and passage.about else 0.0)
                         - (NAVIGATION_PENALTY if passage.navigation else 0.0)
                         - (MISTAKE_PENALTY if mistakes else 0.0)
                         - (OFF_PAIR_PENALTY if pair_question and not passage.about else 0.0))
        for position, (sentence, vector, similarity) in enumerate(
                zip(passage.sentences, passage.vectors, passage.similarities)):
            entities = _mentions(sentence, cues)
            overlap = len(sentence.terms & query_terms) / max(1, len(query_terms))
            shared_minutes = len(sentence.minutes & asked_minutes) if asked_minutes else 0
            score = (passage_score + similarity + entity_weight * min(2, len(entities))
                     + OVERLAP_BONUS * overlap
                     + (FIGURES_BONUS * shared_minutes / len(asked_minutes) if shared_minutes >= MIN_SHARED else 0.0)
                     + (ABOUT_BONUS * own_weight if entities & passage.about else 0.0)
                     + (_definition_bonus(sentence, names_subject) * own_weight
                        if passage.opens_article and position == 0 else 0.0)
                     + (DEFINES_BONUS * own_weight if subject and defines(sentence.text, subject) else 0.0)
                     - (SHORT_PENALTY if sentence.short else 0.0)
                     + (_pair_bonus(entities, sentence) if pair_question and passage.about else 0.0))
            # a range holding an asked code ("98940–98942" for 98941) is not other codes
            other_codes = (sentence.codes - asked_codes - (sentence.ranged if sentence.ranged & asked_codes else _NOTHING)
                           if sentence.codes else _NOTHING)
            if pair_question and other_codes:
                score -= OTHER_PAIR_PENALTY  # it is about another pair ("97535 and 97116")
            elif pair_question and not entities:
                score -= UNNAMED_PAIR_PENALTY
            elif asked_codes and other_codes and not sentence.codes & asked_codes:
                score -= OTHER_CODE_PENALTY  # asked about 97162, it speaks of 97166 alone
            out.append(Candidate(passage.citation, sentence.text, vector, score, entities, passage.about))
    return sorted(out, key=lambda c: c.score, reverse=True)


def select(ranked: list[Candidate], query_entities: list[str]) -> list[Candidate]:
    """The lead (best) sentence; then, for each code and modifier asked about, the best
    sentence of its own article (else one naming it) unless such a sentence is in already;
    then the best remaining sentences from other passages; no near-duplicates."""
    if not ranked:
        return []
    chosen = [ranked[0]]

    def fresh(c: Candidate) -> bool:
        return all(c.text != o.text and float(c.vector @ o.vector) < NEAR_DUPLICATE for o in chosen)

    covered = set(ranked[0].entities & ranked[0].about)
    for entity in query_entities:
        if entity in covered or len(chosen) >= MAX_SENTENCES:
            continue
        pick = (next((c for c in ranked if entity in c.about and fresh(c)), None)
                or next((c for c in ranked if entity in c.entities and fresh(c)), None))
        if pick:
            chosen.append(pick)
            covered |= pick.entities & pick.about
    floor = ranked[0].score - SUPPORT_MARGIN
    used_citations = {c.citation for c in chosen}
    for c in ranked:
        if len(chosen) >= MAX_SENTENCES or c.score < floor:
            break
        if c.citation not in used_citations and fresh(c):
            chosen.append(c)
            used_citations.add(c.citation)
    return chosen


def number_by_first_use(chosen: list[Candidate], passages: int) -> tuple[list[Candidate], list[int]]:
    """Citations renumbered: the best retrieved passage stays [1], then the passages the
    answer quotes in the order it first quotes them, then the rest in retrieval order.
    Returns the renumbered sentences and the new order as 0-based old positions."""
    order = list(dict.fromkeys([0] + [c.citation - 1 for c in chosen] + list(range(passages))))
    new_number = {old + 1: new for new, old in enumerate(order, start=1)}
    return [Candidate(new_number[c.citation], c.text, c.vector, c.score, c.entities, c.about)
            for c in chosen], order


def render(chosen: list[Candidate]) -> str:
    if not chosen:
        return ""
    lead, rest = chosen[0], chosen[1:]
    lines = [f"{lead.text} [{lead.citation}]"]
    if rest:
        lines.append("")
        lines.extend(f"- {c.text} [{c.citation}]" for c in rest)
    return "\n".join(lines)
