"""SYNTHETIC NCCI files for tests and the benchmark, written in the official CMS layouts
(a copyright-style preamble, then the header, then tab-delimited / CSV / xlsx rows).
Every file opens with 'SYNTHETIC TEST DATA – not a CMS file'. The edits below are made
up for the tests: they are not CMS's edits and must never be quoted as such."""
from __future__ import annotations

import csv
import zipfile
from pathlib import Path

MARK = "SYNTHETIC TEST DATA – not a CMS file"
PREAMBLE = [MARK, "Copyright notice stand-in: the real files open with the AMA CPT copyright text.",
            "", "End of notice."]
PTP_HEADER = ["Column 1", "Column 2", "*=in existence prior to 1996", "Effective Date",
              "Deletion Date *=no data", "Modifier 0=not allowed 1=allowed 9=not applicable", "PTP Edit Rationale"]
# the same header wrapped over rows, as in the workbooks and some text versions
PTP_HEADER_WRAPPED = [
    ["Column 1", "Column 2", "*=in existence", "Effective", "Deletion Date", "Modifier", "PTP Edit Rationale"],
    ["", "", "prior to 1996", "Date", "*=no data", "0=not allowed", ""],
    ["", "", "", "", "", "1=allowed", ""],
    ["", "", "", "", "", "9=not applicable", ""],
]
MUE_HEADER = ["HCPCS/\nCPT Code", "Practitioner Services MUE Values", "MUE Adjudication Indicator", "MUE Rationale"]

# (column 1, column 2, prior-1996 mark, effective, deletion, modifier indicator, rationale)
PTP_ROWS = [
    ("97530", "97535", "", "20200101", "*", "1", "Mutually exclusive procedures"),      # indicator 1, active
    ("97140", "97530", "", "20200101", "*", "1", "Standards of medical/surgical services"),
    ("97161", "97140", "", "20200101", "*", "0", "CPT Manual or CMS manual coding instructions"),  # indicator 0
    ("97530", "97116", "", "20040101", "20110101", "1", "Mutually exclusive procedures"),  # deleted
    ("97150", "97110", "*", "19960101", "19960101", "9", "Mutually exclusive procedures"),  # indicator 9
    ("97112", "97750", "", "20990101", "*", "1", "Standards of medical/surgical services"),  # not yet effective
]
# (code, value, adjudication indicator, rationale)
MUE_ROWS = [
    ("97530", "6", "3 Date of Service Edit: Clinical", "Clinical: Data"),
    ("97535", "6", "3 Date of Service Edit: Clinical", "Clinical: Data"),
    ("97161", "1", "2 Date of Service Edit: Policy", "Code Descriptor / CPT Instruction"),
]
QUARTER = "2026q2"
PTP_TXT = "ccipra-v321r0-f1.txt"
PTP_ZIP = f"medicare-ncci-{QUARTER}-practitioner-ptp-edits-ccipra-v321r0-f1.zip"
MUE_CSV = "MCR_MUE_PractitionerServices_Eff_04-01-2026.csv"


def write_ptp_txt(path: Path, rows=PTP_ROWS, header=None, wrapped=False) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as out:
        for line in PREAMBLE:
            out.write(line + "\r\n")
        for cells in (PTP_HEADER_WRAPPED if wrapped else [header or PTP_HEADER]):
            out.write("\t".join(cells) + "\r\n")
        for row in rows:
            out.write("\t".join(row) + "\r\n")
    return path


def write_mue_csv(path: Path, rows=MUE_ROWS, header=None) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([" ".join(PREAMBLE)])
        writer.writerow([])
        writer.writerow(header or MUE_HEADER)
        writer.writerows(rows)
    return path


def write_ptp_xlsx(path: Path, rows=PTP_ROWS) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("ptp")
    for line in PREAMBLE:
        sheet.append([line])
    for cells in PTP_HEADER_WRAPPED:
        sheet.append(cells)
    for col1, col2, prior, effective, deletion, modifier, rationale in rows:
        # the workbooks hold numbers where a cell looks like one
        number = lambda text: int(text) if text.isdigit() else text  # noqa: E731
        sheet.append([number(col1), number(col2), prior or None, number(effective), number(deletion),
                      int(modifier), rationale])
    book.save(path)
    return path


def zip_files(path: Path, *files: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            archive.write(file, file.name)
    return path


def synthetic_release(folder: Path) -> list[Path]:
    """The standard synthetic release: one zipped PTP part and the MUE CSV."""
    folder.mkdir(parents=True, exist_ok=True)
    raw = folder / "raw"
    raw.mkdir(exist_ok=True)
    ptp = zip_files(folder / PTP_ZIP, write_ptp_txt(raw / PTP_TXT))
    return [ptp, write_mue_csv(folder / MUE_CSV)]
