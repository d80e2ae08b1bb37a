"""The NCCI database: one SQLite file beside the index holding one quarterly release.

An import writes a new file next to the old one and renames it over the old one at the
end, so a failed import (a wrong header, a truncated file, Ctrl-C) leaves the previous
tables exactly as they were, and a reader never sees half a release. Importing a part
again replaces that part (idempotent); parts of the same release imported separately
add up; a release of another quarter replaces everything."""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from .errors import NcciError, NcciFormatError, NcciInputError, NcciNotLoaded
from .layouts import MUE, PTP, read_table
from .names import QUARTER_RE, read_name
from .reader import TableFile

SCHEMA_VERSION = 1
BATCH_ROWS = 20_000
SCHEMA = """
CREATE TABLE release (quarter TEXT NOT NULL, ptp_version TEXT, mue_effective TEXT, imported_at TEXT NOT NULL);
CREATE TABLE part (id INTEGER PRIMARY KEY, key TEXT NOT NULL, kind TEXT NOT NULL, file TEXT NOT NULL,
                   rows INTEGER NOT NULL, imported_at TEXT NOT NULL);
CREATE TABLE rationale (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE);
CREATE TABLE ptp (column1 TEXT NOT NULL, column2 TEXT NOT NULL, effective INTEGER NOT NULL, deletion INTEGER,
                  modifier INTEGER NOT NULL, prior_1996 INTEGER NOT NULL, rationale INTEGER NOT NULL,
                  part INTEGER NOT NULL);
CREATE TABLE mue (code TEXT NOT NULL, value INTEGER NOT NULL, adjudication INTEGER NOT NULL,
                  adjudication_text TEXT NOT NULL, rationale TEXT NOT NULL, part INTEGER NOT NULL);
"""
# built after the rows are in: one sort instead of a million B-tree insertions
INDEXES = ("CREATE INDEX ptp_pair ON ptp (column1, column2)", "CREATE UNIQUE INDEX mue_code ON mue (code)")


@dataclass(frozen=True)
class Part:
    key: str        # "ptp-f1", "mue"
    kind: str       # "ptp" or "mue"
    file: str
    rows: int
    imported_at: str


@dataclass(frozen=True)
class Release:
    quarter: str
    ptp_version: str | None
    mue_effective: str | None
    imported_at: str
    parts: tuple[Part, ...] = field(default_factory=tuple)

    def rows(self, kind: str) -> int:
        return sum(p.rows for p in self.parts if p.kind == kind)


