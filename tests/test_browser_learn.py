"""The /learn page in a real headless Chromium: take the first path's first quiz, answer
some right and some wrong, see the score and the links, and keep progress on reload."""
import pytest
from werkzeug.serving import make_server

from .test_browser import CHROMIUM, HOST, serve_in_thread, shot
from .servers import free_port


@pytest.fixture(scope="module")
def learn_url(app):
    port = free_port()
    server = serve_in_thread(make_server(HOST, port, app, threaded=True))
    yield f"http://{HOST}:{port}"
    server.shutdown()


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


def take_first_quiz(page, right: int):
    """Open the first step's quiz and answer the first `right` questions correctly, the rest wrongly."""
    with page.expect_response(lambda r: "/api/quiz" in r.url) as response:
        page.locator("button.take").first.click()
    items = response.value.json()["items"]
    page.wait_for_selector("fieldset.question")
    for n, item in enumerate(items):
        choice = item["answer"] if n < right else (item["answer"] + 1) % len(item["options"])
        page.check(f"#q{n}-o{choice}")
    page.click("#quiz-form button[type=submit]")
    page.wait_for_selector(".score")
    return items


def test_first_path_quiz_scores_explains_and_keeps_progress(chromium, learn_url):
    context = chromium.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.goto(learn_url + "/learn")
    assert page.inner_text("[data-progress=new-coder]") == "0 of 6 steps passed"
    assert page.locator("fieldset legend").count() == 0
    items = take_first_quiz(page, right=8)
    total = len(items)
    assert page.inner_text(".score") == f"You scored 8 of {total}."
    assert page.locator("fieldset.question.wrong").count() == total - 8
    assert page.locator("fieldset.question.right").count() == 8
    wrong_box = page.locator("fieldset.question.wrong").first
    assert "Wrong: the answer is" in wrong_box.inner_text()
    assert wrong_box.locator(".verdict a").get_attribute("href") == items[8]["source"]["url"]
    missed = page.locator(".missed a")
    assert missed.count() == total - 8
    assert [missed.nth(i).get_attribute("href") for i in range(missed.count())] == \
        [item["source"]["url"] for item in items[8:]]
    assert all(h.startswith("/kb/") and "#" in h for h in
               page.locator(".verdict a").evaluate_all("links => links.map(a => a.getAttribute('href'))"))
    shot(page, "learn-quiz-scored")
    page.reload()
    assert page.inner_text("[data-progress=new-coder]") == "1 of 6 steps passed"
    assert "passed, best 8/" in page.inner_text("[data-state='new-coder/code-set-basics']")
    context.close()


def test_a_poor_score_is_kept_but_not_passed(chromium, learn_url):
    context = chromium.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.goto(learn_url + "/learn")
    take_first_quiz(page, right=2)
    page.click("#quiz-back")
    assert page.inner_text("[data-progress=new-coder]") == "0 of 6 steps passed"
    assert page.inner_text("[data-state='new-coder/code-set-basics']").startswith("best 2/")
    context.close()


def test_learn_quiz_fits_a_phone(chromium, learn_url):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(learn_url + "/learn")
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1")
    take_first_quiz(page, right=5)
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "learn-phone")
    context.close()
