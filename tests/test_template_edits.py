"""A rebuild after editing only templates: made from the render jobs the last build kept, with no page read
or parsed, and only the pages whose templates changed rendered again; the output is the full build's, byte
for byte (see carepages/edits.py)."""

from __future__ import annotations

import dataclasses
import pickle
import shutil
from pathlib import Path

import pytest
from markupsafe import Markup

import carepages
import carepages.pipeline
from carepages.cache import Cache
from carepages.render import views

from .sitekit import MINIMAL_CONFIG, SiteDir, tree_bytes
from .test_build_cache import ARTICLES, _build, _cold, _count_front_matter_reads, _edit, _entries, make_big

THEME = Path(carepages.__file__).resolve().parent.parent / "templates"


@pytest.fixture
def big(tmp_path: Path) -> SiteDir:
    return make_big(tmp_path)


def _edit_theme(site: SiteDir, name: str, old: str, new: str) -> None:
    """Give the site its own copy of the theme's template `name`, with `old` replaced by `new`."""
    path = site.root / "templates" / name
    text = path.read_text(encoding="utf-8") if path.is_file() else (THEME / name).read_text(encoding="utf-8")
    assert old in text
    site.write(f"templates/{name}", text.replace(old, new, 1))


def _files(routes: tuple[str, ...]) -> set[str]:
    return {route + "index.html" if route == "" or route.endswith("/") else route for route in routes}


