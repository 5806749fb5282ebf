"""The home page lists each article once: a short "start here" path, then the topics with their page counts;
topic pages say how many pages they have."""

from __future__ import annotations

import re

import pytest

from carepages.errors import SiteError

from .sitekit import MINIMAL_CONFIG, article

TOPICS = '\n[[topics]]\nname = "Scans"\ndescription = "About scans."\n\n[[topics]]\nname = "Diagnosis"\n'


def _main(html: str) -> str:
    return html.split('<main', 1)[1].split("</main>", 1)[0]


def _article_links(html: str) -> list[str]:
    return re.findall(r'<a href="/info/articles/([a-z-]+)/">', _main(html))


@pytest.fixture
def many(site):
    """Five articles, most under both topics, one under none."""
    site.write("content/first.md", article("First", topics="[Scans, Diagnosis]"))
    site.write("content/second.md", article("Second", topics="[Scans, Diagnosis]"))
    site.write("content/third.md", article("Third", topics="[scans]"))  # the same topic, written another way
    site.write("content/fourth.md", article("Fourth", topics="[Diagnosis]"))
    site.write("content/loose.md", article("Loose", topics="[]"))
    return site


def _config(site, top: str = "") -> None:
    site.write("site.toml", top + MINIMAL_CONFIG + TOPICS)


def test_the_home_page_lists_each_article_once_and_the_topics_with_counts(many):
    _config(many, 'start_here = ["third", "loose", "first"]\n')
    many.build()
    home = many.html("")
    assert _article_links(home) == ["third", "loose", "first"]  # the start path, in site.toml's order, and
    start = home.split('id="start-here-heading"')[1].split("</section>")[0]  # nothing else: 'loose' is not
    assert "<ol" in start  # repeated under "More pages"
    topics = home.split('id="topics-heading"')[1].split("</section>")[0]
    entries = re.findall(r'<a href="/info/topics/([a-z-]+)/">([^<]+)</a> <span class="page-count">\((\d+) pages?\)',
                         topics)
    assert entries == [("scans", "Scans", "3"), ("diagnosis", "Diagnosis", "3")]
    assert "About scans." in topics
    assert "More pages" not in home


def test_a_page_of_no_topic_and_not_on_the_path_is_listed_once_under_more_pages(many):
    _config(many, 'start_here = ["first"]\n')
    many.build()
    assert _article_links(many.html("")) == ["first", "loose"]


def test_without_start_here_the_path_is_the_first_weighted_pages(many):
    for slug, weight in (("fourth", 5), ("second", 1), ("third", 3), ("first", 9)):
        text = (many.root / f"content/{slug}.md").read_text().replace("---\n\n", f"weight: {weight}\n---\n\n", 1)
        many.write(f"content/{slug}.md", text)
    _config(many)
    many.build()
    assert _article_links(many.html("")) == ["second", "third", "fourth", "loose"]  # three, lowest weight first


def test_an_empty_start_here_turns_the_path_off(many):
    _config(many, "start_here = []\n")
    many.build()
    home = many.html("")
    assert "Start here" not in home and _article_links(home) == ["loose"]


def test_topic_pages_say_how_many_pages_they_have(many):
    _config(many)
    many.build()
    assert '<p class="page-count">3 pages on this topic</p>' in many.html("topics/scans/")
    assert re.search(r'<a href="/info/topics/diagnosis/">Diagnosis</a> <span class="page-count">\(3 pages\)</span>',
                     many.html("topics/"))
    many.write("content/fourth.md", article("Fourth", topics="[Other]"))
    many.build()
    assert '<p class="page-count">1 page on this topic</p>' in many.html("topics/other/")


def test_start_here_names_only_pages_that_exist(many):
    many.write("content/draft.md", article("Draft", draft="true"))
    _config(many, 'start_here = [\n  "frist",\n  "second", "draft",\n]\n')
    with pytest.raises(SiteError) as info:
        many.build()
    assert [d.format(many.root) for d in info.value.diagnostics] == [
        "site.toml:2:3: error: 'start_here': 'frist' is not the slug of any page (did you mean 'first'?) "
        "[home/start-here]",
        "site.toml:3:13: error: 'start_here': 'draft' is a draft: publish it, or take it out of 'start_here' "
        "[home/start-here]"]
    _config(many, 'start_here = ["second", "draft"]\n')
    many.build(drafts=True)  # previewed with drafts, it is on the path
    assert _article_links(many.html(""))[:3] == ["second", "draft", "loose"]


@pytest.mark.parametrize(("setting", "expected"), [
    ("start_here = ['second', \"first\", 'second']", "site.toml:1:34: error: 'start_here' names 'second' twice"),
    ("start_here = 3", "site.toml:1:1: error: 'start_here' must be a list of text, not a number"),
])
def test_start_here_is_a_list_of_slugs_each_named_once(many, setting, expected):
    _config(many, setting + "\n")
    with pytest.raises(SiteError) as info:
        many.build()
    assert [d.format(many.root) for d in info.value.diagnostics] == [f"{expected} [config/invalid]"]


def test_the_questions_page_groups_every_articles_questions_by_topic_after_its_own(many):
    _config(many)
    many.write("content/first.md", article("First", topics="[Diagnosis, Scans]",
                                           faq="[{question: Is it MS?, answer: Maybe.}]"))
    many.write("content/third.md", article("Third", topics="[scans]",
                                           faq="[{question: Does a scan hurt?, answer: No.}, "
                                               "{question: How long is it?, answer: An hour.}]"))
    many.write("content/loose.md", article("Loose", topics="[]", faq="[{question: Who are you?, answer: A clinic.}]"))
    many.write("content/faq.md", article("Questions", layout="faq", faq="[{question: Own question?, answer: Yes.}]"))
    many.build()
    faq = _main(many.html("faq/"))
    assert faq.index("Own question?") < faq.index("More questions, answered on other pages")
    groups = re.findall(r"<h3>(.*?)</h3>\s*<ul class=\"question-links\">(.*?)</ul>", faq, re.S)
    assert [(heading, re.findall(r'<a href="([^"]+)">([^<]+)</a>', links)) for heading, links in groups] == [
        ('<a href="/info/topics/scans/">Scans</a>', [("/info/articles/third/#faq-1", "Does a scan hurt?"),
                                                    ("/info/articles/third/#faq-2", "How long is it?")]),
        ('<a href="/info/topics/diagnosis/">Diagnosis</a>', [("/info/articles/first/#faq-1", "Is it MS?")]),
        ("Other questions", [("/info/articles/loose/#faq-1", "Who are you?")])]
