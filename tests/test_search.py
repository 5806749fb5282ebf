"""Site search: a real build runs Pagefind on the staged site, indexes only page content, and a failure of the
indexer is a located error that leaves the previous site in place. The browser side is in
test_search_browser.py."""

from __future__ import annotations

import gzip
import json
import re
import stat
import sys
from pathlib import Path

import pytest

import carepages
from carepages import search
from carepages.errors import SiteError

from .sitekit import ROOT, SiteDir, article, run_cli, tree_bytes

BODY_WORD = "zygomorphic"  # only in one article's body
REFERENCE_WORD = "quillwort"  # only in a reference's title
RELATED_WORD = "xylophonist"  # only in a page's title and summary, shown in another page's related list


def indexed_pages(out: Path) -> dict[str, str]:
    """URL -> the text Pagefind indexed for that page, read back from its fragments."""
    pages = {}
    for path in (out / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        fragment = json.loads(data[data.index(b"{"):])  # after Pagefind's 'pagefind_dcd' signature
        pages[fragment["url"]] = fragment["content"]
    return pages


def page_count(out: Path) -> int:
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    return sum(language["page_count"] for language in entry["languages"].values())


@pytest.fixture
def rich(site: SiteDir) -> SiteDir:
    """Two articles (the first cites a source and lists the second as related) and a plain page."""
    site.write("content/references.yaml", site.root.joinpath("content/references.yaml").read_text()
               + f"plant2021:\n  type: article-journal\n  title: The {REFERENCE_WORD} in lakes\n"
                 "  container-title: Botany\n  issued: 2021\n")
    site.write("content/first.md", article(
        "First article", body=f"""\
            Flowers can be {BODY_WORD} in shape [@plant2021].

            ## One

            Text.

            ## Two

            More text.

            ## Three

            The end.
            """, faq="\n  - question: Is it common?\n    answer: Quite common.", related="[second]"))
    site.write("content/second.md", article(f"The {RELATED_WORD} page", summary=f"About a {RELATED_WORD}."))
    site.write("content/about.md", article("About us", layout="page", topics="[]", body="Who we are.\n"))
    return site


def test_a_build_indexes_every_content_page_into_the_site(rich: SiteDir) -> None:
    result = rich.build(search=True)
    assert result.search is not None and result.search.pages == 3
    assert page_count(rich.out) == 3
    assert sorted(indexed_pages(rich.out)) == ["/about/", "/articles/first/", "/articles/second/"]
    assert (rich.out / "pagefind" / "pagefind.js").is_file()
    # Pagefind's ready-made interfaces are not used (they need inline styles): they are not published
    assert not list((rich.out / "pagefind").glob("pagefind-*ui*"))
    assert not (rich.out / "pagefind" / "pagefind-highlight.js").exists()


def test_only_page_content_is_indexed(rich: SiteDir) -> None:
    rich.build(search=True)
    pages = indexed_pages(rich.out)
    first = pages["/articles/first/"]
    assert BODY_WORD in first and "Quite common" in first and "Is it common?" in first  # body and questions
    assert "A short summary" in first  # the header's summary
    # not the reference list, the related list, the contents list, the review box, or citation numbers
    assert REFERENCE_WORD not in first and RELATED_WORD not in first
    assert "On this page" not in first and "Test reviewer" not in first and "Back to text" not in first
    assert "[1]" not in first and "(1)" not in first
    # nor anything outside the page's content: navigation, header, footer
    for text in pages.values():
        assert "Call 999" not in text and "Test Health Site" not in text and "Test disclaimer" not in text
    assert RELATED_WORD in pages["/articles/second/"]


def test_markup_marks_content_and_leaves_generated_pages_out(rich: SiteDir) -> None:
    rich.build(search=True)
    html = rich.html("articles/first/")
    assert html.count("data-pagefind-body") == 1
    assert '<article class="article" data-pagefind-body>' in html
    # (the contents list is a <nav>, which Pagefind leaves out by itself: see test_only_page_content_is_indexed)
    for section in ('class="references"', 'class="related"', 'class="review"', 'class="topic-tags"',
                    'class="page-meta"'):
        tag = re.search(rf"<[a-z]+ {section}[^>]*>", html)
        assert tag and "data-pagefind-ignore" in tag.group(0), section
    for route in ("", "topics/", "topics/topic-one/", "sources/", "faq/", "search/", "404.html"):
        assert "data-pagefind-body" not in rich.html(route), route


def test_the_search_page_and_the_boxes_work_under_the_sub_path(rich: SiteDir) -> None:
    rich.build(search=True)
    page = rich.html("search/")
    assert '<form class="search-form" action="/info/search/" method="get" role="search"' in page
    assert 'name="q"' in page and 'type="search"' in page
    assert 'data-search-bundle="/info/pagefind/"' in page and 'data-search-base="/info/"' in page
    assert 'role="status"' in page
    assert "<noscript>" in page and "Search needs JavaScript" in page and 'href="/info/topics/"' in page
    assert 'class="site-search"' not in page  # its own box replaces the header's
    for route in ("", "articles/first/", "404.html"):
        html = rich.html(route)
        assert '<form class="site-search" action="/info/search/" method="get" role="search"' in html
        assert "Search needs JavaScript" in html
    assert 'aria-label="Search for the page"' in rich.html("404.html")
    # not a page for search engines or feed readers
    assert "/search/" not in (rich.out / "sitemap.xml").read_text()
    assert "/search/" not in (rich.out / "feed.xml").read_text()
    # no inline script or style in anything search adds (the site's Content-Security-Policy refuses them)
    assert not re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/ld\+json)", page)
    assert " style=" not in page and "<style" not in page