def _now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def read_release(con: sqlite3.Connection) -> Release | None:
    row = con.execute("SELECT quarter, ptp_version, mue_effective, imported_at FROM release").fetchone()
    if row is None:
        return None
    parts = tuple(Part(*p) for p in con.execute("SELECT key, kind, file, rows, imported_at FROM part ORDER BY key"))
    return Release(*row, parts=parts)


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection to a loaded database, or NcciNotLoaded saying how to load one."""
    how = "import the CMS practitioner PTP and MUE files with 'kbbot ncci import PATH...'"
    if not Path(path).is_file():
        raise NcciNotLoaded(f"no NCCI tables are loaded ({path} does not exist); {how}")
    con = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=False)
    try:
        version = con.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        con.close()
        raise NcciNotLoaded(f"{path} is not an NCCI database ({exc}); {how}") from None
    if version != SCHEMA_VERSION:
        con.close()
        raise NcciNotLoaded(f"{path} was written by another version of kbbot; {how}")
    return con


@dataclass(frozen=True)
class ImportReport:
    release: Release
    imported: tuple[Part, ...]
    kept: tuple[Part, ...]      # parts of the same release loaded earlier and left as they were


@dataclass(frozen=True)
class _Plan:
    quarter: str
    ptp_version: str | None
    mue_effective: str | None


def _plan(files: list[TableFile], quarter: str | None) -> _Plan:
    """The release the files belong to, from their names (or --quarter); they must agree."""
    facts = [(f, read_name(f"{f.path.name}/{f.member or ''}")) for f in files]
    for f, fact in facts:
        if fact.ptp_setting == "oph":
            raise NcciInputError("wrong_file", f"{f.name} is a hospital outpatient PTP file (ccioph); "
                                               "the checker loads the practitioner files (ccipra)")
    if quarter is not None and not QUARTER_RE.match(quarter):
        raise NcciInputError("invalid_quarter", f"quarter {quarter!r} is not like 2026Q2")
    told = {fact.quarter for _, fact in facts if fact.quarter}
    if quarter is None and len(told) > 1:
        raise NcciInputError("mixed_quarters", "the files are from different quarters: " + ", ".join(
            f"{f.name} ({fact.quarter})" for f, fact in facts if fact.quarter))
    quarter = quarter or next(iter(told), None)
    if quarter is None:
        raise NcciInputError("unknown_quarter", "the file names do not say which quarter they are from; "
                                                "pass --quarter (e.g. --quarter 2026Q2)")
    versions = {fact.ptp_version for _, fact in facts if fact.ptp_version}
    if len(versions) > 1:
        raise NcciInputError("mixed_versions", f"the PTP files are of different versions: {', '.join(sorted(versions))}")
    mue = next((fact.mue_effective for _, fact in facts if fact.mue_effective), None)
    return _Plan(quarter, next(iter(versions), None), mue)


def import_files(db_path: Path, files: list[TableFile], quarter: str | None = None,
                 progress: Callable | None = None) -> ImportReport:
    """Load the files into db_path in one go. `progress(file name)` returns a bar (tqdm's
    update(n) and close()) that is told how many more rows were read."""
    if not files:
        raise NcciInputError("no_files", "no files to import")
    plan = _plan(files, quarter)
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    current = _current_release(db_path)
    temp = db_path.with_name(f".{db_path.name}.{os.getpid()}.importing")
    temp.unlink(missing_ok=True)
    con = sqlite3.connect(temp, isolation_level=None)
    try:
        # a crash loses only the temporary file, so a journal buys nothing here
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.executescript(SCHEMA)
        if current is not None and current.quarter == plan.quarter:
            con.execute("ATTACH DATABASE ? AS old", (str(db_path),))
        con.execute("BEGIN")
        writer = _Writer(con)
        imported = [writer.load(f, progress) for f in files]
        _refuse_duplicates(con, imported)
        kept = _carry_over(con, current, plan, imported) if current and current.quarter == plan.quarter else []
        for statement in INDEXES:
            con.execute(statement)
        brings = {p.kind for p in imported}
        ptp_version = plan.ptp_version if "ptp" in brings else (current.ptp_version if kept else None)
        mue_effective = plan.mue_effective if "mue" in brings else (current.mue_effective if kept else None)
        con.execute("INSERT INTO release VALUES (?, ?, ?, ?)", (plan.quarter, ptp_version, mue_effective, _now()))
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        con.execute("COMMIT")
        release = read_release(con)
    except BaseException as exc:
        con.close()
        temp.unlink(missing_ok=True)
        if isinstance(exc, sqlite3.Error):
            raise NcciError(f"could not write the NCCI database next to {db_path}: {exc}") from None
        raise
    con.close()
    os.replace(temp, db_path)
    return ImportReport(release, tuple(imported), tuple(kept))


def _current_release(db_path: Path) -> Release | None:
    if not db_path.is_file():
        return None
    try:
        con = connect_readonly(db_path)
    except NcciNotLoaded:
        return None  # a database of another version is simply replaced
    try:
        return read_release(con)
    finally:
        con.close()


def _refuse_duplicates(con: sqlite3.Connection, imported: list[Part]) -> None:
    keys = [p.key for p in imported]
    twice = next((k for k in keys if keys.count(k) > 1), None)
    if twice:
        raise NcciInputError("duplicate_part", f"two files are the same part ({twice}): " + ", ".join(
            p.file for p in imported if p.key == twice))
    code = con.execute("SELECT code FROM mue GROUP BY code HAVING COUNT(*) > 1 LIMIT 1").fetchone()
    if code:
        raise NcciFormatError(f"the MUE file lists code {code[0]} more than once")


class _Writer:
    """Streams the rows of each file into the new database."""

    def __init__(self, con: sqlite3.Connection):
        self.con = con
        self.rationales: dict[str, int] = {}

    def _rationale_id(self, text: str) -> int:
        found = self.rationales.get(text)
        if found is None:
            found = self.rationales[text] = len(self.rationales) + 1
            self.con.execute("INSERT INTO rationale (id, text) VALUES (?, ?)", (found, text))
        return found

    def load(self, table: TableFile, progress) -> Part:
        layout, records = read_table(table.name, table.rows())
        facts = read_name(f"{table.path.name}/{table.member or ''}")
        key = "mue" if layout is MUE else f"ptp-{facts.ptp_part or Path(table.member or table.path.name).stem.lower()}"
        now = _now()
        part_id = self.con.execute("INSERT INTO part (key, kind, file, rows, imported_at) VALUES (?, ?, ?, 0, ?)",
                                   (key, layout.kind, table.name, now)).lastrowid
        bar = progress(table.name) if progress else None
        try:
            count = self._insert(layout, records, part_id, bar)
        finally:
            if bar is not None:
                bar.close()
        if count == 0:
            raise NcciFormatError(f"{table.name}: the header is there but no rows follow")
        self.con.execute("UPDATE part SET rows = ? WHERE id = ?", (count, part_id))
        return Part(key, layout.kind, table.name, count, now)

    def _insert(self, layout, records, part_id: int, bar) -> int:
        if layout is PTP:
            sql = "INSERT INTO ptp VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            rows = ((r.column1, r.column2, r.effective, r.deletion, r.modifier, int(r.prior_1996),
                     self._rationale_id(r.rationale), part_id) for r in records)
        else:
            sql = "INSERT INTO mue VALUES (?, ?, ?, ?, ?, ?)"
            rows = ((r.code, r.value, r.adjudication, r.adjudication_text, r.rationale, part_id) for r in records)
        count = 0
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH_ROWS:
                count += self._flush(sql, batch, bar)
        return count + self._flush(sql, batch, bar)

    def _flush(self, sql: str, batch: list, bar) -> int:
        self.con.executemany(sql, batch)
        done = len(batch)
        batch.clear()
        if bar is not None:
            bar.update(done)
        return done


def _carry_over(con: sqlite3.Connection, current: Release, plan: _Plan, imported: list[Part]) -> list[Part]:
    """Copy from the attached current database the parts of the same release that this
    import does not replace; a PTP version change replaces all PTP parts."""
    brings = {p.kind for p in imported}
    new_version = "ptp" in brings and current.ptp_version != plan.ptp_version
    replaced = {p.key for p in imported}
    keep = [p for p in current.parts if p.key not in replaced and p.kind not in (
        {"mue"} & brings | ({"ptp"} if new_version else set()))]
    for part in keep:
        old_id = con.execute("SELECT id FROM old.part WHERE key = ?", (part.key,)).fetchone()[0]
        new_id = con.execute("INSERT INTO part (key, kind, file, rows, imported_at) VALUES (?, ?, ?, ?, ?)",
                             (part.key, part.kind, part.file, part.rows, part.imported_at)).lastrowid
        if part.kind == "ptp":
            con.execute("INSERT OR IGNORE INTO rationale (text) SELECT text FROM old.rationale")
            con.execute("""INSERT INTO ptp SELECT p.column1, p.column2, p.effective, p.deletion, p.modifier,
                               p.prior_1996, r.id, ? FROM old.ptp p JOIN old.rationale o ON o.id = p.rationale
                               JOIN rationale r ON r.text = o.text WHERE p.part = ?""", (new_id, old_id))
        else:
            con.execute("INSERT INTO mue SELECT code, value, adjudication, adjudication_text, rationale, ? "
                        "FROM old.mue WHERE part = ?", (new_id, old_id))
    return keep
