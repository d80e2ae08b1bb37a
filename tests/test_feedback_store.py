"""The feedback store on its own: rows round-trip, retention deletes old rows on write,
and a database it cannot use fails with a sentence."""
from datetime import datetime, timedelta, timezone

import pytest

from feedback.errors import FeedbackMissing, FeedbackUnavailable
from feedback.store import FeedbackStore, outcome_of

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)


def test_rows_read_back_oldest_first(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite")
    store.record_asked("declined", "what is a DRG", 0.1, [], "v1", at=NOW)
    store.record_asked("answered", None, 1.0, ["/kb/modifier-59#what-it-means"], "v1", at=NOW - timedelta(days=1))
    store.record_vote("down", "what is modifier 59", "It marks …", ["/kb/modifier-59"], "v1", "outdated", "old",
                      at=NOW)
    asked, votes = store.read()
    assert [(a.outcome, a.question, a.cited) for a in asked] == [
        ("answered", None, ("/kb/modifier-59#what-it-means",)), ("declined", "what is a DRG", ())]
    assert [(v.vote, v.reason, v.comment, v.at) for v in votes] == [("down", "outdated", "old", NOW)]
    assert store.read(since=NOW)[0][0].question == "what is a DRG"


def test_retention_deletes_rows_older_than_the_period_at_the_next_write(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite", retention_days=30)
    store.record_asked("declined", "kept", 0.0, [], "v1", at=NOW - timedelta(days=29))
    store.record_asked("declined", "too old", 0.0, [], "v1", at=NOW - timedelta(days=31))
    store.record_vote("up", "too old", "a", [], "v1", at=NOW - timedelta(days=40))
    store.record_vote("up", "new", "a", [], "v1", at=NOW)
    asked, votes = store.read()
    assert [a.question for a in asked] == ["kept"] and [v.question for v in votes] == ["new"]


def test_retention_zero_keeps_everything(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite", retention_days=0)
    store.record_asked("declined", "ancient", 0.0, [], "v1", at=NOW - timedelta(days=5000))
    store.record_asked("declined", "new", 0.0, [], "v1", at=NOW)
    assert [a.question for a in store.read()[0]] == ["ancient", "new"]


@pytest.mark.parametrize("abstained, confidence, outcome", [
    (True, 0.9, "declined"), (False, 0.74, "low_confidence"), (False, 0.75, "answered")])
def test_outcome_of_an_answer(abstained, confidence, outcome):
    assert outcome_of(abstained, confidence) == outcome


def test_no_database_yet_and_a_damaged_one_say_so(tmp_path):
    with pytest.raises(FeedbackMissing, match="no feedback has been recorded yet"):
        FeedbackStore(tmp_path / "missing.sqlite").read()
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"this is not a database" * 100)
    with pytest.raises(FeedbackUnavailable, match="cannot be opened"):
        FeedbackStore(damaged).record_asked("declined", "q", 0.0, [], "v1")
