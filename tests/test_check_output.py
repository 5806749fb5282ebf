"""`check` on the command line: the three output formats parsed back, exit codes, --strict and --today."""

from __future__ import annotations

import json
import re

from .sitekit import article, run_cli

BODY = "Text [@smith2020] [@lee2019].\n\nAbout 1 in 5 people have it.\n"


def _site(site):
    site.write("content/first.md", article("First article", body=BODY))
    return site


def test_text_format(site):
    result = run_cli("check", str(_site(site).root), "--today", "2026-06-01", cwd=site.root)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == ("content/first.md:14:7: warning: this body states a number ('1 in 5') but cites no source "
                        "in the same paragraph: add [@key] after the figure [sources/number-without-citation]")
    assert re.fullmatch(r"Checked 1 pages in \d+\.\d\d s: 0 errors, 1 warning\.", lines[-1])


def test_strict_fails_on_warnings_and_errors_always_fail(site):
    _site(site)
    assert run_cli("check", str(site.root), "--strict", "--today", "2026-06-01").code == 1
    assert run_cli("check", str(site.root), "--today", "2027-06-01").code == 1  # review overdue: an error


def test_json_format(site):
    result = run_cli("check", str(_site(site).root), "--format", "json", "--today", "2027-06-01", cwd=site.root)
    assert result.code == 1
    records = json.loads(result.out)
    assert records == [
        {"path": "content/first.md", "line": 9, "column": 1, "severity": "error", "rule": "review/overdue",
         "message": "next_review (2027-01-12) was 140 days ago: review the page, then update last_reviewed and "
                    "next_review"},
        {"path": "content/first.md", "line": 14, "column": 7, "severity": "warning",
         "rule": "sources/number-without-citation",
         "message": "this body states a number ('1 in 5') but cites no source in the same paragraph: add [@key] "
                    "after the figure"},
    ]


def test_github_format(site):
    result = run_cli("check", str(_site(site).root), "--format", "github", "--today", "2026-06-01", cwd=site.root)
    lines = result.out.splitlines()
    assert len(lines) == 1
    found = re.fullmatch(r"::(error|warning) file=([^,]+),line=(\d+),col=(\d+),title=([^:]+)::(.*)", lines[0])
    assert found
    severity, path, line, col, title, message = found.groups()
    assert (severity, path, line, col) == ("warning", "content/first.md", "14", "7")
    assert title == "sources/number-without-citation"
    assert message.endswith("[sources/number-without-citation]")


def test_github_format_escapes_what_would_end_a_command():
    from pathlib import Path

    from carepages.checks.output import as_github
    from carepages.errors import Diagnostic, Location

    line = as_github([Diagnostic("error", "50% of\nlines", Location(Path("a,b:c.md"), 1, 2), "x/y")])
    assert line == "::error file=a%2Cb%3Ac.md,line=1,col=2,title=x/y::50%25 of%0Alines [x/y]"


def test_a_bad_date_is_a_usage_error(site):
    result = run_cli("check", str(site.root), "--today", "2026-13-01")
    assert result.code == 2
    assert "is not a date written YYYY-MM-DD" in result.err


def test_the_starter_site_passes_strict_check_with_zero_findings():
    result = run_cli("check", "--strict", "--format", "json", "--today", "2026-12-03")
    assert result.code == 0, result.out
    assert json.loads(result.out) == []


def test_the_pull_request_workflow_builds_and_annotates():
    import yaml

    from .sitekit import ROOT

    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "check.yml").read_text(encoding="utf-8"))
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    steps = workflow["jobs"]["check"]["steps"]
    runs = [step["run"] for step in steps if "run" in step]
    assert {"uses": "actions/setup-python@v5", "with": {"python-version": "3.11", "cache": "pip"}} in steps
    assert runs[-3:] == ["pip install -e .", "python build.py build --strict", "python build.py check --format github"]
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".carepages-cache"  # the build cache is kept between runs
    owners = (ROOT / ".github" / "CODEOWNERS").read_text(encoding="utf-8")
    assert "content/      @example-org/clinical-reviewers" in owners
    assert "[ ]" in (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert "@example-org/clinical-reviewers" in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
