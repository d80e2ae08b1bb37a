"""Quizzes: the questions in scope (a path, one of its steps, or the whole knowledge base),
drawn and worded for a seed, and the score of a set of answers."""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from index.articles import article_paths, load_article
from index.paths import LearningPath, read_paths

from .questions import Question, all_questions

MAX_ITEMS = 50
MAX_SEED = 2**32 - 1
WRONG_SHOWN = 3


class QuizError(ValueError):
    """A quiz request that names no existing path or step, or asks for a bad count or seed."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True)
class Item:
    """One question as shown: its options in a seeded order and the index of the right one."""
    question: Question
    options: tuple[str, ...]
    answer: int

    def to_json(self) -> dict:
        q = self.question
        return {"id": q.id, "kind": q.kind, "question": q.prompt, "options": list(self.options),
                "answer": self.answer, "explanation": q.explanation,
                "source": {"article_id": q.cite.article_id, "title": q.cite.title,
                           "section": q.cite.section, "url": q.cite.url}}


class Curriculum:
    """The learning paths and every question the articles in kb_dir support."""

    def __init__(self, paths: list[LearningPath], questions: list[Question], titles: dict[str, str]):
        self.paths = {p.id: p for p in paths}
        self.questions = questions
        self.titles = titles

    @classmethod
    def from_kb(cls, kb_dir: Path, pair_checker=None) -> "Curriculum":
        """`pair_checker` (ncci.check.PairChecker): with NCCI tables loaded, pair questions
        come from them as well as from the articles."""
        loaded = [load_article(p) for p in article_paths(kb_dir)]
        articles = [article for article, _, _ in loaded]
        timed = {article.id: meta["timed"] for article, meta, _ in loaded if isinstance(meta.get("timed"), bool)}
        paths, _ = read_paths(kb_dir)
        return cls(paths, all_questions(articles, timed, _table_check(pair_checker)),
                   {a.id: a.title for a in articles})

    def in_scope(self, path_id: str | None = None, step_id: str | None = None) -> list[Question]:
        if path_id is None:
            if step_id is not None:
                raise QuizError("missing_path", "a step needs its path: give path as well")
            return list(self.questions)
        path = self.paths.get(path_id)
        if path is None:
            raise QuizError("unknown_path", f"no learning path {path_id!r}; paths: {', '.join(self.paths)}")
        if step_id is None:
            articles = set(path.article_ids())
        else:
            step = path.step(step_id)
            if step is None:
                raise QuizError("unknown_step", f"path {path_id!r} has no step {step_id!r}; steps: "
                                                f"{', '.join(s.id for s in path.steps)}")
            articles = set(step.articles)
        return [q for q in self.questions if articles & set(q.articles)]

    def quiz(self, path_id: str | None = None, step_id: str | None = None, n: int = 10,
             seed: int = 0) -> list[Item]:
        check_count(n)
        check_seed(seed)
        return draw(self.in_scope(path_id, step_id), n, seed)


def _table_check(pair_checker):
    """The checker's check for today, or None when no tables are loaded."""
    if pair_checker is None:
        return None
    from ncci.errors import NcciError

    try:
        if pair_checker.release() is None:
            return None
    except NcciError:
        return None
    return lambda codes: pair_checker.check(codes, date.today())


def check_count(n) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_ITEMS:
        raise QuizError("invalid_n", f"n must be a whole number from 1 to {MAX_ITEMS}")
    return n


def check_seed(seed) -> int:
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise QuizError("invalid_seed", f"seed must be a whole number from 0 to {MAX_SEED}")
    return seed


def draw(questions: list[Question], n: int, seed: int) -> list[Item]:
    """Up to n questions taken a kind at a time in turn, so one kind with many questions
    (minutes to units) does not crowd out the rest; same seed, same quiz."""
    rng = random.Random(seed)
    by_kind: dict[str, list[Question]] = {}
    for q in sorted(questions, key=lambda q: q.id):
        by_kind.setdefault(q.kind, []).append(q)
    queues = [by_kind[kind] for kind in sorted(by_kind)]
    rng.shuffle(queues)
    for queue in queues:
        rng.shuffle(queue)
    picked: list[Question] = []
    while len(picked) < n and any(queues):
        for queue in queues:
            if queue and len(picked) < n:
                picked.append(queue.pop())
    return [_worded(q, rng) for q in picked]


def _worded(question: Question, rng: random.Random) -> Item:
    options = [question.answer, *rng.sample(question.wrong, min(WRONG_SHOWN, len(question.wrong)))]
    rng.shuffle(options)
    return Item(question, tuple(options), options.index(question.answer))


def score(items: list[Item], answers: list[int | None]) -> tuple[int, list[Item]]:
    """(number right, the items answered wrong or not at all)."""
    missed = [item for item, given in zip(items, answers) if given != item.answer]
    missed += items[len(answers):]
    return len(items) - len(missed), missed
