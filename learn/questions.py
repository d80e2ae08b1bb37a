"""Every question the knowledge base supports, each with one correct answer, a pool of
wrong answers of the same kind, an explanation and the section it cites.

A wrong answer enters a pool only when the articles make it plainly wrong: descriptions
that contain one another, modifiers or errors whose articles link to each other (they
share ground) and hedged statements are kept out. A subject with too few safe wrong
answers gets no question."""
from __future__ import annotations

import re
from dataclasses import dataclass

from index.codes import find_codes
from index.records import Article

from .facts import (Cite, cite, column_pairs, first_sentence, overlapping, section, sentences, title_parts,
                    unit_row, units_for)

MIN_WRONG = 2
PAIR_CHECK_GROUP = 10  # codes per group; two groups make one check of at most 20 codes
TIMED = "Timed: billed in 15-minute units (Medicare counts them with the 8-minute rule)"
UNTIMED = "Untimed: one unit per session, whatever its length"
UNIT_TABLE_ARTICLE, UNIT_TABLE_SECTION = "rule-8-minute-rule", "Unit table"
# Code sets told apart by the shape of the code; each defined in its own article.
CODE_SETS = (
    ("CPT Category I", r"\d{5}", "concept-cpt-category-i"),
    ("CPT Category II", r"\d{4}F", "concept-cpt-category-ii"),
    ("CPT Category III", r"\d{4}T", "concept-cpt-category-iii"),
    ("HCPCS Level II", r"[A-Z]\d{4}", "concept-hcpcs-level-ii-vs-cpt"),
)


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    prompt: str
    answer: str
    wrong: tuple[str, ...]      # every wrong answer it may show
    explanation: str
    cite: Cite
    articles: tuple[str, ...]   # articles the question is about: a step holding one includes it


def _sentence_case(text: str) -> str:
    """'Therapeutic exercise' → 'therapeutic exercise'; 'PT evaluation' stays as it is."""
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def _format_sentence(text: str) -> str:
    """The sentence of a section that gives a code's shape ('four digits followed by F')."""
    return next((s for s in sentences(text) if "digit" in s), first_sentence(text))


def _alias_of(article: Article, text: str) -> bool:
    return text.lower() in {alias.lower() for alias in article.aliases}


def _linked(a: Article, b: Article) -> bool:
    return b.id in a.related or a.id in b.related


def _both_ways(kind, subject, prompt_name, prompt_meaning, name, meaning, others, why, source, about):
    """A name → meaning and a meaning → name question over the same safe wrong answers."""
    if len(others) < MIN_WRONG:
        return []
    return [
        Question(f"{kind}:{subject}:meaning", kind, prompt_name, meaning, tuple(m for _, m in others),
                 why, source, about),
        Question(f"{kind}:{subject}:name", kind, prompt_meaning, name, tuple(n for n, _ in others),
                 why, source, about),
    ]


def code_questions(articles: list[Article]) -> list[Question]:
    singles = [a for a in articles if a.type == "code" and len(a.codes) == 1 and title_parts(a)]
    out = []
    for a in singles:
        code, meaning = a.codes[0], title_parts(a)[1]
        covers = section(a, "What it covers")
        others = [(b.codes[0], title_parts(b)[1]) for b in singles if b is not a
                  and not overlapping(meaning, title_parts(b)[1])
                  and not _alias_of(a, title_parts(b)[1]) and not _alias_of(b, meaning)]
        if covers:
            out += _both_ways("code", code, f"What does code {code} cover?",
                              f"Which code covers {_sentence_case(meaning)}?", code, meaning, others,
                              first_sentence(covers.body), cite(a, covers), (a.id,))
    return out


def modifier_questions(articles: list[Article]) -> list[Question]:
    together = [set(a.modifiers) for a in articles if len(a.modifiers) > 1]
    singles = [a for a in articles if a.type == "modifier" and len(a.modifiers) == 1 and title_parts(a)]
    out = []
    for a in singles:
        mod, meaning = a.modifiers[0], title_parts(a)[1]
        means = section(a, "What it means")
        others = [(b.modifiers[0], title_parts(b)[1]) for b in singles if b is not a and not _linked(a, b)
                  and not any({mod, b.modifiers[0]} <= group for group in together)
                  and not overlapping(meaning, title_parts(b)[1])]
        if means:
            out += _both_ways("modifier", mod, f"What does modifier {mod} mean?",
                              f"Which modifier means: {_sentence_case(meaning)}?",
                              f"Modifier {mod}", meaning, [(f"Modifier {m}", t) for m, t in others],
                              first_sentence(means.body), cite(a, means), (a.id,))
    return out


def _error_name(article: Article) -> str:
    return title_parts(article)[0].split(" (")[0]


def error_questions(articles: list[Article]) -> list[Question]:
    errors = [a for a in articles if a.type == "error" and title_parts(a)]
    out = []
    for a in errors:
        name, meaning = _error_name(a), title_parts(a)[1]
        what = section(a, "What it is")
        others = [(_error_name(b), title_parts(b)[1]) for b in errors if b is not a and not _linked(a, b)]
        if what:
            out += _both_ways("error", a.id, f"Which describes the coding error '{name}'?",
                              f"Which coding error is {meaning}?", name, meaning, others,
                              first_sentence(what.body), cite(a, what), (a.id,))
    return out


def timed_questions(articles: list[Article], timed: dict[str, bool]) -> list[Question]:
    out = []
    for a in articles:
        units = section(a, "Units and billing")
        if a.id not in timed or not units:
            continue
        answer, wrong = (TIMED, UNTIMED) if timed[a.id] else (UNTIMED, TIMED)
        for code in a.codes:
            out.append(Question(f"timed:{code}", "timed", f"Is {code} a timed or an untimed code?", answer,
                                (wrong,), first_sentence(units.body), cite(a, units),
                                (a.id, "concept-timed-vs-untimed-codes")))
    return out


