"""GET /api/quiz, the /learn page and `kbbot quiz`, on the real app."""
import io

import pytest

from learn.quiz import Curriculum
from web.cli import main
from web.terminal_quiz import ask_all

from .conftest import KB_DIR


@pytest.fixture()
def learn_client(client):
    return client


def test_quiz_api_returns_items_with_answer_explanation_and_link(learn_client):
    body = learn_client.get("/api/quiz?path=new-coder&step=timed-units&n=5&seed=9").get_json()
    assert body["seed"] == 9 and len(body["items"]) == 5
    for item in body["items"]:
        assert set(item) == {"id", "kind", "question", "options", "answer", "explanation", "source"}
        assert item["source"]["url"].startswith("/kb/") and "#" in item["source"]["url"]
        assert item["kind"] in {"timed", "units"}
    again = learn_client.get("/api/quiz?path=new-coder&step=timed-units&n=5&seed=9").get_json()
    assert again == body
    expected = [i.to_json() for i in Curriculum.from_kb(KB_DIR).quiz("new-coder", "timed-units", 5, 9)]
    assert body["items"] == expected


def test_quiz_api_without_seed_picks_one_and_says_which(learn_client):
    body = learn_client.get("/api/quiz?n=3").get_json()
    assert isinstance(body["seed"], int) and len(body["items"]) == 3
    replay = learn_client.get(f"/api/quiz?n=3&seed={body['seed']}").get_json()
    assert replay["items"] == body["items"]


@pytest.mark.parametrize("query, code", [
    ("path=nope", "unknown_path"), ("path=new-coder&step=nope", "unknown_step"), ("step=modifiers", "missing_path"),
    ("n=0", "invalid_n"), ("n=51", "invalid_n"), ("n=ten", "invalid_n"), ("n=-1", "invalid_n"), ("n=", "invalid_n"),
    ("seed=x", "invalid_seed"), ("seed=-5", "invalid_seed"), ("seed=99999999999", "invalid_seed"),
])
def test_quiz_api_bad_input_is_a_400_with_a_stable_code(learn_client, query, code):
    response = learn_client.get(f"/api/quiz?{query}")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == code


def test_learn_page_lists_paths_steps_and_is_in_the_navigation(learn_client):
    html = learn_client.get("/learn").get_data(as_text=True)
    assert "Code-set basics" in html and "Therapy biller: the short path" in html
    assert 'data-step="timed-units"' in html and "Mixed review quiz" in html
    assert 'href="/kb/rule-8-minute-rule"' in html and "The 8-minute rule for timed therapy units" in html
    assert '<a href="/learn">Learn</a>' in html
    assert "<script>" not in html and " onclick=" not in html and " style=" not in html


def test_cli_quiz_with_answers_prints_score_and_missed_links(capsys):
    items = Curriculum.from_kb(KB_DIR).quiz("new-coder", "timed-units", 3, 11)
    answers = [str(items[0].answer + 1), str((items[1].answer + 1) % len(items[1].options) + 1), ""]
    code = main(["quiz", "--path", "new-coder", "--step", "timed-units", "--n", "3", "--seed", "11",
                 "--answers", ",".join(answers), "--kb-dir", str(KB_DIR)])
    out = capsys.readouterr().out
    assert code == 0 and "Score: 1 of 3 (seed 11)" in out
    assert items[1].question.cite.url in out and items[2].question.cite.url in out
    assert items[0].question.prompt not in out


def test_cli_quiz_reads_stdin_and_handles_eof():
    items = Curriculum.from_kb(KB_DIR).quiz(None, None, 3, 2)
    out = io.StringIO()
    answers = ask_all(items, None, io.StringIO(f"nine\n{items[0].answer + 1}\n"), out)
    assert answers == [items[0].answer]
    assert "Type a number" in out.getvalue() and "no more input" in out.getvalue()


def test_cli_quiz_stats(capsys):
    assert main(["quiz", "--stats", "--kb-dir", str(KB_DIR)]) == 0
    out = capsys.readouterr().out
    assert f"{len(Curriculum.from_kb(KB_DIR).questions)} distinct questions" in out and "units" in out


@pytest.mark.parametrize("argv, fragment", [
    (["--path", "nope"], "no learning path"), (["--n", "0"], "n must be"), (["--seed", "x"], "seed must be"),
    (["--step", "modifiers"], "needs its path"), (["--n", "2", "--answers", "1,z"], "--answers"),
    (["--n", "1", "--answers", "1,2"], "2 answers for 1"),
])
def test_cli_quiz_bad_flags_are_one_line_exit_2(capsys, argv, fragment):
    assert main(["quiz", *argv, "--kb-dir", str(KB_DIR)]) == 2
    err = capsys.readouterr().err
    assert fragment in err and err.strip().count("\n") == 0
