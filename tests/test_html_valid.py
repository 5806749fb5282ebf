"""Every page of the starter site, its 404 page and the review dashboard are valid HTML by the W3C Nu checker
(the `vnu-jar` npm package, current, run with the machine's Java; `make test` installs it with `npm ci`).

Without Java or the npm package these tests fail; they never skip.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from carepages.checks.command import check_site
from carepages.report import write_report

from .browserkit import VNU_JAR, npm_tool
from .sitekit import ROOT

pytestmark = pytest.mark.browser
INVALID = ROOT / "tests" / "fixtures" / "html" / "invalid.html"  # a duplicate id, on purpose


@pytest.fixture(scope="module")
def checked(starter_site, tmp_path_factory) -> tuple[list[Path], list[str]]:
    """(the files checked, the checker's messages): one run of the checker (a Java start) for all of them."""
    dashboard = tmp_path_factory.mktemp("dashboard") / "review.html"
    write_report(check_site(ROOT, today=dt.date(2027, 11, 10)), dashboard)
    pages = sorted(p for p in starter_site.out.rglob("*.html") if "pagefind" not in p.parts)
    java = shutil.which("java")
    assert java, "Java not found: the W3C Nu checker needs it (Debian: default-jre-headless)"
    files = [*pages, dashboard, INVALID]
    proc = subprocess.run([java, "-jar", str(npm_tool(VNU_JAR)), "--skip-non-html", "--errors-only",
                           "--no-langdetect", *map(str, files)], capture_output=True, text=True, timeout=300)
    return files, [line for line in (proc.stdout + proc.stderr).splitlines() if line.strip()]


def test_every_page_the_404_page_and_the_dashboard_are_valid_html(checked, starter_site):
    files, messages = checked
    assert starter_site.out / "404.html" in files and len(files) > 20
    assert [line for line in messages if str(INVALID) not in line] == []


def test_the_checker_is_really_looking(checked):
    """Its messages reach the test: the page with a duplicate id is reported."""
    _, messages = checked
    assert any(str(INVALID) in line and "Duplicate ID" in line for line in messages), messages
