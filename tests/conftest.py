"""Fixtures shared by the tests (helpers live in sitekit.py and browserkit.py).

The browser tests of every file share one headless Chromium (`browser`) and one build of the starter site,
with its search index, served at its sub-path (`starter_site`): both are made once per session, when the first
test asks for them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import carepages

from .browserkit import CHROMIUM_ARGS, SCREENSHOTS, Served, serve
from .sitekit import BIBLIOGRAPHY, MINIMAL_CONFIG, ROOT, SiteDir, article

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def site(tmp_path: Path) -> SiteDir:
    """A minimal valid site with one article and a bibliography; tests add or overwrite files."""
    s = SiteDir(tmp_path / "site")
    s.write("site.toml", MINIMAL_CONFIG)
    s.write("content/first.md", article("First article"))
    s.write("content/references.yaml", BIBLIOGRAPHY)
    return s


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session. Without Chromium the browser tests fail: they never skip
    (in CI, where CI is set, and on a developer's machine alike)."""
    where = "in CI" if os.environ.get("CI") else "here"
    assert Path(CHROMIUM).exists(), f"Chromium not found {where}: run 'make test' (it installs Debian's chromium)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def starter_site(tmp_path_factory) -> Iterator[Served]:
    """The starter site (the repository's own content), built once with its search index and served under its
    base path, /patient-info/."""
    out = tmp_path_factory.mktemp("starter") / "_site"
    carepages.build(ROOT, out)
    with serve(out, "/patient-info/") as served:
        yield served


@pytest.fixture
def saved_screenshots(request) -> Iterator[list[Path]]:
    """Where a test notes each screenshot it saves: the session lists them at its end. They travel in the
    test's report (`user_properties`), so the list is whole when worker processes run the tests."""
    shots: list[Path] = []
    yield shots
    request.node.user_properties.extend(("screenshot", str(shot)) for shot in shots)


def pytest_terminal_summary(terminalreporter, config) -> None:
    shots = dict.fromkeys(value for reports in terminalreporter.stats.values() for report in reports
                          for name, value in getattr(report, "user_properties", ()) if name == "screenshot")
    if shots:
        terminalreporter.section(f"screenshots, for a person to look at (in {SCREENSHOTS.relative_to(ROOT)}/)")
        for shot in shots:
            terminalreporter.write_line(shot)
