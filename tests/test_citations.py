"""Citations across a whole site: numbering, back-links, and every error and warning at its exact place."""

from __future__ import annotations

import json
import re

import pytest

from carepages import load_site
from carepages.errors import SiteError

from .sitekit import article


def warnings_of(site) -> list[str]:
    return [d.format(relative_to=site.root) for d in load_site(site.root).warnings]


def test_numbers_follow_first_citation_and_entries_link_back(site):
    site.write("content/first.md", article("First", body="""
        Claim one [@lee2019]. Claim two [@smith2020; @lee2019].

        Claim three [@smith2020, p. 4].
        """))
    site.build()
    html = site.html("articles/first/")
    assert '<sup class="citation" id="cite-1"><a href="#ref-1" aria-label="Reference 1">1</a></sup>' in html
    assert ('<sup class="citation" id="cite-2"><a href="#ref-1" aria-label="Reference 1">1</a>,'
            '<a href="#ref-2" aria-label="Reference 2">2</a></sup>') in html
    lee = html.split('<li id="ref-1">')[1].split("</li>")[0]
    assert lee.strip().startswith('<span class="reference-text">Lee D. Another study. Other Journal. 2019;4:55-60.')
    assert re.findall(r'href="(#cite-\d)"', lee) == ["#cite-1", "#cite-2"]
    assert 'aria-label="Back to text, reference 1, citation 1 of 2"' in lee
    smith = html.split('<li id="ref-2">')[1].split("</li>")[0]
    assert re.findall(r'href="(#cite-\d)"', smith) == ["#cite-2", "#cite-3"]


def test_citations_go_into_json_ld(site):
    site.write("content/first.md", article("First", body="Claim [@smith2020].\n"))
    site.build()
    html = site.html("articles/first/")
    data = json.loads(html.split('<script type="application/ld+json">')[1].split("</script>")[0])
    (cited,) = data["citation"]
    assert cited["@type"] == "ScholarlyArticle" and cited["name"] == "A study of things"
    assert {"@type": "PropertyValue", "propertyID": "PMID", "value": "12345678"} in cited["identifier"]
    assert cited["url"] == "https://doi.org/10.1000/things.2020.1"


def test_listed_but_never_cited_is_a_warning_at_the_list_item(site):
    site.write("content/first.md", article("First", references="[smith2020, lee2019]", body="Claim [@smith2020].\n"))
    found = warnings_of(site)
    assert ("content/first.md:10:25: warning: reference 'lee2019' is listed in front matter but never cited in "
            "the text (cite it with [@lee2019] where it supports a statement) [citations/uncited]") in found
    site.build()
    assert '<li id="ref-2">' in site.html("articles/first/")  # still listed, after the cited ones


def test_bibliography_entry_nobody_uses_is_a_warning_at_the_entry(site):
    site.write("content/first.md", article("First", body="Claim [@smith2020].\n"))
    assert warnings_of(site) == [
        "content/references.yaml:15:1: warning: reference 'lee2019' is in the bibliography but no page uses it "
        "[bibliography/unused]"]


def test_unknown_key_is_an_error_at_the_citation(site):
    site.write("content/first.md", article("First", body="Fine [@smith2020].\n\nBad [@lee2091, p. 3] here.\n"))
    with pytest.raises(SiteError) as info:
        site.build()
    assert [d.format(relative_to=site.root) for d in info.value.diagnostics] == [
        "content/first.md:14:5: error: unknown reference key 'lee2091' (did you mean 'lee2019'?) "
        "[citations/unknown-key]"]


def test_citation_in_a_faq_answer_points_into_the_front_matter(site):
    site.write("content/first.md", article("First", faq='\n  - question: "Q?"\n    answer: "Yes [@nope]."'))
    with pytest.raises(SiteError) as info:
        site.build()
    assert [d.format(relative_to=site.root) for d in info.value.diagnostics] == [
        "content/first.md:12:18: error: unknown reference key 'nope' [citations/unknown-key]"]


def test_csl_json_bibliography_next_to_yaml(site):
    site.write("content/library.json", json.dumps([{"id": "zot1", "title": "From Zotero", "type": "article-journal",
                                                    "issued": {"date-parts": [[2021]]},
                                                    "container-title": "J Zot"}]))
    site.write("site.toml", site.root.joinpath("site.toml").read_text().replace(
        'language = "en-GB"', 'language = "en-GB"\nbibliography = ["references.yaml", "library.json"]'))
    site.write("content/first.md", article("First", body="A [@zot1] and [@smith2020] and [@lee2019].\n"))
    site.build()
    assert "From Zotero. J Zot. 2021." in site.html("articles/first/")


def test_bibliography_and_page_errors_are_reported_together(site):
    site.write("content/references.yaml", "bad:\n  title: T\n  issued: 2020\n  PMID: abc\n")
    site.write("content/first.md", "---\ntitle: [\n---\n")
    with pytest.raises(SiteError) as info:
        site.build()
    found = [d.format(relative_to=site.root) for d in info.value.diagnostics]
    assert [line.split(": error")[0] for line in found] == ["content/first.md:2:8", "content/references.yaml:4:3"]
