"""Bot: load an index directory once, answer questions from it."""
from __future__ import annotations

import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from index.chunking import plain
from index.embedder import Embedder
from index.lexical import tokenize
from index.store import IndexData, load_index

from . import abstain, answer, fuse, intent, retrieve
from .analyze import AliasTable, Query, analyze
from .definition import subject_of
from .pairs import pair_fact
from .spelling import Speller

CANDIDATES_PER_SIGNAL = 30
SNIPPET_CHARS = 420
DEFAULT_TOP_K = 5
MAX_TOP_K = 20
EVIDENCE_PASSAGES = 3  # the passages whose words count as covering the question
WEIGHTS = {"dense": 1.0, "lexical": 0.8, "entity": 1.2, "sentence": 1.5}
SPECIFICITY_BOOST = 0.1
NAVIGATION_FACTOR = 0.4  # "Related …" sections list codes; they are rarely the evidence
DEFINITION_FACTOR = 1.25 # opening sections, for "what is X?" questions
INTENT_BOOST = 0.15      # sections of the kind the question asks for (bot/intent.py)
SIGNAL_THREADS = 4       # as many as a gunicorn worker's request threads


@dataclass
class Citation:
    n: int
    article_id: str
    title: str
    section: str
    url: str
    snippet: str
    score: float
    chunk_id: str


@dataclass
class TextSignals:
    lexical: list[tuple[int, float]]
    entity_rows: dict[str, list[int]]
    pool: list[int]             # every chunk that can give evidence on an entity asked about
    boost: dict[int, float]
    query_terms: set[str]
    pair_check: dict | None     # bot/pairs.py


