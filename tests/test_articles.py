import pytest

from index.articles import load_article, parse_article, split_sections
from index.errors import ArticleError
from index.lint import lint_kb

from .conftest import KB_DIR, write_article

GOOD = """id: cpt-99999
title: "99999 — A synthetic test article"
type: code
codes: ["99999"]
aliases: ["test alias"]
related: []
summary: Synthetic, for tests only.
sources: ["Synthetic test source"]
reviewed: 2026-11-30"""


def test_sections_get_stable_unique_anchors():
    _, sections = split_sections("## What it covers\na\n## Units & billing\nb\n## What it covers\nc\n")
    assert [s.anchor for s in sections] == ["what-it-covers", "units-billing", "what-it-covers-2"]
    assert [s.body for s in sections] == ["a", "b", "c"]


def test_parse_reads_fields_and_sections(tmp_path):
    path = write_article(tmp_path / "codes" / "cpt-99999.md", GOOD, "## What it covers\nText.\n\n## Units\nMore.\n")
    article, meta, preamble = load_article(path)
    assert article.id == "cpt-99999" and article.codes == ("99999",)
    assert article.reviewed == "2026-11-30"
    assert [s.heading for s in article.sections] == ["What it covers", "Units"]
    assert preamble.strip() == ""


@pytest.mark.parametrize("front_matter, field, fragment", [
    ("id: [unclosed", "front matter", "invalid YAML"),
    ("- just\n- a list", "front matter", "mapping"),
    (GOOD.replace('codes: ["99999"]', "codes: 99999"), "codes", "must be a list"),
    (GOOD.replace('aliases: ["test alias"]', "aliases: [{a: 1}]"), "aliases", "strings"),
    (GOOD.replace("reviewed: 2026-11-30", "reviewed: last week"), "reviewed", "YYYY-MM-DD"),
    (GOOD.replace("summary: Synthetic, for tests only.", "summary: [1, 2]"), "summary", "must be text"),
])
def test_unreadable_front_matter_names_file_and_field(tmp_path, front_matter, field, fragment):
    path = write_article(tmp_path / "bad.md", front_matter)
    with pytest.raises(ArticleError) as info:
        load_article(path)
    assert info.value.field == field
    assert fragment in info.value.message
    assert str(path) in str(info.value)


def test_missing_front_matter(tmp_path):
    with pytest.raises(ArticleError, match="front matter"):
        parse_article(tmp_path / "x.md", "## Just a section\n")


@pytest.mark.parametrize("edit, field, fragment", [
    (lambda fm: fm.replace("type: code", "type: recipe"), "type", "not one of"),
    (lambda fm: fm.replace("summary: Synthetic, for tests only.\n", ""), "summary", "required"),
    (lambda fm: fm.replace('sources: ["Synthetic test source"]', "sources: []"), "sources", "required"),
    (lambda fm: fm.replace("reviewed: 2026-11-30", ""), "reviewed", "required"),
    (lambda fm: fm.replace('codes: ["99999"]', 'codes: ["9999"]'), "codes", "not a CPT/HCPCS code"),
    (lambda fm: fm.replace('codes: ["99999"]', 'codes: []'), "codes", "must list the codes"),
    (lambda fm: fm.replace("related: []", "related: [no-such-article]"), "related", "not the id of any article"),
    (lambda fm: fm.replace("id: cpt-99999", "id: CPT_99999"), "id", "lower-case"),
    (lambda fm: fm + "\nsynonyms: [x]", "synonyms", "not a known field"),
    (lambda fm: fm + "\nmodifiers: ['5']", "modifiers", "two-character"),
    (lambda fm: fm.replace('aliases: ["test alias"]', 'aliases: ["-25"]'), "aliases", "bare number"),
])
def test_lint_reports_each_rule(tmp_path, token_counter, edit, field, fragment):
    write_article(tmp_path / "kb" / "codes" / "cpt-99999.md", edit(GOOD))
    _, problems = lint_kb(tmp_path / "kb", token_counter)
    assert any(p.field == field and fragment in p.message for p in problems), problems


def test_lint_reports_all_problems_not_the_first(tmp_path, token_counter):
    write_article(tmp_path / "kb" / "a" / "cpt-99999.md", GOOD.replace("type: code", "type: x"))
    write_article(tmp_path / "kb" / "b" / "cpt-99999.md", GOOD)
    write_article(tmp_path / "kb" / "c" / "broken.md", "id: [")
    _, problems = lint_kb(tmp_path / "kb", token_counter)
    fields = {p.field for p in problems}
    assert {"type", "id", "front matter"} <= fields


def test_lint_rejects_text_outside_sections_and_overlong_paragraphs(tmp_path, token_counter):
    long_paragraph = " ".join(["modifier 59 distinct procedural service documentation"] * 60)
    write_article(tmp_path / "kb" / "cpt-99999.md", GOOD, f"Intro text.\n\n## Long\n{long_paragraph}\n")
    _, problems = lint_kb(tmp_path / "kb", token_counter)
    messages = " ".join(p.message for p in problems)
    assert "before the first" in messages
    assert "word pieces" in messages


def test_real_kb_is_clean(token_counter):
    articles, problems = lint_kb(KB_DIR, token_counter)
    assert problems == []
    assert len(articles) >= 12
