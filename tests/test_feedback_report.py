"""The report: near-duplicate questions grouped by the real MiniLM, down votes with their
reasons, citation counts and the weekly trend; and `kbbot report` on the command line."""
import csv
import io
import random
from datetime import datetime, timedelta, timezone

import pytest

from feedback.grouping import group_questions
from feedback.report import build_report
from feedback.store import Asked, FeedbackStore, Vote
from web.cli import main

from .conftest import KB_DIR

# Content gaps, each asked in several wordings (some typed twice, in other case and spacing)
GAPS = {
    "drg": ["how do I code a DRG for an inpatient stay?", "how to code DRG for inpatient stay",
            "How do I code a  DRG for an inpatient stay"],
    "hcc": ["what is the HCC risk adjustment model", "how does HCC risk adjustment work?"],
    "appeal": ["how do I appeal a denied claim?", "how can I appeal a claim denial"],
    "back": ["which ICD-10 code for low back pain", "icd 10 code for lower back pain"],
}
# Different questions that look alike: they must stay apart
APART = ["which ICD-10 code for knee pain", "how do I submit a corrected claim",
         "modifier 59 for 97110", "modifier 59 for 97140", "what will the weather be in Paris tomorrow?"]


def test_near_duplicates_group_together_and_different_questions_stay_apart(embedder):
    rng = random.Random(7)
    questions = [q for wordings in GAPS.values() for q in wordings for _ in range(rng.randint(1, 3))] + APART
    rng.shuffle(questions)
    groups = group_questions(questions, embedder.encode)
    by_text = {g.text.lower(): g for g in groups}
    for wordings in GAPS.values():
        containing = [g for g in groups if {g.text, *g.variants} & set(wordings)]
        assert len(containing) == 1, (wordings, containing)
        assert containing[0].count == sum(questions.count(w) for w in wordings)
    for question in APART:
        assert by_text[question.lower()].count == 1 and by_text[question.lower()].variants == ()
    assert len(groups) == len(GAPS) + len(APART)
    assert [g.count for g in groups] == sorted((g.count for g in groups), reverse=True)


def test_report_counts_votes_citations_and_weeks(embedder):
    monday = datetime(2026, 11, 23, 9, tzinfo=timezone.utc)  # ISO week 48
    asked = [Asked(monday, "declined", "what is a DRG", 0.1, (), "v1"),
             Asked(monday, "answered", None, 1.0, ("/kb/modifier-59#what-it-means", "/kb/modifier-59#examples",
                                                   "/kb/cpt-97110#billing"), "v1"),
             Asked(monday + timedelta(days=7), "low_confidence", "how to bill DRGs", 0.6, ("/kb/cpt-97110#x",), "v1")]
    answer = "Modifier 59 marks a distinct procedural service [1]."
    votes = [Vote(monday, "down", "outdated", "old advice", "what is modifier 59", answer, (), "v1"),
             Vote(monday, "down", "wrong_modifier", None, "is 59 right here", answer, (), "v1"),
             Vote(monday, "down", "outdated", None, "what is modifier 59", answer, (), "v1"),
             Vote(monday + timedelta(days=7), "up", None, None, "what is modifier 59", answer, (), "v1"),
             Vote(monday, "up", None, None, "units for 38 minutes", "Three units [1].", (), "v1")]
    report = build_report(asked, votes, ["modifier-59", "cpt-97110", "cpt-97535"], embedder.encode)
    assert [(d.downs, d.ups, d.reasons, d.comments) for d in report.down_voted] == [
        (3, 1, (("outdated", 2), ("wrong_modifier", 1)), ("old advice",))]
    assert report.cited_most == (("cpt-97110", 2), ("modifier-59", 1))  # an article counts once per question
    assert report.never_cited == ("cpt-97535",)
    assert [(w.week, w.questions, w.declined, w.low_confidence, w.up, w.down) for w in report.weeks] == [
        ("2026-W48", 2, 1, 0, 1, 3), ("2026-W49", 1, 0, 1, 1, 0)]


@pytest.fixture()
def recorded(tmp_path):
    store = FeedbackStore(tmp_path / "feedback.sqlite")
    for question in ("how do I code a DRG for an inpatient stay?", "how to code DRG for inpatient stay",
                     "what will the weather be in Paris tomorrow?"):
        store.record_asked("declined", question, 0.1, [], "v1")
    store.record_asked("answered", None, 1.0, ["/kb/modifier-59#what-it-means"], "v1")
    store.record_vote("down", "what is modifier 59", "Modifier 59 marks …", ["/kb/modifier-59#what-it-means"], "v1",
                      "wrong_modifier", "our payer wants XU")
    return store.path


def test_kbbot_report_prints_groups_votes_and_citations(capsys, index_dir, recorded):
    argv = ["report", "--index-dir", str(index_dir), "--kb-dir", str(KB_DIR), "--feedback-db", str(recorded)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "Declined questions (3 questions, 2 groups)" in out
    assert "   2  how do I code a DRG for an inpatient stay?\n          ~ how to code DRG for inpatient stay" in out
    assert "1 down, 0 up — wrong_modifier ×1" in out and "comment: our payer wants XU" in out
    assert "     1  modifier-59" in out and "cpt-97535" in out.split("Articles never cited")[1]
    assert main(argv + ["--csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {"section": "declined", "item": "how do I code a DRG for an inpatient stay?", "count": "2",
            "detail": "how to code DRG for inpatient stay"} in table
    assert {"section": "cited", "item": "modifier-59", "count": "1", "detail": ""} in table
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).date().isoformat()
    assert main(argv + ["--since", tomorrow]) == 0
    assert "0 questions answered or declined" in capsys.readouterr().out


def test_kbbot_report_errors_are_one_line(capsys, index_dir, tmp_path):
    argv = ["report", "--index-dir", str(index_dir), "--kb-dir", str(KB_DIR)]
    assert main(argv + ["--feedback-db", str(tmp_path / "none.sqlite")]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no feedback has been recorded yet" in err
    with pytest.raises(SystemExit) as exit_info:
        main(argv + ["--since", "last week"])
    assert exit_info.value.code == 2 and "must be a date like 2026-01-31" in capsys.readouterr().err
