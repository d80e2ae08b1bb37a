"""Fusion and diversity: the signals' rankings fused into one score per chunk row, and the
rows to cite chosen from it."""
from __future__ import annotations

from collections import defaultdict

RRF_K = 60  # the constant of the published reciprocal rank fusion method


def reciprocal_rank_fusion(start: dict[int, float], rankings: list[list[tuple[int, float]]],
                           weights: list[float] | None = None, k: int = RRF_K) -> dict[int, float]:
    """Each row's score: `start` (empty, or an earlier fusion of other rankings) plus its
    weighted reciprocal ranks in these rankings; rows no ranking holds are left out. A
    dict, not an array over every row: a question's rankings hold a few dozen rows, and
    right after an encode each numpy call costs several times what it costs warm."""
    fused = dict(start)
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings)):
        for rank, (row, _) in enumerate(ranking, start=k + 1):
            fused[row] = fused.get(row, 0.0) + weight / rank
    return fused


def demote(fused: dict[int, float], rows: set[int] | frozenset[int], factor: float) -> None:
    """The given rows' scores multiplied by factor, in place (below 1 demotes, above promotes)."""
    for row in fused.keys() & rows:
        fused[row] *= factor


def ranked(fused: dict[int, float]) -> list[int]:
    """The rows some ranking holds, best fused score first, ties by row."""
    rows = sorted(row for row, score in fused.items() if score)
    rows.sort(key=fused.__getitem__, reverse=True)  # stable: ties stay in row order
    return rows


def diversify(order: list[int], fused: dict[int, float], must_cover: list[list[tuple[int, float]]],
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
    # rows no ranking holds (not in fused) keep their place after the others
    leading = sorted(chosen, key=lambda r: (-fused[r], r) if fused.get(r) else (0.0, 0))
    for row in order:
        if len(chosen) >= top_k:
            break
        take(row)
    return leading + chosen[len(leading):]
