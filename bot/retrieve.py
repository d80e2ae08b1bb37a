"""The retrieval signals: dense, lexical, entity (articles about a code or modifier) and
best-sentence. Each returns chunk rows ranked best first as (row, score)."""
from __future__ import annotations

from collections import defaultdict

import numpy as np

from index import ann
from index.codes import codes_in_ranges
from index.store import IndexData

from .analyze import Query

MANY_ROWS = 256  # rank_rows sorts more rows than this in numpy; fewer sort faster in Python
SENTENCES_PER_CHUNK = 4  # approximate kinds: sentences fetched per chunk wanted (a chunk's sentences cluster)


class Similarity:
    """One question's similarity to chunks, to each chunk's closest sentence and to the
    scope texts. For the exact (flat) kind all are computed once over every row, and every
    signal reads them; the approximate kinds exist to avoid that, so their rows are scored
    as signals ask."""

    def __init__(self, data: IndexData, query_vector: np.ndarray):
        self.data = data
        self.query_vector = query_vector
        self.exact = data.manifest.faiss_kind == "flat"
        if self.exact:
            products = data.vector_columns @ query_vector
            chunk_end = len(data.chunks)
            sentence_end = chunk_end + len(data.sentence_vectors)
            self.all_chunks = products[:chunk_end]
            self.every_sentence = products[chunk_end:sentence_end]  # by sentence row
            self._scope = products[sentence_end:]
            starts = data.sentence_starts
            if len(starts) == len(data.chunks):  # every chunk has sentences: one max per chunk row
                self.all_sentences = np.maximum.reduceat(self.every_sentence, starts)
            else:
                self.all_sentences = np.full(len(data.chunks), -1.0, dtype=np.float32)
                if len(starts):
                    self.all_sentences[data.sentence_owners[starts]] = np.maximum.reduceat(self.every_sentence, starts)
            self._all_sections: np.ndarray | None = None

    def scope(self) -> np.ndarray:
        """The question's similarity to each kb/scope.yaml text."""
        return self._scope if self.exact else self.data.scope.vectors @ self.query_vector

    def chunks(self, rows: list[int]) -> np.ndarray:
        return self.all_chunks[rows] if self.exact else self.data.chunk_vectors[rows] @ self.query_vector

    def of_sentences(self, start: int, stop: int) -> np.ndarray:
        """The similarity of sentence rows start…stop-1 (one chunk's sentences)."""
        if self.exact:
            return self.every_sentence[start:stop]
        return self.data.sentence_vectors[start:stop] @ self.query_vector

    def sections(self, rows: list[int]) -> np.ndarray:
        """Each row's section score (rank_rows): the mean of the chunk's score and its
        closest sentence's, if that is higher."""
        if self.exact:
            if self._all_sections is None:  # for every row at once, when a question names an entity
                self._all_sections = np.maximum(self.all_chunks, self.all_sentences)
                self._all_sections += self.all_chunks
                self._all_sections *= 0.5
            return self._all_sections[rows]
        chunk, sentence = self.chunks(rows), self.sentences(rows)
        return (chunk + np.maximum(chunk, sentence)) / 2

    def sentences(self, rows: list[int]) -> np.ndarray:
        """Each row's closest sentence (-1 for a chunk without sentences)."""
        if self.exact:
            return self.all_sentences[rows]
        # one product over all the rows' sentences, gathered, then a max per row: a question
        # on a code that 2,365 synthetic chunks mention took 23 ms row by row (cProfile)
        counts = self.data.sentence_counts[rows]
        best = np.full(len(rows), -1.0, dtype=np.float32)
        has = counts > 0
        if has.any():
            counts, firsts = counts[has], self.data.sentence_firsts[rows][has]
            offsets = np.cumsum(counts) - counts
            gathered = np.arange(counts.sum()) - np.repeat(offsets - firsts, counts)
            best[has] = np.maximum.reduceat(self.data.sentence_vectors[gathered] @ self.query_vector, offsets)
        return best


def dense(similarity: Similarity, k: int) -> list[tuple[int, float]]:
    if not similarity.exact:
        return ann.search(similarity.data.faiss_index, similarity.query_vector, k)
    return ann.top_k(similarity.all_chunks, k)


def lexical(data: IndexData, text: str, k: int) -> list[tuple[int, float]]:
    return data.lexical.search(text, k)


