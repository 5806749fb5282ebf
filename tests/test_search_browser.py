"""Search in real headless Chromium, by keyboard and by touch, under the headers of the site's own `_headers`
file (its Content-Security-Policy among them): a word from one article finds that article first, with an
excerpt, and no request leaves the local server. Under the starter site's sub-path (/patient-info/) and at a
site's root.

These tests need Debian's Chromium (`make test` installs it). Without it they fail; they never skip.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext

from .browserkit import PHONE, Served, run_axe, serve, watched_context
from .sitekit import SiteDir, article
from .test_search import indexed_pages

pytestmark = pytest.mark.browser

ROOT_SITE_CONFIG = """\
title = "Root Site"
base_url = "https://example.org/"
language = "en-GB"
disclaimer = "Test disclaimer text."
emergency = "Call 999 in an emergency."

[organisation]
name = "Test Clinic"
"""


@pytest.fixture(scope="module")
def starter(starter_site) -> Served:
    return starter_site


def _root_site(folder: Path) -> SiteDir:
    site = SiteDir(folder)
    site.write("site.toml", ROOT_SITE_CONFIG)
    site.write("content/first.md", article("Flower shapes", body="Some flowers are zygomorphic.\n"))
    site.write("content/second.md", article("Leaf shapes", body="Some leaves are lobed.\n"))
    return site


@pytest.fixture(scope="module")
def rooted(tmp_path_factory) -> Iterator[Served]:
    site = _root_site(tmp_path_factory.mktemp("search-root") / "site")
    site.build(search=True)
    with serve(site.out, "/") as served:
        yield served


@pytest.fixture
def open_context(browser) -> Iterator[Callable[..., BrowserContext]]:
    """Opens a phone-sized browser context for a served site, whose responses carry the site's `_headers`,
    recording requests that leave the server and console errors (a CSP violation or a storage write logs
    one); closed after the test."""
    opened: list[BrowserContext] = []

    def open_for(served: Served, **options) -> BrowserContext:
        opened.append(watched_context(browser, served, **{"viewport": PHONE, **options}))
        return opened[-1]

    yield open_for
    for context in opened:
        context.close()


def unique_word(out: Path) -> tuple[str, str]:
    """(word, article URL): a word of one article that no other indexed page has, even as part of a word."""
    pages = {url: text.lower() for url, text in indexed_pages(out).items()}
    for url in sorted(u for u in pages if u.startswith("/articles/")):
        for word in sorted(set(re.findall(r"\b[a-z]{9,}\b", pages[url]))):
            # a stem, as Pagefind searches by stems: "reasonable" also finds "reason"
            if not any(word[:-4] in text for other, text in pages.items() if other != url):
                return word, url
    raise AssertionError("no word belongs to exactly one article")


def common_word(out: Path, at_least: int) -> str:
    pages = [set(re.findall(r"\b[a-z]{5,}\b", text.lower())) for text in indexed_pages(out).values()]
    counts = {word: sum(word in page for page in pages) for word in set().union(*pages)}
    return max(sorted(counts), key=lambda word: counts[word] if counts[word] >= at_least else -1)


def tab_to(page, selector: str, limit: int = 60) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def search_by_keyboard(page, start: str, box: str, word: str) -> None:
    page.goto(start)
    tab_to(page, f"#{box}")
    page.keyboard.type(word)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    page.locator(".search-result").first.wait_for()


def assert_stayed_local(context, page, served: Served) -> None:
    assert context.watch.outside == []
    assert context.watch.console == []  # no CSP violation, no error, no storage write
    assert page.evaluate("[localStorage.length, sessionStorage.length]") == [0, 0]
    assert context.cookies() == []


@pytest.mark.parametrize("which", ["starter", "rooted"])
def test_a_word_from_one_article_finds_it_first_by_keyboard(which, request, open_context) -> None:
    served: Served = request.getfixturevalue(which)
    context = open_context(served)
    word, url = unique_word(served.out) if which == "starter" else ("zygomorphic", "/articles/first/")
    article_url = served.base + url.lstrip("/")
    page = context.new_page()
    search_by_keyboard(page, served.origin + article_url, "site-search-q", word)
    assert page.input_value("#search-q") == word
    first = page.locator(".search-result").first
    assert first.locator("a").get_attribute("href") == article_url
    title = first.locator("h2").inner_text()
    assert title
    marks = [m.lower() for m in first.locator(".search-excerpt mark").all_inner_texts()]
    assert any(word in m for m in marks), marks
    assert len(first.locator(".search-excerpt").inner_text()) > len(word) + 20  # an excerpt, not just the word
    status = page.locator("#search-status")
    assert status.get_attribute("role") == "status"
    assert status.inner_text() == f"1 page matches \u2018{word}\u2019."
    # on to the article, still by keyboard: the first link after the box and its button is the first result
    tab_to(page, "#search-q")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Search"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == article_url
    page.keyboard.press("Enter")
    page.wait_for_url(served.origin + article_url)
    assert page.title().startswith(title + " | ")  # the result is titled as the article is
    assert_stayed_local(context, page, served)


def test_the_404_page_box_searches_too(rooted, open_context) -> None:
    context = open_context(rooted)
    page = context.new_page()
    search_by_keyboard(page, rooted.origin + "/no-such-page/", "not-found-q", "lobed")
    assert page.locator(".search-result a").first.get_attribute("href") == "/articles/second/"
    assert_stayed_local(context, page, rooted)


def test_more_results_come_by_keyboard_and_take_the_focus(starter, open_context) -> None:
    word = common_word(starter.out, at_least=11)
    context = open_context(starter)
    page = context.new_page()
    page.goto(f"{starter.origin}/patient-info/search/?q={word}")
    page.locator(".search-result").first.wait_for()
    assert page.locator(".search-result").count() == 10
    total = int(page.locator("#search-status").inner_text().split()[0])
    assert total > 10
    tab_to(page, "#search-more")
    page.keyboard.press("Enter")
    page.locator(".search-result").nth(10).wait_for()  # locators, not wait_for_function: the CSP refuses eval
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == page.locator(".search-result a").nth(10).get_attribute("href")
    assert page.locator("#search-status").inner_text().endswith(f"Showing 1 to {min(total, 20)}.")
    assert_stayed_local(context, page, starter)


def test_search_works_by_touch_on_a_phone(starter, open_context) -> None:
    word, url = unique_word(starter.out)
    context = open_context(starter, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(starter.url())
    page.tap("#site-search-q")
    page.keyboard.type(word)  # what the on-screen keyboard sends
    page.tap(".site-search .search-button")
    page.wait_for_url(re.compile(r"/search/\?q="))
    first = page.locator(".search-result a").first
    first.wait_for()
    assert first.get_attribute("href") == starter.base + url.lstrip("/")
    first.tap()
    page.wait_for_url(starter.origin + starter.base + url.lstrip("/"))
    assert_stayed_local(context, page, starter)


# The search page with results and the 404 page are in test_browser.py's sweep of every page (axe at two
# widths and in dark mode); this is the state the sweep does not reach.
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_search_page_without_results_passes_axe(starter, browser, scheme) -> None:
    context = browser.new_context(viewport=PHONE, color_scheme=scheme)
    page = context.new_page()
    page.goto(starter.url("search/?q=qzxqzv"))
    page.locator("#search-status", has_text=re.compile(r"match")).wait_for()
    assert page.locator("#search-status").inner_text().startswith("No pages match")
    assert run_axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    context.close()


def test_without_javascript_the_boxes_say_what_search_needs(starter, browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(starter.origin + "/patient-info/articles/what-is-ms/")
    assert page.locator(".site-search .search-needs-js").inner_text() == \
        "Search needs JavaScript, which is off in this browser."
    page.fill("#site-search-q", "myelin")
    page.press("#site-search-q", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q=myelin"))
    notice = page.locator(".search-noscript")
    assert notice.is_visible() and "Search needs JavaScript" in notice.inner_text()
    assert notice.locator("a", has_text="list of topics").get_attribute("href") == "/patient-info/topics/"
    assert notice.locator("a", has_text="questions and answers").get_attribute("href") == "/patient-info/faq/"
    context.close()


def test_a_site_built_without_search_says_search_is_not_available(tmp_path, open_context) -> None:
    site = _root_site(tmp_path / "site")
    site.build(search=False)
    with serve(site.out, "/") as served:
        context = open_context(served)
        page = context.new_page()
        page.goto(served.origin + "/search/?q=zygomorphic")
        status = page.locator("#search-status")
        status.filter(has_text="not available").wait_for()
        assert status.locator("a").get_attribute("href") == "/topics/"
        assert context.watch.outside == []
