"""The NCCI pair fact beside an answer. When a question names two or more codes, the
answer carries what the loaded CMS PTP table says about them on today's date, cited by
its release ("CMS NCCI PTP edits, practitioner, 2026Q2"), or says that the pair was not
checked and how to load the tables. It never states an edit that is not in a loaded table.
The fact is kept apart from the extractive answer, whose every sentence is quoted from a
cited article passage."""
from __future__ import annotations

from datetime import date

from ncci.errors import NcciNotLoaded

MAX_PAIR_CODES = 10   # a claim's worth of lines (45 pairs)
HOW_TO_LOAD = ("an administrator loads the quarterly CMS practitioner PTP and MUE files "
               "with 'kbbot ncci import PATH...'")


def pair_fact(checker, codes: tuple[str, ...], on: date) -> dict | None:
    """The pair check for a question's codes, or None when it names fewer than two or
    the bot has no checker."""
    codes = list(dict.fromkeys(codes))[:MAX_PAIR_CODES]
    if checker is None or len(codes) < 2:
        return None
    try:
        result = checker.check(codes, on)
    except NcciNotLoaded:
        return {"status": "not_checked", "codes": codes,
                "message": f"{' + '.join(codes)} could not be checked against the CMS NCCI PTP edits: "
                           f"no NCCI tables are loaded; {HOW_TO_LOAD}."}
    binding = [p.summary for p in result.pairs if p.edit_in_force]
    if len(result.pairs) == 1:
        message = result.pairs[0].summary
    else:
        free = len(result.pairs) - len(binding)
        message = " ".join(binding + [f"No edit is in force for the other {free} pair{'s' if free != 1 else ''}."
                                      if binding else f"No NCCI PTP edit is in force between these codes on {result.date}."])
    return {"status": "checked", "message": message, **result.to_json()}
