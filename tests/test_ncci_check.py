"""Pair checks against the SYNTHETIC release (tests/ncci_synthetic.py): direction, the
modifier indicator, date semantics, MUEs, and `kbbot ncci import/check`."""
import json
from datetime import date

import pytest

from ncci.check import PairChecker, parse_codes, parse_date
from ncci.errors import NcciInputError, NcciNotLoaded
from ncci.reader import table_files
from ncci.store import import_files
from web.cli import main

from .ncci_synthetic import PTP_ROWS, PTP_TXT, synthetic_release, write_ptp_txt

DAY = date(2026, 5, 1)


@pytest.fixture()
def checker(ncci_db):
    return PairChecker(ncci_db)


def only_pair(checker, a, b, on=DAY):
    result = checker.check([a, b], on)
    assert len(result.pairs) == 1
    return result.pairs[0]


@pytest.mark.parametrize("codes", [("97530", "97535"), ("97535", "97530")])
def test_an_edit_is_found_in_either_order_with_its_direction(checker, codes):
    pair = only_pair(checker, *codes)
    assert pair.codes == codes and pair.edit_in_force
    assert (pair.column1, pair.column2, pair.modifier_indicator, pair.modifier_goes_on) == ("97530", "97535", 1, "97535")
    assert "goes on 97535" in pair.summary and "59 or XE/XS/XP/XU" in pair.summary
    (edit,) = pair.edits
    assert (edit.effective, edit.deletion, edit.rationale, edit.status) == (
        "2020-01-01", None, "Mutually exclusive procedures", "in force")


def test_indicator_0_means_never_together_and_no_modifier(checker):
    pair = only_pair(checker, "97140", "97161")
    assert (pair.column1, pair.column2, pair.modifier_indicator, pair.modifier_goes_on) == ("97161", "97140", 0, None)
    assert "no modifier bypasses" in pair.summary
    assert pair.edits[0].modifier_indicator_text.startswith("0 (not allowed)")


@pytest.mark.parametrize("on, in_force, status", [
    (date(2003, 12, 31), False, "not yet effective"),
    (date(2004, 1, 1), True, "in force"),          # from the effective date
    (date(2010, 12, 31), True, "in force"),
    (date(2011, 1, 1), False, "deleted"),          # not on or after the deletion date
    (DAY, False, "deleted"),
])
def test_a_deleted_edit_applies_from_its_effective_date_until_the_day_before_deletion(checker, on, in_force, status):
    pair = only_pair(checker, "97116", "97530", on)
    assert pair.edit_in_force is in_force and pair.edits[0].status == status
    if not in_force:
        assert pair.modifier_goes_on is None and pair.summary.startswith("No NCCI PTP edit between 97116 and 97530")


def test_an_edit_not_yet_effective_does_not_apply(checker):
    pair = only_pair(checker, "97112", "97750")
    assert not pair.edit_in_force and pair.edits[0].status == "not yet effective"
    assert "effective only from 2099-01-01" in pair.summary


def test_indicator_9_never_restricts(checker, tmp_path):
    pair = only_pair(checker, "97110", "97150", date(1996, 1, 1))
    assert not pair.edit_in_force and pair.edits[0].modifier_indicator == 9
    assert pair.edits[0].modifier_indicator_text.startswith("9 (not applicable)")
    # an indicator-9 row with no deletion date is listed but binds nothing either
    write_ptp_txt(tmp_path / PTP_TXT, rows=[("97110", "97150", "", "20200101", "*", "9", "Mutually exclusive procedures")])
    import_files(tmp_path / "ncci.sqlite", table_files([tmp_path / PTP_TXT]), "2026Q2")
    pair = only_pair(PairChecker(tmp_path / "ncci.sqlite"), "97110", "97150")
    assert not pair.edit_in_force and pair.edits[0].status == "in force"
    assert "does not apply (indicator 9)" in pair.summary


def test_no_edit_and_no_history_says_so(checker):
    pair = only_pair(checker, "97535", "97116")
    assert not pair.edit_in_force and pair.edits == ()
    assert pair.summary == "No NCCI PTP edit between 97535 and 97116 is in force on 2026-05-01."


