"""The review dashboard in real headless Chromium: axe-clean (current axe, WCAG 2.2 A/AA), a clean console,
and sortable by its buttons."""

from __future__ import annotations

import datetime as dt

import pytest

from carepages.checks.command import check_site
from carepages.report import write_report

from .browserkit import DESKTOP, PHONE, run_axe
from .sitekit import ROOT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "review.html"
    write_report(check_site(ROOT, today=dt.date(2027, 11, 10)), out)
    return out


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_the_dashboard_passes_axe(dashboard, browser, viewport):
    context = browser.new_context(viewport=viewport)
    outside: list[str] = []
    console: list[str] = []
    context.on("request", lambda request: outside.append(request.url)
               if not request.url.startswith("file://") else None)
    page = context.new_page()
    page.on("console", lambda message: console.append(message.text) if message.type in ("error", "warning")
            else None)
    page.on("pageerror", lambda error: console.append(str(error)))
    page.goto(dashboard.as_uri())
    assert run_axe(page) == []
    page.get_by_role("button", name="Words").click()
    assert page.locator("th[aria-sort=ascending]").inner_text().startswith("Words")
    assert run_axe(page) == []
    assert outside == []
    assert console == []
    context.close()


def test_sorting_by_a_column_and_back(dashboard, browser):
    page = browser.new_page()
    page.goto(dashboard.as_uri())
    words = page.get_by_role("button", name="Words")
    words.click()
    first = [int(t) for t in page.locator("tbody tr td:nth-of-type(7)").all_inner_texts()]
    assert first == sorted(first)
    words.click()
    again = [int(t) for t in page.locator("tbody tr td:nth-of-type(7)").all_inner_texts()]
    assert again == sorted(first, reverse=True)
    assert page.locator("#sort-status").inner_text() == "Sorted by Words, descending."
    page.close()
