"""Scores a system on the golden question set: hit@k by article, evidence-hit@3, MRR,
abstention precision and recall, per-category rows and latency."""
from __future__ import annotations

import json
import statistics
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


class GoldenError(ValueError):
    pass


@dataclass(frozen=True)
class GoldenItem:
    id: str
    question: str
    category: str
    articles: tuple[str, ...]
    evidence: tuple[str, ...]
    abstain: bool


@dataclass(frozen=True)
class Outcome:
    """What one system returned for one question: ranked (article id, passage text)."""
    passages: list[tuple[str, str]]
    abstained: bool
    latency_ms: float


def load_golden(path: Path) -> list[GoldenItem]:
    items, seen = [], set()
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise GoldenError(f"cannot read {path} ({exc.strerror})") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            item = GoldenItem(str(raw["id"]), str(raw["question"]), str(raw["category"]),
                              tuple(raw.get("articles", ())), tuple(t.lower() for t in raw.get("evidence", ())),
                              bool(raw.get("abstain", False)))
        except (ValueError, KeyError, TypeError) as exc:
            raise GoldenError(f"{path}:{number}: not a golden item ({exc})") from None
        if item.id in seen:
            raise GoldenError(f"{path}:{number}: duplicate id {item.id!r}")
        seen.add(item.id)
        items.append(item)
    if not items:
        raise GoldenError(f"{path} holds no questions")
    return items


def _rank_of_hit(item: GoldenItem, outcome: Outcome) -> int | None:
    for rank, (article_id, _) in enumerate(outcome.passages, start=1):
        if article_id in item.articles:
            return rank
    return None


def _evidence_hit(item: GoldenItem, outcome: Outcome, k: int = 3) -> bool:
    return any(all(term in text.lower() for term in item.evidence) for _, text in outcome.passages[:k])


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def score(items: list[GoldenItem], outcomes: list[Outcome]) -> dict:
    """All figures for one system; ratios are None where they are undefined."""
    def block(pairs) -> dict:
        answerable = [(i, o) for i, o in pairs if not i.abstain]
        ranks = [_rank_of_hit(i, o) for i, o in answerable]
        n = len(answerable)
        return {
            "questions": len(pairs),
            "hit@1": _ratio(sum(1 for r in ranks if r and r <= 1), n),
            "hit@3": _ratio(sum(1 for r in ranks if r and r <= 3), n),
            "hit@5": _ratio(sum(1 for r in ranks if r and r <= 5), n),
            "evidence@3": _ratio(sum(_evidence_hit(i, o) for i, o in answerable), n),
            "mrr": _ratio(sum(1 / r for r in ranks if r), n) if n else None,
            "abstained": _ratio(sum(o.abstained for _, o in pairs), len(pairs)),
        }

    pairs = list(zip(items, outcomes))
    declined = [i for i, o in pairs if o.abstained]
    should = [i for i in items if i.abstain]
    overall = block(pairs)
    overall["abstain_precision"] = _ratio(sum(i.abstain for i in declined), len(declined))
    overall["abstain_recall"] = _ratio(sum(o.abstained for i, o in pairs if i.abstain), len(should))
    latencies = [o.latency_ms for o in outcomes]
    overall["latency_p50_ms"] = statistics.median(latencies)
    overall["latency_p95_ms"] = percentile(latencies, 95)
    by_category = defaultdict(list)
    for pair in pairs:
        by_category[pair[0].category].append(pair)
    return {"overall": overall, "categories": {c: block(p) for c, p in sorted(by_category.items())}}


def run(items: list[GoldenItem], ask: Callable[[str], Outcome]) -> list[Outcome]:
    return [ask(item.question) for item in items]


def failures(items: list[GoldenItem], outcomes: list[Outcome]) -> list[dict]:
    """The items a system got wrong, for reading."""
    out = []
    for item, outcome in zip(items, outcomes):
        if item.abstain != outcome.abstained or (not item.abstain and _rank_of_hit(item, outcome) not in (1, 2, 3)):
            out.append({"id": item.id, "question": item.question, "expected": list(item.articles),
                        "got": [a for a, _ in outcome.passages[:3]], "abstained": outcome.abstained})
    return out


def bot_outcome(bot, question: str) -> Outcome:
    """This project's bot, seen as ranked passages."""
    answer = bot.ask(question)
    passages = [(c.article_id, bot.chunk_text(c.chunk_id)) for c in answer.citations]
    return Outcome(passages, answer.abstained, answer.timings_ms["total"])


def baseline_outcome(baseline, question: str) -> Outcome:
    hits, latency = baseline.search(question, k=5)
    return Outcome([(h.article_id, h.text) for h in hits], False, latency)


ROWS = (("hit@1", "hit@1"), ("hit@3", "hit@3"), ("hit@5", "hit@5"), ("evidence@3", "evidence-hit@3"),
        ("mrr", "MRR"), ("abstain_precision", "abstention precision"), ("abstain_recall", "abstention recall"),
        ("latency_p50_ms", "latency p50 (ms)"), ("latency_p95_ms", "latency p95 (ms)"))


def _cell(value) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}" if isinstance(value, float) and value > 1.5 else f"{value:.3f}"


def format_report(report: dict) -> str:
    """A plain-text table: this bot beside the naive pipeline, then per-category rows."""
    systems = list(report["systems"])
    lines = [f"{report['questions']} questions from {report['file']}", "",
             f"{'':24}" + "".join(f"{s:>12}" for s in systems)]
    for key, label in ROWS:
        lines.append(f"{label:24}" + "".join(f"{_cell(report['systems'][s]['overall'][key]):>12}" for s in systems))
    lines += ["", f"{'category (hit@3 / MRR / abstained)':36}" + "".join(f"{s:>22}" for s in systems)]
    for category in report["systems"][systems[0]]["categories"]:
        cells = []
        for s in systems:
            row = report["systems"][s]["categories"][category]
            cells.append(f"{_cell(row['hit@3'])} / {_cell(row['mrr'])} / {_cell(row['abstained'])}")
        n = report["systems"][systems[0]]["categories"][category]["questions"]
        lines.append(f"{category + f' ({n})':36}" + "".join(f"{c:>22}" for c in cells))
    return "\n".join(lines)
