"""Structured data a search engine or assistant reads: JSON-LD parsed back field by field, and Open Graph."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest

from carepages.errors import SiteError

from .sitekit import article

HOSTILE = 'Scans </script><script>alert(1)</script> & "quotes"'


def _jsonld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">\n(.*?)\n</script>', html, re.S).group(1))


def _og(html: str) -> dict[str, str]:
    return {name: unescape(value) for name, value in re.findall(r'<meta property="og:(\w+)" content="([^"]*)">', html)}


def test_an_article_is_a_medical_web_page_with_every_field(site) -> None:
    site.write("content/first.md", article(
        HOSTILE, body="Text [@smith2020].\n", audience="People with MS", authors="[Clinic team]",
        faq="[{question: Will it hurt?, answer: No.}]"))
    site.build()
    html = site.html("articles/first/")
    data = _jsonld(html)
    assert data["@type"] == ["MedicalWebPage", "FAQPage"]
    assert data["name"] == HOSTILE and data["description"] == "A short summary."
    assert (data["datePublished"], data["dateModified"], data["lastReviewed"]) == ("2026-01-10", "2026-01-12",
                                                                                     "2026-01-12")
    assert data["reviewedBy"] == {"@type": "Organization", "name": "Test reviewer (nurse)"}
    assert data["author"] == [{"@type": "Organization", "name": "Clinic team"}]
    assert data["audience"] == {"@type": "PeopleAudience", "audienceType": "People with MS"}
    assert data["citation"][0]["name"] == "A study of things"
    assert data["mainEntity"] == [{"@type": "Question", "name": "Will it hurt?",
                                   "acceptedAnswer": {"@type": "Answer", "text": "No."}}]
    trail = [(item["position"], item["name"], item["item"]) for item in data["breadcrumb"]["itemListElement"]]
    assert trail == [(1, "Test Health Site", "https://example.org/info/"),
                     (2, "Topic One", "https://example.org/info/topics/topic-one/"),
                     (3, HOSTILE, "https://example.org/info/articles/first/")]
    assert html.count("</script>") == 2  # the site script and the JSON-LD: nothing injected


def test_an_article_without_questions_is_not_an_faq_page(site) -> None:
    site.build()
    data = _jsonld(site.html("articles/first/"))
    assert data["@type"] == "MedicalWebPage" and "mainEntity" not in data


def test_topic_and_home_pages_are_collections_of_their_pages(site) -> None:
    site.write("content/second.md", article("Second"))
    site.build()
    topic = _jsonld(site.html("topics/topic-one/"))
    assert topic["@type"] == "CollectionPage"
    assert [(i["name"], i["url"]) for i in topic["mainEntity"]["itemListElement"]] == [
        ("First article", "https://example.org/info/articles/first/"),
        ("Second", "https://example.org/info/articles/second/")]
    assert topic["breadcrumb"]["itemListElement"][1]["name"] == "Topics"
    home = _jsonld(site.html(""))
    assert home["@type"] == "CollectionPage" and home["isPartOf"]["@type"] == "WebSite"
    assert home["mainEntity"]["itemListElement"][0]["url"] == "https://example.org/info/topics/topic-one/"


def test_open_graph_and_favicon(site) -> None:
    site.write("content/first.md", article(HOSTILE))
    site.build()
    html = site.html("articles/first/")
    assert _og(html) == {"url": "https://example.org/info/articles/first/", "title": HOSTILE,
                         "description": "A short summary.", "type": "article", "site_name": "Test Health Site",
                         "locale": "en_GB"}
    assert _og(site.html(""))["type"] == "website"
    assert re.search(r'<link rel="icon" href="/info/static/favicon.svg\?v=[0-9a-f]{10}" type="image/svg\+xml">', html)
    assert (site.out / "static/favicon.svg").is_file()


def test_about_names_the_medical_condition_from_front_matter_or_site_toml(site) -> None:
    site.write("site.toml", 'about = "Multiple sclerosis"\n' + site.root.joinpath("site.toml").read_text())
    site.write("content/second.md", article("Second", about=f"['{HOSTILE}', Optic neuritis]"))
    site.write("content/third.md", article("Third", about="[]"))
    site.write("content/info.md", article("Info", layout="page"))
    site.build()
    assert _jsonld(site.html("articles/first/"))["about"] == {"@type": "MedicalCondition",
                                                              "name": "Multiple sclerosis"}
    assert _jsonld(site.html("articles/second/"))["about"] == [{"@type": "MedicalCondition", "name": HOSTILE},
                                                               {"@type": "MedicalCondition", "name": "Optic neuritis"}]
    assert "about" not in _jsonld(site.html("articles/third/"))  # [] says: about no condition
    assert "about" not in _jsonld(site.html("info/"))  # a plain page is not about the site's condition
    assert site.html("articles/second/").count("</script>") == 2


def test_about_must_be_text(site) -> None:
    site.write("content/first.md", article("First", about="{name: MS}"))
    with pytest.raises(SiteError) as info:
        site.build()
    assert [d.format(site.root) for d in info.value.diagnostics] == [
        "content/first.md:10:8: error: 'about' must be a list of text, not a mapping [front-matter/invalid]"]
