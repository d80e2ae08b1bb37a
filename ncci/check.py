"""Pair questions against the loaded tables: for every pair of a claim's codes, the PTP
edits in force on the date of service (in either direction), the modifier indicator in
words, and the MUE of each code.

Date semantics (CMS, domain-facts §6.5): an edit applies from its effective date, and
not on or after its deletion date, so it is in force on D when effective <= D < deletion.
An indicator-9 edit was deleted, usually with deletion = effective: it never applies."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from itertools import combinations
from pathlib import Path

from .errors import NcciInputError, NcciNotLoaded
from .layouts import CODE_RE
from .names import quarter_of
from .store import Release, connect_readonly, read_release

MAX_CODES = 20      # 190 pairs: more lines than a claim has
SOURCE_LABEL = "CMS NCCI PTP edits, practitioner, {quarter}"
BYPASS_MODIFIERS = "59 or XE/XS/XP/XU"
INDICATOR_WORDS = {
    0: "0 (not allowed): the two are never paid together; no modifier bypasses the edit",
    1: (f"1 (allowed): a modifier such as {BYPASS_MODIFIERS} may bypass the edit when the documentation "
        "supports a distinct service; it goes on the column 2 code"),
    9: "9 (not applicable): the edit was deleted and does not apply",
}
MAI_WORDS = {1: "per claim line", 2: "per day, absolute (policy)", 3: "per day (clinical)"}


def parse_codes(values) -> list[str]:
    """'97530,97535' or ['97530', '97535'] → distinct upper-case codes, or NcciInputError."""
    if isinstance(values, str):
        values = [values]
    codes = [c.upper() for v in values or () for c in re.split(r"[\s,]+", v) if c]
    for code in codes:
        if not CODE_RE.fullmatch(code):
            raise NcciInputError("invalid_code", f"{code!r} is not a CPT/HCPCS code (five characters, such as 97530 or G0283)")
    codes = list(dict.fromkeys(codes))
    if len(codes) < 2:
        raise NcciInputError("too_few_codes", "give at least two different codes to check as a pair")
    if len(codes) > MAX_CODES:
        raise NcciInputError("too_many_codes", f"give at most {MAX_CODES} codes ({len(codes)} given)")
    return codes


def parse_date(text: str | None) -> date:
    """YYYY-MM-DD → date; None → today."""
    if text is None:
        return date.today()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            raise ValueError
        return date.fromisoformat(text.strip())
    except ValueError:
        raise NcciInputError("invalid_date", f"date {text!r} is not a date of service like 2026-04-15") from None


def _iso(yyyymmdd: int | None) -> str | None:
    if yyyymmdd is None:
        return None
    text = str(yyyymmdd)
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


@dataclass(frozen=True)
class Edit:
    column1: str
    column2: str
    effective: str              # YYYY-MM-DD
    deletion: str | None        # YYYY-MM-DD; None while active
    modifier_indicator: int
    modifier_indicator_text: str
    prior_1996: bool
    rationale: str
    status: str                 # "in force", "deleted", "not yet effective" on the date asked

    @property
    def restricts(self) -> bool:
        return self.status == "in force" and self.modifier_indicator in (0, 1)


@dataclass(frozen=True)
class Mue:
    code: str
    value: int | None           # None: the code has no MUE in the loaded table
    adjudication_indicator: int | None = None
    adjudication: str | None = None
    rationale: str | None = None
    summary: str = ""


@dataclass(frozen=True)
class PairResult:
    codes: tuple[str, str]
    edit_in_force: bool
    column1: str | None
    column2: str | None
    modifier_indicator: int | None
    modifier_goes_on: str | None   # the column 2 code, when a modifier may bypass the edit
    summary: str
    edits: tuple[Edit, ...]        # every edit of the pair in the table, either direction


@dataclass(frozen=True)
class CheckResult:
    source: str
    date: str
    release: dict
    codes: tuple[str, ...]
    pairs: tuple[PairResult, ...]
    mue: tuple[Mue, ...]
    notes: tuple[str, ...]

    def to_json(self) -> dict:
        return asdict(self)


def _status(effective: int, deletion: int | None, on: int) -> str:
    if on < effective:
        return "not yet effective"
    if deletion is not None and on >= deletion:
        return "deleted"
    return "in force"


def _history(edit: Edit) -> str:
    """An edit that does not bind on the date, in a phrase."""
    name = f"the {edit.column1}/{edit.column2} edit (column 1/column 2, indicator {edit.modifier_indicator})"
    if edit.status == "deleted":
        return f"{name}, deleted on {edit.deletion}"
    if edit.status == "not yet effective":
        return f"{name}, effective only from {edit.effective}"
    return f"{name}, which does not apply (indicator 9)"


def _pair(a: str, b: str, edits: list[Edit], on: str) -> PairResult:
    binding = sorted((e for e in edits if e.restricts), key=lambda e: e.modifier_indicator)
    if not binding:
        listed = "; ".join(_history(e) for e in edits)
        summary = f"No NCCI PTP edit between {a} and {b} is in force on {on}" + (
            f"; the table lists {listed}." if listed else ".")
        return PairResult((a, b), False, None, None, None, None, summary, tuple(edits))
    edit = binding[0]  # indicator 0 binds harder than 1 when both directions are listed
    lead = (f"{edit.column1} and {edit.column2}: an NCCI PTP edit is in force on {on}, {edit.column1} column 1 "
            f"and {edit.column2} column 2, modifier indicator {edit.modifier_indicator}")
    if edit.modifier_indicator == 0:
        summary = f"{lead}: {edit.column2} is not paid with {edit.column1}, and no modifier bypasses the edit."
    else:
        summary = (f"{lead}: {edit.column2} is denied unless a modifier such as {BYPASS_MODIFIERS} goes on "
                   f"{edit.column2}, and only when the documentation supports a distinct service.")
    return PairResult((a, b), True, edit.column1, edit.column2, edit.modifier_indicator,
                      edit.column2 if edit.modifier_indicator == 1 else None, summary, tuple(edits))


def _mue(code: str, row) -> Mue:
    if row is None:
        return Mue(code, None, summary=f"{code}: no MUE in the loaded table")
    value, indicator, text, rationale = row
    return Mue(code, value, indicator, text, rationale,
               f"{code}: at most {value} unit{'s' if value != 1 else ''} {MAI_WORDS.get(indicator, '')} "
               f"(MUE adjudication indicator {text}; {rationale})")


def _release_json(release: Release) -> dict:
    return {"quarter": release.quarter, "ptp_version": release.ptp_version,
            "mue_effective": release.mue_effective, "imported_at": release.imported_at,
            "files": [{"file": p.file, "kind": p.kind, "rows": p.rows} for p in release.parts]}


class PairChecker:
    """Answers pair questions from the NCCI database at `path`. Opens it per question, so
    a new import is seen at once and no connection is shared between threads."""

    def __init__(self, path: Path):
        self.path = Path(path)

    def release(self) -> Release | None:
        con = connect_readonly(self.path)
        try:
            return read_release(con)
        finally:
            con.close()

    def check(self, codes: list[str], on: date) -> CheckResult:
        codes = parse_codes(codes)
        con = connect_readonly(self.path)
        try:
            release = read_release(con)
            if release is None or not release.rows("ptp"):
                raise NcciNotLoaded(f"no NCCI PTP tables are loaded in {self.path}; import the CMS practitioner "
                                    "PTP files with 'kbbot ncci import PATH...'")
            marks = ",".join("?" * len(codes))
            rows = con.execute(
                f"""SELECT p.column1, p.column2, p.effective, p.deletion, p.modifier, p.prior_1996, r.text
                    FROM ptp p JOIN rationale r ON r.id = p.rationale
                    WHERE p.column1 IN ({marks}) AND p.column2 IN ({marks})
                    ORDER BY p.effective, p.column1, p.column2""", codes + codes).fetchall()
            mues = dict((r[0], r[1:]) for r in con.execute(
                f"SELECT code, value, adjudication, adjudication_text, rationale FROM mue WHERE code IN ({marks})",
                codes))
        finally:
            con.close()
        when = int(on.strftime("%Y%m%d"))
        by_pair: dict[frozenset, list[Edit]] = {}
        for col1, col2, effective, deletion, modifier, prior, rationale in dict.fromkeys(rows):
            by_pair.setdefault(frozenset((col1, col2)), []).append(Edit(
                col1, col2, _iso(effective), _iso(deletion), modifier, INDICATOR_WORDS[modifier], bool(prior),
                rationale, _status(effective, deletion, when)))
        on_text = on.isoformat()
        pairs = tuple(_pair(a, b, by_pair.get(frozenset((a, b)), []), on_text) for a, b in combinations(codes, 2))
        notes = []
        if quarter_of(on.year, on.month) > release.quarter:
            notes.append(f"The date of service is after the loaded quarter ({release.quarter}); "
                         "a later quarter's tables may add or delete edits.")
        if not release.rows("mue"):
            notes.append("No MUE table is loaded.")
        return CheckResult(SOURCE_LABEL.format(quarter=release.quarter), on_text, _release_json(release),
                           tuple(codes), pairs, tuple(_mue(c, mues.get(c)) for c in codes), tuple(notes))
