"""Related pages: pins first, then by a score of shared rare topics and keywords, a threshold, stable ties;
the editors' index page; and `related <slug>`, which explains one page's list."""

from __future__ import annotations

import re

import pytest

from carepages.errors import SiteError
from carepages.pipeline import load_site

from .sitekit import MINIMAL_CONFIG, article, run_cli


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


# --- site.toml's [related] ------------------------------------------------------------------------------------

def _weighted(site, related: str) -> None:
    """`first` shares a topic with `by-topic` and a keyword with `by-keyword`, each term on two pages of eight."""
    site.write("site.toml", MINIMAL_CONFIG + "\n[related]\n" + related)
    site.write("content/first.md", article("First", topics="[Rare topic]", keywords="[rare word]"))
    site.write("content/by-topic.md", article("By topic", topics="[Rare topic]", date="2026-01-01", updated=None))
    site.write("content/by-keyword.md", article("By keyword", topics="[Z]", keywords="[rare word]",
                                                date="2025-01-01", updated=None))
    for i in range(5):
        site.write(f"content/x{i}.md", article(f"X {i}", topics="[X]"))


def test_a_weight_changes_the_ranking(site) -> None:
    _weighted(site, "")
    assert _related(site, "first") == ["by-topic", "by-keyword"]  # equal scores: the newer first
    _weighted(site, "weights = { keywords = 2 }\n")
    assert _related(site, "first") == ["by-keyword", "by-topic"]
    _weighted(site, "[related.weights]\ntopics = 0\n")
    assert _related(site, "first") == ["by-keyword"]  # topics no longer relate pages


def test_the_threshold_and_the_count_come_from_site_toml(site) -> None:
    _weighted(site, "threshold = 1.4\n")  # one shared term on 2 of 8 pages scores ln 4 = 1.39
    assert _related(site, "first") == []
    result = run_cli("related", "first", str(site.root))
    assert "  1. by-topic: score 1.39 (topics: rare-topic), cut: below the threshold" in result.out.splitlines()
    assert "threshold 1.4." in result.out
    _weighted(site, "count = 1\n")
    assert _related(site, "first") == ["by-topic"]


def test_a_common_term_can_be_made_to_count_for_nothing(site) -> None:
    _weighted(site, "")
    for i in range(3):  # 'rare topic' is now on 5 pages of 11
        site.write(f"content/x{i}.md", article(f"X {i}", topics="[Rare topic]"))
    assert _related(site, "first") == ["by-keyword", "x0", "x1"]  # the rarer keyword first, then newest first
    _weighted(site, "common = 0.4\n")
    for i in range(3):
        site.write(f"content/x{i}.md", article(f"X {i}", topics="[Rare topic]"))
    assert _related(site, "first") == ["by-keyword"]  # a term on more than 4 pages in 10 adds nothing


@pytest.mark.parametrize(("related", "expected"), [
    ('threshold = "high"', "site.toml:13:1: error: 'related.threshold' must be a number, not text [config/invalid]"),
    ("threshold = -1", "site.toml:13:1: error: 'related.threshold' must be between 0 and 1000, not -1 "
                       "[config/invalid]"),
    ("common = 0", "site.toml:13:1: error: 'related.common' must be between 0.01 and 1, not 0 [config/invalid]"),
    ("count = 50", "site.toml:13:1: error: 'related.count' must be between 0 and 20, not 50 [config/invalid]"),
    ("weights = { topics = nan }", "site.toml:13:1: error: 'related.weights.topics' must be between 0 and 100, "
                                   "not nan [config/invalid]"),
])
def test_related_settings_are_validated_at_their_line(site, related, expected) -> None:
    site.write("site.toml", MINIMAL_CONFIG + "\n[related]\n" + related + "\n")
    with pytest.raises(SiteError) as info:
        site.build()
    assert [d.format(site.root) for d in info.value.diagnostics] == [expected]


def test_a_mistyped_related_setting_is_a_warning_with_a_hint(site) -> None:
    site.write("site.toml", MINIMAL_CONFIG + "\n[related]\ncuont = 2\n\n[related.weights]\ntopic = 2\n")
    assert [d.format(site.root) for d in load_site(site.root).warnings if d.rule.startswith("config/")] == [
        "site.toml:13:1: warning: unknown setting 'related.cuont' (did you mean 'count'?) [config/unknown-key]",
        "site.toml:16:1: warning: unknown setting 'related.weights.topic' (did you mean 'topics'?) "
        "[config/unknown-key]"]


def test_related_count_and_related_dot_count_are_one_setting(site) -> None:
    site.write("site.toml", "related_count = 2\n" + MINIMAL_CONFIG + "\n[related]\ncount = 2\n")
    with pytest.raises(SiteError) as info:
        site.build()
    assert [d.format(site.root) for d in info.value.diagnostics] == [
        "site.toml:14:1: error: 'related.count' and 'related_count' both set the number of related pages: keep one "
        "[config/invalid]"]


def test_the_editors_index_page_stays_small_on_a_large_site(site) -> None:
    """Each entry shows its list and the closest misses, not every candidate: listing them all made the page
    grow with the square of the site."""
    for n in range(30):
        site.write(f"content/p{n:02}.md", article(f"Page {n:02}", topics="[Topic One]"))
    site.build()
    html = site.html("related/")
    entry = html.split('<a href="/info/articles/p05/">Page 05</a></h2>', 1)[1].split("</section>", 1)[0]
    # a topic on every page scores nothing: no list, the five best candidates left out, and a count of the rest
    assert entry.count('<li class="related-cut">') == 5
    assert "25 other candidates scored lower" in entry and "related p05" in entry
