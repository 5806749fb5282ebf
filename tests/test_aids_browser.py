"""Plain-language aids in real headless Chromium: a glossary word's meaning opens in place by keyboard (and
without JavaScript the word is a link), care cards pass axe in light and dark mode, and a phone shows the
page's urgent advice before its first section.

These tests need Debian's Chromium (`make test` installs it). Without it they fail; they never skip.
"""

from __future__ import annotations

import pytest

from .browserkit import DESKTOP, PHONE, run_axe, watched_context

pytestmark = pytest.mark.browser

ARTICLE = "articles/what-is-ms/"


def test_a_glossary_word_opens_its_meaning_in_place_by_keyboard(starter_site, browser):
    context = watched_context(browser, starter_site, headers=False, viewport=PHONE)  # the page's CSP meta tag
    page = context.new_page()
    page.goto(starter_site.url(ARTICLE))
    first = page.locator(".prose .term-button").first
    assert first.get_attribute("aria-expanded") == "false"
    meaning = page.locator("#" + first.get_attribute("aria-controls"))
    assert meaning.is_hidden()
    # reach it with Tab, as a keyboard user would
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('term-button')"):
            break
    assert page.evaluate("document.activeElement.textContent") == first.text_content()
    page.keyboard.press("Enter")
    assert first.get_attribute("aria-expanded") == "true"
    assert meaning.is_visible()
    slug = page.evaluate("document.activeElement.nextElementSibling.querySelector('a').hash")
    definition = page.locator(f"#word-{slug.removeprefix('#term-')} dd").text_content().strip()
    assert definition in meaning.text_content()
    page.keyboard.press(" ")
    assert first.get_attribute("aria-expanded") == "false" and meaning.is_hidden()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    assert meaning.is_hidden()
    assert page.evaluate("document.activeElement.getAttribute('aria-controls')") == meaning.get_attribute("id")
    assert context.watch.console == [] and context.watch.outside == []  # the script runs under the site's CSP
    context.close()


def test_without_javascript_a_word_links_to_the_glossary_and_the_page_lists_every_meaning(starter_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(starter_site.url(ARTICLE))
    link = page.locator(".prose a.term").first
    href = link.get_attribute("href")
    assert href.startswith("/patient-info/glossary/#term-")
    assert page.locator("#words").is_visible()
    link.click()
    page.wait_for_url("**/glossary/**")
    assert page.locator(href[href.index("#"):]).is_visible()
    context.close()


def test_in_print_the_words_list_shows_and_the_care_card_says_its_level_in_words(starter_site, browser):
    page = browser.new_page()
    page.goto(starter_site.url(ARTICLE))
    page.emulate_media(media="print")
    assert page.locator("#words dd").first.is_visible()
    prefix = page.locator(".care-emergency .care-title .visually-hidden")
    assert prefix.bounding_box()["width"] > 20  # printed, not clipped to one pixel
    assert page.locator(".care-jump").is_hidden()
    page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_care_cards_pass_axe_and_have_distinct_colours(starter_site, browser, scheme):
    context = watched_context(browser, starter_site, headers=False, viewport=PHONE, color_scheme=scheme)
    page = context.new_page()
    for path in (ARTICLE, "articles/preparing-for-your-spine-mri/", "glossary/"):
        page.goto(starter_site.url(path))
        assert run_axe(page) == [], path
    page.goto(starter_site.url(ARTICLE))
    bands = page.evaluate("""() => ['care-emergency', 'care-urgent', 'care-non-urgent'].map(level => {
        const card = document.querySelector('.' + level);
        return [getComputedStyle(card.querySelector('.care-title')).backgroundColor,
                getComputedStyle(card).backgroundColor];
    })""")
    assert len({tuple(colours) for colours in bands}) == 3, bands
    # a phone shows the pointer to the urgent advice above the first section
    jump = page.locator(".care-jump")
    assert jump.is_visible()
    assert jump.bounding_box()["y"] < page.locator(".key-points").bounding_box()["y"]
    page.locator(".care-jump a[href='#help-card']").click()
    assert page.evaluate("location.hash") == "#help-card"
    context.close()


def test_a_wide_screen_does_not_show_the_phone_pointer(starter_site, browser):
    page = browser.new_page(viewport=DESKTOP)
    page.goto(starter_site.url(ARTICLE))
    assert page.locator(".care-jump").is_hidden()
    assert page.locator("#help-card .care-card").count() == 3
    page.close()
