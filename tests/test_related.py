"""Related pages: pins first, then by a score of shared rare topics and keywords, a threshold, stable ties;
the editors' index page; and `related <slug>`, which explains one page's list."""

from __future__ import annotations

import re

from carepages.pipeline import load_site

from .sitekit import article, run_cli


def _related(site, slug: str) -> list[str]:
    loaded = load_site(site.root).site
    page = next(p for p in loaded.pages if p.slug == slug)
    return [loaded.by_route[route].slug for route in page.related]


def _many(site, common: int = 6) -> None:
    """`first` shares the common topic with `common` pages; `rare` shares a rare keyword with it."""
    site.write("content/first.md", article("First", topics="[Common]", keywords="[lumbar puncture, csf]"))
    for i in range(common):
        site.write(f"content/c{i}.md", article(f"Common {i}", topics="[Common]", date=f"2026-01-0{i + 1}",
                                               updated=None))
    site.write("content/rare.md", article("Rare", topics="[Other]", keywords="[Lumbar  Puncture]", date="2025-01-01",
                                          updated=None))


def test_a_rare_shared_keyword_beats_a_topic_most_pages_carry(site) -> None:
    _many(site)
    assert _related(site, "first")[0] == "rare"  # 'lumbar puncture' matched across case and spacing


def test_a_topic_on_every_page_scores_nothing_and_the_threshold_keeps_weak_matches_out(site) -> None:
    _many(site)
    site.write("content/rare.md", article("Rare", topics="[Common]", date="2025-01-01", updated=None))
    assert _related(site, "first") == []  # every page has 'Common': no page is related by it


def test_pins_first_then_by_score_then_newest_then_title(site) -> None:
    site.write("content/first.md", article("First", topics="[A, B]", related="[pinned]"))
    site.write("content/pinned.md", article("Pinned", topics="[Z]"))
    site.write("content/two-old.md", article("Two old", topics="[A, B]", date="2025-01-01", updated=None))
    site.write("content/two-new-b.md", article("Beta two new", topics="[A, B]", date="2026-03-01", updated=None))
    site.write("content/two-new-a.md", article("Alpha two new", topics="[A, B]", date="2026-03-01", updated=None))
    site.write("content/one.md", article("One", topics="[A]"))
    for i in range(4):  # so A and B are not on every page
        site.write(f"content/x{i}.md", article(f"X {i}", topics="[X]"))
    assert _related(site, "first") == ["pinned", "two-new-a", "two-new-b"]  # related_count is 3


def test_never_the_page_itself_nor_a_draft(site) -> None:
    site.write("content/first.md", article("First", topics="[A]", related="[first]"))
    site.write("content/draft.md", article("Draft", topics="[A]", draft="true"))
    site.write("content/other.md", article("Other", topics="[B]"))
    assert _related(site, "first") == []
    loaded = load_site(site.root, drafts=True).site  # previewed with drafts, a draft is still not related
    assert loaded.by_route["articles/first/"].related == ()


def test_the_editors_index_page_lists_every_page_with_scores(site) -> None:
    _many(site, common=3)
    site.build()
    html = site.html("related/")
    assert '<meta name="robots" content="noindex">' in html
    entry = html.split('<a href="/info/articles/first/">First</a></h2>', 1)[1].split("</section>", 1)[0]
    assert re.search(r'<a href="/info/articles/rare/">Rare</a>:\s+score \d\.\d\d \(keywords: lumbar puncture\)',
                     entry)
    assert "/info/related/" in site.html("sources/")  # linked for editors from the sources page
    assert "/info/related/" not in site.html("")  # not from the patients' pages
    assert "related/" not in (site.out / "sitemap.xml").read_text()


def test_related_command_explains_scores_and_cuts(site) -> None:
    _many(site, common=3)
    result = run_cli("related", "first", str(site.root))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == "Related pages of 'First' (/info/articles/first/): 1 shown, up to 3."
    assert re.match(r"  1\. rare: score \d\.\d\d \(keywords: lumbar puncture\), shown", lines[1])
    assert any("cut: below the threshold" in line for line in lines), lines
    missing = run_cli("related", "frist", str(site.root))
    assert missing.code == 2 and "did you mean 'first'?" in missing.err
