"""Question → Query: normalised text, codes, modifiers and the articles its
plain-language aliases point at. Pure functions, no I/O."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.codes import find_codes, find_modifiers, is_bare_number
from index.lexical import normalise_token

# Shorthand coders type, rewritten to the words the articles use. Applied on word
# boundaries, case-insensitively unless the key is upper case (then it must match as is).
SHORTHAND = {
    r"w/o": "without",
    r"w/": "with ",
    r"ther\.? ?ex": "therapeutic exercise",
    r"ther\.? ?act": "therapeutic activities",
    r"neuro ?re-?ed": "neuromuscular re-education",
    r"e-? ?stim": "electrical stimulation",
    r"re-?evals?": "re-evaluation",
    r"evals?": "evaluation",
    r"mods?\.?(?= ?-?[a-z0-9]{2}\b)": "modifier",
    r"8 ?-?min(?:ute)?s? rule": "8-minute rule",
    r"eight ?-?min(?:ute)? rule": "8-minute rule",
    r"mins?": "minutes",
    r"hrs?": "hours",
    r"dx": "diagnosis",
    r"dos": "date of service",
    r"ncci|cci": "NCCI",
    r"ptp": "procedure-to-procedure",
    r"mue": "medically unlikely edit",
    r"poc": "plan of care",
    r"same ?day": "same day",
}
UPPER_SHORTHAND = {
    "TE": "therapeutic exercise",
    "TA": "therapeutic activities",
    "NMR": "neuromuscular re-education",
    "MT": "manual therapy",
    "PTA": "physical therapist assistant",
    "OTA": "occupational therapy assistant",
    "SLP": "speech-language pathology",
    "ADL": "activities of daily living",
    "ADLs": "activities of daily living",
    "FCE": "functional capacity evaluation",
    "E/M": "evaluation and management",
}
# lower-case "pt" after "a", "the", "my" … is the patient; "PT" is physical therapy
_PATIENT_RE = re.compile(r"\b(a|an|the|my|our|this|that|each|per|every|new|same) pt(s?)\b")


def _literal_start(pattern: str) -> str:
    """Text every match of a shorthand pattern begins with ("mins?" → "min"), so that a
    pattern is only run over a question that holds it: most questions hold none."""
    start = re.match(r"[^\\.?*+()\[\]{}|]*", pattern).group(0)
    return start[:-1] if pattern[len(start):len(start) + 1] == "?" else start


_SHORTHAND_RE = [(min((_literal_start(alternative) for alternative in k.split("|")), key=len),
                  re.compile(rf"(?<![\w/-]){k}(?![\w/])", re.I), v) for k, v in SHORTHAND.items()]
_UPPER_RE = [(k, re.compile(rf"(?<![\w/]){re.escape(k)}(?![\w/])"), v) for k, v in UPPER_SHORTHAND.items()]


MAX_ALIAS_CODES = 2


@dataclass(frozen=True)
class Query:
    text: str
    normalized: str
    codes: tuple[str, ...] = ()
    modifiers: tuple[str, ...] = ()
    alias_articles: tuple[str, ...] = ()
    alias_codes: tuple[str, ...] = ()      # the codes of the articles those aliases name
    matched_aliases: tuple[str, ...] = field(default=())


def normalize(text: str) -> str:
    """Whitespace folded and shorthand spelled out; codes and modifiers untouched."""
    out = re.sub(r"\s+", " ", text).strip()
    out = _PATIENT_RE.sub(r"\1 patient\2", out)
    for start, pattern, replacement in _UPPER_RE:
        if start in out:
            out = pattern.sub(replacement, out)
    lowered = out.lower()
    for start, pattern, replacement in _SHORTHAND_RE:
        if start in lowered:
            out = pattern.sub(replacement, out)
            lowered = out.lower()
    return re.sub(r"\s+", " ", out).strip()


def alias_key(text: str) -> str:
    """The form aliases are compared in: lower case, words only, plurals folded as the
    lexical index folds them ("hot packs" meets the alias "hot pack", "unit" meets "units")."""
    return " ".join(normalise_token(w) for w in re.findall(r"[a-z0-9]+", text.lower()))


class AliasTable:
    """Plain-language names → article ids, built from the articles' front matter."""

    def __init__(self, articles: dict[str, dict]):
        self._folded: dict[str, set[str]] = {}
        self._exact: dict[str, set[str]] = {}
        # "gait training" stands for 97116; a group article ("hot pack") names no one code
        self.codes_of = {a: tuple(m.get("codes", ())) for a, m in articles.items()
                         if m.get("type") == "code" and 1 <= len(m.get("codes", ())) <= MAX_ALIAS_CODES}
        for article_id, meta in articles.items():
            for alias in meta.get("aliases", ()):
                # short upper-case aliases ("TA", "MT") are matched only as written
                if len(alias) <= 3 and alias.isupper():
                    self._exact.setdefault(alias, set()).add(article_id)
                elif (key := alias_key(alias)) and not is_bare_number(alias):
                    self._folded.setdefault(key, set()).add(article_id)
        self._max_words = max((len(k.split()) for k in self._folded), default=1)

    def match(self, text: str) -> list[tuple[str, str]]:
        """(alias, article id) pairs found in text, longest aliases first, no overlaps."""
        words = alias_key(text).split()
        taken = [False] * len(words)
        found = []
        for size in range(min(self._max_words, len(words)), 0, -1):
            for start in range(len(words) - size + 1):
                if any(taken[start:start + size]):
                    continue
                key = " ".join(words[start:start + size])
                if key in self._folded:
                    taken[start:start + size] = [True] * size
                    found.extend((key, a) for a in sorted(self._folded[key]))
        for token in re.findall(r"[A-Za-z/&]+", text):
            for article_id in sorted(self._exact.get(token, ())):
                found.append((token, article_id))
        return found


def normalized_text(question: str, speller=None) -> str:
    """The question as it is encoded and searched: typos repaired, shorthand spelled out."""
    return normalize(speller.correct(question) if speller else question)


def analyze(question: str, aliases: AliasTable, speller=None, normalized: str | None = None) -> Query:
    """`normalized`: normalized_text(question, speller), when the caller has it already."""
    normalized = normalized if normalized is not None else normalized_text(question, speller)
    modifiers = tuple(find_modifiers(question) or find_modifiers(normalized))
    matches = aliases.match(question) + aliases.match(normalized)
    alias_articles = tuple(dict.fromkeys(article_id for _, article_id in matches))
    typed = find_codes(question)
    alias_codes = tuple(dict.fromkeys(c for a in alias_articles for c in aliases.codes_of.get(a, ()) if c not in typed))
    codes = tuple(typed) + alias_codes
    return Query(
        text=question,
        normalized=normalized,
        codes=codes,
        modifiers=modifiers,
        alias_articles=alias_articles,
        alias_codes=alias_codes,
        matched_aliases=tuple(dict.fromkeys(alias for alias, _ in matches)),
    )
