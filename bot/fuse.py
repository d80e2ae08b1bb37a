"""Fusion and diversity as pure functions over ranked (row, score) lists."""
from __future__ import annotations

from collections import defaultdict

RRF_K = 60  # the constant of the published reciprocal rank fusion method


def reciprocal_rank_fusion(rankings: list[list[tuple[int, float]]], weights: list[float] | None = None,
                           k: int = RRF_K) -> list[tuple[int, float]]:
    weights = weights or [1.0] * len(rankings)
    fused: dict[int, float] = defaultdict(float)
    for ranking, weight in zip(rankings, weights):
        for rank, (row, _) in enumerate(ranking):
            fused[row] += weight / (k + rank + 1)
    return sorted(fused.items(), key=lambda item: (-item[1], item[0]))


def demote(fused: list[tuple[int, float]], rows: set[int], factor: float) -> list[tuple[int, float]]:
    """Scores of the given rows multiplied by factor (below 1 demotes, above promotes),
    the list re-sorted."""
    scored = [(row, score * factor if row in rows else score) for row, score in fused]
    return sorted(scored, key=lambda item: (-item[1], item[0]))


def diversify(fused: list[tuple[int, float]], must_cover: list[list[tuple[int, float]]],
              article_of: dict[int, str] | list[str], top_k: int, per_article: int = 2) -> list[int]:
    """top_k rows: first the best row for each entity (so evidence on every code and
    modifier asked about leads), in fused order; then the rest in fused order; at most
    `per_article` rows from one article."""
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
    fused_rank = {row: i for i, (row, _) in enumerate(fused)}
    leading = sorted(chosen, key=lambda r: fused_rank.get(r, len(fused_rank)))
    for row, _ in fused:
        if len(chosen) >= top_k:
            break
        take(row)
    return leading + chosen[len(leading):]