def test_a_claim_checks_every_pair_and_every_mue(checker):
    result = checker.check(["97530", "97535", "97140", "97161"], DAY)
    assert [p.codes for p in result.pairs] == [("97530", "97535"), ("97530", "97140"), ("97530", "97161"),
                                              ("97535", "97140"), ("97535", "97161"), ("97140", "97161")]
    assert [p.codes for p in result.pairs if p.edit_in_force] == [("97530", "97535"), ("97530", "97140"),
                                                                  ("97140", "97161")]
    mue = {m.code: m for m in result.mue}
    assert (mue["97530"].value, mue["97530"].adjudication_indicator) == (6, 3)
    assert mue["97161"].summary.startswith("97161: at most 1 unit per day, absolute (policy)")
    assert mue["97140"].value is None and "no MUE" in mue["97140"].summary
    assert result.source == "CMS NCCI PTP edits, practitioner, 2026Q2"
    assert result.notes == ()


def test_a_date_after_the_loaded_quarter_gets_a_note(checker):
    assert "after the loaded quarter (2026Q2)" in checker.check(["97530", "97535"], date(2026, 7, 1)).notes[0]


@pytest.mark.parametrize("values, code", [
    ("97530", "too_few_codes"), ("97530,97530", "too_few_codes"), ("97530,975", "invalid_code"),
    ("97530,<b>", "invalid_code"), (",".join(str(97000 + i) for i in range(21)), "too_many_codes"),
])
def test_bad_codes_are_refused_with_a_stable_code(values, code):
    with pytest.raises(NcciInputError) as info:
        parse_codes(values)
    assert info.value.code == code


@pytest.mark.parametrize("text", ["2026-13-01", "05/01/2026", "20260501", "2026-02-30", "yesterday"])
def test_bad_dates_are_refused(text):
    with pytest.raises(NcciInputError) as info:
        parse_date(text)
    assert info.value.code == "invalid_date"


def test_codes_are_read_leniently_and_the_date_defaults_to_today():
    assert parse_codes(["97530, 97535", "g0283"]) == ["97530", "97535", "G0283"]
    assert parse_date(None) == date.today() and parse_date("2026-04-15") == date(2026, 4, 15)


def test_no_tables_says_how_to_load_them(tmp_path):
    with pytest.raises(NcciNotLoaded, match="kbbot ncci import"):
        PairChecker(tmp_path / "none.sqlite").check(["97530", "97535"], DAY)


def test_the_cli_imports_and_checks(tmp_path, capsys):
    db = str(tmp_path / "ncci.sqlite")
    assert main(["ncci", "import", *map(str, synthetic_release(tmp_path / "release")), "--ncci-db", db]) == 0
    err = capsys.readouterr().err
    assert "imported NCCI release 2026Q2 (PTP version 32.1r0" in err and f"{len(PTP_ROWS)} PTP edits" in err
    assert main(["ncci", "check", "97535", "97530", "--date", "2026-05-01", "--ncci-db", db]) == 0
    out = capsys.readouterr().out
    assert out.startswith("CMS NCCI PTP edits, practitioner, 2026Q2 (PTP version 32.1r0), date of service 2026-05-01")
    assert "97530 (column 1) / 97535 (column 2): in force" in out and "goes on 97535" in out
    assert "97530: at most 6 units per day (clinical)" in out
    assert main(["ncci", "check", "97530", "97535", "97140", "--date", "2026-05-01", "--json", "--ncci-db", db]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert len(printed["pairs"]) == 3 and printed["pairs"][0]["modifier_goes_on"] == "97535"


@pytest.mark.parametrize("args, status, message", [
    (["check", "97530", "9753"], 2, "'9753' is not a CPT/HCPCS code"),
    (["check", "97530", "97535", "--date", "2026-13-01"], 2, "is not a date of service"),
    (["check", "97530"], 2, "at least two different codes"),
])
def test_cli_bad_input_is_one_line_and_exit_2(ncci_db, capsys, args, status, message):
    assert main(["ncci", *args, "--ncci-db", str(ncci_db)]) == status
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_cli_without_tables_exits_3_and_a_bad_file_exits_1(tmp_path, capsys):
    db = str(tmp_path / "ncci.sqlite")
    assert main(["ncci", "check", "97530", "97535", "--ncci-db", db]) == 3
    err = capsys.readouterr().err
    assert "no NCCI tables are loaded" in err and "kbbot ncci import" in err and err.count("\n") == 1
    bad = write_ptp_txt(tmp_path / PTP_TXT, header=["Column 1", "Column 2", "Date"])
    assert main(["ncci", "import", str(bad), "--quarter", "2026Q2", "--ncci-db", db]) == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith("kbbot: ccipra-v321r0-f1.txt: unexpected columns 'Column 1 | Column 2 | Date'")
