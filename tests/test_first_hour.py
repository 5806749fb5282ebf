"""A newcomer's first hour: the README's commands, `make new`, previewing a draft, and the messages met on the way.

These run the commands as a person would (a separate process, the real exit code and output), in small sites
built in temp folders, so that nothing here writes into the repository.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from .sitekit import ROOT, run_cli

README = (ROOT / "README.md").read_text(encoding="utf-8")
# The README without its project layout, which names files rather than showing commands to type
README_COMMANDS = README.split("## Project layout")[0] + README.split("## Development")[-1]
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")
VENV = Path(sys.executable).parent.parent  # the environment running the tests, as `make` would use it


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _read_until(proc: subprocess.Popen, text: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    line = ""
    while text not in line and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
    return line


def _make(site: Path, *args: str) -> subprocess.CompletedProcess:
    """`make ...` with the project's Makefile, in `site`, using the tests' environment and never reinstalling."""
    shutil.copy(ROOT / "Makefile", site / "Makefile")
    shutil.copy(ROOT / "build.py", site / "build.py")
    env = {k: v for k, v in os.environ.items() if k not in {"MAKELEVEL", "MAKEFLAGS", "MFLAGS"}}
    return subprocess.run(["make", "--no-print-directory", "-s", "-o", f"{VENV}/.runtime", f"VENV={VENV}", *args],
                          cwd=site, env=env, capture_output=True, text=True, timeout=120)


# --- the README ---------------------------------------------------------------------------------------------


def test_readme_commands_work_without_an_activated_environment():
    """`python build.py ...` fails with ModuleNotFoundError outside the venv: every command shown says which
    Python, or goes through make."""
    unqualified = [line for line in README_COMMANDS.splitlines() if "activate" not in line]  # "after activating, ..."
    bare = [line for line in unqualified if re.search(r"(?<![/\w])python (build\.py|-m carepages)", line)]
    assert bare == []
    bare_cli = [line for line in unqualified if re.search(r"(^|`|\$ )carepages (build|serve|new)\b", line)]
    assert bare_cli == []


def test_readme_and_makefile_give_the_preview_address_the_server_prints():
    config = tomllib.loads((ROOT / "site.toml").read_text(encoding="utf-8"))
    address = f"http://localhost:8000{urlsplit(config['base_url']).path}"
    assert address in README
    assert address in MAKEFILE


def test_readme_says_how_to_preview_a_draft():
    assert "make serve DRAFTS=1" in README
    assert 'make new TITLE="' in README


def test_readme_says_one_topic_may_be_written_as_text():
    """The code accepts `topics: Spine MRI` as a one-item list; the README must not call it an error."""
    assert "text where a list belongs" not in README
    assert "`topics: Spine MRI` is the same as `topics: [Spine MRI]`" in README


# --- build.py without the packages -------------------------------------------------------------------------


def test_build_py_without_the_packages_says_what_to_do():
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    # -S: no site-packages, like a system Python that never had carepages's packages installed
    proc = subprocess.run([sys.executable, "-S", str(ROOT / "build.py"), "build"], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=60)
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr == ("carepages's packages are not installed here: run `make build` once, or use "
                           "`.venv/bin/python build.py ...`\n")


# --- new ---------------------------------------------------------------------------------------------------


def test_new_suggests_a_command_that_really_shows_the_draft(site):
    made = run_cli("new", "Living with MS fatigue", "--topic", "Topic One", cwd=site.root)
    assert made.code == 0, made.err
    prefix = "Created content/living-with-ms-fatigue.md, a draft. Fill in the fields marked TODO, and preview it with: "
    assert made.out.startswith(prefix)
    command = shlex.split(made.out[len(prefix):].strip())
    assert command[-2:] == ["serve", "--drafts"]

    port = _free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([*command, "--port", str(port)], cwd=site.root, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert f"http://localhost:{port}/info/" in _read_until(proc, "Serving")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/info/articles/living-with-ms-fatigue/") as response:
            assert "Draft: this page is not published" in response.read().decode()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_new_with_another_site_folder_names_it_in_the_suggestion(site, tmp_path):
    made = run_cli("new", "Fatigue", "--site", str(site.root), cwd=tmp_path)
    assert made.code == 0, made.err
    assert made.out.rstrip().endswith(f"serve {site.root} --drafts")


def test_new_without_a_site_creates_nothing_and_says_so(tmp_path):
    result = run_cli("new", "Fatigue", cwd=tmp_path)
    assert result.code == 1
    assert result.err.splitlines()[-1] == "Nothing was created."
    assert "Build failed" not in result.err
    assert not (tmp_path / "content").exists()


# --- serve -------------------------------------------------------------------------------------------------


def test_a_port_in_use_is_not_a_build_failure(site):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", ".", "--port", str(port), cwd=site.root)
    assert result.code == 1
    *_, reason, last = result.err.splitlines()
    assert reason.startswith(f"error: cannot listen on 127.0.0.1:{port}: Address already in use; try another --port")
    assert last == "The server did not start."
    assert "Build failed" not in result.err


def test_serve_with_a_broken_page_says_both_that_the_build_failed_and_the_server_did_not_start(site):
    site.write("content/first.md", "---\ntitle: MS: the basics\nsummary: S\n---\n")
    result = run_cli("serve", ".", "--port", str(_free_port()), cwd=site.root)
    assert result.code == 1
    assert result.err.splitlines() == [
        "content/first.md:2:10: error: the text of 'title' has a colon followed by a space, so it must be in "
        "quotes: `title: \"MS: the basics\"` [yaml/syntax]",
        "Build failed: 1 error. The previous output was left as it was.",
        "The server did not start.",
    ]


# --- make --------------------------------------------------------------------------------------------------


needs_make = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


@needs_make
def test_make_new_passes_title_and_topic_safely_and_suggests_make_serve_drafts(site):
    result = _make(site.root, "new", 'TITLE=Costs of "open" MRI; rm -rf x', "TOPIC=Topic One")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("Created content/costs-of-open-mri-rm-rf-x.md, a draft. Fill in the fields marked "
                             "TODO, and preview it with: make serve DRAFTS=1\n")
    text = (site.root / "content" / "costs-of-open-mri-rm-rf-x.md").read_text(encoding="utf-8")
    assert 'title: "Costs of \\"open\\" MRI; rm -rf x"' in text
    assert 'topics: ["Topic One"]' in text


@needs_make
def test_make_new_without_a_title_says_how(site):
    result = _make(site.root, "new")
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == 'Give the title: make new TITLE="Your title" [TOPIC="Spine MRI"]'


@needs_make
def test_make_drafts_and_port_reach_the_command(site):
    dry = _make(site.root, "-n", "serve", "DRAFTS=1", "PORT=8123")
    assert dry.stdout.strip() == f"{VENV}/bin/python build.py serve --port 8123 --drafts"
    plain = _make(site.root, "-n", "build")
    assert plain.stdout.strip() == f"{VENV}/bin/python build.py build"
