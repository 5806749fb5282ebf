"""The command line as editors use it: exit codes, messages, `new`, `serve`."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .sitekit import ROOT, article, run_cli


def test_build_uses_output_dir_from_site_toml_and_reports(site):
    result = run_cli("build", str(site.root))
    assert result.code == 0, result.err
    assert re.match(r"Built 1 page into .*_site in \d+\.\d\d s: \d+ rendered, 0 re-used from the cache, \d+ files "
                    r"written, 2 warnings\.", result.out)
    assert (site.root / "_site" / "articles" / "first" / "index.html").is_file()


def test_no_command_means_build(site):
    result = run_cli(cwd=site.root)
    assert result.code == 0, result.err
    assert (site.root / "_site" / "index.html").is_file()


def test_warnings_are_printed_and_strict_turns_them_into_failure(site):
    site.write("content/first.md", article("First", reviewd_by="x"))
    result = run_cli("build", ".", cwd=site.root)
    assert result.code == 0
    assert "content/first.md:10:1: warning: unknown front-matter field 'reviewd_by' (did you mean " \
           "'reviewed_by'?)" in result.err
    strict = run_cli("build", ".", "--strict", "--out", "strict-out", cwd=site.root)
    assert strict.code == 1
    assert "(warnings are errors with --strict)" in strict.err
    assert not (site.root / "strict-out").exists()


def test_usage_errors_exit_2(site):
    assert run_cli("build", "--no-such-option", cwd=site.root).code == 2
    assert run_cli("serve", "--port", "not-a-number", cwd=site.root).code == 2
    assert run_cli("new", cwd=site.root).code == 2


def test_a_mistyped_command_is_a_usage_error_with_a_hint(site):
    result = run_cli("bild", cwd=site.root)
    assert (result.code, result.err, result.out) == (2, "carepages: unknown command 'bild' (did you mean 'build'?)\n",
                                                     "")
    assert not (site.root / "_site").exists()
    other = run_cli("publish", cwd=site.root)
    assert (other.code, other.err) == (2, "carepages: unknown command 'publish': the commands are build, serve, "
                                          "new, related, check and report (run with --help to see them)\n")


def test_a_site_folder_without_a_command_still_builds(site, tmp_path):
    result = run_cli(str(site.root), cwd=tmp_path)
    assert result.code == 0, result.err
    assert result.out.startswith("Built 1 page ")
    assert (site.root / "_site" / "index.html").is_file()
    options_first = run_cli("--out", "elsewhere", cwd=site.root)  # an option's value is not a command
    assert options_first.code == 0, options_first.err
    assert (site.root / "elsewhere" / "index.html").is_file()
    missing = run_cli("no/such/site", cwd=tmp_path)
    assert (missing.code, missing.err) == (2, "carepages: 'no/such/site' is not a folder: give the folder that "
                                              "holds site.toml\n")


def test_missing_site_is_exit_1_with_a_message(tmp_path):
    result = run_cli("build", str(tmp_path / "nowhere"))
    assert result.code == 1
    assert "site.toml:" in result.err and "error: site.toml not found" in result.err
    assert "Traceback" not in result.err


def test_debug_shows_the_traceback(site):
    site.write("content/first.md", "---\ntitle: [\n---\n")
    result = run_cli("build", ".", "--debug", cwd=site.root)
    assert result.code == 1
    assert "Traceback (most recent call last)" in result.err and "carepages.errors." in result.err


def test_new_article_then_break_it_and_be_told_where(site):
    """The README's newcomer path: scaffold an article, preview it, break its front matter."""
    made = run_cli("new", "Living with MS fatigue", "--topic", "Topic One", cwd=site.root)
    assert made.code == 0, made.err
    path = site.root / "content" / "living-with-ms-fatigue.md"
    text = path.read_text()
    for field in ("title", "summary", "date", "updated", "topics", "audience", "authors", "reviewed_by",
                  "last_reviewed", "next_review", "references", "key_points", "faq", "related", "draft"):
        assert re.search(rf"^{field}:", text, re.M) or re.search(rf"^\s+- {field}:", text, re.M) or \
            f"{field}:" in text, field
    assert 'title: "Living with MS fatigue"' in text and 'topics: ["Topic One"]' in text

    drafts = run_cli("build", ".", "--drafts", cwd=site.root)
    assert drafts.code == 0, drafts.err
    assert "Draft: this page is not published" in (  # a drafts build has its own folder
        site.root / "_site-drafts/articles/living-with-ms-fatigue/index.html").read_text()

    again = run_cli("new", "Living with MS fatigue", cwd=site.root)
    assert again.code == 1
    assert again.err.splitlines() == [
        "content/living-with-ms-fatigue.md: error: this file already exists, and 'new' never overwrites a file: "
        "choose another title, or another file name with --slug [new/exists]",
        "Nothing was created.",
    ]
    assert path.read_text() == text

    path.write_text(text.replace("last_reviewed: ", "last_reviewed: not a date # "), encoding="utf-8")
    broken = run_cli("build", ".", "--drafts", cwd=site.root)
    assert broken.code == 1
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("last_reviewed:"))
    assert broken.err.splitlines()[0] == (
        f"content/living-with-ms-fatigue.md:{line}:16: error: 'last_reviewed' must be a date written "
        "YYYY-MM-DD, not 'not a date' [front-matter/invalid]")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_builds_and_previews_under_the_base_path(site):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", str(site.root), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        line = ""
        while "Serving" not in line and time.monotonic() < deadline:
            line = proc.stdout.readline()
        assert f"http://localhost:{port}/info/" in line
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/info/articles/first/") as response:
            assert response.status == 200
            assert "<h1>First article</h1>" in response.read().decode()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:  # follows the redirect
            assert response.url == f"http://127.0.0.1:{port}/info/"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_package_entry_points():
    result = subprocess.run([sys.executable, "-m", "carepages", "--version"], capture_output=True, text=True,
                            cwd=ROOT)
    assert result.returncode == 0 and result.stdout.startswith("carepages ")
    assert Path(ROOT / "pyproject.toml").read_text().count('carepages = "carepages.cli:main"') == 1


def test_publishing_a_scaffolded_page_with_todo_markers_warns(site):
    run_cli("new", "Half done", "--topic", "Topic One", cwd=site.root)
    path = site.root / "content" / "half-done.md"
    path.write_text(path.read_text().replace("draft: true  # remove this line to publish\n", ""))
    result = run_cli("build", ".", cwd=site.root)
    assert result.code == 0
    assert "content/half-done.md:3:11: warning: this page is published but still has TODO markers" in result.err
