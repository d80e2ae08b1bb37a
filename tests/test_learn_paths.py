"""kb/paths.yaml: read, linted with the articles, and ignored by the article reader."""
import shutil

import pytest

from index.articles import article_paths
from index.lint import lint_kb
from index.paths import read_paths

from .conftest import KB_DIR, write_article


def test_the_real_paths_file_reads_cleanly_and_every_id_exists():
    paths, problems = read_paths(KB_DIR)
    assert problems == []
    assert [p.id for p in paths] == ["new-coder", "therapy-biller"]
    assert [s.id for s in paths[0].steps] == ["code-set-basics", "therapy-codes", "timed-units", "modifiers",
                                             "ncci-edits", "errors-compliance"]
    assert all(s.goal and s.articles for p in paths for s in p.steps)
    _, lint_problems = lint_kb(KB_DIR)
    assert lint_problems == []


def test_paths_file_is_not_read_as_an_article():
    assert all(p.suffix == ".md" for p in article_paths(KB_DIR))


@pytest.fixture()
def kb_with_paths(tmp_path):
    kb = tmp_path / "kb"
    write_article(kb / "rules" / "rule-a.md", "id: rule-a\ntitle: A\ntype: rule\nsummary: s\n"
                  "sources: [x]\nreviewed: 2026-01-01")
    return kb


@pytest.mark.parametrize("text, field, message", [
    ("paths:\n- id: p\n  title: P\n  summary: S\n  steps:\n  - id: s\n    title: T\n    goal: G\n"
     "    articles: [rule-a, no-such]\n", "path p step s: articles", "'no-such' is not the id of any article"),
    ("paths: [\n", "file", "is not valid YAML"),
    ("paths: []\n", "paths", "non-empty list"),
    ("paths:\n- id: p\n  title: P\n  summary: S\n  steps: []\n", "path p: steps", "non-empty list of steps"),
    ("paths:\n- id: p\n  title: P\n  summary: S\n  steps:\n  - id: s\n    title: T\n    articles: [rule-a]\n"
     "    goals: typo\n", "path p step s: goal", "is required"),
    ("paths:\n- id: p\n  title: P\n  summary: S\n  steps:\n  - id: s\n    title: T\n    goal: G\n"
     "    articles: [rule-a]\n  - id: s\n    title: T\n    goal: G\n    articles: [rule-a]\n",
     "path p step 2: id", "'s' is used twice"),
])
def test_lint_reports_paths_problems_in_the_usual_format(kb_with_paths, text, field, message):
    (kb_with_paths / "paths.yaml").write_text(text, encoding="utf-8")
    _, problems = lint_kb(kb_with_paths)
    lines = [str(p) for p in problems]
    assert any(line.startswith(f"{kb_with_paths / 'paths.yaml'}: {field}: ") and message in line
               for line in lines), lines


def test_timed_field_is_validated(tmp_path):
    kb = tmp_path / "kb"
    shutil.copytree(KB_DIR / "codes", kb / "codes")
    shutil.copytree(KB_DIR / "rules", kb / "rules")
    target = kb / "codes" / "cpt-97110.md"
    target.write_text(target.read_text(encoding="utf-8").replace("timed: true", "timed: sometimes"), encoding="utf-8")
    rule = kb / "rules" / "rule-8-minute-rule.md"
    rule.write_text(rule.read_text(encoding="utf-8").replace("modifiers: []", "modifiers: []\ntimed: true"),
                    encoding="utf-8")
    _, problems = lint_kb(kb)
    timed = sorted(str(p) for p in problems if p.field == "timed")
    assert len(timed) == 2 and "cpt-97110.md: timed: must be true or false" in timed[0]
