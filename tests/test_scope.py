"""kb/scope.yaml: the subjects the knowledge base does not cover, linted, built into the
index, and used to decline questions about them with the subject named."""
import pytest

from bot import abstain
from bot.engine import Bot
from index.build import build_index, staleness
from index.lint import lint_kb
from index.scope import read_scope
from index.store import SCOPE, SCOPE_VECTORS, load_index

from .conftest import KB_DIR, write_article


def test_the_real_scope_file_reads_cleanly():
    subjects, problems = read_scope(KB_DIR)
    assert problems == []
    assert len(subjects) >= 10
    assert all(s.name and s.asked_as for s in subjects)


@pytest.mark.parametrize("text, field, message", [
    ("not_covered: [\n", "file", "is not valid YAML"),
    ("not_covered: []\n", "not_covered", "non-empty list of subjects"),
    ("not_covered:\n- asked_as: [x]\n", "subject 1: subject", "is required"),
    ("not_covered:\n- subject: DRGs\n  asked_as: DRG\n", "subject 'DRGs': asked_as", "must be a list"),
    ("not_covered:\n- subject: DRGs\n  askedas: [x]\n", "subject 'DRGs': askedas", "not a known field"),
])
def test_lint_reports_scope_problems_in_the_usual_format(tmp_path, text, field, message):
    kb = tmp_path / "kb"
    write_article(kb / "rules" / "rule-a.md", "id: rule-a\ntitle: A\ntype: rule\nsummary: s\n"
                  "sources: [x]\nreviewed: 2026-01-01")
    (kb / "scope.yaml").write_text(text, encoding="utf-8")
    _, problems = lint_kb(kb)
    lines = [str(p) for p in problems]
    assert any(line.startswith(f"{kb / 'scope.yaml'}: {field}: ") and message in line for line in lines), lines


def test_decline_rule_needs_a_near_subject_clearly_nearer_than_every_passage():
    near = ("inpatient DRG assignment", 0.80)
    assert abstain.decide(0.45, 0.2, [], [], False, near).abstain
    assert "inpatient DRG assignment" in abstain.decide(0.45, 0.2, [], [], False, near).reason
    # a passage about as close as the subject: answered
    assert not abstain.decide(0.75, 0.5, [], [], False, near).abstain
    # a subject that is not close at all: the usual rule decides
    assert not abstain.decide(0.60, 0.5, [], [], False, ("inpatient DRG assignment", 0.50)).abstain
    # a code the knowledge base covers is always answered
    assert not abstain.decide(0.45, 0.2, ["97110"], [], False, near).abstain


@pytest.mark.parametrize("question, subject", [
    ("whats the cpt for a knee mri", "radiology"),
    ("dx code for rotator cuff tear", "ICD-10-CM code for a particular diagnosis"),
    ("how do i code a vaccine admin", "vaccines"),
    ("what CPT for telehealth PT visit", "telehealth"),
])
def test_questions_on_uncovered_subjects_are_declined_with_the_subject_named(bot, question, subject):
    result = bot.ask(question)
    assert result.abstained and result.citations == []
    assert subject in result.answer


@pytest.mark.parametrize("question", [
    "what does ICD-10 mean",
    "what is CPT",
    "which codes are timed",
    "is 97150 timed",
    "how long is a unit",
    "ionto units",
    "explain NCCI like im 5",
])
def test_covered_questions_near_an_uncovered_subject_are_answered(bot, question):
    result = bot.ask(question)
    assert not result.abstained, result.reason
    assert result.citations


def test_editing_scope_makes_the_index_stale_and_the_rebuild_carries_it(small_kb, tmp_path, embedder):
    index_dir = tmp_path / "index"
    build_index(small_kb, index_dir, embedder)
    assert load_index(index_dir).scope.subjects == []
    (small_kb / "scope.yaml").write_text("not_covered:\n- subject: dental coding with CDT codes\n"
                                         "  asked_as: [CDT code for a crown]\n", encoding="utf-8")
    assert staleness(small_kb, index_dir, embedder.sha256) is not None
    report = build_index(small_kb, index_dir, embedder)
    assert report.encoded_texts == 0  # no article changed, every chunk vector reused
    scope = load_index(index_dir).scope
    assert scope.subjects == ["dental coding with CDT codes"] * 2
    assert scope.vectors.shape == (2, embedder.dimension)
    bot = Bot.from_index(index_dir, embedder)
    assert "dental coding with CDT codes" in bot.ask("what CDT code do i use for a porcelain crown").answer


def test_an_index_built_before_scope_files_still_loads(copy_index):
    directory = copy_index()
    (directory / SCOPE).unlink()
    (directory / SCOPE_VECTORS).unlink()
    data = load_index(directory)
    assert data.scope.subjects == [] and data.scope.vectors.shape == (0, data.manifest.dimension)
