"""A site folder is untrusted (it arrives in a pull request): nothing outside it is read, nothing is written
outside it unless the command line says so, and a symlink loop is a located error, never a traceback."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

import carepages
from carepages.discover.files import HIDDEN, INSIDE, LOOP, OUTSIDE, site_boundary
from carepages.errors import OutputError, SiteError

from .sitekit import BIBLIOGRAPHY, article, run_cli

SECRET = "do-not-publish-4f1c"


def outcome(site) -> list[tuple[str, str]]:
    """(path relative to the site, rule) of every error of a build that must fail; nothing may be written."""
    with pytest.raises(SiteError) as info:
        site.build()
    assert not site.out.exists()
    found = []
    for d in info.value.diagnostics:
        assert SECRET not in d.message
        found.append((os.path.relpath(d.location.path, site.root), d.rule))
    return found


def add_setting(site, line: str) -> None:
    """Add a top-level line to site.toml (on line 8, before [organisation])."""
    text = (site.root / "site.toml").read_text(encoding="utf-8")
    site.write("site.toml", text.replace("\n[organisation]", f"\n{line}\n\n[organisation]", 1))


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file and a folder outside the site folder, which no build may read."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.md").write_text(article(SECRET), encoding="utf-8")
    (folder / "secret.txt").write_text(SECRET, encoding="utf-8")
    (folder / "references.yaml").write_text(f"{SECRET}:\n  title: x\n", encoding="utf-8")
    return folder


# -- the one function ------------------------------------------------------------------------------------------

def test_site_boundary_works_on_real_paths(tmp_path):
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "in").symlink_to("content")
    (root / "out").symlink_to(tmp_path)
    (root / "git").symlink_to(".git")
    (root / "self").symlink_to("self")
    (root / "a").symlink_to("b")
    (root / "b").symlink_to("a")
    assert site_boundary(root / "content", root) is INSIDE
    assert site_boundary(root / "not-yet" / "built", root) is INSIDE
    assert site_boundary(root / "in" / "x.md", root) is INSIDE
    assert site_boundary(root / "content" / ".." / ".." / "x", root) is OUTSIDE
    assert site_boundary(root / "out", root) is OUTSIDE
    assert site_boundary(root / "out" / "site" / "content", root) is INSIDE  # where it really is
    assert site_boundary(Path("/etc/passwd"), root) is OUTSIDE
    assert site_boundary(root / "bad\x00name", root) is OUTSIDE
    assert site_boundary(root / "git" / "config", root) is HIDDEN
    assert site_boundary(root / ".git", root) is HIDDEN
    assert site_boundary(root / "self", root) is LOOP
    assert site_boundary(root / "a" / "x", root) is LOOP
    # a site folder given through a link (the command line may) is judged by where it really is
    (tmp_path / "site-link").symlink_to(root)
    assert site_boundary(tmp_path / "site-link" / "content", tmp_path / "site-link") is INSIDE
    assert site_boundary(root / "content", tmp_path / "site-link") is INSIDE


# -- the content folder ------------------------------------------------------------------------------------------

def test_a_content_folder_that_links_outside_is_refused(site, secret):
    for path in sorted((site.root / "content").iterdir()):
        path.unlink()
    (site.root / "content").rmdir()
    (site.root / "content").symlink_to(secret)
    assert outcome(site) == [("content", "file/outside-site")]


def test_a_content_folder_that_links_inside_the_site_is_fine(site):
    (site.root / "content").rename(site.root / "pages")
    (site.root / "content").symlink_to("pages")
    site.build()
    assert "First article" in site.html("articles/first/")


@pytest.mark.parametrize("target", ["content", "../site/content", "loop2"])
def test_a_content_folder_that_loops_is_a_located_error(site, target):
    for path in sorted((site.root / "content").iterdir()):
        path.unlink()
    (site.root / "content").rmdir()
    (site.root / "loop2").symlink_to("content")
    (site.root / "content").symlink_to(target)
    assert outcome(site) == [("content", "file/link-loop")]


def test_links_in_a_linked_content_folder_are_judged_against_the_site_not_the_link(site, tmp_path):
    """The old check compared with content's own real path: a content/ link to a folder holding the secret
    made the secret look 'inside'."""
    holder = tmp_path / "holder"
    (holder / "pages").mkdir(parents=True)
    (holder / "secret.txt").write_text(SECRET, encoding="utf-8")
    (holder / "pages" / "leak.txt").symlink_to("../secret.txt")
    (site.root / "content" / "pages").symlink_to(holder / "pages")
    assert outcome(site) == [("content/pages", "file/outside-site")]


# -- links inside content/ ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "target"), [
    ("leak.txt", "{secret}/secret.txt"),  # absolute
    ("leak.md", "{secret}/secret.md"),  # a page
    ("leak.png", "../../outside/secret.txt"),  # relative, climbing out
    ("sub/leak.txt", "../../../outside/secret.txt"),  # from a subfolder
    ("passwd.txt", "/etc/passwd"),
    ("status.txt", "/proc/self/status"),
    ("zero.png", "/dev/zero"),
    ("folder", "{secret}"),  # a folder
    ("sub/folder", "/etc"),
])
def test_a_link_in_content_to_outside_the_site_is_refused(site, secret, name, target):
    link = site.root / "content" / name
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target.format(secret=secret))
    assert outcome(site) == [(f"content/{name}", "file/outside-site")]


def test_a_link_into_a_hidden_folder_of_the_site_is_refused(site):
    (site.root / ".git").mkdir()
    (site.root / ".git" / "config").write_text(f"[http]\nextraheader = AUTHORIZATION: {SECRET}\n", encoding="utf-8")
    (site.root / "content" / "config.txt").symlink_to("../.git/config")
    (site.root / "content" / "git").symlink_to("../.git")
    assert outcome(site) == [("content/config.txt", "file/outside-site"), ("content/git", "file/outside-site")]


def test_links_that_stay_inside_the_site_are_fine(site):
    (site.root / "shared").mkdir()
    (site.root / "shared" / "leaflet.pdf").write_bytes(b"%PDF-1.4 handout")
    (site.root / "content" / "leaflet.pdf").symlink_to("../shared/leaflet.pdf")
    (site.root / "content" / "shared").symlink_to("../shared")  # a folder link inside the site: not followed
    site.build()
    assert (site.out / "leaflet.pdf").read_bytes() == b"%PDF-1.4 handout"
    assert not (site.out / "shared").exists()


@pytest.mark.parametrize("links", [
    {"self.md": "self.md"},
    {"a.png": "b.png", "b.png": "a.png"},
    {"a": "b/x", "b": "a/y"},
    {"sub/up": ".."},
    {"sub/deeper/top": "../.."},
    {"again": "../content"},
    {"here": "."},
])
def test_symlink_loops_are_located_errors(site, links):
    for name, target in links.items():
        link = site.root / "content" / name
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(target)
    assert outcome(site) == sorted((f"content/{name}", "file/link-loop") for name in links)


def test_a_symlink_loop_is_not_an_internal_error_on_the_command_line(site):
    (site.root / "content" / "up").symlink_to("..")
    (site.root / "content" / "self").symlink_to("self")
    result = run_cli("build", str(site.root))
    assert result.code == 1
    assert "internal error" not in result.err and "Traceback" not in result.err
    assert "content/up: error: this folder is a symlink loop" in result.err
    assert "content/self: error: this file is a symlink loop" in result.err
    assert "[file/link-loop]" in result.err


def test_every_link_problem_is_reported_in_one_run(site, secret):
    (site.root / "content" / "a.txt").symlink_to(secret / "secret.txt")
    (site.root / "content" / "b.txt").symlink_to("b.txt")
    (site.root / "content" / "first.md").write_text("no front matter\n", encoding="utf-8")
    assert outcome(site) == [("content/a.txt", "file/outside-site"), ("content/b.txt", "file/link-loop"),
                             ("content/first.md", "front-matter/missing")]


# -- the bibliography --------------------------------------------------------------------------------------------

def test_a_default_bibliography_that_links_out_is_refused_and_not_read(site, secret):
    (site.root / "content" / "references.yaml").unlink()
    (site.root / "content" / "references.yaml").symlink_to(secret / "references.yaml")
    assert outcome(site) == [("content/references.yaml", "file/outside-site")]


@pytest.mark.parametrize("value", ["../../outside/references.yaml", "/etc/passwd", "/proc/self/status",
                                   "../../../../../../../../etc/passwd", "linked.yaml"])
def test_a_configured_bibliography_outside_the_site_is_refused(site, secret, value):
    (site.root / "content" / "linked.yaml").symlink_to(secret / "references.yaml")
    add_setting(site, f"bibliography = [{json.dumps(value)}]")
    assert outcome(site) == [("site.toml", "config/outside-site")]


def test_a_bibliography_path_is_judged_without_opening_the_target(site, tmp_path):
    """A FIFO blocks whoever opens it: a build that opened it would hang here."""
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    (site.root / "content" / "pipe.yaml").symlink_to(fifo)
    add_setting(site, 'bibliography = ["pipe.yaml"]')
    errors: list[SiteError] = []

    def build() -> None:
        try:
            site.build()
        except SiteError as exc:
            errors.append(exc)

    worker = threading.Thread(target=build, daemon=True)
    worker.start()
    worker.join(timeout=30)
    if worker.is_alive():  # pragma: no cover - unblock the reader before failing
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        pytest.fail("the build opened a bibliography file outside the site")
    assert [(d.location.line, d.rule) for d in errors[0].diagnostics] == [(8, "config/outside-site")]


def test_a_bibliography_inside_the_site_but_outside_content_is_fine(site):
    site.write("shared/refs.yaml", BIBLIOGRAPHY)
    (site.root / "content" / "references.yaml").unlink()
    add_setting(site, 'bibliography = ["../shared/refs.yaml"]')
    site.write("content/first.md", article("First", body="Cited [@smith2020; @lee2019].\n"))
    site.build()
    assert "A study of things" in site.html("articles/first/")


def test_a_bibliography_named_through_a_link_in_content_is_read_as_data_and_not_published(site):
    """Discovery leaves out every file that is, with links followed, a bibliography file: the link and the
    file it names, whatever their names."""
    (site.root / "content" / "data").mkdir()
    (site.root / "content" / "references.yaml").rename(site.root / "content" / "data" / "refs.yaml")
    (site.root / "content" / "linked.yaml").symlink_to("data/refs.yaml")
    (site.root / "content" / "other.yaml").symlink_to("data/refs.yaml")
    add_setting(site, 'bibliography = ["linked.yaml"]')
    site.write("content/first.md", article("First", body="Cited [@smith2020].\n"))
    site.build()
    assert "A study of things" in site.html("articles/first/")
    published = {path.name for path in site.out.rglob("*.yaml")}
    assert published == set()


# -- the site's own theme folders --------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "target", "rule"), [
    ("templates/base.html", "{secret}/secret.txt", "file/outside-site"),
    ("templates/partials", "{secret}", "file/outside-site"),
    ("templates", "{secret}", "file/outside-site"),
    ("templates/loop.html", "loop.html", "file/link-loop"),
    ("static/css/site.css", "/etc/passwd", "file/outside-site"),
    ("static", "/etc", "file/outside-site"),
    ("static/up", "..", "file/link-loop"),
])
def test_the_sites_own_theme_folders_cannot_reach_outside(site, secret, name, target, rule):
    link = site.root / name
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target.format(secret=secret))
    assert outcome(site) == [(name, rule)]


# -- where the site is written -----------------------------------------------------------------------------------

def test_a_site_cannot_build_into_its_tests_folder(site):
    """The reported attack: a built content/conftest.py would run under pytest."""
    site.write("content/conftest.py", "raise SystemExit('pwned')\n")
    add_setting(site, 'output_dir = "tests/built"')
    (site.root / "tests").mkdir()
    result = run_cli("build", str(site.root))
    assert result.code == 1
    assert "site.toml:8:1: error: 'output_dir' is inside the site's tests/ folder" in result.err
    assert list((site.root / "tests").iterdir()) == []


@pytest.mark.parametrize("value", ["/tmp/carepages-escape", "../escape", "../site/../escape"])
def test_output_dir_outside_the_site_is_refused_and_nothing_is_written(site, value):
    add_setting(site, f"output_dir = {json.dumps(value)}")
    result = run_cli("build", str(site.root))
    assert result.code == 1
    assert "[config/outside-site]" in result.err
    assert not Path("/tmp/carepages-escape").exists()
    assert not (site.root.parent / "escape").exists()


def test_out_on_the_command_line_may_point_anywhere(site, tmp_path):
    public = tmp_path / "elsewhere" / "public"
    result = run_cli("build", str(site.root), "--out", str(public))
    assert result.code == 0, result.err
    assert (public / "articles" / "first" / "index.html").is_file()


@pytest.mark.parametrize("where", ["", "content", "content/x"])
def test_out_on_the_command_line_keeps_todays_refusals(site, where):
    with pytest.raises(OutputError):
        carepages.build(site.root, site.root / where)
