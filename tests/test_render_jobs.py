"""Render jobs are pure: one job rendered alone gives the bytes of the full build, and a job's digest
changes exactly when what it shows changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import carepages
from carepages.discover.theme import theme_dirs
from carepages.markdown import MarkdownEngine
from carepages.pipeline import Work, load_site, plan, render_keys
from carepages.render.jobs import render_job
from carepages.render.templates import Templates

from .sitekit import tree_bytes

GOLDEN = Path(__file__).parent / "sites_golden" / "kitchen_sink"


@pytest.fixture
def sink(tmp_path: Path) -> Path:
    site = tmp_path / "sink"
    shutil.copytree(GOLDEN, site)
    return site


def _digests(site: Path) -> dict[str, str]:
    return dict(plan(load_site(site)).digests)


def _keys(site: Path) -> dict[str, str]:
    """Each output file's cache key: its job's digest and its templates'."""
    loaded = load_site(site)
    render_plan = plan(loaded)
    return {**render_plan.digests, **render_keys(render_plan, Work(), loaded.templates)}  # (files copied as
    # they are have no template: their digest is their key)


def _outputs(site: Path, out: Path) -> dict[str, bytes]:
    carepages.build(site, out, search=False)  # jobs make the pages; the search index is made after
    return tree_bytes(out)


def test_each_job_rendered_alone_gives_the_bytes_of_the_full_build(sink: Path, tmp_path: Path) -> None:
    built = _outputs(sink, tmp_path / "out")
    loaded = load_site(sink)
    render_plan = plan(loaded)
    for job in render_plan.jobs:
        # a fresh engine and fresh templates each time: nothing carried over from other jobs
        engine = MarkdownEngine(raw_html=loaded.site.config.raw_html)
        templates = Templates(theme_dirs(sink, "templates"))
        output = render_job(job, loaded.site.config, render_plan.shared, engine, templates)
        data = output.data if output.data is not None else output.source.read_bytes()
        path = job.route + "index.html" if job.route == "" or job.route.endswith("/") else job.route
        assert data == built[path], job.route


def test_the_same_input_gives_the_same_digests(sink: Path) -> None:
    assert _digests(sink) == _digests(sink)


def _changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {route for route in before.keys() | after.keys() if before.get(route) != after.get(route)}


def _changed_files(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    return {name.removesuffix("index.html") for name in changed}


@pytest.mark.parametrize(("file", "old", "new"), [
    ("content/third.md", "Plain text with", "Plainer text with"),  # a body edit
    ("content/second.md", "title: Second page", "title: The second page"),  # a title shown on other pages
    ("content/first.md", "- question: Will I need contrast?", "- question: Will I need a dye?"),
])
def test_a_digest_changes_exactly_where_the_output_changes(sink: Path, tmp_path: Path, file: str, old: str,
                                                            new: str) -> None:
    digests_before, files_before = _digests(sink), _outputs(sink, tmp_path / "a")
    path = sink / file
    path.write_text(path.read_text().replace(old, new, 1))
    digests_after, files_after = _digests(sink), _outputs(sink, tmp_path / "b")
    assert _changed(digests_before, digests_after) == _changed_files(files_before, files_after) - {".carepages-output"}


def test_a_body_edit_changes_one_job(sink: Path) -> None:
    before = _digests(sink)
    path = sink / "content/third.md"
    path.write_text(path.read_text().replace("Plain text", "Other text"))
    assert _changed(before, _digests(sink)) == {"articles/third/"}


def test_a_template_or_setting_change_reaches_every_page_that_uses_it(sink: Path) -> None:
    before = _keys(sink)
    (sink / "templates").mkdir()
    shutil.copy(Path(carepages.__file__).parent.parent / "templates" / "page.html", sink / "templates/page.html")
    (sink / "templates/page.html").write_text((sink / "templates/page.html").read_text() + "\n")
    after_template = _keys(sink)
    changed = _changed(before, after_template)
    assert "about/" in changed and "sitemap.xml" not in changed and "static/css/site.css" not in changed
    assert "articles/first/" not in changed  # articles do not use page.html
    (sink / "site.toml").write_text((sink / "site.toml").read_text().replace("Sink Clinic", "Basin Clinic"))
    changed = _changed(after_template, _keys(sink))
    assert {"", "articles/first/", "feed.xml"} <= changed and "static/css/site.css" not in changed


@pytest.mark.parametrize(("template", "old", "new", "untouched"), [
    ("page.html", "{% block content %}", "{% block content %}<p>Edited</p>", "articles/first/"),  # one kind
    ("macros.html", "{% macro references(article, sources_url) %}",
     "{% macro references(article, sources_url) %}<!-- edited -->", "about/"),  # what several kinds import
    ("base.html", "<body", "<!-- edited -->\n<body", "sitemap.xml"),  # what every page extends
])
def test_a_template_edit_changes_the_keys_of_the_files_it_changes_and_not_of_others(
        sink: Path, tmp_path: Path, template: str, old: str, new: str, untouched: str) -> None:
    keys_before, files_before = _keys(sink), _outputs(sink, tmp_path / "a")
    theme = Path(carepages.__file__).parent.parent / "templates" / template
    text = theme.read_text(encoding="utf-8")
    assert old in text
    (sink / "templates").mkdir()
    (sink / "templates" / template).write_text(text.replace(old, new, 1), encoding="utf-8")
    keys_after, files_after = _keys(sink), _outputs(sink, tmp_path / "b")
    changed = _changed_files(files_before, files_after) - {".carepages-output"}
    assert changed and changed <= _changed(keys_before, keys_after)  # (a page that imports the macros but
    # does not call the one edited is rendered again, to the same bytes)
    assert untouched not in _changed(keys_before, keys_after)
