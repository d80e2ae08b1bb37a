"""Read `kb/scope.yaml`: the subjects coders ask about that the knowledge base does not
cover (ICD-10-CM lookups, DRGs, E/M levels …), each with a few ways of asking. The bot
declines a question that is closer to one of them than to every passage, and names the
subject, instead of answering from the nearest therapy article.

The file is optional; here only its shape is checked, as (where, field, message)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .kb_yaml import read_list

SCOPE_FILE = "scope.yaml"


@dataclass(frozen=True)
class Subject:
    name: str
    asked_as: tuple[str, ...]

    def texts(self) -> list[str]:
        """What is embedded for the subject: its name and each way of asking."""
        return [self.name, *self.asked_as]


def _subject(entry, where: str, problems: list) -> Subject | None:
    if not isinstance(entry, dict):
        problems.append((where, "subject", "must be a mapping with subject and asked_as"))
        return None
    name = entry.get("subject")
    if not isinstance(name, str) or not name.strip():
        problems.append((where, "subject", "is required and must be text"))
        return None
    asked = entry.get("asked_as", [])
    if not isinstance(asked, list) or not all(isinstance(a, str) and a.strip() for a in asked):
        problems.append((f"subject {name.strip()!r}", "asked_as", "must be a list of questions or phrases"))
        asked = []
    for field in sorted(set(entry) - {"subject", "asked_as"}):
        problems.append((f"subject {name.strip()!r}", field, "is not a known field (typo?)"))
    return Subject(name.strip(), tuple(a.strip() for a in asked))


def read_scope(kb_dir: Path) -> tuple[list[Subject], list[tuple[str, str, str]]]:
    """The subjects in kb_dir/scope.yaml (none when the file is absent) and the problems
    with the file's shape."""
    entries, problems = read_list(Path(kb_dir) / SCOPE_FILE, "not_covered", "subjects")
    subjects = [_subject(entry, f"subject {n}", problems) for n, entry in enumerate(entries, 1)]
    return [s for s in subjects if s], problems
