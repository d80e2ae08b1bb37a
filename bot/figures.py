"""The minute figures of a question ("30 min TE and 15 min TA") matched against the
passages that work through the same figures. A coder asking about units types the
session's minutes; a worked example or rule naming two or more of them is about the
same case, which neither the embedding nor BM25 weighs (numbers are weak tokens to both)."""
from __future__ import annotations

import re

_MINUTES = re.compile(r"\b(\d{1,3})\s*(?:-|–)?\s*(?:min(?:ute)?s?|mins?)\b", re.I)
MIN_SHARED = 2  # one shared figure ("15 minutes") is everywhere in the units sections


def minute_figures(text: str) -> frozenset[int]:
    return frozenset(int(n) for n in _MINUTES.findall(text))


class FigureIndex:
    """Each chunk's minute figures, worked out once per index."""

    def __init__(self, texts: list[str]):
        self._figures = [minute_figures(t) for t in texts]

    def rank(self, text: str, k: int) -> list[tuple[int, float]]:
        """Rows sharing at least MIN_SHARED of the question's minute figures, most shared
        first, then those naming fewer other figures (the example closest to the case)."""
        asked = minute_figures(text)
        if len(asked) < MIN_SHARED:
            return []
        scored = []
        for row, figures in enumerate(self._figures):
            shared = len(asked & figures)
            if shared >= MIN_SHARED:
                scored.append((row, shared / len(asked), len(figures - asked)))
        scored.sort(key=lambda item: (-item[1], item[2], item[0]))
        return [(row, share) for row, share, _ in scored[:k]]
