"""Typo repair against the knowledge base's own vocabulary ("therapuetic excercise" →
"therapeutic exercise"), so a misspelt question still meets the right passages."""
from __future__ import annotations

import difflib
import re
from collections import Counter
from functools import lru_cache

_WORD = re.compile(r"[A-Za-z]+")
_HYPHENATED = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)+")
MIN_LENGTH = 5        # short words are abbreviations more often than typos
MIN_SIMILARITY = 0.84
REPAIR_CACHE = 4096


class Speller:
    def __init__(self, texts):
        counts = Counter(w.lower() for text in texts for w in _WORD.findall(text))
        self.vocabulary = {w for w, n in counts.items() if len(w) >= 3}
        # "reeducation" typed for "re-education"
        self._joined = {h.lower().replace("-", ""): h.lower() for text in texts for h in _HYPHENATED.findall(text)}
        self._by_initial: dict[str, list[str]] = {}
        for word in sorted(self.vocabulary, key=lambda w: -counts[w]):
            if len(word) >= MIN_LENGTH - 1:
                self._by_initial.setdefault(word[0], []).append(word)
        for joined in self._joined:
            self._by_initial.setdefault(joined[0], []).append(joined)
        # the vocabulary is fixed for the index's life, so a word's repair is too
        self._repair = lru_cache(maxsize=REPAIR_CACHE)(self._closest)

    def correct_word(self, word: str) -> str:
        lower = word.lower()
        if len(lower) < MIN_LENGTH or lower in self.vocabulary:
            return word
        if lower in self._joined:
            return self._joined[lower]
        return self._repair(lower) or word

    def _closest(self, lower: str) -> str | None:
        match = difflib.get_close_matches(lower, self._by_initial.get(lower[0], []), n=1, cutoff=MIN_SIMILARITY)
        return self._joined.get(match[0], match[0]) if match else None

    def correct(self, text: str) -> str:
        return _WORD.sub(lambda m: self.correct_word(m.group(0)), text)
