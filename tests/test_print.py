"""A page on paper, in headless Chromium's print emulation: what a patient needs stays (the article, review
dates, references, urgent advice, how to reach the clinic), what only works on a screen goes (menus, search,
contents, back-links, footer links), and every link to another page says where it leads, in full.

Needs Debian's Chromium (`make test` installs it); without it these tests fail, they never skip.
"""

from __future__ import annotations

import io
import re
import threading

import pytest

from carepages.server import make_server

from .sitekit import BIBLIOGRAPHY, MINIMAL_CONFIG, SiteDir, article

pytestmark = pytest.mark.browser

CONFIG = MINIMAL_CONFIG + """\
email = "clinic@example.org"

[[nav]]
title = "Home"
url = "/"

[[footer_links]]
title = "Privacy"
url = "privacy.md"
"""

BODY = """\
Read [the other article](second.md) and [its section](second.md#details), then [this page's
questions](#faq). Scans are safe [@smith2020].

::: urgent Get help now
Call 999 if you cannot move your legs.
:::

## One

Text.

## Two

Text. See the [outside guide](https://guides.example.net/ms).

## Three

Text.
"""

FRONT = {
    "key_points": '["Linked: [second](second.md)"]',
    "faq": '[{question: "Where next?", answer: "See [the second article](second.md)."}]',
}


@pytest.fixture(scope="module")
def printed_site(tmp_path_factory):
    site = SiteDir(tmp_path_factory.mktemp("print") / "site")
    site.write("site.toml", CONFIG)
    site.write("content/references.yaml", BIBLIOGRAPHY)
    site.write("content/first.md", article("First article", BODY, **FRONT))
    site.write("content/second.md", article("Second article", "## Details\n\nMore.\n"))
    site.write("content/privacy.md", article("Privacy", "Nothing kept.\n", layout="page"))
    site.build()
    server = make_server(site.out, "/info/", port=0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def printed_page(printed_site, browser):
    page = browser.new_page()  # the session's one Chromium (conftest.py)
    page.goto(printed_site + "/info/articles/first/")
    page.emulate_media(media="print")
    yield page
    page.close()


def after(page, selector: str) -> str:
    """The text a stylesheet adds after the first element matching `selector` ('none' if nothing)."""
    return page.evaluate("(s) => getComputedStyle(document.querySelector(s), '::after').content", selector)


@pytest.mark.parametrize("selector", [
    ".site-nav", ".site-search", ".footer-nav", ".toc", ".skip-link", ".reference-list .backlink, .backlinks",
])
def test_screen_only_parts_are_not_printed(printed_page, selector):
    assert printed_page.locator(selector).count() > 0, f"{selector} is not on the page at all"
    assert printed_page.locator(selector).first.is_hidden()


@pytest.mark.parametrize("selector", [
    ".review", ".references", ".care-urgent", ".footer-emergency", ".footer-contact", ".key-points",
    "#faq-1 .faq-answer",
])
def test_what_a_patient_needs_is_printed(printed_page, selector):
    assert printed_page.locator(selector).first.is_visible()


def test_links_to_the_sites_own_pages_print_their_full_address(printed_page):
    assert after(printed_page, '.prose a[href="/info/articles/second/"]') == \
        '" (https://example.org/info/articles/second/)"'
    assert after(printed_page, '.prose a[href="/info/articles/second/#details"]') == \
        '" (https://example.org/info/articles/second/#details)"'
    assert after(printed_page, ".key-points a") == '" (https://example.org/info/articles/second/)"'
    assert after(printed_page, ".faq-answer a") == '" (https://example.org/info/articles/second/)"'
    assert after(printed_page, '.prose a[href^="https:"]') == '" (https://guides.example.net/ms)"'


def test_links_within_the_page_print_no_address(printed_page):
    assert after(printed_page, '.prose a[href="#faq"]') == "none"
    assert after(printed_page, ".citation a") == "none"
    assert after(printed_page, ".contact-list a") == "none"  # its text is the address already


def test_on_screen_no_address_is_added(printed_page):
    printed_page.emulate_media(media="screen")
    try:
        assert after(printed_page, '.prose a[href="/info/articles/second/"]') == "none"
        assert printed_page.locator(".site-nav").is_visible()
    finally:
        printed_page.emulate_media(media="print")


def test_the_paper_copy_reads_as_it_should(printed_page):
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(printed_page.pdf()))
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
    assert "(https://example.org/info/articles/second/)" in text
    assert "(https://guides.example.net/ms)" in text
    assert "Pagelastreviewed" in text
    assert "Gethelpnow" in text and "Call999ifyoucannotmoveyourlegs" in text
    assert "Astudyofthings" in text  # the reference list
    assert "(/info/" not in text and "(#" not in text  # no half address, no in-page anchors
    assert "Privacy" not in text  # the footer link
