"""The chat page, the article library and the widget in a real headless Chromium."""
import functools
import http.server
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from web import create_app

from .conftest import ROOT
from .servers import free_port

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = ROOT / "build" / "screenshots"
HOST = "127.0.0.1"  # one name everywhere: localhost and 127.0.0.1 are different origins
XSS = "<img src=x onerror=alert(1)>"


def serve_in_thread(server):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture(scope="module")
def origins():
    return {name: free_port() for name in ("app", "allowed", "refused")}


@pytest.fixture(scope="module")
def app_url(settings, bot, origins):
    from dataclasses import replace

    allowed = f"http://{HOST}:{origins['allowed']}"
    app = create_app(replace(settings, cors_origins=(allowed,)), bot=bot)
    server = serve_in_thread(make_server(HOST, origins["app"], app, threaded=True))
    yield f"http://{HOST}:{origins['app']}"
    server.shutdown()


@pytest.fixture(scope="module")
def host_pages(tmp_path_factory, app_url, origins):
    """Two plain host pages on two other origins, each embedding the widget with one tag
    and a CSS reset that would break an unisolated widget."""
    urls = {}
    for name in ("allowed", "refused"):
        folder = tmp_path_factory.mktemp(f"host-{name}")
        (folder / "index.html").write_text(f"""<!doctype html><html><head><title>Billing system</title>
<style>* {{ all: unset; }} button {{ background: red !important; font-size: 40px !important; }}
 h1 {{ display: block; color: rgb(1, 2, 3); }}</style></head>
<body><h1 id="host-title">Billing system</h1><div id="help"></div>
<script src="{app_url}/widget.js" data-title="Coding help" async></script></body></html>""")
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
        handler.log_message = lambda *args: None
        server = serve_in_thread(http.server.ThreadingHTTPServer((HOST, origins[name]), handler))
        urls[name] = (f"http://{HOST}:{origins[name]}/index.html", server)
    yield {name: url for name, (url, _) in urls.items()}
    for _, server in urls.values():
        server.shutdown()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_chat_page_answers_with_cited_sources_and_chips(page, app_url):
    page.goto(app_url + "/")
    page.fill("#question", "does 97535 need modifier 59 with gait training?")
    page.keyboard.press("Enter")
    page.wait_for_selector(".answer")
    assert page.locator(".sources li").count() >= 3
    chips = page.locator(".chip").all_inner_texts()
    assert "97535" in chips and "modifier 59" in chips
    assert page.locator(".answer a.cite").count() >= 1
    assert page.evaluate("document.activeElement.id") == "question"
    shot(page, "chat-answer")


def test_citation_lands_on_the_highlighted_section(page, app_url):
    page.goto(app_url + "/")
    page.fill("#question", "what is modifier 59")
    page.click("button[type=submit]")
    page.wait_for_selector(".answer a.cite")
    href = page.locator(".answer a.cite").first.get_attribute("href")
    page.locator(".answer a.cite").first.click()
    page.wait_for_url("**" + href)
    anchor = href.split("#")[1]
    assert page.evaluate("document.querySelector(':target').id") == anchor
    background = page.evaluate("getComputedStyle(document.querySelector(':target')).backgroundColor")
    assert background == "rgb(255, 246, 213)"


def test_declined_question_shows_not_covered(page, app_url):
    page.goto(app_url + "/")
    page.fill("#question", "what will the weather be in Paris tomorrow?")
    page.keyboard.press("Enter")
    page.wait_for_selector(".answer.abstained")
    assert "Not covered" in page.inner_text(".badge")
    assert "It covers" in page.inner_text(".answer")


def test_xss_question_is_shown_as_text_and_runs_nothing(page, app_url):
    page.goto(app_url + "/")
    page.fill("#question", XSS)
    page.keyboard.press("Enter")
    page.wait_for_selector("#history li")
    assert page.locator("#result img, #history img").count() == 0
    assert XSS in page.inner_text("#history")
    page.wait_for_timeout(300)
    assert page.dialogs == []


def test_library_filters_and_unknown_article_is_404(page, app_url):
    page.goto(app_url + "/kb")
    page.fill("#filter", "self care")
    visible = page.locator(".group li:visible a").all_inner_texts()
    assert any("97535" in t for t in visible) and len(visible) < 10
    response = page.goto(app_url + "/kb/no-such-article")
    assert response.status == 404 and "Not found" in page.inner_text("h1")


