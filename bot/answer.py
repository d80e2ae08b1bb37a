"""Extractive answers: the best sentences of the retrieved passages, each with the
[n] marker of the passage it was taken from."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from index.lexical import tokenize

from .analyze import Query

ENTITY_BONUS = 0.12
OVERLAP_BONUS = 0.05
MAX_SENTENCES = 4
SUPPORT_MARGIN = 0.22
NEAR_DUPLICATE = 0.92


@dataclass(frozen=True)
class Candidate:
    citation: int       # the [n] it will carry
    text: str
    vector: np.ndarray
    score: float
    entities: frozenset


def _mentions(sentence: str, query: Query) -> frozenset:
    found = set()
    for code in query.codes:
        if re.search(rf"(?<![\w]){re.escape(code)}(?![\w])", sentence, re.I):
            found.add(f"code:{code}")
    for modifier in query.modifiers:
        if re.search(rf"\b(?:modifiers?|-)\s*{re.escape(modifier)}\b|\b{re.escape(modifier)}\b(?=\W*(?:modifier|on|goes))",
                     sentence, re.I) or (not modifier.isdigit() and re.search(rf"\b{modifier}\b", sentence)):
            found.add(f"modifier:{modifier}")
    return frozenset(found)


def candidates(query: Query, query_vector: np.ndarray, passages: list[tuple[int, list[str], np.ndarray]]) -> list[Candidate]:
    """Every sentence of the cited passages, scored against the question."""
    query_terms = set(tokenize(query.normalized))
    out = []
    for citation, sentences, vectors in passages:
        if not sentences:
            continue
        similarities = vectors @ query_vector
        for text, vector, similarity in zip(sentences, vectors, similarities):
            entities = _mentions(text, query)
            terms = set(tokenize(text))
            overlap = len(terms & query_terms) / max(1, len(query_terms))
            score = float(similarity) + ENTITY_BONUS * len(entities) + OVERLAP_BONUS * overlap
            out.append(Candidate(citation, text, vector, score, entities))
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
