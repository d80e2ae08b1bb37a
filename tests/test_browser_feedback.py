"""Thumbs up and down in a real headless Chromium: in the widget on another origin and in
the chat page, each vote found stored in the feedback database."""
import functools
import http.server
import sqlite3
from dataclasses import replace

import pytest
from werkzeug.serving import make_server

from web import create_app

from .servers import free_port
from .test_browser import HOST, browser, page, serve_in_thread, shot  # noqa: F401 (fixtures)


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return tmp_path_factory.mktemp("feedback") / "feedback.sqlite"


@pytest.fixture(scope="module")
def host_port():
    return free_port()


@pytest.fixture(scope="module")
def app_url(settings, bot, database, host_port):
    app = create_app(replace(settings, feedback_db=str(database), cors_origins=(f"http://{HOST}:{host_port}",)),
                     bot=bot)
    port = free_port()
    server = serve_in_thread(make_server(HOST, port, app, threaded=True))
    yield f"http://{HOST}:{port}"
    server.shutdown()


@pytest.fixture(scope="module")
def host_page(tmp_path_factory, app_url, host_port):
    """A page on another origin embedding the widget with one tag."""
    folder = tmp_path_factory.mktemp("host-feedback")
    (folder / "index.html").write_text(f"""<!doctype html><html><head><title>Billing system</title></head>
<body><h1>Billing system</h1><script src="{app_url}/widget.js" data-title="Coding help" async></script></body></html>""")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    server = serve_in_thread(http.server.ThreadingHTTPServer((HOST, host_port), handler))
    yield f"http://{HOST}:{host_port}/index.html"
    server.shutdown()


def votes(database, question):
    with sqlite3.connect(database) as con:
        return con.execute("SELECT vote, reason, comment, cited, index_version FROM vote WHERE question = ?",
                           (question,)).fetchall()


def csp_violations(page):
    found = []
    page.on("console", lambda m: found.append(m.text) if "Content Security Policy" in m.text else None)
    return found


def test_thumbs_up_in_the_widget_is_stored(page, host_page, database):
    question = "what does modifier XU mean?"
    page.goto(host_page)
    page.click("[data-kb-widget] >> .launcher")
    page.fill("[data-kb-widget] >> input", question)
    page.keyboard.press("Enter")
    up = page.locator("[data-kb-widget] >> .a >> button[aria-label='This answer helped']")
    up.click()
    page.wait_for_selector("[data-kb-widget] >> .fb .thanks:has-text('Thanks')")
    assert up.get_attribute("aria-pressed") == "true"
    [(vote, reason, comment, cited, version)] = votes(database, question)
    assert (vote, reason, comment) == ("up", None, None) and "/kb/modifier-xu" in cited and version
    shot(page, "widget-feedback")


def test_thumbs_down_with_a_reason_in_the_chat_page_is_stored(page, app_url, database):
    violations = csp_violations(page)
    question = "what is modifier 59"
    page.goto(app_url + "/")
    page.fill("#question", question)
    page.keyboard.press("Enter")
    page.click(".feedback button[aria-label='This answer did not help']")
    assert page.get_attribute(".feedback button.down", "aria-pressed") == "true"
    page.select_option(".feedback select", "wrong_modifier")
    page.fill(".feedback textarea", "our payer wants XS")
    page.click(".feedback button[type=submit]")
    page.wait_for_selector(".feedback .thanks:has-text('Thanks')")
    assert page.locator(".feedback form").is_hidden()
    [(vote, reason, comment, cited, _)] = votes(database, question)
    assert (vote, reason, comment) == ("down", "wrong_modifier", "our payer wants XS") and "/kb/modifier-59" in cited
    assert violations == []
    shot(page, "chat-feedback")
