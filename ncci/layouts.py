"""The two CMS layouts: find the header after the copyright preamble, check its columns,
and turn each data row into a typed record (or say exactly which row is wrong)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import chain
from typing import Iterator, NamedTuple

from .errors import NcciFormatError

# CPT: five digits, or four digits and a letter (F, T, U, M...); HCPCS Level II: a letter
# and four digits
CODE_RE = re.compile(r"\d{4}[0-9A-Z]|[A-Z]\d{4}")
PREAMBLE_ROWS = 200   # a header not found by then is not coming
HEADER_ROWS = 8       # the most rows one wrapped header spans


class PtpRow(NamedTuple):  # a named tuple: a million of them are built per import
    column1: str
    column2: str
    prior_1996: bool
    effective: int          # YYYYMMDD
    deletion: int | None    # YYYYMMDD; None while the edit is active ("*")
    modifier: int           # 0, 1 or 9
    rationale: str


class MueRow(NamedTuple):
    code: str
    value: int
    adjudication: int       # 1, 2 or 3
    adjudication_text: str  # "2 Date of Service Edit: Policy"
    rationale: str


@dataclass(frozen=True)
class Layout:
    kind: str                               # "ptp" or "mue"
    columns: tuple[tuple[str, str], ...]    # (name as CMS prints it, pattern of the normalised header)

    @property
    def names(self) -> str:
        return " | ".join(name for name, _ in self.columns)


PTP = Layout("ptp", (
    ("Column 1", r"^column 1$"),
    ("Column 2", r"^column 2$"),
    ("*=in existence prior to 1996", r"prior to 1996"),
    ("Effective Date", r"^effective date"),
    ("Deletion Date *=no data", r"^deletion date"),
    ("Modifier 0=not allowed 1=allowed 9=not applicable", r"^modifier"),
    ("PTP Edit Rationale", r"rationale$"),
))
MUE = Layout("mue", (
    ("HCPCS/CPT Code", r"^hcpcs/cpt code$"),
    ("Practitioner Services MUE Values", r"^practitioner services mue values?$"),
    ("MUE Adjudication Indicator", r"^mue adjudication indicator"),
    ("MUE Rationale", r"^mue rationale$"),
))
_OTHER_MUE_SETTING = re.compile(r"^(outpatient hospital|dme supplier)[a-z ]* mue values?$")
_HEADER_START = re.compile(r"^(column 1|hcpcs)")


def normalise(cell: str) -> str:
    text = re.sub(r"\s+", " ", cell).strip().lower()
    return re.sub(r"\s*/\s*", "/", text)


def _trimmed(cells: list[str]) -> list[str]:
    if cells and cells[-1]:
        return cells
    while cells and not cells[-1]:
        cells = cells[:-1]
    return cells


def _starts_data(cells: list[str]) -> bool:
    return bool(cells) and bool(CODE_RE.fullmatch(cells[0].upper()))


def read_table(name: str, rows: Iterator[tuple[int, list[str]]]) -> tuple[Layout, Iterator]:
    """The file's layout and an iterator over its typed records. Reads only the preamble
    and header before returning; the records stream after."""
    rows = iter(rows)
    first_text = ""
    for number, cells in rows:
        cells = _trimmed(cells)
        if cells and not first_text:
            first_text = " | ".join(cells)[:120]
        if cells and any(_HEADER_START.match(normalise(c)) for c in cells[:1]):
            header, first_data = _header(name, cells, rows)
            layout = _layout(name, header)
            parse = _ptp_row if layout is PTP else _mue_row
            return layout, _records(name, first_data, rows, parse, len(layout.columns))
        if number >= PREAMBLE_ROWS:
            break
    raise NcciFormatError(
        f"{name}: no NCCI header found (expected a PTP header '{PTP.names}' or an MUE header "
        f"'{MUE.names}'); the file begins: {first_text!r}" if first_text else f"{name}: the file is empty")


def _header(name, first: list[str], rows) -> tuple[list[str], tuple[int, list[str]]]:
    """Join a header wrapped over several rows column by column, up to the first data row."""
    parts = [[c] for c in first]
    for count, (number, cells) in enumerate(rows):
        cells = _trimmed(cells)
        if _starts_data(cells):
            return [" ".join(p for p in column if p) for column in parts], (number, cells)
        if count >= HEADER_ROWS:
            break
        for i, cell in enumerate(cells):
            if i >= len(parts):
                parts.append([])
            parts[i].append(cell)
    found = " | ".join(" ".join(p for p in column if p) for column in parts)
    raise NcciFormatError(f"{name}: no data rows after the header {found!r}; the file may be truncated")


def _layout(name: str, header: list[str]) -> Layout:
    found = [normalise(c) for c in header]
    layout = PTP if found and found[0].startswith("column") else MUE
    if layout is MUE and len(found) > 1 and _OTHER_MUE_SETTING.match(found[1]):
        raise NcciFormatError(f"{name}: this is the {header[1]!r} table; load the Practitioner Services MUE file")
    if len(found) != len(layout.columns) or not all(
            re.search(pattern, cell) for (_, pattern), cell in zip(layout.columns, found)):
        raise NcciFormatError(f"{name}: unexpected columns {' | '.join(header)!r}; "
                              f"a {layout.kind.upper()} file has {layout.names!r}")
    return layout


def _records(name, first_data, rows, parse, width: int):
    for number, cells in chain([first_data], rows):
        cells = _trimmed(cells)
        if not cells:
            continue
        if len(cells) < width - 1 or len(cells) > width:  # a blank last column is trimmed away
            hint = "; the file may be truncated" if len(cells) < width else ""
            raise NcciFormatError(f"{name} row {number}: expected {width} columns, found {len(cells)} "
                                  f"({' | '.join(cells)[:120]!r}){hint}")
        try:
            yield parse(cells + [""] * (width - len(cells)))
        except ValueError as exc:
            raise NcciFormatError(f"{name} row {number}: {exc} in {' | '.join(cells)[:120]!r}") from None


_dates: dict[str, int] = {}


def _date(text: str, what: str) -> int:
    """'20260101' → 20260101, checked to be a calendar date (memoised: few distinct dates)."""
    value = _dates.get(text)
    if value is None:
        if not (len(text) == 8 and text.isdigit()):
            raise ValueError(f"{what} {text!r} is not a YYYYMMDD date")
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
        if not (1900 <= year <= 2199 and 1 <= month <= 12 and 1 <= day <= _days_in(year, month)):
            raise ValueError(f"{what} {text!r} is not a calendar date")
        value = _dates[text] = int(text)
    return value


def _days_in(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _code(text: str, what: str) -> str:
    code = text.upper()
    if not CODE_RE.fullmatch(code):
        raise ValueError(f"{what} {text!r} is not a CPT/HCPCS code")
    return code


def _ptp_row(cells: list[str]) -> PtpRow:
    col1, col2, prior, effective, deletion, modifier, rationale = cells
    if prior not in ("", "*"):
        raise ValueError(f"the prior-to-1996 mark {prior!r} is neither '*' nor blank")
    if modifier not in ("0", "1", "9"):
        raise ValueError(f"modifier indicator {modifier!r} is not 0, 1 or 9")
    return PtpRow(_code(col1, "column 1 code"), _code(col2, "column 2 code"), prior == "*",
                  _date(effective, "effective date"),
                  None if deletion == "*" else _date(deletion, "deletion date"), int(modifier), rationale)


_ADJUDICATION = re.compile(r"^([123])\b\s*(.*)$")


def _mue_row(cells: list[str]) -> MueRow:
    code, value, adjudication, rationale = cells
    if not value.isdigit():
        raise ValueError(f"MUE value {value!r} is not a whole number")
    match = _ADJUDICATION.match(adjudication)
    if not match:
        raise ValueError(f"MUE adjudication indicator {adjudication!r} does not start with 1, 2 or 3")
    return MueRow(_code(code, "code"), int(value), int(match.group(1)), adjudication, rationale)
