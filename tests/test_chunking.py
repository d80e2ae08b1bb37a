from index.chunking import chunk_article, sentences
from index.records import Article, Section


def make_article(*sections: tuple[str, str]) -> Article:
    return Article(id="cpt-99999", title="99999 — Synthetic", type="code", path="x.md",
                   sections=tuple(Section(h, h.lower().replace(" ", "-"), b) for h, b in sections))


def test_short_section_is_one_chunk_with_title_and_heading(token_counter):
    chunks = chunk_article(make_article(("Units", "99999 is billed per 15 minutes.")), token_counter)
    assert len(chunks) == 1
    chunk = chunks[0]
    assert chunk.embed_text.startswith("99999 — Synthetic — Units\n")
    assert chunk.chunk_id == "cpt-99999#units"
    assert chunk.codes == ("99999",)


def test_long_section_splits_at_paragraphs_within_the_window(token_counter):
    paragraph = ("Modifier 59 goes on the column 2 code when the services were distinct. " * 6).strip()
    body = "\n\n".join(f"{i} {paragraph}" for i in range(8))
    chunks = chunk_article(make_article(("Billing", body)), token_counter)
    assert len(chunks) > 1
    assert all(token_counter.count(c.embed_text) <= token_counter.window for c in chunks)
    assert "\n\n".join(c.text for c in chunks) == body.strip()
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    assert all(c.modifiers == ("59",) for c in chunks)


def test_sentences_from_prose_lists_and_tables():
    body = ("97535 is timed (e.g. 15-minute units). It needs a plan of care.\n\n"
            "The six basic ADLs are:\n- eating;\n- bathing\n\n"
            "- A list with no lead-in\n\n"
            "| Units | Minutes |\n|---|---|\n| 1 | 8 – 22 |")
    assert sentences(body, "ADLs") == [
        "97535 is timed (e.g. 15-minute units).", "It needs a plan of care.",
        "The six basic ADLs are: eating.", "The six basic ADLs are: bathing.",
        "ADLs: A list with no lead-in.", "Units: 1; Minutes: 8 – 22."]


def test_content_hash_changes_with_text(token_counter):
    a = chunk_article(make_article(("Units", "One.")), token_counter)[0]
    b = chunk_article(make_article(("Units", "Two.")), token_counter)[0]
    assert a.content_hash != b.content_hash
