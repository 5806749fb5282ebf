"""The starter site that ships with carepages: it builds cleanly and meets its own content standard."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import pytest

import carepages
from carepages import load_site

from .sitekit import ROOT


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("starter") / "_site"
    result = carepages.build(ROOT, out, strict=True)  # strict: a single warning fails the build
    return out, result


@pytest.fixture(scope="module")
def site():
    return load_site(ROOT).site


class TextAndHeadings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1] == tag:
            self.stack.pop()

    def handle_data(self, data):
        if any(t in {"h1", "h2", "h3", "h4"} for t in self.stack):
            self.headings.append(data)


def test_builds_with_no_warnings(built):
    _, result = built
    assert result.warnings == ()
    assert result.pages >= 12


def test_has_the_promised_articles(site):
    slugs = {p.slug for p in [p for p in site.pages if p.kind.name == "article"]}
    assert {"what-is-ms", "why-spine-mri-matters", "spine-mri-protocol", "how-ms-is-diagnosed",
            "conditions-that-look-like-ms", "monitoring-ms-with-mri", "preparing-for-your-spine-mri"} <= slugs
    assert site.page_of_kind("faq") is not None and len(site.page_of_kind("faq").front.faq) >= 8


def test_every_article_meets_the_content_standard(site):
    for page in [p for p in site.pages if p.kind.name == "article"]:
        front = page.front
        words = page.parsed.body.words
        assert 600 <= words <= 1600, (page.slug, words)
        assert len({r.reference.key for r in page.references if r.citation_ids}) >= 2, page.slug
        assert front.faq and front.topics and front.key_points, page.slug
        assert front.reviewed_by and front.last_reviewed and page.next_review, page.slug
        assert front.authors and front.audience, page.slug


def test_every_reference_is_complete_and_links_out(site):
    for key, ref in site.bibliography.entries.items():
        assert ref.doi or ref.pmid, key
        assert ref.year and ref.title and (ref.authors or ref.type == "webpage"), key
        if ref.type == "article-journal":
            assert ref.container_title, key


def test_no_emoji_in_headings_and_every_page_says_it_is_demonstration_content(built):
    out, _ = built
    for path in sorted(out.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        parser = TextAndHeadings()
        parser.feed(html)
        for heading in parser.headings:
            assert not any(unicodedata.category(ch) == "So" for ch in heading), (path, heading)
        assert "This is demonstration content." in html, path
        assert "not medical advice" in html, path


def test_no_third_party_requests_in_any_page(built):
    out, _ = built
    for path in sorted(out.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        for match in re.finditer(r'<(script|link|img|iframe|source|video|audio)\b[^>]*\b(?:src|href)="([^"]+)"', html):
            tag, url = match.groups()
            if tag == "link" and 'rel="canonical"' in match.group(0):
                continue
            assert url.startswith("/patient-info/"), (path, tag, url)
    css = (out / "static" / "css" / "site.css").read_text()
    assert "url(" not in css and "@import" not in css


def test_affiliate_and_ad_patterns_are_absent(built):
    out, _ = built
    for path in sorted(out.rglob("*.html")):
        html = path.read_text(encoding="utf-8").lower()
        for pattern in ("utm_", "affiliate", "click here", "doubleclick", "google-analytics", "gtag("):
            assert pattern not in html, (path, pattern)


def test_readme_documents_every_field_and_setting():
    from carepages.config import TOP_LEVEL
    from carepages.discover.frontmatter import FIELDS

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    front_table = readme.split("### Front-matter fields")[1].split("###")[0]
    for field in FIELDS:
        assert f"| `{field}` |" in front_table, field
    config_table = readme.split("## site.toml reference")[1].split("## Command line")[0]
    for key in TOP_LEVEL:
        assert f"| `{key}` |" in config_table or f"| `[{key}]` |" in config_table or \
            f"| `[[{key}]]` |" in config_table, key


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make test      #" in readme
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("make test")
    assert Path(ROOT / "Makefile").read_text().count("\ntest:") == 1
