"""Fusion and diversity: the signals' rankings fused into one score per chunk row, and the
rows to cite chosen from it."""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

import numpy as np

RRF_K = 60  # the constant of the published reciprocal rank fusion method


def reciprocal_rank_fusion(start: np.ndarray, rankings: list[list[tuple[int, float]]],
                           weights: list[float] | None = None, k: int = RRF_K) -> np.ndarray:
    """A score per row: `start` (zeros, or an earlier fusion of other rankings) plus the
    row's weighted reciprocal ranks in these rankings; 0 where no ranking holds it."""
    fused = start.copy()
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings)):
        if ranking:
            fused[[row for row, _ in ranking]] += _reciprocal_ranks(weight, k, len(ranking))
    return fused


@lru_cache(maxsize=256)  # a handful of (weight, length) pairs recur: one numpy call per ranking, not three
def _reciprocal_ranks(weight: float, k: int, length: int) -> np.ndarray:
    ranks = weight / (k + 1 + np.arange(length))
    ranks.flags.writeable = False
    return ranks


def demote(fused: np.ndarray, rows: np.ndarray, factor: float) -> None:
    """The given rows' scores multiplied by factor, in place (below 1 demotes, above promotes)."""
    fused[rows] *= factor


def ranked(fused: np.ndarray) -> list[int]:
    """The rows some ranking holds, best fused score first, ties by row."""
    rows = np.flatnonzero(fused)
    return rows[np.argsort(-fused[rows], kind="stable")].tolist()


def diversify(order: list[int], fused: np.ndarray, must_cover: list[list[tuple[int, float]]],
              article_of: dict[int, str] | list[str], top_k: int, per_article: int = 2) -> list[int]:
    """top_k rows: first the best row for each entity (so evidence on every code and
    modifier asked about leads), in fused order; then the rest in fused order (`order`,
    from ranked()); at most `per_article` rows from one article."""
    chosen: list[int] = []
    per: dict[str, int] = defaultdict(int)

    def take(row: int) -> bool:
        if row in chosen or per[article_of[row]] >= per_article or len(chosen) >= top_k:
            return False
        chosen.append(row)
        per[article_of[row]] += 1
        return True

    for ranking in must_cover:
        for row, _ in ranking:
            if take(row):
                break
    # rows no ranking holds (fused 0) keep their place after the others
    leading = sorted(chosen, key=lambda r: (-fused[r], r) if fused[r] else (0.0, len(fused)))
    for row in order:
        if len(chosen) >= top_k:
            break
        take(row)
    return leading + chosen[len(leading):]
