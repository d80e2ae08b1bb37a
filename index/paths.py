"""Read `kb/paths.yaml`, the new-hire curriculum: ordered learning paths, each an ordered
list of steps, each step a one-line goal and the ids of the articles to read.

The file is optional. Whether every article id exists is checked by the linter, which
knows the ids; here only the file's own shape is checked."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .kb_yaml import read_list

PATHS_FILE = "paths.yaml"
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    goal: str
    articles: tuple[str, ...]


@dataclass(frozen=True)
class LearningPath:
    id: str
    title: str
    summary: str
    steps: tuple[Step, ...]

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def article_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(a for s in self.steps for a in s.articles))


def _text(entry: dict, name: str, where: str, problems: list) -> str:
    value = entry.get(name)
    if not isinstance(value, str) or not value.strip():
        problems.append((where, name, "is required and must be text"))
        return ""
    return value.strip()


def _identifier(entry: dict, where: str, problems: list, seen: set) -> str:
    value = _text(entry, "id", where, problems)
    if value and not _ID.match(value):
        problems.append((where, "id", f"{value!r} must be lower-case words joined by hyphens"))
    elif value in seen:
        problems.append((where, "id", f"{value!r} is used twice"))
    seen.add(value)
    return value


def _step(entry, path_where: str, number: int, problems: list, seen: set) -> Step | None:
    where = f"{path_where} step {number}"
    if not isinstance(entry, dict):
        problems.append((where, "step", "must be a mapping with id, title, goal and articles"))
        return None
    step_id = _identifier(entry, where, problems, seen)
    where = f"{path_where} step {step_id}" if step_id else where
    title, goal = _text(entry, "title", where, problems), _text(entry, "goal", where, problems)
    articles = entry.get("articles")
    if not isinstance(articles, list) or not articles or not all(isinstance(a, str) for a in articles):
        problems.append((where, "articles", "must be a non-empty list of article ids"))
        articles = []
    for name in sorted(set(entry) - {"id", "title", "goal", "articles"}):
        problems.append((where, name, "is not a known field (typo?)"))
    return Step(step_id, title, goal, tuple(a.strip() for a in articles))


def _path(entry, where: str, problems: list, seen: set) -> LearningPath | None:
    if not isinstance(entry, dict):
        problems.append((where, "path", "must be a mapping with id, title, summary and steps"))
        return None
    path_id = _identifier(entry, where, problems, seen)
    where = f"path {path_id}" if path_id else where
    title, summary = _text(entry, "title", where, problems), _text(entry, "summary", where, problems)
    steps_raw = entry.get("steps")
    if not isinstance(steps_raw, list) or not steps_raw:
        problems.append((where, "steps", "must be a non-empty list of steps"))
        steps_raw = []
    for name in sorted(set(entry) - {"id", "title", "summary", "steps"}):
        problems.append((where, name, "is not a known field (typo?)"))
    step_ids: set = set()
    steps = [_step(s, where, n, problems, step_ids) for n, s in enumerate(steps_raw, 1)]
    return LearningPath(path_id, title, summary, tuple(s for s in steps if s))


def read_paths(kb_dir: Path) -> tuple[list[LearningPath], list[tuple[str, str, str]]]:
    """The learning paths in kb_dir/paths.yaml (none when the file is absent) and the
    problems with the file's shape, each as (where, field, message)."""
    entries, problems = read_list(Path(kb_dir) / PATHS_FILE, "paths", "learning paths")
    seen: set = set()
    paths = [_path(p, f"path {n}", problems, seen) for n, p in enumerate(entries, 1)]
    return [p for p in paths if p], problems
