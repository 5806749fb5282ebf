"""The live preview in real headless Chromium, under the Content-Security-Policy the site is meant to be served
with: a saved edit reloads the open page by itself; a broken file shows an overlay naming the file, line and
message over the last good page (its text as text, never as HTML); a fix clears it. No CSP violation.

These tests need Debian's Chromium (`make test` installs it). Without it they fail; they never skip.
"""

from __future__ import annotations

import pytest

from .previewkit import start_preview
from .sitekit import article
from .test_browser import browser  # noqa: F401  (the fixture)
from .test_preview import BROKEN_MESSAGE, BROKEN_TITLE
from .test_search_browser import CSP, WATCH_CSP

pytestmark = pytest.mark.browser
OVERLAY = "#carepages-preview-overlay"
WAIT_MS = 30_000


@pytest.fixture
def preview(site, tmp_path):
    served = start_preview(site.root, tmp_path, "--no-search")
    yield served
    assert served.stop() == 0
    assert "Traceback" not in served.err()


def test_the_page_reloads_on_save_and_a_build_error_is_shown_over_it_until_fixed(site, preview, browser):  # noqa: F811
    context = browser.new_context()

    def with_csp(route) -> None:  # pages get the policy; the event stream is left to stream
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})

    context.route(lambda url: "/__carepages/" not in url, with_csp)
    context.add_init_script(WATCH_CSP)
    outside: list[str] = []
    context.on("request", lambda r: outside.append(r.url) if not r.url.startswith(preview.base) else None)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type in {"error", "warning"} else None)
    page.goto(f"{preview.base}/info/articles/first/")
    overlay = page.locator(OVERLAY)

    # An edit: the page reloads by itself and shows it.
    page.evaluate("window.untouched = true")
    with page.expect_navigation(timeout=WAIT_MS):
        site.write("content/first.md", article("First article", body="Written while the page was open.\n"))
    page.get_by_text("Written while the page was open.").wait_for(timeout=WAIT_MS)
    assert page.evaluate("window.untouched") is None  # a new page, not a changed one

    # A broken file: the overlay names it, over the last good page, which is not reloaded.
    page.evaluate("window.untouched = true")
    site.write("content/first.md", BROKEN_TITLE)
    overlay.wait_for(timeout=WAIT_MS)
    assert overlay.get_attribute("role") == "alert"
    assert overlay.locator("code").inner_text() == "content/first.md:2:17"
    assert BROKEN_MESSAGE in overlay.inner_text() and "[yaml/syntax]" in overlay.inner_text()
    assert overlay.locator("b").count() == 0  # the <b> in the message is text
    assert page.evaluate(f"getComputedStyle(document.querySelector('{OVERLAY}')).position") == "fixed"
    assert page.locator("h1").first.inner_text() == "First article"
    assert page.evaluate("window.untouched") is True

    # Fixed back to what is served: the overlay goes, and nothing needed reloading.
    site.write("content/first.md", article("First article", body="Written while the page was open.\n"))
    overlay.wait_for(state="detached", timeout=WAIT_MS)
    assert page.evaluate("window.untouched") is True

    # Broken, then fixed differently: the page reloads without the overlay.
    site.write("content/first.md", BROKEN_TITLE)
    overlay.wait_for(timeout=WAIT_MS)
    with page.expect_navigation(timeout=WAIT_MS):
        site.write("content/first.md", article("A fixed title"))
    page.get_by_role("heading", level=1, name="A fixed title").wait_for(timeout=WAIT_MS)

    # The overlay's Hide button works from the keyboard.
    site.write("content/first.md", BROKEN_TITLE)
    overlay.wait_for(timeout=WAIT_MS)
    overlay.get_by_role("button", name="Hide").focus()
    page.keyboard.press("Enter")
    assert overlay.count() == 0

    assert page.evaluate("window.cspViolations") == []
    assert console == []
    assert outside == []
    # the policy was in force: an inline style is refused
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    assert [v.split()[0] for v in page.evaluate("window.cspViolations")] == ["style-src-attr"]
    page.close()
    context.close()
