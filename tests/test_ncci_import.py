"""Importing the NCCI files: layouts, preamble, formats, one-go writes, idempotence.
Every file here is SYNTHETIC (tests/ncci_synthetic.py), written in the CMS layouts."""
import sqlite3
import zipfile

import pytest

from ncci.errors import NcciFormatError, NcciInputError
from ncci.reader import table_files
from ncci.store import import_files

from .ncci_synthetic import (MARK, MUE_CSV, MUE_ROWS, PTP_HEADER, PTP_ROWS, PTP_TXT, PTP_ZIP, synthetic_release,
                             write_mue_csv, write_ptp_txt, write_ptp_xlsx, zip_files)


def load(db, *paths, quarter=None):
    return import_files(db, table_files(list(paths)), quarter)


def contents(db) -> dict:
    """Everything stored, in a comparable form (ids and import times left out)."""
    con = sqlite3.connect(db)
    try:
        return {
            "ptp": sorted(con.execute("""SELECT column1, column2, effective, deletion, modifier, prior_1996, r.text,
                                                part.key FROM ptp JOIN rationale r ON r.id = ptp.rationale
                                                JOIN part ON part.id = ptp.part""")),
            "mue": sorted(con.execute("SELECT code, value, adjudication, adjudication_text, rationale FROM mue")),
            "parts": sorted(con.execute("SELECT key, kind, file, rows FROM part")),
            "release": con.execute("SELECT quarter, ptp_version, mue_effective FROM release").fetchall(),
        }
    finally:
        con.close()


@pytest.fixture()
def release(tmp_path):
    return synthetic_release(tmp_path / "release")


@pytest.fixture()
def loaded(tmp_path, release):
    db = tmp_path / "ncci.sqlite"
    load(db, *release)
    return db


def test_the_synthetic_files_say_so(release, tmp_path):
    with zipfile.ZipFile(release[0]) as archive:
        assert archive.read(PTP_TXT).decode().startswith(MARK)
    assert release[1].read_text(encoding="utf-8").lstrip('"').startswith(MARK)


def test_a_release_is_read_past_the_preamble_and_recorded(tmp_path, release):
    report = load(tmp_path / "ncci.sqlite", *release)
    assert (report.release.quarter, report.release.ptp_version, report.release.mue_effective) == (
        "2026Q2", "32.1r0", "2026-04-01")
    assert {(p.key, p.rows) for p in report.release.parts} == {("ptp-f1", len(PTP_ROWS)), ("mue", len(MUE_ROWS))}
    assert report.release.parts[1].file == f"{PTP_ZIP}:{PTP_TXT}"
    stored = contents(tmp_path / "ncci.sqlite")
    assert ("97530", "97535", 20200101, None, 1, 0, "Mutually exclusive procedures", "ptp-f1") in stored["ptp"]
    assert ("97150", "97110", 19960101, 19960101, 9, 1, "Mutually exclusive procedures", "ptp-f1") in stored["ptp"]
    assert ("97161", 1, 2, "2 Date of Service Edit: Policy", "Code Descriptor / CPT Instruction") in stored["mue"]


def test_a_header_wrapped_over_rows_and_an_xlsx_give_the_same_rows(tmp_path, release):
    plain, wrapped, workbook = (tmp_path / name for name in ("plain.sqlite", "wrapped.sqlite", "xlsx.sqlite"))
    load(plain, write_ptp_txt(tmp_path / PTP_TXT), quarter="2026Q2")
    (tmp_path / "w").mkdir()
    load(wrapped, write_ptp_txt(tmp_path / "w" / PTP_TXT, wrapped=True), quarter="2026Q2")
    load(workbook, write_ptp_xlsx(tmp_path / PTP_TXT.replace(".txt", ".xlsx")), quarter="2026Q2")
    rows = contents(plain)["ptp"]
    assert len(rows) == len(PTP_ROWS)
    assert contents(wrapped)["ptp"] == rows and contents(workbook)["ptp"] == rows


