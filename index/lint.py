"""Every rule an article must pass, reported together as a list of problems."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .articles import article_paths, load_article
from .chunking import embed_text, paragraphs, section_windows
from .codes import is_bare_number, is_code, is_modifier
from .errors import ArticleError
from .model import TokenCounter
from .paths import PATHS_FILE, read_paths
from .scope import SCOPE_FILE, read_scope
from .records import ARTICLE_TYPES, Article

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
REQUIRED = ("id", "title", "type", "summary", "sources", "reviewed")
KNOWN_FIELDS = frozenset(REQUIRED + ("codes", "modifiers", "aliases", "related", "timed"))
MAX_WINDOWS_PER_SECTION = 2


@dataclass(frozen=True)
class Problem:
    path: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}"


def _article_problems(article: Article, meta: dict, preamble: str,
                      counter: TokenCounter | None) -> list[Problem]:
    path, out = article.path, []

    def bad(field, message):
        out.append(Problem(path, field, message))

    for name in REQUIRED:
        if not meta.get(name):
            bad(name, "is required")
    for name in sorted(set(meta) - KNOWN_FIELDS):
        bad(name, "is not a known field (typo?)")
    if article.id and not ID_RE.match(article.id):
        bad("id", f"{article.id!r} must be lower-case words joined by hyphens")
    if article.id and Path(path).stem != article.id:
        bad("id", f"{article.id!r} must match the file name ({Path(path).stem}.md)")
    if article.type and article.type not in ARTICLE_TYPES:
        bad("type", f"{article.type!r} is not one of {', '.join(ARTICLE_TYPES)}")
    for code in article.codes:
        if not is_code(code):
            bad("codes", f"{code!r} is not a CPT/HCPCS code (5 digits, 4 digits + F/T, or a letter + 4 digits)")
    for modifier in article.modifiers:
        if not is_modifier(modifier):
            bad("modifiers", f"{modifier!r} is not a two-character modifier")
    for alias in meta.get("aliases") or ():
        if is_bare_number(str(alias)):
            bad("aliases", f"{alias!r} is a bare number: it would match \"{str(alias).strip('-')} minutes\"; "
                           "the bot reads modifiers and codes in a question without aliases")
    if article.type == "code" and not article.codes:
        bad("codes", "a code article must list the codes it is about")
    if "timed" in meta and (article.type != "code" or not isinstance(meta["timed"], bool)):
        bad("timed", "must be true or false (15-minute timed code or untimed), on code articles only")
    if article.type == "modifier" and not article.modifiers:
        bad("modifiers", "a modifier article must list the modifiers it is about")
    if preamble.strip():
        bad("body", "text before the first '## ' section is never indexed; put it in a section")
    if not article.sections:
        bad("body", "has no '## ' sections")
    for section in article.sections:
        if not section.body:
            bad("body", f"section {section.heading!r} is empty")
        elif counter is not None:
            out.extend(_window_problems(article, section, counter))
    return out


def _window_problems(article, section, counter) -> list[Problem]:
    out = []
    for para in paragraphs(section.body):
        size = counter.count(embed_text(article.title, section.heading, para))
        if size > counter.window:
            out.append(Problem(article.path, "body", (
                f"a paragraph of section {section.heading!r} has {size} word pieces with the title "
                f"and heading; the model reads {counter.window}: split it")))
    windows = section_windows(article, section, counter)
    if len(windows) > MAX_WINDOWS_PER_SECTION:
        out.append(Problem(article.path, "body", (
            f"section {section.heading!r} needs {len(windows)} chunks; keep a section within "
            f"{MAX_WINDOWS_PER_SECTION} so each citation stays focused: split it")))
    return out


def lint_kb(kb_dir: Path, counter: TokenCounter | None = None) -> tuple[list[Article], list[Problem]]:
    """All articles that could be read, and every problem found in the knowledge base."""
    articles, problems = [], []
    paths = article_paths(kb_dir)
    if not paths:
        problems.append(Problem(str(kb_dir), "kb", "holds no articles (*.md)"))
    for path in paths:
        try:
            article, meta, preamble = load_article(path)
        except ArticleError as exc:
            problems.append(Problem(exc.path, exc.field or "file", exc.message))
            continue
        articles.append(article)
        problems.extend(_article_problems(article, meta, preamble, counter))
    ids = Counter(a.id for a in articles if a.id)
    for article in articles:
        if ids[article.id] > 1:
            problems.append(Problem(article.path, "id", f"{article.id!r} is used by {ids[article.id]} articles"))
        for target in article.related:
            if target not in ids:
                problems.append(Problem(article.path, "related", f"{target!r} is not the id of any article"))
            elif target == article.id:
                problems.append(Problem(article.path, "related", "an article cannot be related to itself"))
    problems.extend(_learning_path_problems(kb_dir, set(ids)))
    file = str(Path(kb_dir) / SCOPE_FILE)
    problems.extend(Problem(file, f"{where}: {field}" if where else field, message)
                    for where, field, message in read_scope(kb_dir)[1])
    return articles, problems


def _learning_path_problems(kb_dir: Path, ids: set) -> list[Problem]:
    """The curriculum file's shape, and every article id it names must exist."""
    file = str(Path(kb_dir) / PATHS_FILE)
    paths, shape = read_paths(kb_dir)
    out = [Problem(file, f"{where}: {field}" if where else field, message) for where, field, message in shape]
    for path in paths:
        for step in path.steps:
            for article_id in step.articles:
                if article_id not in ids:
                    out.append(Problem(file, f"path {path.id} step {step.id}: articles",
                                       f"{article_id!r} is not the id of any article"))
    return out
