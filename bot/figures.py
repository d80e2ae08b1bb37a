"""The minute figures of a question ("30 min TE and 15 min TA") matched against the
passages that work through the same figures. A coder asking about units types the
session's minutes; a worked example or rule naming two or more of them is about the
same case, which neither the embedding nor BM25 weighs (numbers are weak tokens to both)."""
from __future__ import annotations

import re
from collections import Counter, defaultdict

_MINUTES = re.compile(r"\b(\d{1,3})\s*[-–]?\s*min(?:ute)?s?\b", re.I)
MIN_SHARED = 2  # one shared figure ("15 minutes") is everywhere in the units sections


def minute_figures(text: str) -> frozenset[int]:
    return frozenset(int(n) for n in _MINUTES.findall(text))


class FigureIndex:
    """Which chunks name each minute figure, worked out once per index."""

    def __init__(self, texts: list[str]):
        self._figures = [minute_figures(t) for t in texts]
        self._rows: dict[int, list[int]] = defaultdict(list)
        for row, figures in enumerate(self._figures):
            for figure in figures:
                self._rows[figure].append(row)

    def rank(self, text: str, k: int) -> list[tuple[int, float]]:
        """Rows sharing at least MIN_SHARED of the question's minute figures, most shared
        first, then those naming fewer other figures (the example closest to the case)."""
        asked = minute_figures(text)
        if len(asked) < MIN_SHARED:
            return []
        shared = Counter(row for figure in asked for row in self._rows.get(figure, ()))
        scored = sorted(((row, count / len(asked), len(self._figures[row] - asked))
                         for row, count in shared.items() if count >= MIN_SHARED),
                        key=lambda item: (-item[1], item[2], item[0]))
        return [(row, share) for row, share, _ in scored[:k]]