def test_widget_on_an_allowed_origin_answers(page, host_pages):
    page.goto(host_pages["allowed"])
    page.wait_for_selector("[data-kb-widget] >> .launcher")
    page.click("[data-kb-widget] >> .launcher")
    page.fill("[data-kb-widget] >> input", "what does modifier XU mean?")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-kb-widget] >> .a >> .sources")
    answer = page.inner_text("[data-kb-widget] >> .a")
    assert "XU" in answer
    # the host's CSS reset did not reach into the widget, and the widget did not restyle the host
    launcher_bg = page.evaluate("""getComputedStyle(document.querySelector('[data-kb-widget]')
        .shadowRoot.querySelector('.launcher')).backgroundColor""")
    assert launcher_bg == "rgb(18, 59, 93)"
    assert page.evaluate("getComputedStyle(document.getElementById('host-title')).color") == "rgb(1, 2, 3)"
    shot(page, "widget-allowed-origin")


def test_widget_js_api_and_refused_origin(page, host_pages):
    page.goto(host_pages["refused"])
    page.wait_for_function("window.KBWidget && window.KBWidget.ask")
    page.evaluate("KBWidget.ask('what is modifier 59?')")
    page.wait_for_selector("[data-kb-widget] >> .a.error")
    assert "not allowed" in page.inner_text("[data-kb-widget] >> .a.error").lower()


def test_widget_inline_mode_on_the_demo_page(page, app_url):
    page.goto(app_url + "/widget/demo")
    inline = "#help [data-kb-widget=inline]"
    page.wait_for_selector(inline)
    page.fill(f"{inline} >> input", "is 97150 timed")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"{inline} >> .a >> .sources")
    assert page.locator("[data-kb-widget=launcher]").count() == 1


def test_chat_page_fits_a_phone(browser, app_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.goto(app_url + "/")
    page.fill("#question", "how many units for 38 min of ther ex")
    page.keyboard.press("Enter")
    page.wait_for_selector(".answer")
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "chat-phone")
    context.close()


@pytest.fixture(scope="module")
def ncci_app_url(settings, ncci_bot, ncci_db):
    """The app with the SYNTHETIC NCCI release of tests/ncci_synthetic.py loaded."""
    from dataclasses import replace

    port = free_port()
    app = create_app(replace(settings, ncci_db=str(ncci_db)), bot=ncci_bot)
    server = serve_in_thread(make_server(HOST, port, app, threaded=True))
    yield f"http://{HOST}:{port}"
    server.shutdown()


def test_chat_page_shows_the_ncci_pair_table(page, ncci_app_url):
    page.goto(ncci_app_url + "/")
    page.fill("#question", "can I bill 97530 and 97535 together?")
    page.keyboard.press("Enter")
    page.wait_for_selector(".pair-check table")
    assert page.locator(".pair-check thead th").all_inner_texts()[:3] == ["Codes", "Edit in force", "Modifier"]
    assert page.locator(".pair-check tbody td").all_inner_texts()[:3] == [
        "97530 + 97535", "97530 column 1, 97535 column 2", "59 or XE/XS/XP/XU on 97535 (indicator 1)"]
    assert "CMS NCCI PTP edits, practitioner, 2026Q2" in page.inner_text(".pair-check caption")
    assert "goes on 97535" in page.inner_text(".pair-summary")
    assert page.locator(".sources li").count() >= 2
    shot(page, "chat-pair-check")


def test_widget_shows_the_pair_table(page, ncci_app_url):
    page.goto(ncci_app_url + "/widget/demo")
    inline = "#help [data-kb-widget=inline]"
    page.wait_for_selector(inline)
    page.fill(f"{inline} >> input", "97530 and 97535 same day?")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"{inline} >> .pair table")
    assert "59 or XE/XS/XP/XU on 97535" in page.inner_text(f"{inline} >> .pair table")
    assert page.locator(f"{inline} >> .sources li").count() >= 1
    shot(page, "widget-pair-check")


def test_chat_page_says_a_pair_was_not_checked_without_tables(page, app_url):
    page.goto(app_url + "/")
    page.fill("#question", "can I bill 97530 and 97535 together?")
    page.keyboard.press("Enter")
    page.wait_for_selector(".pair-check.not_checked")
    assert "kbbot ncci import" in page.inner_text(".pair-check") and page.locator(".pair-check table").count() == 0


def test_pages_and_widget_run_under_the_content_security_policy(page, app_url):
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    for path in ("/", "/kb", "/kb/cpt-97535", "/learn"):
        page.goto(app_url + path)
    page.goto(app_url + "/widget/demo")
    page.wait_for_selector("[data-kb-widget=launcher] >> .launcher")
    launcher_bg = page.evaluate("""getComputedStyle(document.querySelector('[data-kb-widget=launcher]')
        .shadowRoot.querySelector('.launcher')).backgroundColor""")
    assert launcher_bg == "rgb(18, 59, 93)"  # the widget's styles applied under style-src 'self'
    assert violations == []
