"""The writer's second mode, for a live preview: bring an existing output folder up to date by writing only
the files whose bytes changed and removing the ones the site no longer has."""

from __future__ import annotations

import os

from carepages.pipeline import load_site, render
from carepages.write.output import MARKER, update_site

from .sitekit import article, tree_bytes


def _files(site):
    return render(load_site(site.root))


def test_update_writes_only_what_changed_and_removes_what_is_gone(site) -> None:
    site.write("content/second.md", article("Second"))
    site.build()
    before = tree_bytes(site.out)
    untouched = site.out / "static/css/site.css"  # nothing below changes the stylesheet
    os.utime(untouched, (1_000_000, 1_000_000))

    (site.root / "content/second.md").unlink()
    site.write("content/third.md", article("Third", body="New.\n"))
    result = update_site(_files(site), site.out)

    assert "articles/third/" in result.written
    assert "articles/second/index.html" in result.removed
    assert not (site.out / "articles/second").exists()  # its emptied folder goes too
    assert untouched.stat().st_mtime == 1_000_000  # same bytes: not rewritten
    assert result.unchanged > 0
    # the folder now equals a fresh full build of the same site
    updated = tree_bytes(site.out)
    site.build()
    assert updated == tree_bytes(site.out) != before


def test_update_of_a_missing_folder_writes_it_whole(site, tmp_path) -> None:
    out = tmp_path / "preview"
    result = update_site(_files(site), out)
    assert (out / MARKER).is_file() and (out / "index.html").is_file()
    assert result.removed == () and result.unchanged == 0


def test_a_step_before_the_swap_sees_the_complete_site_and_can_stop_it(site) -> None:
    from carepages.errors import SiteError
    from carepages.write.output import write_site

    site.build()
    before = tree_bytes(site.out)
    seen = []

    def index(staging):
        seen.append(sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*.html")))
        raise SiteError("the indexer failed")

    import pytest

    with pytest.raises(SiteError):
        write_site(_files(site), site.out, before_swap=index)
    assert "articles/first/index.html" in seen[0]  # the staged site was complete
    assert tree_bytes(site.out) == before  # and the live one untouched


def test_an_update_can_keep_a_folder_it_did_not_write_and_bring_one_in_alone(site, tmp_path) -> None:
    from carepages.write.output import update_folder

    site.build()
    bundle = site.out / "pagefind"
    site.write("_site/pagefind/old.pf_fragment", b"old")  # as an indexer left it
    site.write("_site/pagefind/same.json", b"same")
    os.utime(bundle / "same.json", (1_000_000, 1_000_000))

    update_site(_files(site), site.out, keep=("pagefind",))
    assert (bundle / "old.pf_fragment").read_bytes() == b"old"
    update_site(_files(site), site.out)
    assert not bundle.exists()  # without keep, a folder the site does not have goes

    site.write("_site/pagefind/old.pf_fragment", b"old")
    site.write("_site/pagefind/same.json", b"same")
    os.utime(bundle / "same.json", (1_000_000, 1_000_000))
    new = tmp_path / "new-bundle"
    (new / "fragment").mkdir(parents=True)
    (new / "fragment/new.pf_fragment").write_bytes(b"new")
    (new / "same.json").write_bytes(b"same")
    page = site.out / "articles/first/index.html"
    before = page.read_bytes()

    result = update_folder(new, site.out, "pagefind")
    assert result.written == ("pagefind/fragment/new.pf_fragment",)
    assert result.removed == ("pagefind/old.pf_fragment",)
    assert sorted(p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()) == [
        "fragment/new.pf_fragment", "same.json"]
    assert (bundle / "same.json").stat().st_mtime == 1_000_000  # same bytes: not rewritten
    assert page.read_bytes() == before  # nothing outside the folder is touched


def test_a_folder_is_brought_only_into_an_output_folder_carepages_made(tmp_path) -> None:
    import pytest

    from carepages.errors import OutputError
    from carepages.write.output import update_folder

    (tmp_path / "bundle").mkdir()
    (tmp_path / "out").mkdir()
    with pytest.raises(OutputError, match="not made by carepages"):
        update_folder(tmp_path / "bundle", tmp_path / "out", "pagefind")