def test_an_article_template_edit_renders_the_articles_alone_from_the_kept_jobs(
        big: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _build(big, big.out, jobs=2)[1]
    reads = _count_front_matter_reads(monkeypatch, tmp_path / "reads.log")
    _edit_theme(big, "article.html", "{% block content %}", "{% block content %}<p>Edited template</p>")
    result, files = _build(big, big.out, jobs=2)
    assert result.counts.restyled and result.counts.parsed == 0 and len(reads) == 0
    articles = {f"articles/page-{n:02}/index.html" for n in range(ARTICLES)}
    assert _files(result.counts.rendered) == articles == {name for name in files if files[name] != before[name]}
    assert result.files == ARTICLES  # written: the articles, and nothing else
    assert b"<p>Edited template</p>" in files["articles/page-03/index.html"]
    assert files == _cold(big, tmp_path, "cold")


def test_a_home_template_edit_renders_the_home_page_alone(big: SiteDir, tmp_path: Path) -> None:
    _build(big, big.out)
    _edit_theme(big, "home.html", "{% block content %}", "{% block content %}<p>Welcome</p>")
    result, files = _build(big, big.out)
    assert result.counts.restyled and result.counts.rendered == ("",)
    assert files == _cold(big, tmp_path, "cold")


def test_edits_of_templates_and_pages_one_after_another_write_what_a_full_build_writes(
        big: SiteDir, tmp_path: Path) -> None:
    """Each way of rebuilding leaves what the next one starts from: a template edit, a page edit, the
    template edited back (whose pages come from the cache), and a base template that every page extends."""
    _build(big, big.out)
    _edit_theme(big, "article.html", "{% block content %}", "{% block content %}<p>One</p>")
    assert _build(big, big.out)[0].counts.restyled
    _edit(big, "page-07.md", "- one\n", "- one more\n")
    result, files = _build(big, big.out)
    assert result.counts.edited_only and files == _cold(big, tmp_path, "cold-1")
    _edit_theme(big, "article.html", "<p>One</p>", "")
    result, files = _build(big, big.out)
    assert result.counts.restyled and files == _cold(big, tmp_path, "cold-2")
    assert 0 < len(result.counts.rendered) < ARTICLES  # page 7 changed since: the others were in the cache
    _edit_theme(big, "base.html", "<body", "<!-- every page -->\n<body")
    result, files = _build(big, big.out, jobs=2)
    assert result.counts.restyled and files == _cold(big, tmp_path, "cold-3")
    assert all(b"<!-- every page -->" in data for name, data in files.items() if name.endswith(".html"))
    assert _build(big, big.out)[0].counts.unchanged


def test_a_template_edited_with_a_page_takes_the_full_build(big: SiteDir, tmp_path: Path) -> None:
    _build(big, big.out)
    _edit_theme(big, "article.html", "{% block content %}", "{% block content %}<p>Edited</p>")
    _edit(big, "page-07.md", "- one\n", "- one more\n")
    result, files = _build(big, big.out)
    assert not result.counts.restyled and not result.counts.edited_only
    assert files == _cold(big, tmp_path, "cold")


def test_a_broken_template_fails_as_the_full_build_does_and_leaves_the_site_as_it_was(big: SiteDir,
                                                                                      tmp_path: Path) -> None:
    _build(big, big.out)
    before = tree_bytes(big.out)
    _edit_theme(big, "article.html", "{% block content %}",  # one page fails, after others are made
                "{% block content %}<p>New</p>{% if article.title == 'Page number 30' %}{{ article.no_such_field }}"
                "{% endif %}")
    with pytest.raises(carepages.SiteError) as restyled:
        _build(big, big.out, jobs=2)
    with pytest.raises(carepages.SiteError) as cold:
        _build(big, tmp_path / "cold", cache=False)
    assert restyled.value.diagnostics == cold.value.diagnostics
    assert [d.rule for d in restyled.value.diagnostics] == ["template/render"]
    assert "no_such_field" in restyled.value.diagnostics[0].message
    assert tree_bytes(big.out) == before  # no page changed, and no new page left beside its file


def _template_edit_without(big: SiteDir, space: str) -> tuple[carepages.BuildResult, dict[str, bytes]]:
    """Build, remove the cache's entries in `space`, edit a template and build again."""
    _build(big, big.out, jobs=2)
    entries = _entries(big.root / ".carepages-cache", space)
    assert entries
    for entry in entries:
        entry.unlink()
    _edit_theme(big, "article.html", "{% block content %}", "{% block content %}<p>Edited</p>")
    return _build(big, big.out, jobs=2)


def test_a_missing_kept_job_takes_the_full_build(big: SiteDir, tmp_path: Path) -> None:
    result, files = _template_edit_without(big, "pages")
    assert not result.counts.restyled and files == _cold(big, tmp_path, "cold")


def test_a_restyle_renders_pages_from_their_kept_jobs_alone(big: SiteDir, tmp_path: Path) -> None:
    """A kept job holds what its template shows of the page: a template edit reads neither the pages nor
    their parses (here, gone from the cache), and writes what a cold build writes."""
    result, files = _template_edit_without(big, "parse")
    assert result.counts.restyled and len(result.counts.rendered) == ARTICLES
    assert files == _cold(big, tmp_path, "cold")


def test_jobs_rendered_by_an_earlier_build_are_kept_with_their_views(big: SiteDir, tmp_path: Path) -> None:
    """A build whose pages come from the render cache keeps the jobs it did not render (their kept entries
    were lost), each with the article view made then, so the template edit after it is still a restyle."""
    _build(big, big.out, jobs=2)
    for entry in _entries(big.root / ".carepages-cache", "pages"):
        entry.unlink()
    _edit(big, "page-07.md", "title: Page number 7", "title: Seventh page")
    result, _ = _build(big, big.out, jobs=2)
    assert not result.counts.restyled and len(result.counts.rendered) < ARTICLES  # (most from the cache)
    _edit_theme(big, "article.html", "{% block content %}", "{% block content %}<p>Edited</p>")
    result, files = _build(big, big.out, jobs=2)
    assert result.counts.restyled and len(result.counts.rendered) == ARTICLES
    assert files == _cold(big, tmp_path, "cold")


def test_a_kept_view_made_with_other_settings_is_not_used(big: SiteDir, tmp_path: Path) -> None:
    """An article view depends on site.toml's model settings (here, from how many headings a page shows
    its contents), which a job's digest leaves out: after they change, a restyle renders with views made
    with the new settings."""
    _build(big, big.out, jobs=2)
    config = big.root / "site.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[organisation]", "toc_min_headings = 1\n\n[organisation]"), encoding="utf-8")
    result, files = _build(big, big.out, jobs=2)
    assert not result.counts.restyled  # (a model setting: the ordinary build)
    assert "On this page" in files["articles/page-05/index.html"].decode("utf-8")
    _edit_theme(big, "article.html", "{% block content %}", "{% block content %}<p>Edited</p>")
    result, files = _build(big, big.out, jobs=2)
    assert result.counts.restyled
    assert files == _cold(big, tmp_path, "cold")


