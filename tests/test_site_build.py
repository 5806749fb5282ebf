"""Whole sites built into temp folders: what a reader and a search engine get."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from carepages.errors import SiteError

from .sitekit import article, tree_bytes


def test_article_page_shows_everything_a_patient_needs(site):
    site.write("content/first.md", article(
        "Spine MRI", topics="[Topic One]", audience="People with new symptoms",
        references="[lee2019]",
        key_points='\n  - "Scans of the cord find lesions [@smith2020]."',
        faq='\n  - question: "Does it hurt?"\n    answer: "No, an MRI scan is painless [@lee2019]."',
        body="""
        Intro paragraph [@smith2020].

        ## Why it matters

        Text.

        ## How it works

        More.

        ## What happens next

        See [the other page](second.md#the-next-step).
        """))
    site.write("content/second.md", article("Second page", body="## The next step\n\nText.\n"))
    # a topic on every page relates no page (it scores nothing): a third page makes 'Topic One' telling
    site.write("content/third.md", article("Third page", topics="[Topic Two]"))
    site.build()
    html = site.html("articles/first/")
    assert "<h1>Spine MRI</h1>" in html
    assert '<p class="summary">A short summary.</p>' in html
    assert 'id="key-points-heading">Key points</h2>' in html
    # table of contents for an article with three or more sections
    assert '<nav class="toc" aria-labelledby="toc-heading">' in html
    assert '<a href="#why-it-matters">Why it matters</a>' in html
    # links between articles become URLs under the site's sub-path
    assert ('<a href="/info/articles/second/#the-next-step" data-print-href='
            '"https://example.org/info/articles/second/#the-next-step">the other page</a>') in html
    # FAQ as expandable questions
    assert re.search(r'<details class="faq-item" id="faq-1">\s*<summary>Does it hurt\?</summary>', html)
    # review information
    assert "Page last reviewed</dt><dd><time datetime=\"2026-01-12\">12 January 2026</time>" in html
    assert "Next review due</dt><dd><time datetime=\"2027-01-12\">12 January 2027</time>" in html
    assert "<dt>Reviewed by</dt><dd>Test reviewer (nurse)</dd>" in html
    # references numbered by first citation: key point (smith) first, then the FAQ (lee)
    refs = re.findall(r'<li id="ref-(\d)">\s*<span class="reference-text">(\w+)', html)
    assert refs == [("1", "Smith"), ("2", "Lee")]
    assert 'href="https://doi.org/10.1000/things.2020.1"' in html
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/12345678/"' in html
    # related pages share a topic
    assert 'id="related-heading">Related pages</h2>' in html
    assert '<a href="/info/articles/second/">Second page</a>' in html
    # site-wide parts on every page
    assert "Test disclaimer text." in html and "Call 999 in an emergency." in html
    assert "Contact Test Clinic" in html and "01234 567890" in html
    assert '<a class="skip-link" href="#main">' in html


def test_short_article_has_no_table_of_contents(site):
    site.build()
    assert 'class="toc"' not in site.html("articles/first/")


def test_all_pages_and_files_are_written(site):
    site.write("content/faq.md", article("Questions", layout="faq",
                                         faq='\n  - question: "Is MS curable?"\n    answer: "Not yet."'))
    site.write("content/about.md", "---\ntitle: About us\nsummary: Who we are.\nlayout: page\n---\nHello.\n")
    site.build()
    files = set(tree_bytes(site.out))
    for expected in ["index.html", "404.html", "articles/first/index.html", "faq/index.html", "about/index.html",
                     "topics/index.html", "topics/topic-one/index.html", "sources/index.html", "sitemap.xml",
                     "feed.xml", "robots.txt", "static/css/site.css", ".carepages-output"]:
        assert expected in files, expected


def test_faq_page_collects_questions_from_other_pages(site):
    site.write("content/first.md", article(
        "First article", faq='\n  - question: "Will I need contrast?"\n    answer: "Sometimes."'))
    site.build()
    faq = site.html("faq/")
    assert '<a href="/info/articles/first/#faq-1">Will I need contrast?</a>' in faq


def test_sources_page_lists_each_reference_once_with_its_pages(site):
    site.write("content/first.md", article("First", body="A [@smith2020].\n"))
    site.write("content/second.md", article("Second", body="B [@smith2020] and [@lee2019].\n"))
    site.build()
    sources = site.html("sources/")
    assert sources.count("A study of things.") == 1
    smith = sources.split('id="source-smith2020"')[1].split("</li>")[0]
    assert '<a href="/info/articles/first/">First</a>' in smith
    assert '<a href="/info/articles/second/">Second</a>' in smith


def test_sitemap_and_feed_are_valid_xml_with_absolute_urls(site):
    site.write("content/second.md", article("Tom & Jerry <3", updated="2026-03-01"))
    site.build()
    sitemap = ET.fromstring(site.out.joinpath("sitemap.xml").read_bytes())
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [e.text for e in sitemap.findall("s:url/s:loc", ns)]
    assert "https://example.org/info/articles/second/" in locs
    assert "https://example.org/info/" in locs
    lastmod = sitemap.find("s:url[s:loc='https://example.org/info/articles/second/']/s:lastmod", ns)
    assert lastmod.text == "2026-03-01"
    feed = ET.fromstring(site.out.joinpath("feed.xml").read_bytes())
    atom = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.text for e in feed.findall("a:entry/a:title", atom)]
    assert titles[0] == "Tom & Jerry <3"  # newest first
    assert feed.find("a:updated", atom).text == "2026-03-01T00:00:00Z"
    robots = site.out.joinpath("robots.txt").read_text()
    assert "Sitemap: https://example.org/info/sitemap.xml" in robots


def test_assets_and_links_work_under_a_sub_path(site):
    site.write("content/images/cord.png", b"\x89PNG fake")
    site.write("content/first.md", article("First", body="![The spinal cord on MRI](images/cord.png)\n"))
    site.build()
    html = site.html("articles/first/")
    assert '<img src="/info/images/cord.png" alt="The spinal cord on MRI"' in html
    assert re.search(r'href="/info/static/css/site\.css\?v=[0-9a-f]{10}"', html)
    assert site.out.joinpath("images/cord.png").read_bytes() == b"\x89PNG fake"


def test_site_templates_and_static_override_the_default_theme_file_by_file(site):
    site.write("templates/404.html", "{% extends 'base.html' %}{% block content %}<h1>Lost?</h1>{% endblock %}")
    site.write("static/css/site.css", "body { color: red; }")
    site.build()
    assert "<h1>Lost?</h1>" in site.html("404.html")
    assert site.out.joinpath("static/css/site.css").read_text() == "body { color: red; }"
    assert "<h1>First article</h1>" in site.html("articles/first/")  # other templates from the project
    assert site.out.joinpath("static/js/site.js").is_file()


def test_drafts_are_left_out_unless_asked_for(site):
    site.write("content/wip.md", article("Work in progress", draft="true"))
    site.build()
    assert not site.out.joinpath("articles/wip").exists()
    site.build(drafts=True)
    assert "Draft: this page is not published" in site.html("articles/wip/")


def test_same_input_builds_byte_identical_output(site, tmp_path):
    site.write("content/second.md", article("Second", body="Text [@lee2019].\n"))
    site.build()
    first = tree_bytes(site.out)
    import carepages

    carepages.build(site.root, tmp_path / "again", search=False)
    assert tree_bytes(tmp_path / "again") == first


def test_failed_build_leaves_previous_output_untouched(site):
    site.build()
    before = tree_bytes(site.out)
    site.write("content/first.md", "---\ntitle: [broken\n---\n")
    with pytest.raises(SiteError):
        site.build()
    assert tree_bytes(site.out) == before


def test_json_ld_is_safe_inside_the_script_element(site):
    site.write("content/first.md", article("'x </script><script>alert(1)</script>'", summary='"a\\u2028b <!--"'))
    site.build()
    html = site.html("articles/first/")
    script = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    assert "<" not in script and "\u2028" not in script
    assert "\\u003c/script\\u003e" in script
    assert "a\\u2028b \\u003c!--" in script  # the line separator arrived, escaped


def test_two_pages_with_the_same_address_is_an_error_naming_both(site):
    site.write("content/a/dup.md", article("One"))
    site.write("content/b/dup.md", article("Two"))
    with pytest.raises(SiteError) as info:
        site.build()
    message = str(info.value)
    assert "content/b/dup.md" in message and "a/dup.md" in message and "articles/dup/index.html" in message
