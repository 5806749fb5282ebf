"""Every inline context goes through the same checks as a paragraph: a broken link, an external image and a
citation in a callout title, a table cell, a definition list, a footnote, a heading, a list item, a quote or
an image's alt text are found, located and numbered exactly like one in the body."""

from __future__ import annotations

import re

import pytest

from carepages.errors import SiteError

from .sitekit import article

BODY_LINE = 12  # the first body line of sitekit's article()

# name -> (Markdown with X where the inline content goes, line of X within it, column of X)
CONTEXTS = {
    "callout title": ("::: note Before your scan X\nBody text.\n:::\n", 0, 27),
    "table header cell": ("| A X | B |\n| --- | --- |\n| c | d |\n", 0, 5),
    "table body cell": ("| A | B |\n| --- | --- |\n| c | X |\n", 2, 7),
    "definition term": ("Term X\n: The definition.\n", 0, 6),
    "definition body": ("Term\n: The definition X\n", 1, 18),
    "footnote body": ("Text[^1].\n\n[^1]: A note X\n", 2, 14),
    "heading": ("## A heading X\n", 0, 14),
    "list item": ("- an item X\n", 0, 11),
    "block quote": ("> a quote X\n", 0, 11),
}


def build_errors(site) -> list[str]:
    with pytest.raises(SiteError) as info:
        site.build()
    return [d.format(relative_to=site.root) for d in info.value.diagnostics]


@pytest.mark.parametrize("context", CONTEXTS)
def test_broken_link_is_an_error_at_its_place(site, context):
    template, line, col = CONTEXTS[context]
    site.write("content/first.md", article("First", body=template.replace("X", "[gone](missing.md)")))
    (error,) = build_errors(site)
    assert error.startswith(f"content/first.md:{BODY_LINE + line}:{col}: error: link to 'missing.md', but")
    assert error.endswith("[links/broken]")


@pytest.mark.parametrize("context", CONTEXTS)
def test_external_image_is_an_error_at_its_place(site, context):
    template, line, col = CONTEXTS[context]
    site.write("content/first.md", article("First", body=template.replace("X", "![t](https://tracker.example/t.gif)")))
    (error,) = build_errors(site)
    assert error.startswith(f"content/first.md:{BODY_LINE + line}:{col}: error: image 'https://tracker.example/t.gif'")
    assert error.endswith("[images/external]")


@pytest.mark.parametrize("context", CONTEXTS)
def test_citation_is_numbered_with_an_id_of_its_own(site, context):
    template, _, _ = CONTEXTS[context]
    body = "First claim [@lee2019].\n\n" + template.replace("X", "[@smith2020]") + "\nLast claim [@lee2019].\n"
    site.write("content/first.md", article("First", body=body))
    site.build()
    html = site.html("articles/first/")
    ids = re.findall(r'<sup class="citation" id="([^"]+)">', html)
    assert sorted(ids) == ["cite-1", "cite-2", "cite-3"]
    smith = html.split('<li id="ref-2">')[1].split("</li>")[0]
    assert "A study of things" in smith
    (backlink,) = re.findall(r'href="#(cite-\d)"', smith)
    assert f'<sup class="citation" id="{backlink}"><a href="#ref-2" aria-label="Reference 2">2</a></sup>' in html


def test_callout_title_renders_like_body_text(site):
    site.write("content/second.md", article("Second"))
    site.write("content/first.md", article("First", body="::: warning See [the other page](second.md) *now*\n"
                                                        "Body.\n:::\n"))
    site.build()
    assert ('<p class="callout-title"><span class="callout-kind">Important:</span> See '
            '<a href="/info/articles/second/" data-print-href="https://example.org/info/articles/second/">'
            'the other page</a> <em>now</em></p>') in site.html("articles/first/")


def test_image_alt_text_is_checked_too(site):
    site.write("content/pic.png", b"\x89PNG\r\n\x1a\n")
    site.write("content/first.md", article("First", body="![a [gone](missing.md) b](pic.png)\n"))
    (error,) = build_errors(site)
    assert error.startswith(f"content/first.md:{BODY_LINE}:5: error: link to 'missing.md', but")


def test_citation_in_image_alt_text_is_an_error(site):
    site.write("content/pic.png", b"\x89PNG\r\n\x1a\n")
    site.write("content/first.md", article("First", body="Text.\n\n![a scan [@smith2020]](pic.png)\n"))
    assert build_errors(site) == [
        f"content/first.md:{BODY_LINE + 2}:10: error: citation [@smith2020] is in an image's alt text, where it "
        "cannot link to its reference; put it in the text next to the image [content/invalid]"]
