"""Article → chunks: one per `##` section, split at paragraph boundaries when the section
would not fit the model's window. Also the sentences the answer composer quotes."""
from __future__ import annotations

import hashlib
import re

from .codes import find_codes, find_modifiers
from .model import TokenCounter
from .records import Article, Chunk, Section

_INLINE_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|`)")
_BULLET = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]?\s+(?=[A-Z0-9\"(])")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}")
_ABBREVIATION_END = re.compile(r"\b(?:e\.g|i\.e|vs|etc|approx|Pub|No|Nos|sec|Sec|ch|Ch|Dr|St|U\.S)\.$")


def sentence_embed_text(title: str, sentence: str) -> str:
    """What is embedded for one quotable sentence: the article title gives it context.
    Vectors are reused by content hash (embed text + sentences): a change to how either
    text is composed must bump records.FORMAT_VERSION."""
    return f"{title}: {sentence}"


def embed_text(title: str, heading: str, body: str) -> str:
    return f"{title} — {heading}\n{body}"


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def paragraphs(body: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]


def plain(text: str) -> str:
    """Markdown inline markup removed: what a quoted sentence should read like."""
    text = _INLINE_LINK.sub(r"\1", text)
    return re.sub(r"\s+", " ", _EMPHASIS.sub("", text)).strip()


def _table_rows(lines: list[str]) -> list[str]:
    cells = [[plain(c) for c in line.strip().strip("|").split("|")] for line in lines
             if not _TABLE_RULE.match(line)]
    if len(cells) < 2:
        return [" | ".join(row) for row in cells]
    header, rows = cells[0], cells[1:]
    return ["; ".join(f"{h}: {v}" for h, v in zip(header, row) if v) + "." for row in rows]


def _split_sentences(text: str) -> list[str]:
    pieces: list[str] = []
    for piece in _SENTENCE_END.split(text):
        if pieces and _ABBREVIATION_END.search(pieces[-1]):
            pieces[-1] = f"{pieces[-1]} {piece}"
        elif piece.strip():
            pieces.append(piece.strip())
    return pieces


def _list_item(context: str, item: str) -> str:
    """A list item as a quotable sentence, behind the words that introduce the list, so
    an item quoted alone keeps its meaning ("Common errors: billing …")."""
    item = item.rstrip(" ;,.")
    if not item:
        return ""
    return f"{context} {item}." if context else f"{item}."


def sentences(body: str, heading: str = "") -> list[str]:
    """Quotable units: sentences of prose; list items, each behind the line that
    introduces the list (or the section heading), so a quoted item still makes sense
    alone; table rows labelled with the table's header."""
    units: list[str] = []
    lead_in = ""
    for para in paragraphs(body):
        lines = para.splitlines()
        if all(line.strip().startswith("|") for line in lines):
            units.extend(_table_rows(lines))
            continue
        prose, items, current = [], [], None
        for line in lines:
            if _BULLET.match(line):
                if current is not None:
                    items.append(current)
                current = _BULLET.sub("", line).strip()
            elif current is not None:
                current += " " + line.strip()
            else:
                prose.append(line.strip())
        if current is not None:
            items.append(current)
        prose_sentences = _split_sentences(plain(" ".join(prose))) if prose else []
        if prose_sentences and prose_sentences[-1].endswith(":"):
            lead_in = prose_sentences.pop()
        elif prose_sentences:
            lead_in = ""
        units.extend(prose_sentences)
        if items:
            context = lead_in if 0 < len(lead_in) <= 140 else (f"{heading}:" if heading else "")
            units.extend(_list_item(context, plain(item)) for item in items)
            lead_in = ""
    return [u for u in units if len(u) > 2]


def section_windows(article: Article, section: Section, counter: TokenCounter) -> list[str]:
    """The section body as one text, or as paragraph groups that each fit the window."""
    if counter.count(embed_text(article.title, section.heading, section.body)) <= counter.window:
        return [section.body]
    windows, current = [], []
    for para in paragraphs(section.body):
        candidate = "\n\n".join(current + [para])
        if current and counter.count(embed_text(article.title, section.heading, candidate)) > counter.window:
            windows.append("\n\n".join(current))
            current = [para]
        else:
            current.append(para)
    if current:
        windows.append("\n\n".join(current))
    return windows


def chunk_article(article: Article, counter: TokenCounter) -> list[Chunk]:
    chunks = []
    for section in article.sections:
        if not section.body:
            continue
        windows = section_windows(article, section, counter)
        for part, body in enumerate(windows, start=1):
            suffix = f"~{part}" if len(windows) > 1 else ""
            text = embed_text(article.title, section.heading, body)
            quotable = tuple(sentences(body, section.heading))
            mentions = f"{section.heading}\n{body}"
            chunks.append(Chunk(
                chunk_id=f"{article.id}#{section.anchor}{suffix}",
                article_id=article.id,
                title=article.title,
                section=section.heading,
                anchor=section.anchor,
                text=body,
                embed_text=text,
                codes=tuple(find_codes(mentions)),
                modifiers=tuple(find_modifiers(mentions)),
                sentences=quotable,
                content_hash=content_hash("\n".join((text,) + quotable)),
            ))
    return chunks