def test_no_search_builds_without_an_index(rich: SiteDir) -> None:
    result = rich.build(search=False)
    assert result.search is None
    assert not (rich.out / "pagefind").exists()
    assert (rich.out / "search" / "index.html").is_file()  # the page is there; it says search is unavailable


def test_no_search_on_the_command_line(rich: SiteDir) -> None:
    quick = run_cli("build", str(rich.root), "--no-search")
    assert quick.code == 0, quick.err
    assert not (rich.out / "pagefind").exists()
    assert "Search: not indexed (--no-search)" in quick.out
    full = run_cli("build", str(rich.root))
    assert full.code == 0, full.err
    assert re.search(r"^Search: 3 pages indexed in \d+\.\d\d s", full.out, re.M)
    assert page_count(rich.out) == 3
    served = run_cli("serve", "--help")
    assert "--no-search" in served.out


def _fake_pagefind(tmp_path: Path, script: str) -> Path:
    program = tmp_path / "fake-pagefind"
    program.write_text(f"#!{sys.executable}\n{script}\n", encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


def test_a_text_edit_is_indexed_again_from_the_pages_kept_and_gives_the_site_a_full_build_gives(
        rich: SiteDir, tmp_path: Path) -> None:
    """After an edit of one page's text, a build that indexes renders that page alone (the others are linked
    from the site as it was) and indexes the whole site again: the page's new words are found, its old ones
    are not, and the site is byte for byte the one a build from nothing makes."""
    rich.build(search=True)
    first = rich.root / "content" / "first.md"
    first.write_text(first.read_text(encoding="utf-8").replace(BODY_WORD, "heliotropic"), encoding="utf-8")
    result = rich.build(search=True)
    assert result.counts.edited_only and result.counts.rendered == ("articles/first/",)
    assert result.search is not None and result.search.pages == 3
    text = indexed_pages(rich.out)["/articles/first/"]
    assert "heliotropic" in text and BODY_WORD not in text
    fresh = tmp_path / "fresh"
    carepages.build(rich.root, fresh, search=True, cache=False)
    assert tree_bytes(rich.out) == tree_bytes(fresh)
    assert not [p for p in rich.root.iterdir() if "staging" in p.name]


THEME = Path(carepages.__file__).resolve().parent.parent / "templates"


def _edit_article_template(site: SiteDir, words: str) -> None:
    text = (THEME / "article.html").read_text(encoding="utf-8")
    opening = '<article class="article" data-pagefind-body>'  # (the words are in what is indexed)
    assert opening in text
    site.write("templates/article.html", text.replace(opening, f"{opening}<p>{words}</p>", 1))


@pytest.mark.parametrize("edit", ["template", "settings"])
def test_a_template_or_settings_edit_renders_again_from_the_kept_jobs_and_is_indexed_as_a_full_build_is(
        rich: SiteDir, tmp_path: Path, edit: str) -> None:
    """A build that indexes, after an edit of the article template (which puts words in the indexed part of
    each article) or of site.toml's tagline, renders the pages again from the jobs the last build kept; the
    new words are found, and the site is byte for byte the one a build from nothing makes."""
    rich.build(search=True)
    if edit == "template":
        _edit_article_template(rich, "Ornithopter notes")
    else:
        config = rich.root / "site.toml"
        text = config.read_text(encoding="utf-8")
        assert 'tagline = "' in text
        config.write_text(text.replace('tagline = "', 'tagline = "Ornithopter ', 1), encoding="utf-8")
    result = rich.build(search=True)
    assert result.counts.restyled and result.counts.rendered
    assert result.search is not None and result.search.pages == 3
    if edit == "template":
        assert "Ornithopter" in indexed_pages(rich.out)["/articles/first/"]
    fresh = tmp_path / "fresh"
    carepages.build(rich.root, fresh, search=True, cache=False)
    assert tree_bytes(rich.out) == tree_bytes(fresh)
    assert not [p for p in rich.out.rglob("*carepages-tmp*")]  # no file staged beside the old ones is left
    assert not [p for p in rich.root.iterdir() if "staging" in p.name]


@pytest.mark.parametrize("edit", ["title", "text", "template"])
def test_an_indexer_failure_is_located_and_leaves_the_previous_site(rich: SiteDir, tmp_path: Path, monkeypatch,
                                                                       edit: str) -> None:
    """Whether the edit makes the build start over (a title shows on other pages) or start from the jobs kept
    by the last build (an edit of text, or of a template)."""
    rich.build(search=True)
    before = tree_bytes(rich.out)
    program = _fake_pagefind(tmp_path, "import sys\nprint('Error: Pagefind was not able to build an index.', "
                                       "file=sys.stderr)\nsys.exit(1)")
    monkeypatch.setattr("pagefind_bin.get_executable", lambda: program)
    first = rich.root / "content" / "first.md"
    if edit == "title":
        rich.write("content/first.md", article("First article, changed"))
    elif edit == "template":
        _edit_article_template(rich, "Ornithopter notes")
    else:
        first.write_text(first.read_text(encoding="utf-8").replace(BODY_WORD, "heliotropic"), encoding="utf-8")
    with pytest.raises(SiteError) as info:
        rich.build(search=True)
    error = info.value
    assert error.rule == "search/index"
    assert error.location.path == rich.out
    assert "Pagefind said: Error: Pagefind was not able to build an index." in error.message
    assert str(error).endswith("[search/index]") and "Traceback" not in str(error)
    assert tree_bytes(rich.out) == before  # the swap never happened, and no staged file is left beside another
    assert not [p for p in rich.root.iterdir() if "staging" in p.name]


def test_an_indexer_that_hangs_is_stopped(tmp_path: Path, monkeypatch) -> None:
    program = _fake_pagefind(tmp_path, "import time\ntime.sleep(30)")
    monkeypatch.setattr("pagefind_bin.get_executable", lambda: program)
    (tmp_path / "site").mkdir()
    with pytest.raises(search.SearchError) as info:
        search.index_site(tmp_path / "site", timeout=0.5)
    assert "took longer than 0.5 s" in info.value.message and "--no-search" in info.value.message


def test_without_the_pagefind_package_the_error_says_how_to_get_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "pagefind_bin", None)
    with pytest.raises(search.SearchError) as info:
        search.index_site(tmp_path, shown=tmp_path / "_site")
    assert "pagefind-bin" in info.value.message and "--no-search" in info.value.message
    assert info.value.location.path == tmp_path / "_site"


