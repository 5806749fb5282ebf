"""Every page of the starter site in real headless Chromium, as a patient meets it: on a 360 x 740 phone, on a
1280 px screen, in dark mode and with text at 200%; with a keyboard; under the site's own security headers.

One sweep visits each page once and measures everything there (axe, sizes, the console, requests); the tests
below each assert one kind of finding of that sweep, so a failure names the check and the pages.

These tests need Debian's Chromium and the npm tools (`make test` installs both). Without them they fail;
they never skip.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from .browserkit import (
    AUDIT_JS,
    DESKTOP,
    FOCUS_JS,
    INTERACTIVE,
    PHONE,
    SCREENSHOTS,
    SIDEWAYS_JS,
    png_size,
    run_axe,
    slug,
    watched_context,
)
from .test_search import indexed_pages

pytestmark = pytest.mark.browser

DEFAULT_TEXT = {"standard": 16, "fixed": 13}  # Chromium's default font sizes: text at 100%
DOUBLE_TEXT = {"standard": 32, "fixed": 26}  # the browser's text size at 200% (WCAG 1.4.4), pages not zoomed
ARTICLE = "articles/spine-mri-protocol/"  # the starter's fullest article: a wide table, questions, references
JSONLD_JS = """() => { const blocks = [...document.querySelectorAll('script[type="application/ld+json"]')];
  return blocks.length ? blocks.map((s) => {
  try { const data = JSON.parse(s.textContent); return data['@context'] && (data['@type'] || data['@graph'])
        ? '' : 'JSON-LD without @context and @type'; }
  catch (e) { return 'JSON-LD that does not parse: ' + e.message; } }).filter(Boolean) : ['no JSON-LD']; }"""


def a_search_word(out: Path) -> str:
    """A word of the starter site that finds a few pages, for the search page with results."""
    words = re.findall(r"\b[a-z]{8,}\b", " ".join(indexed_pages(out).values()).lower())
    return max(sorted(set(words)), key=words.count)


@pytest.fixture(scope="module")
def sweep(browser, starter_site) -> dict[str, dict[str, list[str]]]:
    """{check: {page: problems}} for every page of the starter site, the 404 page (at a missing address) and
    the search page with results: each page loaded once, then measured at 360 px, in dark mode, at 1280 px
    and at 1280 px with text at 200%."""
    findings: dict[str, dict[str, list[str]]] = defaultdict(dict)

    def note(check: str, path: str, problems: list[str]) -> None:
        if problems:
            findings[check][path] = problems

    context = watched_context(browser, starter_site, viewport=PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    searched = "search/?q=" + a_search_word(starter_site.out)
    for path in [*starter_site.pages(), searched]:
        page.set_viewport_size(PHONE)
        page.emulate_media(color_scheme="light")
        cdp.send("Page.setFontSizes", {"fontSizes": DEFAULT_TEXT})
        response = page.goto(starter_site.url(path))
        assert response is not None
        note("HTTP status", path, [] if response.status == (404 if path == "no-such-page/" else 200)
             else [f"answered {response.status}"])
        if path == searched:
            page.locator(".search-result").first.wait_for()
        note("axe at 360 px", path, run_axe(page))
        for check, problems in page.evaluate(AUDIT_JS, INTERACTIVE).items():
            note(f"{check} at 360 px", path, problems)
        page.keyboard.press("Shift")  # a key press: focus from script now shows :focus-visible as Tab would
        note("focus", path, page.evaluate(FOCUS_JS, INTERACTIVE))
        note("JSON-LD", path, page.evaluate(JSONLD_JS))
        page.emulate_media(color_scheme="dark")
        note("axe at 360 px, dark", path, run_axe(page))
        page.emulate_media(color_scheme="light")
        page.set_viewport_size(DESKTOP)
        note("axe at 1280 px", path, run_axe(page))
        note("scrolls sideways at 1280 px", path, page.evaluate(SIDEWAYS_JS))
        cdp.send("Page.setFontSizes", {"fontSizes": DOUBLE_TEXT})
        assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 32  # the text did grow
        note("scrolls sideways at 1280 px with text at 200%", path, page.evaluate(SIDEWAYS_JS))
        note("console", path, list(context.watch.console))
        note("requests leaving the site", path, list(context.watch.outside))
        note("cookies or storage", path, [f"cookie {c['name']}" for c in context.cookies()] + (
            ["something in localStorage or sessionStorage"]
            if page.evaluate("localStorage.length + sessionStorage.length") else []))
        context.watch.clear()
    context.close()
    return findings


@pytest.mark.parametrize("check", ["axe at 360 px", "axe at 360 px, dark", "axe at 1280 px"])
def test_every_page_passes_current_axe_wcag_22_aa(sweep, check):
    assert sweep[check] == {}


@pytest.mark.parametrize("check", ["scrolls sideways at 360 px", "scrolls sideways at 1280 px",
                                   "scrolls sideways at 1280 px with text at 200%"])
def test_no_page_scrolls_sideways(sweep, check):
    assert sweep[check] == {}


def test_text_is_at_least_16px_on_a_phone(sweep):
    # superscript citation numbers are not running text; everything else is
    assert sweep["text under 16 px at 360 px"] == {}


def test_every_target_is_24px_and_none_overlap(sweep):
    assert sweep["targets under 24x24 px at 360 px"] == {}
    assert sweep["overlapping targets at 360 px"] == {}


def test_wide_tables_show_that_they_scroll(sweep, browser, starter_site):
    assert sweep["wide tables at 360 px"] == {}
    # the starter has a table wider than a phone: it scrolls inside its region, by keyboard too
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(starter_site.url(ARTICLE))
    region = page.locator(".table-wrap").first
    assert region.evaluate("(el) => el.scrollWidth > el.clientWidth")
    region.focus()
    page.keyboard.press("ArrowRight")
    for _ in range(40):  # the browser may animate the scroll (wait_for_function would need eval, which the CSP refuses)
        if region.evaluate("(el) => el.scrollLeft") > 0:
            break
        page.wait_for_timeout(50)
    assert region.evaluate("(el) => el.scrollLeft") > 0
    context.close()


def test_citation_back_links_are_24px_and_named_by_what_they_show(starter_site, browser):
    """Under each reference, the links back to where it is cited (10 by 18 px once, and named 'Back to text
    (reference 1, citation 1 of 13)' while showing '1': WCAG 2.5.3 wants the shown text in the name)."""
    page = browser.new_page(viewport=PHONE)
    page.goto(starter_site.url(ARTICLE))
    links = page.locator(".reference-list .backlink")
    assert links.count() > 10
    for i in range(links.count()):
        link = links.nth(i)
        box = link.bounding_box()
        assert box and box["width"] >= 24 and box["height"] >= 24, (link.inner_text(), box)
        shown = link.inner_text().strip()
        assert re.search(rf"(^|\W){re.escape(shown)}(\W|$)", link.get_attribute("aria-label") or shown), shown
    page.close()


def test_every_page_shows_a_focus_indicator_on_everything_focusable(sweep):
    assert sweep["focus"] == {}


def test_console_is_clean_and_json_ld_parses_under_the_csp(sweep):
    """No error or warning in the console (a CSP violation, a missing file, a script error, a storage write
    would each log one) with the site's own headers, and every page's JSON-LD readable."""
    assert sweep["console"] == {}
    assert sweep["JSON-LD"] == {}
    assert sweep["HTTP status"] == {}


def test_nothing_leaves_the_site_and_nothing_is_stored(sweep):
    assert sweep["requests leaving the site"] == {}
    assert sweep["cookies or storage"] == {}


def test_the_clinic_phone_number_can_be_called_from_a_phone(starter_site, browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(starter_site.url())
    link = page.locator(".footer-contact a[href^='tel:']")
    assert link.inner_text() == "000 0000 0000 (demonstration number)"  # as site.toml writes it
    assert link.get_attribute("href") == "tel:00000000000"
    context.close()


@pytest.mark.parametrize("path", ["", ARTICLE])
def test_screenshots_at_phone_and_desktop_widths(starter_site, browser, saved_screenshots, path):
    """Saved for a person to look at (listed at the end of the test run): the whole page, as wide as the
    screen (a page wider than the screen would make a wider image)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        page.goto(starter_site.url(path))
        target = SCREENSHOTS / f"{slug(path.strip('/').split('/')[-1])}-{viewport['width']}.png"
        data = page.screenshot(path=target, full_page=True)
        width, height = png_size(data)
        assert width == viewport["width"]
        assert height > viewport["height"]  # the whole page, not the first screen
        saved_screenshots.append(target)
        context.close()


# -- keyboard ----------------------------------------------------------------------------------------------
# Tab's order is the page's: record each element that takes the focus, then compare with the page's reachable
# elements in document order.
ORDER_JS = """(selector) => { window.tabbed = [];
  document.addEventListener('focusin', (e) => window.tabbed.push(e.target));
  return [...document.querySelectorAll(selector)].filter((el) => el.checkVisibility() && el.tabIndex >= 0).length; }"""
TABBED_JS = """(selector) => {
  const all = [...document.querySelectorAll(selector)].filter((el) => el.checkVisibility() && el.tabIndex >= 0);
  return [all.map((el) => all.indexOf(el)), window.tabbed.map((el) => all.indexOf(el))]; }"""


@pytest.mark.parametrize("path", ["", ARTICLE, "faq/", "search/?q=spinal"])
def test_tab_reaches_every_interactive_element_in_page_order(starter_site, browser, path):
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.goto(starter_site.url(path))
    if "?q=" in path:
        page.locator(".search-result").first.wait_for()
    count = page.evaluate(ORDER_JS, INTERACTIVE)
    assert count > 10
    for _ in range(count):
        page.keyboard.press("Tab")
    expected, tabbed = page.evaluate(TABBED_JS, INTERACTIVE)
    assert tabbed == expected  # each once, in the order of the page: header, main, footer
    context.close()


def test_skip_link_is_first_visible_on_focus_and_moves_focus_to_the_content(starter_site, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(starter_site.url(ARTICLE))
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.className, document.activeElement.textContent]")
    assert focused == ["skip-link", "Skip to main content"]
    box = page.locator(".skip-link").bounding_box()
    assert box and box["y"] >= 0 and box["height"] >= 24
    page.keyboard.press("Enter")
    assert page.evaluate("[location.hash, document.activeElement.id]") == ["#main", "main"]
    page.keyboard.press("Tab")  # on into the content, not back to the header
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
    page.close()


def test_questions_open_with_enter_and_space(starter_site, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(starter_site.url(ARTICLE))
    questions = page.locator("details.faq-item")
    assert questions.count() >= 2
    page.locator("details.faq-item summary").first.focus()
    page.keyboard.press("Enter")
    assert questions.nth(0).evaluate("(d) => d.open")
    assert questions.nth(0).locator(".faq-answer").is_visible()
    page.keyboard.press("Tab")  # the answer's own links come first if it has any
    while not page.evaluate("document.activeElement.matches('details.faq-item:nth-of-type(2) > summary')"):
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert questions.nth(1).evaluate("(d) => d.open")
    page.keyboard.press("Enter")  # and closes again
    assert not questions.nth(1).evaluate("(d) => d.open")
    page.close()


def test_a_question_opens_when_linked_to(starter_site, browser):
    page = browser.new_page()
    page.goto(starter_site.url(ARTICLE + "#faq-1"))
    assert page.evaluate("document.getElementById('faq-1').open") is True
    page.close()


# -- security headers and the CSP ----------------------------------------------------------------------------
def test_the_policy_is_enforced_inline_code_and_styles_are_refused(starter_site, browser):
    """The meta tag alone (no headers) already refuses what an injected script or style would need."""
    context = watched_context(browser, starter_site, headers=False)
    page = context.new_page()
    page.goto(starter_site.url(ARTICLE))
    page.evaluate("""() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = 1';
      document.body.append(script);
      document.body.insertAdjacentHTML('beforeend', '<p id="styled" style="color: red">x</p>'); }""")
    page.wait_for_timeout(100)  # violation events are queued as tasks
    assert page.evaluate("window.injected") is None
    assert page.evaluate("getComputedStyle(document.getElementById('styled')).color") != "rgb(255, 0, 0)"
    refused = [line for line in context.watch.console if "CSP violation" in line]
    assert any("script-src" in line for line in refused) and any("style-src" in line for line in refused)
    context.close()


def test_the_headers_file_keeps_other_sites_from_framing_a_page(starter_site, browser):
    """frame-ancestors works only as a header (a meta tag cannot carry it): with the _headers file's headers, a
    page of another site that frames ours gets nothing."""
    context = watched_context(browser, starter_site)
    context.route("http://other.test/**", lambda route: route.fulfill(
        content_type="text/html", body=f'<!doctype html><title>x</title><iframe src="{starter_site.url()}"></iframe>'))
    page = context.new_page()
    page.goto("http://other.test/framing.html")
    page.wait_for_timeout(300)
    framed = [frame for frame in page.frames if frame != page.main_frame]
    assert framed and all(starter_site.origin not in frame.url or not frame.content().count("site-header")
                          for frame in framed)
    assert any("frame-ancestors" in line for line in context.watch.console)
    context.close()


def test_pages_work_without_javascript(starter_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(starter_site.url("articles/what-is-ms/"))
    page.locator("#faq-1 summary").click()
    assert page.locator("#faq-1 .faq-answer").is_visible()
    context.close()


def test_printout_shows_answers_and_hides_navigation(starter_site, browser):
    page = browser.new_page()
    page.goto(starter_site.url(ARTICLE))
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden()
    answer = page.locator("#faq-1 .faq-answer")
    assert answer.is_visible()
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    page.close()

