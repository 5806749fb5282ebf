"""Search in real headless Chromium, by keyboard only, under the Content-Security-Policy the site is meant to be
served with: a word from one article finds that article first, with an excerpt, and no request leaves the local
server. Under the starter site's sub-path (/patient-info/) and at a site's root.

These tests need Debian's Chromium (`make test` installs it). Without it they fail; they never skip.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import carepages
from carepages.server import make_server

from .sitekit import ROOT, SiteDir, article
from .test_browser import CHROMIUM, CHROMIUM_ARGS, run_axe
from .test_search import indexed_pages

pytestmark = pytest.mark.browser

# No 'unsafe-inline' for scripts or styles. Pagefind runs WebAssembly, which a CSP allows only with
# 'wasm-unsafe-eval' (it allows compiling WebAssembly, not eval of JavaScript).
CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; base-uri 'none'; form-action 'self'"
WATCH_CSP = ("window.cspViolations = [];"
             "document.addEventListener('securitypolicyviolation',"
             " (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));")
ROOT_SITE_CONFIG = """\
title = "Root Site"
base_url = "https://example.org/"
language = "en-GB"
disclaimer = "Test disclaimer text."
emergency = "Call 999 in an emergency."

[organisation]
name = "Test Clinic"
"""


@dataclass(frozen=True)
class Served:
    origin: str  # http://127.0.0.1:port
    base: str  # the site's base path: /patient-info/ or /
    out: Path


def _serve(out: Path, base_path: str) -> Iterator[Served]:
    server = make_server(out, base_path, port=0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield Served(f"http://127.0.0.1:{server.server_address[1]}", base_path, out)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def starter(tmp_path_factory) -> Iterator[Served]:
    out = tmp_path_factory.mktemp("search-starter") / "_site"
    carepages.build(ROOT, out)
    yield from _serve(out, "/patient-info/")


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
    yield from _serve(site.out, "/")


@pytest.fixture(scope="module")
def browser():
    assert Path(CHROMIUM).exists(), "Chromium not found: run 'make test' (it installs Debian's chromium)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def context(browser):
    """A browser context whose responses carry the CSP, recording every request and every CSP violation."""
    context = browser.new_context(viewport={"width": 360, "height": 800})
    context.requests = []
    context.on("request", lambda request: context.requests.append(request.url))

    def with_csp(route) -> None:
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})

    context.route("**/*", with_csp)
    context.add_init_script(WATCH_CSP)
    yield context
    context.close()


def unique_word(out: Path) -> tuple[str, str]:
    """(word, article URL): a word of one article that no other indexed page has, even as part of a word."""
    pages = {url: text.lower() for url, text in indexed_pages(out).items()}
    for url in sorted(u for u in pages if u.startswith("/articles/")):
        for word in sorted(set(re.findall(r"\b[a-z]{9,}\b", pages[url]))):
            if not any(word[:-2] in text for other, text in pages.items() if other != url):
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
    assert [url for url in context.requests if not url.startswith(served.origin + "/")] == []
    assert page.evaluate("window.cspViolations") == []
    assert page.evaluate("[localStorage.length, sessionStorage.length]") == [0, 0]
    assert context.cookies() == []


@pytest.mark.parametrize("which", ["starter", "rooted"])
def test_a_word_from_one_article_finds_it_first_by_keyboard(which, request, context) -> None:
    served: Served = request.getfixturevalue(which)
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


def test_the_404_page_box_searches_too(rooted, context) -> None:
    page = context.new_page()
    search_by_keyboard(page, rooted.origin + "/no-such-page/", "not-found-q", "lobed")
    assert page.locator(".search-result a").first.get_attribute("href") == "/articles/second/"
    assert_stayed_local(context, page, rooted)


def test_more_results_come_by_keyboard_and_take_the_focus(starter, context) -> None:
    word = common_word(starter.out, at_least=11)
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


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_search_page_with_results_passes_axe(starter, browser, scheme) -> None:
    word, _ = unique_word(starter.out)
    context = browser.new_context(viewport={"width": 360, "height": 800}, color_scheme=scheme)
    page = context.new_page()
    for path in (f"/patient-info/search/?q={word}", "/patient-info/search/?q=qzxqzv",
                 "/patient-info/no-such-page/"):
        page.goto(starter.origin + path)
        if "search" in path:
            page.locator("#search-status", has_text=re.compile(r"match")).wait_for()
            if "qzxqzv" in path:
                assert page.locator("#search-status").inner_text().startswith("No pages match")
        assert run_axe(page) == [], path
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


def test_a_site_built_without_search_says_search_is_not_available(tmp_path, context) -> None:
    site = _root_site(tmp_path / "site")
    site.build(search=False)
    for served in _serve(site.out, "/"):
        page = context.new_page()
        page.goto(served.origin + "/search/?q=zygomorphic")
        status = page.locator("#search-status")
        status.filter(has_text="not available").wait_for()
        assert status.locator("a").get_attribute("href") == "/topics/"
        assert [url for url in context.requests if not url.startswith(served.origin + "/")] == []
