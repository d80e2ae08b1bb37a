"""`kbbot quiz` in the terminal: ask each question, read the answers, print the score,
the explanations of the misses and the sections to re-read."""
from __future__ import annotations

from collections import Counter
from typing import TextIO

from learn.quiz import Curriculum, Item, QuizError, score


def parse_answers(text: str, count: int) -> list[int | None]:
    """'2,1,,4' → [1, 0, None, 3]: 1-based choices, 0 or empty for no answer."""
    answers = []
    for part in text.split(","):
        part = part.strip()
        if part and not part.isdigit():
            raise QuizError("invalid_answers", f"--answers must be numbers separated by commas, got {part!r}")
        answers.append(int(part) - 1 if part and int(part) > 0 else None)
    if len(answers) > count:
        raise QuizError("invalid_answers", f"--answers gives {len(answers)} answers for {count} questions")
    return answers


def _ask(item: Item, number: int, stdin: TextIO, out: TextIO) -> int | None:
    print(f"\n{number}. {item.question.prompt}", file=out)
    for i, option in enumerate(item.options, 1):
        print(f"   {i}) {option}", file=out)
    while True:
        print(f"Your answer (1–{len(item.options)}): ", end="", file=out, flush=True)
        line = stdin.readline()
        if not line:
            return None
        if line.strip().isdigit() and 1 <= int(line) <= len(item.options):
            return int(line) - 1
        print(f"Type a number from 1 to {len(item.options)}.", file=out)


def ask_all(items: list[Item], answers: str | None, stdin: TextIO, out: TextIO) -> list[int | None]:
    """The given --answers, or each answer read from stdin; input that ends early leaves
    the remaining questions unanswered."""
    if answers is not None:
        return parse_answers(answers, len(items))
    given = []
    for number, item in enumerate(items, 1):
        choice = _ask(item, number, stdin, out)
        if choice is None:
            print("\n(no more input: the remaining questions count as not answered)", file=out)
            break
        given.append(choice)
    return given


def print_report(items: list[Item], answers: list[int | None], seed: int, out: TextIO) -> None:
    right, missed = score(items, answers)
    print(f"\nScore: {right} of {len(items)} (seed {seed})", file=out)
    if missed:
        print("\nMissed:", file=out)
    for item in missed:
        q = item.question
        print(f"- {q.prompt}\n  Answer: {item.options[item.answer]}\n  Why: {q.explanation}\n"
              f"  Re-read: {q.cite.title} — {q.cite.section}  {q.cite.url}", file=out)


def print_stats(curriculum: Curriculum, out: TextIO | None = None) -> None:
    kinds = Counter(q.kind for q in curriculum.questions)
    print(f"{len(curriculum.questions)} distinct questions", file=out)
    for kind, count in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {kind:<9} {count}", file=out)
    for path in curriculum.paths.values():
        print(f"path {path.id}: {len(curriculum.in_scope(path.id))} questions in its review quiz", file=out)
        for step in path.steps:
            print(f"  step {step.id}: {len(curriculum.in_scope(path.id, step.id))}", file=out)
