"""The model's steps, each on its own: addresses, links, citation numbers, related pages, views, JSON-LD,
feeds. Each is built from a real small site, then the step's own result is inspected."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from carepages.errors import SiteError
from carepages.pipeline import load_site

from .sitekit import article


def _page(site, rel: str):
    return next(p for p in load_site(site.root).site.pages if str(p.rel) == rel)


def test_places_are_decided_once_from_file_name_slug_and_layout(site) -> None:
    site.write("content/Odd Name.md", article("Odd"))
    site.write("content/about.md", article("About", layout="page", slug="about-us"))
    pages = {str(p.rel): p for p in load_site(site.root).site.pages}
    assert (pages["Odd Name.md"].route, pages["Odd Name.md"].url) == ("articles/odd-name/", "/info/articles/odd-name/")
    assert str(pages["about.md"].source.place.output) == "about-us/index.html"


def test_links_resolve_to_urls_under_the_sub_path(site) -> None:
    site.write("content/first.md", article("First", body="[a](second.md#part) [b](/topics/) [c](#x) [d](file.pdf)\n"
                                                        "\n## X\n"))
    site.write("content/second.md", article("Second", body="## Part\n"))
    site.write("content/file.pdf", b"%PDF-1.4")
    links = _page(site, "first.md").links
    assert links == {"second.md#part": "/info/articles/second/#part", "/topics/": "/info/topics/", "#x": "#x",
                     "file.pdf": "/info/file.pdf"}


def test_citation_numbers_follow_first_use_across_key_points_body_and_answers(site) -> None:
    site.write("content/first.md", article(
        "First", body="Body [@lee2019] and [@smith2020].\n", key_points="['Point [@smith2020]']",
        faq="[{question: Q?, answer: 'A [@lee2019]'}]"))
    page = _page(site, "first.md")
    assert page.citation_numbers == {"smith2020": 1, "lee2019": 2}
    assert [r.citation_ids for r in page.references] == [("cite-k1-1", "cite-2"), ("cite-1", "cite-faq1-1")]


def test_related_pages_pins_first_then_shared_topics_newest_first(site) -> None:
    site.write("content/first.md", article("First", topics="[A, B]", related="[zeta]"))
    site.write("content/older.md", article("Older", topics="[A, B]", date="2025-01-01", updated="2025-01-01"))
    site.write("content/newer.md", article("Newer", topics="[A, B]", date="2026-05-01", updated="2026-05-01"))
    site.write("content/one.md", article("One shared", topics="[A]"))
    site.write("content/none.md", article("Unrelated", topics="[C]"))
    site.write("content/zeta.md", article("Zeta", topics="[C]"))
    page = _page(site, "first.md")
    assert page.related == ("articles/zeta/", "articles/newer/", "articles/older/")  # related_count is 3


def test_views_and_json_ld_of_an_article(site) -> None:
    site.write("content/first.md", article('A "quoted" </script> title', body="Text [@smith2020].\n",
                                           faq="[{question: Q?, answer: An answer.}]"))
    site.build()
    html = site.html("articles/first/")
    data = json.loads(re.search(r'<script type="application/ld\+json">\n(.*?)\n</script>', html, re.S).group(1))
    assert data["@type"] == ["MedicalWebPage", "FAQPage"]  # its questions are on the page
    assert data["name"] == 'A "quoted" </script> title'
    assert data["url"] == "https://example.org/info/articles/first/"
    assert data["citation"][0]["identifier"][0] == {"@type": "PropertyValue", "propertyID": "DOI",
                                                    "value": "10.1000/things.2020.1"}
    assert "</script> title" not in html.split("<script type")[1].split("</script>")[0]
    assert "1 minute read" in html.split('class="page-meta"', 1)[1][:80]


def test_feed_and_sitemap(site) -> None:
    site.write("content/about.md", article("About", layout="page"))
    site.build()
    feed = ET.parse(site.out / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)] == ["First article"]
    locs = [e.text for e in ET.parse(site.out / "sitemap.xml").getroot().iter(
        "{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://example.org/info/about/" in locs and "https://example.org/info/404.html" not in locs


def test_every_error_of_every_page_is_reported_in_one_run(site) -> None:
    site.write("content/bad-front.md", "---\ntitle: [unclosed\n---\nText.\n")
    site.write("content/first.md", article("First", body="See [missing](nowhere.md) and [bad](bad-front.md).\n"))
    site.write("content/second.md", article("Second", body="Cites [@nobody].\n"))
    with pytest.raises(SiteError) as info:
        load_site(site.root)
    messages = [d.format(relative_to=site.root) for d in info.value.diagnostics]
    assert len(messages) == 3, messages
    assert messages[0].startswith("content/bad-front.md:2:")
    assert messages[1] == ("content/first.md:12:5: error: link to 'nowhere.md', but there is no such file in "
                           "content/ [links/broken]")
    assert messages[2].startswith("content/second.md:12:7: error: unknown reference key 'nobody'")