def test_the_callers_pagefind_settings_do_not_change_the_index(rich: SiteDir, monkeypatch) -> None:
    monkeypatch.setenv("PAGEFIND_OUTPUT_SUBDIR", "elsewhere")
    monkeypatch.setenv("PAGEFIND_ROOT_SELECTOR", "footer")
    rich.write("pagefind.yml", "output_subdir: elsewhere\n")
    monkeypatch.chdir(rich.root)
    rich.build(search=True)
    assert page_count(rich.out) == 3 and not (rich.out / "elsewhere").exists()


def test_a_page_cannot_take_the_index_folder(site: SiteDir) -> None:
    site.write("content/pagefind.md", article("Pagefind", layout="page"))
    with pytest.raises(SiteError) as info:
        site.build(search=True)
    assert "the search index" in str(info.value) and "[routes/clash]" in str(info.value)


def test_the_starter_site_is_indexed(tmp_path: Path) -> None:
    out = tmp_path / "_site"
    result = carepages.build(ROOT, out)
    marked = [p for p in out.rglob("*.html") if "data-pagefind-body" in p.read_text(encoding="utf-8")]
    assert result.search is not None and result.search.pages == page_count(out) == len(marked) >= 10
    assert "/articles/what-is-ms/" in indexed_pages(out)
    assert not any(url in indexed_pages(out) for url in ("/", "/topics/", "/sources/", "/search/"))
    search_page = (out / "search" / "index.html").read_text(encoding="utf-8")
    assert 'data-search-base="/patient-info/"' in search_page