class EntityMap:
    """Which chunks belong to the articles *about* a code or modifier, and which merely
    mention it; built once per index."""

    def __init__(self, data: IndexData):
        self.rows_by_article: dict[str, list[int]] = defaultdict(list)
        self.articles_by_code: dict[str, list[str]] = defaultdict(list)
        self.articles_by_modifier: dict[str, list[str]] = defaultdict(list)
        self.rows_mentioning_code: dict[str, list[int]] = defaultdict(list)
        self.rows_mentioning_modifier: dict[str, list[int]] = defaultdict(list)
        self.first_rows: set[int] = set()        # each article's opening section
        self.navigation_rows: set[int] = set()   # "Related …" sections
        for row, chunk in enumerate(data.chunks):
            if not self.rows_by_article[chunk.article_id]:
                self.first_rows.add(row)
            if chunk.section.lower().startswith("related"):
                self.navigation_rows.add(row)
            self.rows_by_article[chunk.article_id].append(row)
            for code in dict.fromkeys(chunk.codes + tuple(codes_in_ranges(chunk.embed_text))):
                self.rows_mentioning_code[code].append(row)
            for modifier in chunk.modifiers:
                self.rows_mentioning_modifier[modifier].append(row)
        # an article about one code is better evidence on it than a guide about five, and
        # the code's or modifier's own article better than an error or rule that cites it
        self.specificity: dict[str, float] = {}
        for article_id, meta in data.articles.items():
            own = 1.0 if meta.get("type") in ("code", "modifier") else 0.5
            self.specificity[article_id] = own / max(1, len(meta.get("codes", ())) + len(meta.get("modifiers", ())))
            for code in meta.get("codes", ()):
                self.articles_by_code[code].append(article_id)
            for modifier in meta.get("modifiers", ()):
                self.articles_by_modifier[modifier].append(article_id)

    def boosts(self, rows, article_of, weight: float) -> dict[int, float]:
        return {row: weight * self.specificity.get(article_of[row], 0.0) for row in rows}

    def entity_rows(self, query: Query) -> dict[str, list[int]]:
        """For each entity of the question, the chunks that can give evidence on it: the
        chunks of the articles about it, else the chunks that mention it. Ordered as the
        coder wrote them: typed codes, modifiers, then what aliases stood for."""
        out: dict[str, list[int]] = {}
        typed = [c for c in query.codes if c not in query.alias_codes]
        for code in typed:
            self._add(out, f"code:{code}", self.articles_by_code.get(code, []), self.rows_mentioning_code.get(code, []))
        for modifier in query.modifiers:
            self._add(out, f"modifier:{modifier}", self.articles_by_modifier.get(modifier, []),
                      self.rows_mentioning_modifier.get(modifier, []))
        for code in query.alias_codes:
            self._add(out, f"code:{code}", self.articles_by_code.get(code, []), [])
        for article_id in query.alias_articles:
            if article_id in self.rows_by_article and not any(
                    a == article_id for name in out for a in self._articles_of(name)):
                out[f"article:{article_id}"] = self.rows_by_article[article_id]
        return out

    def _articles_of(self, name: str) -> list[str]:
        kind, value = name.split(":", 1)
        return {"code": self.articles_by_code, "modifier": self.articles_by_modifier}.get(kind, {}).get(value, [])

    def _add(self, out: dict, name: str, articles: list[str], mentioning: list[int]) -> None:
        rows = [r for a in articles for r in self.rows_by_article[a]] or mentioning
        if rows:
            out[name] = rows


def rank_rows(rows: list[int], similarity: Similarity,
              boost: dict[int, float] | None = None) -> list[tuple[int, float]]:
    """Candidate rows ordered by similarity to the question, plus an optional boost. A
    section's similarity is the mean of the whole chunk's and its closest sentence's: a
    "Billing with other codes" list is far from the question as a whole even when one of
    its sentences answers it (hit@1 0.861 → 0.880 on the golden set)."""
    if not rows:
        return []
    sections = similarity.sections(rows)
    boost = boost or {}
    if len(rows) <= MANY_ROWS:
        return sorted(((r, s + boost.get(r, 0.0)) for r, s in zip(rows, sections.tolist())),
                      key=lambda item: item[1], reverse=True)
    scores = sections.astype(np.float64) + np.fromiter((boost.get(r, 0.0) for r in rows), np.float64, len(rows))
    order = np.argsort(-scores, kind="stable")  # ties keep the rows' order, as sorted() does
    return list(zip(np.asarray(rows)[order].tolist(), scores[order].tolist()))


def best_sentence(similarity: Similarity, k: int) -> list[tuple[int, float]]:
    """Chunks ranked by their single closest sentence: a passage with one sentence that
    answers the question outranks one that is only generally on topic."""
    if similarity.exact:
        return [(r, score) for r, score in ann.top_k(similarity.all_sentences, k) if score > -1.0]
    data = similarity.data
    owners = data.sentence_owners
    ranked: dict[int, float] = {}
    for sentence_row, score in ann.search(data.sentence_index, similarity.query_vector, SENTENCES_PER_CHUNK * k):
        ranked.setdefault(int(owners[sentence_row]), score)  # best first, so the first is the max
    return list(ranked.items())[:k]
