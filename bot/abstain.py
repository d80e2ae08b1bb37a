"""The one decision whether the evidence is enough to answer.

Calibrated on tests/eval/golden.jsonl (see the eval issue's note): similarity alone does
not separate "not covered" coding questions (DRG, HCC, ICD-10 codes) from colloquial
in-scope ones, so the decision also weighs how much of the question's rare vocabulary
the retrieved passages contain.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

SIMILARITY_FLOOR = 0.30      # below this no passage is about the question at all
EVIDENCE_NEEDED = 0.50       # best similarity + COVERAGE_WEIGHT × term coverage (+ alias)
COVERAGE_WEIGHT = 0.30
ALIAS_CREDIT = 0.05          # the question used a topic name from an article's aliases
UNKNOWN_ENTITY_FLOOR = 0.60  # a code or modifier with no article about it needs a close passage
SCOPE_FLOOR = 0.55           # a subject of kb/scope.yaml this close to the question …
SCOPE_MARGIN = 0.07          # … and this much closer than the best passage: declined, subject named
CONFIDENT_AT = 0.85
# Words a coder wraps a question in ("explain NCCI like im 5", "can someone help"): they
# name no subject, so the passages need not contain them.
CHATTER = frozenset("""im explain like simply simple plain english someone somebody anyone please pls plz
thanks thank hi hey hello help quick question basically understand confused eli5""".split())


@dataclass(frozen=True)
class Decision:
    abstain: bool
    confidence: float
    reason: str


class TermWeights:
    """Inverse document frequency of each word over the passages; words the knowledge
    base never uses weigh the most."""

    def __init__(self, passages_terms: list[set[str]]):
        self.count = len(passages_terms)
        self._df = Counter(t for terms in passages_terms for t in terms)
        self.unknown = math.log(self.count + 1)

    def weight(self, term: str) -> float:
        df = self._df.get(term)
        return math.log((self.count + 1) / (df + 0.5)) if df else self.unknown

    def of_question(self, question_terms: set[str]) -> dict[str, float]:
        """The weight of each of the question's words that names something (not CHATTER)."""
        return {t: self.weight(t) for t in question_terms - CHATTER}

    @staticmethod
    def coverage(question_weights: dict[str, float], passages_terms: list[set[str]]) -> float:
        """The share of the question's weight (of_question) that the passages contain."""
        total = sum(question_weights.values())
        if not total:
            return 0.0
        return sum(w for t, w in question_weights.items() if any(t in terms for terms in passages_terms)) / total


def decide(best_similarity: float, coverage: float, known_entities: list[str],
           unknown_entities: list[str], alias_matched: bool,
           outside: tuple[str, float] | None = None) -> Decision:
    """`outside`: the kb/scope.yaml subject nearest the question and its similarity."""
    evidence = best_similarity + COVERAGE_WEIGHT * coverage + (ALIAS_CREDIT if alias_matched else 0.0)
    confidence = round(max(0.0, min(1.0, (evidence - EVIDENCE_NEEDED + 0.15) / (CONFIDENT_AT - EVIDENCE_NEEDED + 0.15))), 3)
    if known_entities:
        return Decision(False, max(confidence, 0.5), "the question names codes or modifiers the knowledge base covers")
    if outside and outside[1] >= SCOPE_FLOOR and outside[1] >= best_similarity + SCOPE_MARGIN:
        return Decision(True, confidence, f"it asks about {outside[0]}")
    if unknown_entities:
        if best_similarity < UNKNOWN_ENTITY_FLOOR:
            return Decision(True, confidence, f"the knowledge base has no article on {', '.join(unknown_entities)}")
        return Decision(False, confidence, "a passage close to the question was found")
    if best_similarity < SIMILARITY_FLOOR or evidence < EVIDENCE_NEEDED:
        return Decision(True, confidence, "nothing in the knowledge base is close enough to the question")
    return Decision(False, confidence, "passages close to the question were found")
