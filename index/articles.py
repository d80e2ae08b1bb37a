"""Read `kb/**/*.md`: YAML front matter on top, `##` sections below, one anchor each."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from .errors import ArticleError
from .records import Article, Section

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n?(.*)\Z", re.S)
_SECTION = re.compile(r"^##[ \t]+(.+?)[ \t#]*$", re.M)
_LIST_FIELDS = ("codes", "modifiers", "aliases", "related", "sources")
_TEXT_FIELDS = ("id", "title", "type", "summary")


def slugify(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "section"


def article_paths(kb_dir: Path) -> list[Path]:
    """Every article file under kb_dir; README files are documentation, not articles."""
    return sorted(p for p in Path(kb_dir).rglob("*.md") if p.name.lower() != "readme.md")


def split_sections(body: str) -> tuple[str, list[Section]]:
    """Text before the first `##` heading, and the sections with unique anchors."""
    parts = _SECTION.split(body)
    preamble, sections, seen = parts[0], [], set()
    for heading, text in zip(parts[1::2], parts[2::2]):
        anchor = base = slugify(heading)
        n = 2
        while anchor in seen:
            anchor, n = f"{base}-{n}", n + 1
        seen.add(anchor)
        sections.append(Section(heading=heading.strip(), anchor=anchor, body=text.strip()))
    return preamble, sections


def _as_list(path, name, value) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ArticleError(path, name, f"must be a list, got {type(value).__name__}")
    for item in value:
        if not isinstance(item, (str, int)) or isinstance(item, bool):
            raise ArticleError(path, name, f"items must be strings, got {item!r}")
    return tuple(str(item).strip() for item in value)


def _as_text(path, name, value) -> str:
    if value is None:
        return ""
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ArticleError(path, name, f"must be text, got {type(value).__name__}")
    return str(value).strip()


def _as_date(path, value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ArticleError(path, "reviewed", f"must be a date YYYY-MM-DD, got {value!r}") from None


def parse_article(path: Path, text: str) -> tuple[Article, dict, str]:
    """(article, raw front matter, text before the first section) from a file's text.
    Raises ArticleError naming the file and field when the file cannot be read as an
    article at all; whether fields are present and valid is the linter's job."""
    match = _FRONT_MATTER.match(text.replace("\r\n", "\n").lstrip("\ufeff"))
    if not match:
        raise ArticleError(path, "front matter", "the file must start with '---', YAML, '---'")
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        raise ArticleError(path, "front matter", f"invalid YAML: {exc}".replace("\n", " ")) from None
    if not isinstance(meta, dict):
        raise ArticleError(path, "front matter", "must be a YAML mapping of fields")
    body = match.group(2)
    preamble, sections = split_sections(body)
    fields = {name: _as_text(path, name, meta.get(name)) for name in _TEXT_FIELDS}
    lists = {name: _as_list(path, name, meta.get(name)) for name in _LIST_FIELDS}
    return Article(
        path=str(path),
        reviewed=_as_date(path, meta.get("reviewed")),
        sections=tuple(sections),
        body=body.strip(),
        codes=tuple(c.upper() for c in lists.pop("codes")),
        modifiers=tuple(m.upper() for m in lists.pop("modifiers")),
        **fields,
        **lists,
    ), meta, preamble


def load_article(path: Path) -> tuple[Article, dict, str]:
    """parse_article() over a file on disk."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ArticleError(path, None, "is not UTF-8 text") from None
    except OSError as exc:
        raise ArticleError(path, None, f"cannot be read ({exc.strerror})") from None
    return parse_article(Path(path), text)