@dataclass
class Answer:
    question: str
    answer: str
    citations: list[Citation]
    abstained: bool
    confidence: float
    entities: dict
    timings_ms: dict
    index_version: str
    reason: str = ""
    suggestions: list[dict] = field(default_factory=list)
    pair_check: dict | None = None   # the NCCI pair fact (bot/pairs.py); None below two codes

    def to_json(self) -> dict:
        data = asdict(self)
        for citation in data["citations"]:
            citation.pop("chunk_id")
        return data


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    text = plain(text)
    if len(text) <= limit:
        return text
    cut = text[:limit]
    stop = cut.rfind(". ")
    return (cut[:stop + 1] if stop > limit // 2 else cut.rsplit(" ", 1)[0]) + " …"


class Bot:
    def __init__(self, data: IndexData, embedder: Embedder, pair_checker=None):
        """`pair_checker` (ncci.check.PairChecker or alike) answers pair questions from the
        NCCI tables; without one, answers carry no pair fact."""
        self.data = data
        self.embedder = embedder
        self.pair_checker = pair_checker
        self.aliases = AliasTable(data.articles)
        self.speller = Speller([c.embed_text for c in data.chunks] +
                               [a for meta in data.articles.values() for a in meta["aliases"]])
        self.entities = retrieve.EntityMap(data)
        self.article_of = [c.article_id for c in data.chunks]
        self._row_of = {c.chunk_id: row for row, c in enumerate(data.chunks)}
        self._terms = [set(tokenize(c.embed_text)) for c in data.chunks]
        self._heading_index = intent.HeadingIndex([c.section for c in data.chunks])
        self.term_weights = abstain.TermWeights(self._terms)
        self._snippets: dict[int, str] = {}
        self._signal_threads = ThreadPoolExecutor(max_workers=SIGNAL_THREADS, thread_name_prefix="signals")
        offsets = np.cumsum([0] + [len(c.sentences) for c in data.chunks])
        self._sentence_slices = [(int(a), int(b)) for a, b in zip(offsets[:-1], offsets[1:])]
        self._sentence_terms = [frozenset(tokenize(s)) for c in data.chunks for s in c.sentences]

    def chunk_sentences(self, chunk_id: str) -> tuple[str, ...]:
        return self.data.chunks[self._row_of[chunk_id]].sentences

    def chunk_text(self, chunk_id: str) -> str:
        """The full text of a cited passage (a citation carries only a snippet)."""
        return self.data.chunks[self._row_of[chunk_id]].embed_text

    @classmethod
    def from_index(cls, index_dir: Path, embedder: Embedder | None = None, pair_checker=None) -> "Bot":
        embedder = embedder or Embedder()
        return cls(load_index(Path(index_dir), model_sha256=embedder.sha256), embedder, pair_checker)

    @property
    def index_version(self) -> str:
        return self.data.manifest.index_version

    def _text_signals(self, query: Query) -> "TextSignals":
        """The signals that need no query vector; computed while the question is encoded."""
        lexical = retrieve.lexical(self.data, query.normalized, CANDIDATES_PER_SIGNAL)
        entity_rows = self.entities.entity_rows(query)
        pool = sorted({r for rows in entity_rows.values() for r in rows})
        boost = self.entities.boosts(pool, self.article_of, SPECIFICITY_BOOST)
        for row in self._heading_index.rows(intent.wanted_headings(query)):
            boost[row] = boost.get(row, 0.0) + INTENT_BOOST
        return TextSignals(lexical, entity_rows, pool, boost, set(tokenize(query.normalized)),
                           pair_fact(self.pair_checker, query.codes, date.today()))

    def _encode_with_signals(self, query: Query) -> tuple[np.ndarray, "TextSignals"]:
        """The query vector and the text signals, side by side: ONNX Runtime releases the
        GIL while it runs, and the text signals take less time than the encode."""
        signals = self._signal_threads.submit(self._text_signals, query)
        return self.embedder.encode_query(query.normalized), signals.result()

    def _rank(self, query: Query, query_vector: np.ndarray, signals: "TextSignals", top_k: int):
        dense = retrieve.dense(self.data, query_vector, CANDIDATES_PER_SIGNAL)
        per_entity = {name: retrieve.rank_rows(rows, self.data.chunk_vectors, query_vector, signals.boost)
                      for name, rows in signals.entity_rows.items()}
        entity_pool = retrieve.rank_rows(signals.pool, self.data.chunk_vectors, query_vector,
                                         signals.boost)[:CANDIDATES_PER_SIGNAL]
        sentence = retrieve.best_sentence(self.data, query_vector, CANDIDATES_PER_SIGNAL)
        fused = fuse.reciprocal_rank_fusion(
            [dense, signals.lexical, entity_pool, sentence],
            [WEIGHTS["dense"], WEIGHTS["lexical"], WEIGHTS["entity"], WEIGHTS["sentence"]])
        fused = fuse.demote(fused, self.entities.navigation_rows, NAVIGATION_FACTOR)
        if subject_of(query.normalized):  # "what is X?": the opening sections define things
            fused = fuse.demote(fused, self.entities.first_rows, DEFINITION_FACTOR)
        per_entity = {name: [(r, s) for r, s in ranking if r not in self.entities.navigation_rows]
                      for name, ranking in per_entity.items()}
        rows = fuse.diversify(fused, list(per_entity.values()), self.article_of, top_k)
        return rows, dense, list(per_entity)

    def ask(self, question: str, top_k: int = DEFAULT_TOP_K) -> Answer:
        started = time.perf_counter()
        top_k = max(1, min(int(top_k), MAX_TOP_K, len(self.data.chunks)))
        query = analyze(question, self.aliases, self.speller)
        query_vector, signals = self._encode_with_signals(query)
        encoded = time.perf_counter()
        rows, dense, entity_names = self._rank(query, query_vector, signals, top_k)
        similarity = {row: float(self.data.chunk_vectors[row] @ query_vector) for row in rows}
        decision = self._decide(query, rows, similarity, signals.query_terms)
        retrieved = time.perf_counter()
        entities = {"codes": list(query.codes), "modifiers": list(query.modifiers)}
        pair_check = signals.pair_check
        if decision.abstain:
            return self._abstention(question, entities, decision, dense, started, encoded, retrieved, pair_check)
        citations = [self._citation(n, row, similarity[row]) for n, row in enumerate(rows, start=1)]
        passages = [self._passage(n, row, query) for n, row in enumerate(rows, start=1)]
        ranked = answer.candidates(query, query_vector, passages)
        chosen = answer.select(ranked, [n for n in entity_names if not n.startswith("article:")])
        text = answer.render(chosen)
        return Answer(question, text, citations, False, round(decision.confidence, 3), entities,
                      self._timings(started, encoded, retrieved), self.index_version, decision.reason,
                      pair_check=pair_check)

    def _decide(self, query: Query, rows: list[int], similarity: dict[int, float],
                query_terms: set[str]) -> abstain.Decision:
        known, unknown = [], []
        for code in query.codes:
            (known if code in self.entities.articles_by_code else unknown).append(code)
        for modifier in query.modifiers:
            (known if modifier in self.entities.articles_by_modifier else unknown).append(
                f"modifier {modifier}")
        passage_terms = set().union(*(self._terms[row] for row in rows[:EVIDENCE_PASSAGES])) if rows else set()
        coverage = self.term_weights.coverage(query_terms, passage_terms)
        return abstain.decide(max(similarity.values(), default=0.0), coverage, known, unknown,
                              bool(query.alias_articles))

    def _passage(self, n: int, row: int, query: Query) -> answer.Passage:
        chunk = self.data.chunks[row]
        start, stop = self._sentence_slices[row]
        meta = self.data.articles[chunk.article_id]
        about = {f"code:{c}" for c in meta["codes"]} | {f"modifier:{m}" for m in meta["modifiers"]}
        wanted = {f"code:{c}" for c in query.codes} | {f"modifier:{m}" for m in query.modifiers}
        return answer.Passage(n, list(chunk.sentences), self.data.sentence_vectors[start:stop],
                              self._sentence_terms[start:stop],
                              frozenset(about & wanted), meta["type"] in ("code", "modifier"),
                              row in self.entities.first_rows,
                              row in self.entities.navigation_rows, chunk.section)

    def _snippet(self, row: int) -> str:
        if row not in self._snippets:
            self._snippets[row] = snippet(self.data.chunks[row].text)
        return self._snippets[row]

    def _citation(self, n: int, row: int, score: float) -> Citation:
        chunk = self.data.chunks[row]
        return Citation(n, chunk.article_id, chunk.title, chunk.section,
                        f"/kb/{chunk.article_id}#{chunk.anchor}", self._snippet(row),
                        round(score, 4), chunk.chunk_id)

    def _abstention(self, question, entities, decision, dense, started, encoded, retrieved, pair_check) -> Answer:
        nearest = list(dict.fromkeys(self.article_of[row] for row, _ in dense))[:3]
        suggestions = [{"article_id": a, "title": self.data.articles[a]["title"], "url": f"/kb/{a}"}
                       for a in nearest]
        text = (f"The knowledge base does not cover that question ({decision.reason}). "
                f"{self.coverage()}")
        return Answer(question, text, [], True, round(decision.confidence, 3), entities,
                      self._timings(started, encoded, retrieved), self.index_version,
                      decision.reason, suggestions, pair_check)

    def coverage(self) -> str:
        """One sentence on what the knowledge base does cover, from its own articles."""
        by_type = defaultdict(list)
        for meta in self.data.articles.values():
            by_type[meta["type"]].append(meta)
        parts = []
        codes = sorted({c for m in by_type["code"] for c in m["codes"]})
        numeric = [c for c in codes if c.isdigit()]
        if codes:
            span = f"{numeric[0]}–{numeric[-1]}" if numeric else codes[0]
            others = [c for c in codes if not c.isdigit()]
            parts.append(f"{len(codes)} therapy and rehabilitation codes ({', '.join([span] + others)})")
        modifiers = sorted({m2 for m in by_type["modifier"] for m2 in m["modifiers"]})
        if modifiers:
            parts.append(f"modifiers ({', '.join(modifiers)})")
        if by_type["error"]:
            parts.append(f"{len(by_type['error'])} coding errors such as upcoding and unbundling")
        rules = len(by_type["rule"]) + len(by_type["concept"])
        if rules:
            parts.append(f"{rules} billing rules and code-set basics (NCCI edits, the 8-minute rule, CPT categories)")
        return "It covers " + "; ".join(parts) + "." if parts else ""

    @staticmethod
    def _timings(started, encoded, retrieved) -> dict:
        done = time.perf_counter()
        return {"encode": round((encoded - started) * 1000, 2),
                "retrieve": round((retrieved - encoded) * 1000, 2),
                "answer": round((done - retrieved) * 1000, 2),
                "total": round((done - started) * 1000, 2)}

    def search(self, text: str, k: int = DEFAULT_TOP_K) -> list[Citation]:
        """The ranked passages alone, no answer and no abstention."""
        k = max(1, min(int(k), MAX_TOP_K, len(self.data.chunks)))
        query = analyze(text, self.aliases, self.speller)
        query_vector, signals = self._encode_with_signals(query)
        rows, _, _ = self._rank(query, query_vector, signals, k)
        return [self._citation(n, row, float(self.data.chunk_vectors[row] @ query_vector))
                for n, row in enumerate(rows, start=1)]
