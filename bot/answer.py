"""Extractive answers: the best sentences of the retrieved passages, each with the
[n] marker of the passage it was taken from."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from index.codes import find_codes
from index.lexical import tokenize

from .analyze import Query
from .definition import defines, subject_of
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
_PAIR_TERMS = re.compile(r"column|modifier|NCCI|edit|together|same day|bundl|separate", re.I)
_MISTAKE_SECTION = re.compile(r"error|mistake|misuse|pitfall|when not", re.I)
_ASKS_ABOUT_MISTAKES = re.compile(r"error|mistake|wrong|misuse|avoid|pitfall|audit|denied|denial|not to", re.I)
OVERLAP_BONUS = 0.05
MAX_SENTENCES = 4
SUPPORT_MARGIN = 0.3
NEAR_DUPLICATE = 0.92


@dataclass(frozen=True)
class Passage:
    citation: int
    sentences: list[str]
    vectors: np.ndarray
    terms: list[frozenset]  # each sentence's lexical terms
    about: frozenset        # the question's entities this passage's article is about
    own: bool               # a code or modifier article (not an error or rule citing it)
    opens_article: bool     # the article's first section
    navigation: bool        # a "Related …" section
    section: str = ""


@dataclass(frozen=True)
class Candidate:
    citation: int       # the [n] it will carry
    text: str
    vector: np.ndarray
    score: float
    entities: frozenset


def _mention_patterns(query: Query) -> list[tuple[str, re.Pattern]]:
    """What a sentence must contain to mention each code and modifier of the question."""
    patterns = [(f"code:{code}", re.compile(rf"(?<![\w]){re.escape(code)}(?![\w])", re.I))
                for code in query.codes]
    for modifier in query.modifiers:
        m = re.escape(modifier)
        named = rf"\b(?:modifiers?|-)\s*{m}\b|\b{m}\b(?=\W*(?:modifier|on|goes))"
        patterns.append((f"modifier:{modifier}", re.compile(named, re.I)))
        if not modifier.isdigit():  # a letter modifier such as XU is distinctive on its own
            patterns.append((f"modifier:{modifier}", re.compile(rf"\b{m}\b")))
    return patterns


def _mentions(sentence: str, patterns: list[tuple[str, re.Pattern]]) -> frozenset:
    return frozenset(entity for entity, pattern in patterns if pattern.search(sentence))


def _pair_bonus(entities: frozenset, text: str) -> float:
    if not _PAIR_TERMS.search(text):
        return 0.0
    codes_named = sum(1 for e in entities if e.startswith("code:"))
    return PAIR_BONUS if codes_named >= 2 else PAIR_PARTIAL_BONUS if codes_named == 1 else 0.0


def candidates(query: Query, query_vector: np.ndarray, passages: list[Passage]) -> list[Candidate]:
    """Every sentence of the cited passages, scored against the question."""
    query_terms = set(tokenize(query.normalized))
    mention_patterns = _mention_patterns(query)
    asked_codes = set(query.codes)
    asks_about_mistakes = bool(_ASKS_ABOUT_MISTAKES.search(query.text))
    pair_question = is_pair_question(query)
    subject = subject_of(query.normalized)
    definition_bonus = ASKED_DEFINITION_BONUS if subject else DEFINITION_BONUS
    out = []
    for passage in passages:
        if not passage.sentences:
            continue
        mistakes = not asks_about_mistakes and bool(_MISTAKE_SECTION.search(passage.section))
        similarities = passage.vectors @ query_vector
        for position, (text, vector, similarity, terms) in enumerate(
                zip(passage.sentences, passage.vectors, similarities, passage.terms)):
            entities = _mentions(text, mention_patterns)
            overlap = len(terms & query_terms) / max(1, len(query_terms))
            # naming the question's codes counts fully only in an article about one of them,
            # and most in the code's or modifier's own article
            entity_weight = ENTITY_BONUS if passage.about else ENTITY_BONUS / 2
            own_weight = 1.0 if passage.own or not passage.about else 0.5
            score = (float(similarity) + entity_weight * min(2, len(entities)) + OVERLAP_BONUS * overlap
                     + (ABOUT_BONUS * own_weight if entities & passage.about else 0.0)
                     + (definition_bonus * own_weight if passage.opens_article and position == 0 else 0.0)
                     + (DEFINES_BONUS * own_weight if subject and defines(text, subject) else 0.0)
                     - (SHORT_PENALTY if len(text.split()) < SHORT_WORDS else 0.0)
                     - (NAVIGATION_PENALTY if passage.navigation else 0.0)
                     - (MISTAKE_PENALTY if mistakes else 0.0)
                     + (_pair_bonus(entities, text) if pair_question and passage.about else 0.0)
                     - (OFF_PAIR_PENALTY if pair_question and not passage.about else 0.0))
            if pair_question and set(find_codes(text)) - asked_codes:
                score -= OTHER_PAIR_PENALTY  # it is about another pair ("97535 and 97116")
            out.append(Candidate(passage.citation, text, vector, score, entities))
    return sorted(out, key=lambda c: c.score, reverse=True)


def select(ranked: list[Candidate], query_entities: list[str]) -> list[Candidate]:
    """The lead (best) sentence, then the best sentence for each entity not yet covered,
    then the best remaining sentences from other passages, no near-duplicates."""
    if not ranked:
        return []
    chosen = [ranked[0]]

    def fresh(c: Candidate) -> bool:
        return all(c.text != o.text and float(c.vector @ o.vector) < NEAR_DUPLICATE for o in chosen)

    covered = set(ranked[0].entities)
    for entity in query_entities:
        if entity in covered or len(chosen) >= MAX_SENTENCES:
            continue
        for c in ranked:
            if entity in c.entities and fresh(c):
                chosen.append(c)
                covered |= c.entities
                break
    floor = ranked[0].score - SUPPORT_MARGIN
    used_citations = {c.citation for c in chosen}
    for c in ranked:
        if len(chosen) >= MAX_SENTENCES or c.score < floor:
            break
        if c.citation not in used_citations and fresh(c):
            chosen.append(c)
            used_citations.add(c.citation)
    return chosen


def render(chosen: list[Candidate]) -> str:
    if not chosen:
        return ""
    lead, rest = chosen[0], chosen[1:]
    lines = [f"{lead.text} [{lead.citation}]"]
    if rest:
        lines.append("")
        lines.extend(f"- {c.text} [{c.citation}]" for c in rest)
    return "\n".join(lines)
