"""The rows of a table file, whatever it comes as: tab-delimited text, CSV, .xlsx, or any
of these inside a zip (CMS ships each part zipped). Everything streams: a row at a time,
never a whole file in memory."""
from __future__ import annotations

import csv
import io
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterator

from .errors import NcciFormatError, NcciInputError

TABLE_SUFFIXES = (".txt", ".tsv", ".csv", ".xlsx")
# a zip holding the same part as text and as a workbook: read the text, it is faster
SUFFIX_PREFERENCE = {".txt": 0, ".tsv": 0, ".csv": 1, ".xlsx": 2, ".zip": 3}


@dataclass(frozen=True)
class TableFile:
    path: Path              # the file, or the zip holding it
    member: str | None = None

    @property
    def name(self) -> str:
        """How messages and the release record name it: 'x.zip:ccipra-v321r0-f1.txt'."""
        return f"{self.path.name}:{self.member}" if self.member else self.path.name

    @property
    def suffix(self) -> str:
        return Path(self.member or self.path.name).suffix.lower()

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(row number, cells as text) for every row, preamble included."""
        try:
            if self.member is None:
                with open(self.path, "rb") as raw:
                    yield from _rows(raw, self.suffix)
            else:
                with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as raw:
                    yield from _rows(raw, self.suffix)
        except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile) as exc:
            raise NcciFormatError(f"{self.name}: cannot be read ({exc}); the download may be incomplete") from None


def _rows(raw, suffix: str) -> Iterator[tuple[int, list[str]]]:
    if suffix == ".xlsx":
        yield from _xlsx_rows(raw)
        return
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
    if suffix == ".csv":
        reader = csv.reader(text)
        for cells in reader:
            yield reader.line_num, [c.strip() for c in cells]
    else:
        for number, line in enumerate(text, start=1):
            cells = line.rstrip("\r\n").split("\t")
            yield number, [_unquote(c.strip()) for c in cells] if '"' in line else [c.strip() for c in cells]


def _unquote(cell: str) -> str:
    if len(cell) >= 2 and cell[0] == cell[-1] == '"':
        return cell[1:-1].replace('""', '"').strip()
    return cell


def _xlsx_rows(raw) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    # openpyxl seeks around the workbook's own zip: a member of a zip is copied out first
    with tempfile.TemporaryFile() as copy:
        shutil.copyfileobj(raw, copy, 1 << 20)
        copy.seek(0)
        workbook = load_workbook(copy, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_cell_text(v) for v in values]
        finally:
            workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.strftime("%Y%m%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _one_per_part(names: list[str]) -> list[str]:
    """Of 'x.txt' and 'x.xlsx' (the same part twice), the one read faster."""
    by_stem: dict[str, str] = {}
    for name in sorted(names):
        stem = str(Path(name).with_suffix("")).lower()
        kept = by_stem.get(stem)
        if kept is None or SUFFIX_PREFERENCE[Path(name).suffix.lower()] < SUFFIX_PREFERENCE[Path(kept).suffix.lower()]:
            by_stem[stem] = name
    return sorted(by_stem.values())


def _zip_members(path: Path) -> list[TableFile]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist()
                     if n.lower().endswith(TABLE_SUFFIXES) and not n.startswith("__MACOSX/")
                     and "readme" not in n.lower()]
    except zipfile.BadZipFile as exc:
        raise NcciFormatError(f"{path.name}: not a readable zip file ({exc}); the download may be incomplete") from None
    if not names:
        raise NcciFormatError(f"{path.name}: the zip holds no .txt, .csv or .xlsx table")
    return [TableFile(path, member) for member in _one_per_part(names)]


def table_files(paths: list[Path]) -> list[TableFile]:
    """The table files named on the command line: files, zips of them, or folders."""
    found: list[TableFile] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            children = [path / name for name in _one_per_part(
                [p.name for p in path.iterdir() if p.suffix.lower() in TABLE_SUFFIXES + (".zip",)])]
            if not children:
                raise NcciInputError("no_files", f"{path}: the folder holds no .zip, .txt, .csv or .xlsx file")
            found.extend(table_files(children))
        elif not path.is_file():
            raise NcciInputError("no_files", f"{path}: no such file")
        elif path.suffix.lower() == ".zip":
            found.extend(_zip_members(path))
        elif path.suffix.lower() in TABLE_SUFFIXES:
            found.append(TableFile(path))
        else:
            raise NcciInputError("no_files", f"{path}: not a .zip, .txt, .csv or .xlsx file")
    return found