def unit_questions(articles: list[Article], table_rows: int = 8) -> list[Question]:
    """One question per minute count the article's unit table covers (8–127 minutes)."""
    rule = next((a for a in articles if a.id == UNIT_TABLE_ARTICLE), None)
    table = rule and section(rule, UNIT_TABLE_SECTION)
    if not table:
        return []
    out = []
    for minutes in range(unit_row(1)[0], unit_row(table_rows)[1] + 1):
        units = units_for(minutes)
        low, high = unit_row(units)
        wrong = sorted({max(units - 2, 0), units - 1, units + 1, units + 2} - {units, -1},
                       key=lambda u: (abs(u - units), u))
        out.append(Question(
            f"units:{minutes}", "units",
            f"Under the Medicare 8-minute rule, how many units do {minutes} total timed minutes support?",
            _units(units), tuple(_units(u) for u in wrong),
            f"{minutes} minutes falls in the {low} – {high} row of the unit table: {_units(units)}.",
            cite(rule, table), (rule.id,)))
    return out


def _units(n: int) -> str:
    return "0 units (not billable)" if n == 0 else f"{n} unit" + ("s" if n > 1 else "")


def pair_questions(articles: list[Article]) -> list[Question]:
    by_code = {c: a.id for a in articles if a.type == "code" for c in a.codes}
    return [Question(
        f"pair:{p.column1}-{p.column2}", "pair",
        f"{p.column1} and {p.column2} form an NCCI procedure-to-procedure pair and were done as distinct, "
        f"documented services. Following NCCI instructions, which code gets modifier 59 or an X modifier?",
        p.column2, (p.column1,),
        f"{p.sentence} The NCCI-associated modifier goes on the column 2 code.", p.cite,
        tuple(dict.fromkeys(x for x in (p.cite.article_id, by_code.get(p.column1), by_code.get(p.column2),
                                        "rule-ncci-ptp-edits") if x)))
        for p in column_pairs(articles)]


def table_pair_questions(articles: list[Article], check) -> list[Question]:
    """Pair questions from the loaded NCCI tables: every pair of the knowledge base's codes
    with an edit in force whose modifier indicator is 1. `check(codes)` is a PairChecker's
    check for today; the explanation cites the tables and the article section on columns."""
    ncci = next((a for a in articles if a.id == "rule-ncci-ptp-edits"), None)
    columns = ncci and section(ncci, "Column 1 and column 2")
    codes = sorted({c for a in articles if a.type == "code" for c in a.codes if c.isdigit()})
    if not columns or len(codes) < 2:
        return []
    by_code = {c: a.id for a in articles if a.type == "code" for c in a.codes}
    # a check takes a claim's worth of codes: every pair of groups is checked together
    groups = [codes[i:i + PAIR_CHECK_GROUP] for i in range(0, len(codes), PAIR_CHECK_GROUP)]
    results = [check(sorted(set(a + b))) for i, a in enumerate(groups) for b in groups[i:]]
    in_force = {(p.column1, p.column2): (p, r) for r in results for p in r.pairs
                if p.edit_in_force and p.modifier_indicator == 1}
    return [Question(
        f"pair:{p.column1}-{p.column2}", "pair",
        f"{p.column1} and {p.column2} form an NCCI procedure-to-procedure pair and were done as distinct, "
        f"documented services. Following NCCI instructions, which code gets modifier 59 or an X modifier?",
        p.column2, (p.column1,),
        f"{result.source} (in force on {result.date}): {p.column1} is column 1 and {p.column2} column 2, "
        f"modifier indicator 1. The NCCI-associated modifier goes on the column 2 code.", cite(ncci, columns),
        tuple(dict.fromkeys(x for x in (by_code.get(p.column1), by_code.get(p.column2), ncci.id) if x)))
        for _, (p, result) in sorted(in_force.items())]


def code_set_questions(articles: list[Article]) -> list[Question]:
    """'Which code set does 0791T belong to?' for the example codes the code-set articles give."""
    by_id = {a.id: a for a in articles}
    sets = [(label, re.compile(shape), by_id[aid]) for label, shape, aid in CODE_SETS if aid in by_id]
    examples: dict[str, list[str]] = {}
    for _, _, article in sets:
        for code in find_codes(article.body):
            examples.setdefault(code, []).append(article.id)
    out = []
    for code, mentioned_in in sorted(examples.items()):
        matches = [(label, article) for label, shape, article in sets if shape.fullmatch(code)]
        what = matches and section(matches[0][1], "What it is")
        if len(matches) != 1 or not what:
            continue
        label, article = matches[0]
        out.append(Question(
            f"code-set:{code}", "code-set", f"Which code set does {code} belong to?", label,
            tuple(other for other, _, _ in sets if other != label), _format_sentence(what.body), cite(article, what),
            tuple(dict.fromkeys([article.id, *mentioned_in]))))
    return out


def all_questions(articles: list[Article], timed: dict[str, bool], check_pairs=None) -> list[Question]:
    """`check_pairs(codes)`, when NCCI tables are loaded, adds their pairs; a pair in the
    tables replaces an article's statement of it (the tables are the authority)."""
    pairs = {q.id: q for q in pair_questions(articles)}
    if check_pairs:
        pairs.update({q.id: q for q in table_pair_questions(articles, check_pairs)})
    return (code_set_questions(articles) + code_questions(articles) + timed_questions(articles, timed)
            + unit_questions(articles) + modifier_questions(articles) + list(pairs.values())
            + error_questions(articles))
