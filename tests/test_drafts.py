"""A build with drafts shows unreviewed pages: it goes to its own folder, is marked so a deploy can refuse
it, and never announces a draft in the sitemap or the feed."""

from __future__ import annotations

import carepages

from .sitekit import article


def test_a_drafts_build_goes_to_its_own_marked_folder(site) -> None:
    site.write("content/wip.md", article("Work in progress", draft="true"))
    published = carepages.build(site.root)
    previewed = carepages.build(site.root, drafts=True)
    assert published.output_dir == site.root / "_site"
    assert previewed.output_dir == site.root / "_site-drafts"
    assert not (site.root / "_site/articles/wip").exists()
    assert not (site.root / "_site/.carepages-drafts").exists()
    assert (site.root / "_site-drafts/articles/wip/index.html").is_file()
    assert "not reviewed" in (site.root / "_site-drafts/.carepages-drafts").read_text()


def test_drafts_are_never_in_the_sitemap_or_feed(site) -> None:
    site.write("content/wip.md", article("Work in progress", draft="true"))
    out = carepages.build(site.root, drafts=True).output_dir
    html = (out / "articles/wip/index.html").read_text()
    assert '<meta name="robots" content="noindex">' in html
    assert "articles/wip/" not in (out / "sitemap.xml").read_text()
    assert "Work in progress" not in (out / "feed.xml").read_text()
    assert "articles/first/" in (out / "sitemap.xml").read_text()  # published pages still are


def test_an_explicit_out_is_still_marked(site, tmp_path) -> None:
    site.write("content/wip.md", article("Work in progress", draft="true"))
    out = carepages.build(site.root, tmp_path / "preview", drafts=True).output_dir
    assert out == tmp_path / "preview" and (out / ".carepages-drafts").is_file()


def test_a_drafts_folder_linked_out_of_the_site_is_refused(site, tmp_path) -> None:
    import pytest

    from carepages.errors import SiteError

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (site.root / "_site-drafts").symlink_to(elsewhere)  # committed in a pull request, say
    with pytest.raises(SiteError) as info:
        carepages.build(site.root, drafts=True)
    assert "give --out to build elsewhere" in info.value.message
    assert list(elsewhere.iterdir()) == []
