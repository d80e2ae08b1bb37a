"""The one decision whether the evidence is enough to answer."""
from __future__ import annotations

from dataclasses import dataclass

# Cosine similarity (all-MiniLM-L6-v2, normalised) of the best passage to the question.
# Below ANSWER_FLOOR nothing in the knowledge base is about the question; a question that
# names a code or modifier the knowledge base knows is answered from those articles.
ANSWER_FLOOR = 0.42
UNKNOWN_CODE_FLOOR = 0.60
CONFIDENT_AT = 0.70


@dataclass(frozen=True)
class Decision:
    abstain: bool
    confidence: float
    reason: str


def decide(best_similarity: float, known_entities: list[str], unknown_codes: list[str]) -> Decision:
    confidence = max(0.0, min(1.0, (best_similarity - ANSWER_FLOOR + 0.1) / (CONFIDENT_AT - ANSWER_FLOOR + 0.1)))
    if known_entities:
        return Decision(False, max(confidence, 0.5), "the question names topics the knowledge base covers")
    if unknown_codes and best_similarity < UNKNOWN_CODE_FLOOR:
        listed = ", ".join(unknown_codes)
        return Decision(True, confidence, f"the knowledge base has no article on {listed}")
    if best_similarity < ANSWER_FLOOR:
        return Decision(True, confidence, "nothing in the knowledge base is close enough to the question")
    return Decision(False, confidence, "passages close to the question were found")
