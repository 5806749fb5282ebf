"""The live preview in real headless Chromium, under the site's own Content-Security-Policy (the <meta> tag of
every page: no inline script or style): a saved edit reloads the open page by itself; a broken file shows an
overlay naming the file, line and message over the last good page (its text as text, never as HTML); a fix
clears it. No CSP violation.

These tests need Debian's Chromium (`make test` installs it). Without it they fail; they never skip.
"""

from __future__ import annotations

import pytest

from .browserkit import Served, run_axe, watched_context
from .previewkit import save, start_preview
from .sitekit import article
from .test_preview import BROKEN_MESSAGE, BROKEN_TITLE

pytestmark = pytest.mark.browser
OVERLAY = "#carepages-preview-overlay"
WAIT_MS = 30_000


@pytest.fixture
def preview(site, tmp_path):
    served = start_preview(site.root, tmp_path, "--no-search")
    yield served
    assert served.stop() == 0
    assert "Traceback" not in served.err()


def test_the_page_reloads_on_save_and_a_build_error_is_shown_over_it_until_fixed(site, preview, browser):
    # headers=False: the site's headers would be added by intercepting each answer whole, which an event stream
    # never finishes; the policy of the pages' own <meta> tag applies.
    context = watched_context(browser, Served(preview.base, "/info/", site.out), headers=False)
    page = context.new_page()
    page.goto(f"{preview.base}/info/articles/first/")
    policy = page.locator('meta[http-equiv="Content-Security-Policy"]').get_attribute("content")
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    overlay = page.locator(OVERLAY)

    # An edit: the page reloads by itself and shows it.
    page.evaluate("window.untouched = true")
    with page.expect_navigation(timeout=WAIT_MS):
        save(site, "content/first.md", article("First article", body="Written while the page was open.\n"))
    page.get_by_text("Written while the page was open.").wait_for(timeout=WAIT_MS)
    assert page.evaluate("window.untouched") is None  # a new page, not a changed one

    # A broken file: the overlay names it, over the last good page, which is not reloaded.
    page.evaluate("window.untouched = true")
    save(site, "content/first.md", BROKEN_TITLE)
    overlay.wait_for(timeout=WAIT_MS)
    assert overlay.get_attribute("role") == "alert"
    assert overlay.locator("code").inner_text() == "content/first.md:2:17"
    assert BROKEN_MESSAGE in overlay.inner_text() and "[yaml/syntax]" in overlay.inner_text()
    assert overlay.locator("b").count() == 0  # the <b> in the message is text
    assert page.evaluate(f"getComputedStyle(document.querySelector('{OVERLAY}')).position") == "fixed"
    assert page.locator("h1").first.inner_text() == "First article"
    assert page.evaluate("window.untouched") is True
    assert run_axe(page) == []  # the overlay too: contrast, its heading, its button

    # Fixed back to what is served: the overlay goes, and nothing needed reloading.
    save(site, "content/first.md", article("First article", body="Written while the page was open.\n"))
    overlay.wait_for(state="detached", timeout=WAIT_MS)
    assert page.evaluate("window.untouched") is True

    # Broken, then fixed differently: the page reloads without the overlay.
    save(site, "content/first.md", BROKEN_TITLE)
    overlay.wait_for(timeout=WAIT_MS)
    with page.expect_navigation(timeout=WAIT_MS):
        save(site, "content/first.md", article("A fixed title"))
    page.get_by_role("heading", level=1, name="A fixed title").wait_for(timeout=WAIT_MS)

    # The overlay's Hide button works from the keyboard.
    save(site, "content/first.md", BROKEN_TITLE)
    overlay.wait_for(timeout=WAIT_MS)
    overlay.get_by_role("button", name="Hide").focus()
    page.keyboard.press("Enter")
    assert overlay.count() == 0

    assert context.watch.console == []  # no CSP violation, no error
    assert context.watch.outside == []
    # the policy was in force: an inline style is refused, and that is seen
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    for _ in range(100):  # the violation is reported asynchronously
        if any("CSP violation: style-src-attr" in line for line in context.watch.console):
            break
        page.wait_for_timeout(50)
    assert any("CSP violation: style-src-attr" in line for line in context.watch.console), context.watch.console
    page.close()
    context.close()
