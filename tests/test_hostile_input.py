"""Hostile and broken input: never a traceback, never an escape.

Property-based tests throw arbitrary front matter, Markdown and bytes at a real build: the only allowed
outcomes are a clean build or a `SiteError` that names the file. A suite of XSS payloads goes through every
field a page, feed or structured-data block shows.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import carepages
from carepages.errors import SiteError

from .sitekit import BIBLIOGRAPHY, MINIMAL_CONFIG, article

FIELDS = ["title", "summary", "slug", "layout", "date", "updated", "topics", "audience", "authors", "reviewed_by",
          "last_reviewed", "next_review", "references", "faq", "related", "key_points", "draft", "weight"]

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=40)
    | st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)

fuzz = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def fresh_site() -> Path:
    root = Path(tempfile.mkdtemp(prefix="carepages-fuzz-"))
    (root / "content").mkdir()
    (root / "site.toml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    (root / "content" / "references.yaml").write_text(BIBLIOGRAPHY, encoding="utf-8")
    return root


def build_outcome(root: Path, page: Path) -> None:
    """Build; a failure must be a SiteError that names a file of the site."""
    try:
        carepages.build(root, root / "_site")
    except SiteError as exc:
        for diagnostic in exc.diagnostics:
            assert diagnostic.location.path is not None, diagnostic
            assert str(root) in str(Path(diagnostic.location.path).resolve()) or \
                Path(diagnostic.location.path).resolve().is_relative_to(root.resolve()), diagnostic
    finally:
        shutil.rmtree(root, ignore_errors=True)


@fuzz
@given(field=st.sampled_from(FIELDS), value=yaml_values)
def test_any_yaml_value_in_any_field(field, value):
    root = fresh_site()
    front = {"title": "T", "summary": "S", field: value}
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\nBody [@smith2020].\n"
    page = root / "content" / "page.md"
    page.write_text(text, encoding="utf-8")
    build_outcome(root, page)


@fuzz
@given(front=st.text(max_size=300), body=st.text(max_size=300))
def test_any_text_as_front_matter_and_body(front, body):
    root = fresh_site()
    page = root / "content" / "page.md"
    page.write_text(f"---\n{front}\n---\n{body}", encoding="utf-8", errors="surrogatepass")
    build_outcome(root, page)


markdown_bits = st.sampled_from([
    "# ", "## ", "> ", "- ", "1. ", "* ", "```", "~~~", "    ", "\t", "[", "]", "(", ")", "[@", "@", ";", ",",
    "::: note", "::: urgent", ":::", "|", "---", "[^1]", "[^1]: ", ": ", "![", "<", ">", "&", "*", "_", "`",
    "\n", "\n\n", "text", "x.md", "#a", "javascript:", "http://x", "\\", "\x00", "\u2028", "é", "\r",
])


@fuzz
@given(body=st.lists(markdown_bits, max_size=80).map("".join))
def test_any_markdown_soup(body):
    root = fresh_site()
    page = root / "content" / "page.md"
    page.write_text(article("Soup", body=body), encoding="utf-8", errors="surrogatepass")
    build_outcome(root, page)


@fuzz
@given(data=st.binary(max_size=400))
def test_any_bytes_as_a_page(data):
    root = fresh_site()
    page = root / "content" / "page.md"
    page.write_bytes(data)
    build_outcome(root, page)


@pytest.mark.parametrize("data", [
    b"", b"\xef\xbb\xbf", b"---\n", b"---\n---\n", b"\x00" * 100, b"---\r\ntitle: T\r\nsummary: S\r\n---\r\nx",
    b"---\rtitle: T\rsummary: S\r---\rlone CRs", b"\xef\xbb\xbf---\ntitle: T\nsummary: S\n---\nBOM",
    b"---\ntitle: T\nsummary: S\n---\n\xff\xfe bad bytes",
])
def test_odd_files(data):
    root = fresh_site()
    page = root / "content" / "page.md"
    page.write_bytes(data)
    build_outcome(root, page)


def test_ten_megabyte_article_builds():
    root = fresh_site()
    paragraph = "A long line of plain text about the spinal cord and MRI scans. " * 20 + "\n\n"
    body = paragraph * (10 * 1024 * 1024 // len(paragraph))
    (root / "content" / "big.md").write_text(article("Big", body=body), encoding="utf-8")
    try:
        carepages.build(root, root / "_site")
        assert (root / "_site" / "articles" / "big" / "index.html").stat().st_size > 10 * 1024 * 1024
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.mark.parametrize("body", ["> " * 5000 + "deep", "- " * 5000 + "deep",
                                  "".join("  " * i + "- item\n" for i in range(2000)), "[" * 20000 + "]" * 20000])
def test_thousands_of_nesting_levels(body):
    root = fresh_site()
    page = root / "content" / "deep.md"
    page.write_text(article("Deep", body=body), encoding="utf-8")
    build_outcome(root, page)


def test_yaml_alias_bomb_is_refused_with_a_clear_message(site):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True))
    site.write("content/first.md", f"---\ntitle: T\nsummary: S\n{bomb}---\n")
    with pytest.raises(SiteError, match="expands to more than 20,000 values"):
        site.build()


# -- cross-site scripting ------------------------------------------------------------------------------------

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</script><script>alert(1)</script>",
    "<!--<script>",
    "javascript:alert(1)",
    "{{ 7*7 }}{% raw %}",
    "]]><x>",
    "line\u2028separator",
]


class Inspector(HTMLParser):
    """Collects what matters for script injection: script elements, event handlers, script URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict[str, str | None]] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        if tag in {"svg", "iframe", "object", "embed"}:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name} on <{tag}>")
            if name in {"href", "src", "action"} and value and value.strip().lower().startswith(
                    ("javascript:", "data:", "vbscript:")):
                self.problems.append(f"{name}={value!r} on <{tag}>")


def toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid TOML basic string


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_every_field_is_rendered_harmless(tmp_path, payload):
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    p = toml_string(payload)
    (root / "site.toml").write_text(f"""
title = {p}
tagline = {p}
description = {p}
base_url = "https://example.org/info/"
disclaimer = {p}
emergency = {p}
intro = {p}

[organisation]
name = {p}
phone = {p}
address = {p}
contact = {p}

[[nav]]
title = {p}
url = "/faq/"

[[footer_links]]
title = {p}
url = "page.md"

[[topics]]
name = {p}
description = {p}
""", encoding="utf-8")
    y = json.dumps(payload)  # and a valid YAML double-quoted string
    (root / "content" / "references.yaml").write_text(f"""
evil:
  title: {y}
  container-title: {y}
  author:
    - {{family: {y}, given: {y}}}
    - {{literal: {y}}}
  publisher: {y}
  issued: 2020
  page: {y}
  DOI: "10.1000/{''.join(payload.replace('"', '').split())}"
""", encoding="utf-8")
    (root / "content" / "page.md").write_text(f"""---
title: {y}
summary: {y}
topics: [{y}]
audience: {y}
authors: [{y}]
reviewed_by: {y}
last_reviewed: 2026-01-01
key_points: [{y}]
faq:
  - question: {y}
    answer: {y}
references: [evil]
---

{payload}

## {payload}

Cited [@evil]. ![{payload}](pic.png "{payload.replace('"', '')}")

::: note {payload}
{payload}
:::
""", encoding="utf-8")
    (root / "content" / "pic.png").write_bytes(b"png")
    carepages.build(root, root / "_site")

    for path in sorted((root / "_site").rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        inspector = Inspector()
        inspector.feed(html)
        assert inspector.problems == [], path
        assert [s.get("type") or s.get("src", "").split("?")[0] for s in inspector.scripts] == [
            "/info/static/js/site.js", "application/ld+json"], path
        data = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
        assert "<" not in data and "\u2028" not in data
        json.loads(data)
        assert "49" not in html.replace("2049", "")  # no template evaluation of content
    page = (root / "_site" / "articles" / "page" / "index.html").read_text(encoding="utf-8")
    data = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["name"] == payload  # carried exactly, only escaped
    for name in ("sitemap.xml", "feed.xml"):
        ET.fromstring((root / "_site" / name).read_bytes())


def test_control_characters_never_break_the_feed_or_sitemap(site):
    site.write("content/first.md", article('"Bell\\a and escape\\e and NUL\\0 and \\x0b"',
                                           summary='"form\\ffeed"'))
    site.build()
    feed = ET.fromstring(site.out.joinpath("feed.xml").read_bytes())
    title = feed.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title").text
    assert title == "Bell and escape and NUL and"
    ET.fromstring(site.out.joinpath("sitemap.xml").read_bytes())
