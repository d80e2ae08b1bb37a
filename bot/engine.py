"""Bot: load an index directory once, answer questions from it."""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from functools import cached_property
from datetime import date
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from index.chunking import plain
from index.embedder import Embedder
from index.lexical import tokenize
from index.store import IndexData, load_index

from . import abstain, answer, beside, fuse, intent, retrieve
from .analyze import AliasTable, Query, analyze, normalized_text
from .figures import FigureIndex
from .pairs import pair_fact
from .spelling import Speller

CANDIDATES_PER_SIGNAL = 30
SNIPPET_CHARS = 420
DEFAULT_TOP_K = 5
MAX_TOP_K = 20
EVIDENCE_PASSAGES = 3  # the passages whose words count as covering the question
WEIGHTS = {"dense": 1.0, "lexical": 0.8, "entity": 1.2, "sentence": 1.5, "figures": 1.0}
SPECIFICITY_BOOST = 0.15
NAVIGATION_FACTOR = 0.4  # "Related …" sections list codes; they are rarely the evidence
DEFINITION_FACTOR = 1.25 # opening sections, for "what is X?" questions
INTENT_BOOST = 0.15      # sections of the kind the question asks for (bot/intent.py)
PAIR_INTENT_EXTRA = 0.10 # ... more for the pair sections when two codes are asked about together
FIGURES_BOOST = 0.15     # × the share of the question's minute figures a section works through


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
    fused_text: dict[int, float]  # the fusion's share from BM25 and the minute figures, by row
    entity_rows: dict[str, frozenset]  # per entity asked about, the chunks that can give evidence on it
    pool: list[int]             # every chunk that can give evidence on an entity asked about
    boost: dict[int, float]
    wanted_rows: set[int]       # sections of the kind the question asks for (bot/intent.py)
    pair_check: dict | None     # bot/pairs.py
    cues: answer.Cues           # what sentence scoring needs of the question
    asked: frozenset            # its entities as the passages' `about` names them ("code:97110")
    one_service: bool           # see Bot._one_service
    known: list[str]            # the codes and modifiers it names that articles are about …
    unknown: list[str]          # … and those no article is about
    alias_terms: set[str]       # the words of the aliases it used ("ionto")
    term_weights: dict[str, float]  # its words' weights (bot/abstain.py)