def test_a_zip_holding_the_part_as_text_and_xlsx_is_read_once(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    both = zip_files(tmp_path / PTP_ZIP, write_ptp_txt(raw / PTP_TXT),
                     write_ptp_xlsx(raw / PTP_TXT.replace(".txt", ".xlsx")))
    report = load(tmp_path / "ncci.sqlite", both)
    assert [(p.file, p.rows) for p in report.imported] == [(f"{PTP_ZIP}:{PTP_TXT}", len(PTP_ROWS))]


def test_reimporting_the_same_release_is_idempotent(loaded, release):
    before = contents(loaded)
    load(loaded, *release)
    assert contents(loaded) == before


def test_parts_add_up_and_another_quarter_replaces_them(tmp_path, loaded):
    (tmp_path / "f2").mkdir()
    part2 = write_ptp_txt(tmp_path / "f2" / "ccipra-v321r0-f2.txt", rows=[PTP_ROWS[0]])
    report = load(loaded, part2, quarter="2026Q2")
    assert [p.key for p in report.kept] == ["mue", "ptp-f1"]
    assert {p.key for p in report.release.parts} == {"mue", "ptp-f1", "ptp-f2"}
    assert len(contents(loaded)["ptp"]) == len(PTP_ROWS) + 1
    (tmp_path / "q3").mkdir()
    later = write_ptp_txt(tmp_path / "q3" / "ccipra-v322r0-f1.txt", rows=PTP_ROWS[:2])
    report = load(loaded, later, quarter="2026Q3")
    assert report.kept == () and [p.key for p in report.release.parts] == ["ptp-f1"]
    assert contents(loaded)["release"] == [("2026Q3", "32.2r0", None)]


def test_a_new_ptp_version_of_the_quarter_replaces_all_ptp_parts_and_keeps_the_mue(tmp_path, loaded):
    (tmp_path / "r1").mkdir()
    revision = write_ptp_txt(tmp_path / "r1" / "ccipra-v321r1-f2.txt", rows=PTP_ROWS[:1])
    report = load(loaded, revision, quarter="2026Q2")
    assert {p.key for p in report.release.parts} == {"mue", "ptp-f2"}
    assert report.release.ptp_version == "32.1r1"


@pytest.mark.parametrize("header, found", [
    (PTP_HEADER[:2] + PTP_HEADER[3:], "Column 1 | Column 2 | Effective Date"),
    (["Column 1", "Column 2", "Prior", "Start", "End", "Mod", "Why"], "Column 1 | Column 2 | Prior | Start"),
])
def test_a_wrong_header_names_what_it_found_and_keeps_the_previous_tables(tmp_path, loaded, header, found):
    before = contents(loaded)
    bad = write_ptp_txt(tmp_path / PTP_TXT, header=header)
    with pytest.raises(NcciFormatError) as info:
        load(loaded, bad, quarter="2026Q2")
    assert found in str(info.value) and "Column 1 | Column 2 | *=in existence prior to 1996" in str(info.value)
    assert contents(loaded) == before
    assert sorted(p.name for p in loaded.parent.iterdir() if "importing" in p.name) == []


def test_a_file_cut_mid_row_fails_on_that_row_and_keeps_the_previous_tables(tmp_path, loaded):
    before = contents(loaded)
    good = write_ptp_txt(tmp_path / PTP_TXT)
    text = good.read_text(encoding="utf-8")
    good.write_text(text[:text.index("97140\t97530") + 9], encoding="utf-8")
    with pytest.raises(NcciFormatError, match=r"row 7: expected 7 columns, found 2 .*truncated"):
        load(loaded, good, quarter="2026Q2")
    assert contents(loaded) == before


def test_a_file_cut_before_its_rows_and_a_cut_zip_are_refused(tmp_path, loaded):
    before = contents(loaded)
    header_only = write_ptp_txt(tmp_path / PTP_TXT, rows=[])
    with pytest.raises(NcciFormatError, match="no data rows after the header"):
        load(loaded, header_only, quarter="2026Q2")
    raw = tmp_path / "raw"
    raw.mkdir()
    whole = zip_files(tmp_path / PTP_ZIP, write_ptp_txt(raw / PTP_TXT)).read_bytes()
    (tmp_path / PTP_ZIP).write_bytes(whole[: len(whole) // 2])
    with pytest.raises(NcciFormatError, match="not a readable zip"):
        load(loaded, tmp_path / PTP_ZIP)
    assert contents(loaded) == before


@pytest.mark.parametrize("row, problem", [
    (("97530", "97535", "", "20200101", "*", "5", "x"), "modifier indicator '5' is not 0, 1 or 9"),
    (("97530", "975", "", "20200101", "*", "1", "x"), "column 2 code '975' is not a CPT/HCPCS code"),
    (("97530", "97535", "", "20201301", "*", "1", "x"), "effective date '20201301' is not a calendar date"),
    (("97530", "97535", "", "20200101", "2021", "1", "x"), "deletion date '2021' is not a YYYYMMDD date"),
])
def test_a_bad_value_names_its_row(tmp_path, row, problem):
    bad = write_ptp_txt(tmp_path / PTP_TXT, rows=[PTP_ROWS[0], row])
    with pytest.raises(NcciFormatError) as info:
        load(tmp_path / "ncci.sqlite", bad, quarter="2026Q2")
    assert f"{PTP_TXT} row 7: {problem}" in str(info.value)
    assert not (tmp_path / "ncci.sqlite").exists()


def test_other_tables_and_files_are_refused_with_a_reason(tmp_path):
    db = tmp_path / "ncci.sqlite"
    outpatient = write_mue_csv(tmp_path / "MCR_MUE_OutpatientHospitalServices_Eff_04-01-2026.csv",
                               header=["HCPCS/CPT Code", "Outpatient Hospital Services MUE Values",
                                       "MUE Adjudication Indicator", "MUE Rationale"])
    with pytest.raises(NcciFormatError, match="'Outpatient Hospital Services MUE Values' table; load the Practitioner"):
        load(db, outpatient)
    (tmp_path / "oph").mkdir()
    with pytest.raises(NcciInputError, match="hospital outpatient PTP file"):
        load(db, write_ptp_txt(tmp_path / "oph" / "ccioph-v321r0-f1.txt"), quarter="2026Q2")
    notes = tmp_path / "notes.txt"
    notes.write_text("code\tdescription\n97530\tsomething\n")
    with pytest.raises(NcciFormatError, match="no NCCI header found .*the file begins: 'code | description'"):
        load(db, notes, quarter="2026Q2")
    duplicated = write_mue_csv(tmp_path / MUE_CSV, rows=MUE_ROWS + MUE_ROWS[:1])
    with pytest.raises(NcciFormatError, match="lists code 97530 more than once"):
        load(db, duplicated)
    assert not db.exists()


def test_the_release_must_be_known_and_one(tmp_path):
    db = tmp_path / "ncci.sqlite"
    plain = write_ptp_txt(tmp_path / PTP_TXT)
    with pytest.raises(NcciInputError, match="pass --quarter") as info:
        load(db, plain)
    assert info.value.code == "unknown_quarter"
    with pytest.raises(NcciInputError, match="not like 2026Q2"):
        load(db, plain, quarter="Q2-2026")
    raw = tmp_path / "raw"
    raw.mkdir()
    q2 = zip_files(tmp_path / PTP_ZIP, write_ptp_txt(raw / PTP_TXT))
    q4_mue = write_mue_csv(tmp_path / "MCR_MUE_PractitionerServices_Eff_10-01-2026.csv")
    with pytest.raises(NcciInputError, match="different quarters: .*2026Q2.*2026Q4"):
        load(db, q2, q4_mue)
    assert not db.exists()
