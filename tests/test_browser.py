"""Every page of the starter site in real headless Chromium: axe (WCAG 2.2 A/AA), a 360 px phone, dark mode,
print, keyboard, and privacy (no requests leave the site, no cookies).

These tests need Debian's Chromium (`make test` installs it). Without it they fail; they never skip.
"""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

import carepages
from carepages.server import make_server

from .sitekit import ROOT

pytestmark = pytest.mark.browser

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_script() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "_site"
    carepages.build(ROOT, out)
    server = make_server(out, "/patient-info/", port=0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    pages = sorted("/patient-info/" + str(p.parent.relative_to(out)).replace(".", "").strip("/") + "/"
                   for p in out.rglob("index.html"))
    pages = [p.replace("//", "/") for p in pages] + ["/patient-info/404.html"]
    yield f"http://127.0.0.1:{server.server_address[1]}", pages
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Chromium not found: run 'make test' (it installs Debian's chromium)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def run_axe(page) -> list[str]:
    page.evaluate(axe_script())
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                           AXE_TAGS)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x, e.g. {v['nodes'][0]['target']})"
            for v in result["violations"]]


@pytest.mark.parametrize(("width", "scheme"), [(360, "light"), (1280, "light"), (360, "dark")])
def test_every_page_passes_axe_and_fits_the_screen(served, browser, width, scheme):
    base, pages = served
    context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=scheme)
    outside: list[str] = []
    context.on("request", lambda request: outside.append(request.url)
               if not request.url.startswith(base) else None)
    page = context.new_page()
    problems = {}
    for path in pages:
        page.goto(base + path)
        violations = run_axe(page)
        if violations:
            problems[path] = violations
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            problems.setdefault(path, []).append(f"wider than the {width} px screen by {overflow} px")
    assert problems == {}
    assert outside == []
    assert context.cookies() == []
    context.close()


def test_skip_link_is_first_and_visible_on_focus(served, browser):
    base, _ = served
    page = browser.new_page(viewport={"width": 360, "height": 800})
    page.goto(base + "/patient-info/articles/spine-mri-protocol/")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.textContent]")
    assert focused == ["skip-link", "Skip to main content"]
    box = page.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0 and box["height"] > 10
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.close()


def test_a_question_opens_when_linked_to(served, browser):
    base, _ = served
    page = browser.new_page()
    page.goto(base + "/patient-info/articles/spine-mri-protocol/#faq-1")
    assert page.evaluate("document.getElementById('faq-1').open") is True
    page.close()


def test_printout_shows_answers_and_hides_navigation(served, browser):
    base, _ = served
    page = browser.new_page()
    page.goto(base + "/patient-info/articles/spine-mri-protocol/")
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden()
    answer = page.locator("#faq-1 .faq-answer")
    assert answer.is_visible()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.close()


def test_pages_work_without_javascript(served, browser):
    base, _ = served
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base + "/patient-info/articles/what-is-ms/")
    page.locator("#faq-1 summary").click()
    assert page.locator("#faq-1 .faq-answer").is_visible()
    context.close()
