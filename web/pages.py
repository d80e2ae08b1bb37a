"""HTML pages: the chat page and the article library. Article Markdown is rendered on
the server; questions and answers are only ever inserted as text by the page script."""
from __future__ import annotations

from collections import defaultdict

import markdown
from flask import Flask, abort, render_template

from index.articles import split_sections
from index.records import ARTICLE_TYPES

from .state import current_bot

TYPE_LABELS = {"code": "Codes", "modifier": "Modifiers", "error": "Coding errors",
               "rule": "Rules", "concept": "Concepts"}


def _articles() -> dict:
    return current_bot().data.articles


def render_sections(body: str) -> list[dict]:
    _, sections = split_sections(body)
    return [{"heading": s.heading, "anchor": s.anchor,
             "html": markdown.markdown(s.body, extensions=["tables", "sane_lists"])}
            for s in sections]


def chat_page():
    return render_template("chat.html")


def library():
    groups = defaultdict(list)
    for meta in sorted(_articles().values(), key=lambda m: m["title"]):
        groups[meta["type"]].append(meta)
    ordered = [(TYPE_LABELS[t], t, groups[t]) for t in ARTICLE_TYPES if groups[t]]
    return render_template("library.html", groups=ordered)


def article(article_id: str):
    articles = _articles()
    meta = articles.get(article_id)
    if meta is None:
        abort(404)
    related = [articles[r] for r in meta["related"] if r in articles]
    return render_template("article.html", article=meta, sections=render_sections(meta["body"]),
                           related=related, type_label=TYPE_LABELS.get(meta["type"], meta["type"]))


def not_found_page():
    return render_template("404.html"), 404


def register(app: Flask) -> None:
    app.add_url_rule("/", view_func=chat_page)
    app.add_url_rule("/kb", view_func=library)
    app.add_url_rule("/kb/<article_id>", view_func=article)