def test_kept_views_made_by_another_version_of_carepages_are_not_used(big: SiteDir, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A kept article view is made by carepages' code: after an upgrade that renders pages otherwise, a
    template edit renders with views the new version made."""
    _build(big, big.out, jobs=1)
    made = views.article

    def upgraded(*args, **kwargs) -> views.ArticleView:
        view = made(*args, **kwargs)
        return dataclasses.replace(view, body_html=Markup("<p>Upgraded</p>") + view.body_html)

    monkeypatch.setattr(carepages.pipeline, "engine_fingerprint", lambda: "another version")
    monkeypatch.setattr(views, "article", upgraded)
    result, _ = _build(big, big.out, jobs=1)
    assert not result.counts.restyled  # (another version: the full build)
    _edit_theme(big, "article.html", "{% block content %}", "{% block content %}<p>Edited</p>")
    result, files = _build(big, big.out, jobs=1)
    assert result.counts.restyled
    assert files == _cold(big, tmp_path, "cold")
    assert b"Upgraded" in files["articles/page-05/index.html"]


def test_a_template_that_names_another_by_a_value_is_rendered_again_whatever_changes(big: SiteDir,
                                                                                    tmp_path: Path) -> None:
    """Which template `{% include name %}` reads is known only when it renders: the page is made again
    after any template edit."""
    big.write("templates/aside.html", "<p>Aside one</p>\n")
    _edit_theme(big, "home.html", "{% block content %}",
                "{% block content %}{% set aside = 'aside.html' %}{% include aside %}")
    _build(big, big.out)
    big.write("templates/aside.html", "<p>Aside two</p>\n")
    result, files = _build(big, big.out)
    assert "" in result.counts.rendered and b"Aside two" in files["index.html"]
    assert files == _cold(big, tmp_path, "cold")


def test_the_preview_makes_the_pages_of_an_edited_template_in_place(big: SiteDir, tmp_path: Path) -> None:
    _build(big, big.out, in_place=True)
    _edit_theme(big, "page.html", "{% block content %}", "{% block content %}<p>Edited</p>")
    _edit_theme(big, "home.html", "{% block content %}", "{% block content %}<p>Welcome</p>")
    result = carepages.build(big.root, big.out, search=False, in_place=True)
    assert result.counts.restyled and result.update is not None
    assert set(result.update.written) == set(result.counts.rendered) and "" in result.update.written
    assert tree_bytes(big.out) == _cold(big, tmp_path, "cold")


# site.toml settings that only rendering reads: (as written, edited, a file showing it, what it shows).
# Each is edited in place, or added at the end, so that no other setting moves to another line.
RENDER_SETTINGS = {
    "tagline": ('tagline = "A tagline"', 'tagline = "Another tagline"', "articles/page-03/index.html",
                b"Another tagline"),
    "title": ('title = "Test Health Site"', 'title = "Test Care Site"', "feed.xml", b"<title>Test Care Site</title>"),
    "language": ('language = "en-GB"', 'language = "en-US"', "index.html", b'lang="en-US"'),
    "phone": ('phone = "01234 567890"', 'phone = "01234 000000"', "topics/index.html", b"tel:01234000000"),
    "email": ('phone = "01234 567890"\n', 'phone = "01234 567890"\nemail = "team@example.org"\n',
              "articles/page-03/index.html", b"team@example.org"),
}


@pytest.mark.parametrize("setting", RENDER_SETTINGS)
def test_a_setting_only_rendering_reads_is_rendered_from_the_kept_jobs(big: SiteDir, tmp_path: Path,
                                                                       setting: str) -> None:
    _build(big, big.out, jobs=2)
    old, new, shown, text = RENDER_SETTINGS[setting]
    big.write("site.toml", MINIMAL_CONFIG.replace(old, new))
    result, files = _build(big, big.out, jobs=2)
    assert result.counts.restyled and result.counts.parsed == 0
    assert text in files[shown]
    assert files == _cold(big, tmp_path, "cold")


def test_a_setting_edited_back_takes_every_page_from_the_cache(big: SiteDir, tmp_path: Path) -> None:
    first = _build(big, big.out)[1]
    big.write("site.toml", MINIMAL_CONFIG.replace('tagline = "A tagline"', 'tagline = "Another tagline"'))
    _build(big, big.out)
    big.write("site.toml", MINIMAL_CONFIG)
    result, files = _build(big, big.out)
    assert result.counts.restyled and result.counts.rendered == () and files == first


def test_the_pages_a_restyle_rendered_are_taken_from_the_cache_when_they_are_asked_for_again(big: SiteDir,
                                                                                               tmp_path: Path) -> None:
    """The workers of a restyle make the render cache's entries; the build that keeps the index records them."""
    _build(big, big.out)
    other = MINIMAL_CONFIG.replace('tagline = "A tagline"', 'tagline = "Another tagline"')
    big.write("site.toml", other)
    restyled, files = _build(big, big.out)
    assert restyled.counts.restyled and len(restyled.counts.rendered) > 5
    big.write("site.toml", MINIMAL_CONFIG)
    _build(big, big.out)
    big.write("site.toml", other)
    again, files_again = _build(big, big.out)
    assert again.counts.restyled and again.counts.rendered == () and files_again == files


@pytest.mark.parametrize("old, new", [
    ('disclaimer = "Test disclaimer text."', 'disclaimer = "Another disclaimer."'),  # a text: parsed, checked
    ('base_url = "https://example.org/info/"', 'base_url = "https://example.org/help/"'),
    ('title = "Test Health Site"\n', '\ntitle = "Test Health Site"\n'),  # every setting a line further down
    ('[organisation]', 'review_interval_months = 6\n\n[organisation]'),
])
def test_a_setting_the_site_model_reads_takes_the_full_build(big: SiteDir, tmp_path: Path, old: str,
                                                             new: str) -> None:
    _build(big, big.out)
    big.write("site.toml", MINIMAL_CONFIG.replace(old, new))
    result, files = _build(big, big.out)
    assert not result.counts.restyled
    assert files == _cold(big, tmp_path, "cold")


def test_a_site_toml_edit_that_brings_a_warning_takes_the_full_build_and_reports_it(big: SiteDir) -> None:
    _build(big, big.out)
    big.write("site.toml", MINIMAL_CONFIG.replace('tagline = "A tagline"', 'tagline = "Another tagline"')
              + 'colour = "blue"\n')
    result = _build(big, big.out)[0]
    assert not result.counts.restyled
    assert [(d.location.path.name, d.location.line) for d in result.warnings] == [("site.toml", 11)]
    big.write("site.toml", MINIMAL_CONFIG)  # the warning goes with the setting, even on the restyle path
    result = _build(big, big.out)[0]
    assert result.warnings == ()


def test_a_template_and_a_display_setting_edited_together_are_rendered_from_the_kept_jobs(
        big: SiteDir, tmp_path: Path) -> None:
    _build(big, big.out, jobs=2)
    _edit_theme(big, "home.html", "{% block content %}", "{% block content %}<p>Welcome</p>")
    big.write("site.toml", MINIMAL_CONFIG.replace('tagline = "A tagline"', 'tagline = "Another tagline"'))
    result, files = _build(big, big.out, jobs=2)
    assert result.counts.restyled and result.counts.parsed == 0
    assert b"<p>Welcome</p>" in files["index.html"] and b"Another tagline" in files["articles/page-03/index.html"]
    assert files == _cold(big, tmp_path, "cold")


def test_kept_jobs_with_a_foreign_reference_table_take_the_full_build(big: SiteDir, tmp_path: Path) -> None:
    """Kept jobs name their references by key, against one table of the bibliography kept beside them: a table
    that does not hold their keys (another site's, say) makes them unreadable, and the ordinary build runs."""
    _build(big, big.out)
    cache = Cache(big.root / ".carepages-cache")
    tables = []
    for entry in _entries(big.root / ".carepages-cache", "pages"):
        try:
            value = pickle.loads(cache.read("pages", entry.name) or b"")
        except pickle.UnpicklingError:  # a kept job: it names values it does not hold
            continue
        if isinstance(value, dict):
            tables.append(entry.name)
    assert len(tables) == 1
    cache.write_value("pages", tables[0], {("reference", "someone2001"): None})
    _edit_theme(big, "article.html", "{% block content %}", "{% block content %}<p>Edited</p>")
    result, files = _build(big, big.out)
    assert not result.counts.restyled and files == _cold(big, tmp_path, "cold")


def test_the_cache_keeps_two_versions_of_the_pages_through_template_and_setting_edits(big: SiteDir) -> None:
    """A restyle removes the rendered files the build before it replaced, and keeps those it replaced itself
    for one more build (an edit undone is taken from the cache). Without this, the cache kept every page
    of every version of a template edited in the preview: a site's worth of files a save."""
    _build(big, big.out)
    cache = big.root / ".carepages-cache"
    first = {entry.name for entry in _entries(cache, "render")}
    for n in range(3):
        _edit_theme(big, "article.html", "{% block content %}", f"{{% block content %}}<!-- edit {n} -->")
        assert _build(big, big.out)[0].counts.restyled
    big.write("site.toml", MINIMAL_CONFIG.replace('tagline = "A tagline"', 'tagline = "Another tagline"'))
    restyled = _build(big, big.out)[0]
    assert restyled.counts.restyled and len(restyled.counts.rendered) > ARTICLES
    now = {entry.name for entry in _entries(cache, "render")}
    assert len(now) == 2 * len(first)  # every page as it is, and as the build before made it
    assert len(first & now) == len(first) - ARTICLES  # the articles' first versions are gone, the rest kept
    big.write("site.toml", MINIMAL_CONFIG)  # undone: every page from the cache, and still there after
    assert _build(big, big.out)[0].counts.rendered == ()
    shutil.rmtree(big.out)
    assert _build(big, big.out)[0].counts.rendered == ()


def test_a_template_edit_uses_each_pages_kept_structured_data_and_a_settings_edit_makes_it_again(
        big: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page's JSON-LD depends on its page and the config, not on the templates: it is kept with the page's
    job, and a template edit puts it in as it is; an edit of the site's title (which the JSON-LD names) makes
    it again. Both give the bytes of a build from nothing."""
    from carepages.render import jsonld

    made: list[str] = []
    real = jsonld.medical_web_page

    def counting(config, page, answers):
        made.append(page.route)
        return real(config, page, answers)

    monkeypatch.setattr(jsonld, "medical_web_page", counting)
    _build(big, big.out, jobs=1)
    assert len(made) == ARTICLES
    _edit_theme(big, "article.html", "{% block content %}", "{% block content %}<p>Edited template</p>")
    result, files = _build(big, big.out, jobs=1)
    assert result.counts.restyled and len(made) == ARTICLES  # none made again
    assert files == _cold(big, tmp_path, "cold-1")
    big.write("site.toml", MINIMAL_CONFIG.replace('title = "Test Health Site"', 'title = "Another Health Site"'))
    made.clear()
    result, files = _build(big, big.out, jobs=1)
    assert result.counts.restyled and len(made) == ARTICLES
    assert b"Another Health Site" in files["articles/page-03/index.html"]
    assert files == _cold(big, tmp_path, "cold-2")
