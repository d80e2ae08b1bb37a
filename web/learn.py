"""The /learn page and GET /api/quiz: parse, ask the curriculum, serialise."""
from __future__ import annotations

import random
import threading

from flask import Flask, current_app, jsonify, render_template, request

from learn.quiz import MAX_ITEMS, MAX_SEED, Curriculum, QuizError
from ncci.check import PairChecker

from .errors import ApiError

DEFAULT_ITEMS = 10


class CurriculumHolder:
    """The one Curriculum of a process, read from kb/ (and the NCCI tables, when loaded)
    on first use."""

    def __init__(self, kb_dir, ncci_path):
        self.kb_dir, self.ncci_path = kb_dir, ncci_path
        self._curriculum, self._lock = None, threading.Lock()

    def get(self) -> Curriculum:
        with self._lock:
            if self._curriculum is None:
                self._curriculum = Curriculum.from_kb(self.kb_dir, PairChecker(self.ncci_path))
            return self._curriculum


def _curriculum() -> Curriculum:
    return current_app.extensions["kbbot.curriculum"].get()


def _whole_number(name: str, default: int | None, low: int, high: int) -> int | None:
    raw = request.args.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise ApiError(400, f"invalid_{name}", f"{name} must be a whole number from {low} to {high}")
    return int(raw)


def quiz():
    path = request.args.get("path") or None
    step = request.args.get("step") or None
    n = _whole_number("n", DEFAULT_ITEMS, 1, MAX_ITEMS)
    seed = _whole_number("seed", None, 0, MAX_SEED)
    seed = random.randint(0, MAX_SEED) if seed is None else seed
    try:
        items = _curriculum().quiz(path, step, n, seed)
    except QuizError as exc:
        raise ApiError(400, exc.code, exc.message) from None
    return jsonify({"path": path, "step": step, "seed": seed, "items": [i.to_json() for i in items]})


def learn_page():
    curriculum = _curriculum()
    counts = {(p.id, s.id): len(curriculum.in_scope(p.id, s.id)) for p in curriculum.paths.values()
              for s in p.steps}
    return render_template("learn.html", paths=list(curriculum.paths.values()), counts=counts,
                           titles=curriculum.titles)


def register(app: Flask, settings) -> None:
    app.extensions["kbbot.curriculum"] = CurriculumHolder(settings.kb_dir, settings.ncci_path)
    app.add_url_rule("/learn", view_func=learn_page)
    app.add_url_rule("/api/quiz", view_func=quiz, methods=["GET"])