@dataclass
class Ranking:
    rows: list[int]                 # the passages to cite, in order
    dense: list[tuple[int, float]]  # the dense signal alone (suggestions when declining)
    entity_names: list[str]         # the question's entities with evidence ("code:97535")
    fused: dict[int, float]         # fused score by row, for the rows some ranking holds
    best_fused: float               # the best of them (1.0 when none scored)
    similarity: dict[int, float]    # each cited row's similarity to the question
    scores: retrieve.Similarity     # every similarity the ranking computed


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
        # A question is one vector against a few thousand rows: BLAS's second thread only
        # adds its wake-up, which on a busy host was 6.3 ms against 0.43 ms for the product
        # over every sentence. Request threads, not BLAS threads, use the other core.
        threadpool_limits(limits=1, user_api="blas")
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
        self._figures = FigureIndex([c.embed_text for c in data.chunks])
        self._heading_index = intent.HeadingIndex([c.section for c in data.chunks])
        self.term_weights = abstain.TermWeights(self._terms)
        self._snippets: dict[int, str] = {}
        self._sentences = [answer.Sentence.of(s) for c in data.chunks for s in c.sentences]
        # what each article is about, in the names the question's entities carry
        self._about = {a: frozenset([f"code:{c}" for c in m["codes"]] + [f"modifier:{x}" for x in m["modifiers"]]
                                    + [f"article:{a}"]) for a, m in data.articles.items()}

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
        lexical = retrieve.lexical(self.data, query.normalized, CANDIDATES_PER_SIGNAL)
        entity_rows = self.entities.entity_rows(query)
        pool = sorted({r for rows in entity_rows.values() for r in rows})
        boost = self.entities.boosts(pool, self.article_of, SPECIFICITY_BOOST)
        wanted_rows = self._heading_index.rows(intent.wanted_headings(query))
        for row in wanted_rows:
            boost[row] = boost.get(row, 0.0) + INTENT_BOOST
        if intent.is_pair_question(query):  # the edit and modifier sections answer it, not "when to use"
            for row in self._heading_index.rows([intent.PAIR_HEADINGS]):
                boost[row] = boost.get(row, 0.0) + PAIR_INTENT_EXTRA
        figures = self._figures.rank(query.normalized, CANDIDATES_PER_SIGNAL)
        for row, share in figures:
            boost[row] = boost.get(row, 0.0) + FIGURES_BOOST * share
        known, unknown = self._known_entities(query)
        cues = answer.Cues.of(query)
        return TextSignals(
            fused_text=fuse.reciprocal_rank_fusion({}, [lexical, figures], [WEIGHTS["lexical"], WEIGHTS["figures"]]),
            entity_rows={name: frozenset(rows) for name, rows in entity_rows.items()}, pool=pool,
            boost=boost, wanted_rows=wanted_rows,
            pair_check=pair_fact(self.pair_checker, query.codes, date.today()), cues=cues,
            asked=frozenset([f"code:{c}" for c in query.codes] + [f"modifier:{m}" for m in query.modifiers]
                            + [f"article:{a}" for a in query.alias_articles]),
            one_service=self._one_service(query), known=known, unknown=unknown,
            alias_terms=set(tokenize(" ".join(query.matched_aliases))),
            term_weights=self.term_weights.of_question(cues.terms))

    def _known_entities(self, query: Query) -> tuple[list[str], list[str]]:
        known, unknown = [], []
        for code in query.codes:
            (known if code in self.entities.articles_by_code else unknown).append(code)
        for modifier in query.modifiers:
            (known if modifier in self.entities.articles_by_modifier else unknown).append(
                f"modifier {modifier}")
        return known, unknown

    def _encode_and_understand(self, question: str) -> tuple[np.ndarray, Query, "TextSignals"]:
        """The query vector and, beside it, the query's analysis and the signals that need
        no vector: ONNX Runtime releases the GIL and encodes on one core while the text
        work runs on the other (median 7.54 against 7.82 ms one after the other, measured
        side by side; it only pays with BLAS single-threaded, see __init__)."""
        normalized = normalized_text(question, self.speller)
        understood = beside.start(self._understand, question, normalized)
        try:
            vector = self.embedder.encode_query(normalized)
        finally:
            query, signals = understood.result()
        return vector, query, signals

    def _understand(self, question: str, normalized: str) -> tuple[Query, "TextSignals"]:
        query = analyze(question, self.aliases, self.speller, normalized)
        return query, self._text_signals(query)

    def _rank(self, query: Query, query_vector: np.ndarray, signals: "TextSignals", top_k: int):
        similarity = retrieve.Similarity(self.data, query_vector)
        dense = retrieve.dense(similarity, CANDIDATES_PER_SIGNAL)
        pool = retrieve.rank_rows(signals.pool, similarity, signals.boost)
        entity_pool = pool[:CANDIDATES_PER_SIGNAL]
        sentence = retrieve.best_sentence(similarity, CANDIDATES_PER_SIGNAL)
        fused = fuse.reciprocal_rank_fusion(signals.fused_text, [dense, entity_pool, sentence],
                                            [WEIGHTS["dense"], WEIGHTS["entity"], WEIGHTS["sentence"]])
        fuse.demote(fused, self.entities.navigation_rows, NAVIGATION_FACTOR)
        if signals.cues.subject:  # "what is X?": the opening sections define things
            fuse.demote(fused, self.entities.first_rows, DEFINITION_FACTOR)
        # each entity's rows in the pool's order, less the "Related …" lists; a question that
        # names the kind of section it wants ("units", "documentation", a pair) gets that
        # section of each entity's article first
        navigation, wanted = self.entities.navigation_rows, signals.wanted_rows
        per_entity = {name: sorted([(r, s) for r, s in pool if r in rows and r not in navigation],
                                   key=lambda item: item[0] not in wanted)
                      for name, rows in signals.entity_rows.items()}
        rows = fuse.diversify(fuse.ranked(fused), fused, list(per_entity.values()), self.article_of, top_k)
        return Ranking(rows, dense, list(per_entity), fused, max(fused.values(), default=0.0) or 1.0,
                       dict(zip(rows, similarity.chunks(rows).tolist())), similarity)

    def ask(self, question: str, top_k: int = DEFAULT_TOP_K) -> Answer:
        started = time.perf_counter()
        top_k = max(1, min(int(top_k), MAX_TOP_K, len(self.data.chunks)))
        query_vector, query, signals = self._encode_and_understand(question)
        encoded = time.perf_counter()
        ranking = self._rank(query, query_vector, signals, top_k)
        rows, similarity = ranking.rows, ranking.similarity
        decision = self._decide(signals, ranking, bool(query.alias_articles))
        retrieved = time.perf_counter()
        entities = {"codes": list(query.codes), "modifiers": list(query.modifiers)}
        pair_check = signals.pair_check
        if decision.abstain:
            return self._abstention(question, entities, decision, ranking.dense, started, encoded, retrieved,
                                    pair_check)
        passages = [self._passage(n, row, query, signals, ranking) for n, row in enumerate(rows, start=1)]
        ranked = answer.candidates(signals.cues, passages)
        chosen = answer.select(ranked, ranking.entity_names)
        chosen, order = answer.number_by_first_use(chosen, len(rows))
        rows = [rows[i] for i in order]
        citations = [self._citation(n, row, similarity[row]) for n, row in enumerate(rows, start=1)]
        text = answer.render(chosen)
        return Answer(question, text, citations, False, round(decision.confidence, 3), entities,
                      self._timings(started, encoded, retrieved), self.index_version, decision.reason,
                      pair_check=pair_check)

    def _decide(self, signals: "TextSignals", ranking: Ranking, alias_matched: bool) -> abstain.Decision:
        # the words of an alias the question used ("ionto") are the knowledge base's words too
        evidence = [self._terms[row] for row in ranking.rows[:EVIDENCE_PASSAGES]] + [signals.alias_terms]
        coverage = self.term_weights.coverage(signals.term_weights, evidence)
        # a question naming a covered code or modifier is answered whatever else it asks
        outside = None if signals.known else self._nearest_uncovered(ranking.scores)
        return abstain.decide(max(ranking.similarity.values(), default=0.0), coverage, signals.known,
                              signals.unknown, alias_matched, outside)

    def _nearest_uncovered(self, similarity: retrieve.Similarity) -> tuple[str, float] | None:
        """The kb/scope.yaml subject closest to the question, and how close."""
        subjects = self.data.scope.subjects
        if not subjects:
            return None
        scores = similarity.scope()
        best = int(np.argmax(scores))
        return subjects[best], float(scores[best])

    def _passage(self, n: int, row: int, query: Query, signals: "TextSignals",
                 ranking: Ranking) -> answer.Passage:
        chunk = self.data.chunks[row]
        start, stop = self.data.sentence_spans[row]
        meta = self.data.articles[chunk.article_id]
        named = chunk.article_id in query.alias_articles  # the article the coder's words name
        return answer.Passage(n, self._sentences[start:stop], self.data.sentence_vectors[start:stop],
                              ranking.scores.of_sentences(start, stop).tolist(),
                              self._about[chunk.article_id] & signals.asked,
                              meta["type"] in ("code", "modifier") or named, row in self.entities.first_rows,
                              row in self.entities.navigation_rows, row in signals.wanted_rows,
                              ranking.fused.get(row, 0.0) / ranking.best_fused, chunk.section,
                              signals.one_service and meta["type"] == "code")

    def _one_service(self, query: Query) -> bool:
        """The question names one service (one code article), the subject of its units or
        documentation question rather than one case of a rule."""
        named = {a for c in query.codes for a in self.entities.articles_by_code.get(c, ())}
        named |= {a for a in query.alias_articles if self.data.articles[a]["type"] == "code"}
        return len(named) == 1

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
                f"{self.coverage}")
        return Answer(question, text, [], True, round(decision.confidence, 3), entities,
                      self._timings(started, encoded, retrieved), self.index_version,
                      decision.reason, suggestions, pair_check)

    @cached_property
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
        query_vector, query, signals = self._encode_and_understand(text)
        ranking = self._rank(query, query_vector, signals, k)
        return [self._citation(n, row, ranking.similarity[row]) for n, row in enumerate(ranking.rows, start=1)]
