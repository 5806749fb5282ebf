"""With `raw_html = true`: an address in author HTML obeys the rules of a Markdown image or link (a tracker
on a health page is an error, not silently passed or dropped), and HTML that would hide the text after it
(an unclosed `<style>`, `<textarea>`, comment...) is an error at its place instead of a silently shorter
page."""

from __future__ import annotations

from pathlib import Path

import pytest

from carepages.errors import SiteError
from carepages.markdown import MarkdownEngine, RenderContext

from .sitekit import article

BODY_LINE = 12  # the first body line of sitekit's article()
TRACKER = "https://tracker.example/t.gif"


@pytest.fixture
def html_site(site):
    site.write("site.toml", site.root.joinpath("site.toml").read_text().replace(
        'language = "en-GB"', 'language = "en-GB"\nraw_html = true'))
    return site


def build_errors(site) -> list[str]:
    with pytest.raises(SiteError) as info:
        site.build()
    return [d.format(relative_to=site.root) for d in info.value.diagnostics]


EXTERNAL = {
    "img src": (f'<img src="{TRACKER}" alt="x">', 6),
    "img srcset": (f'<img src="pic.png" srcset="pic.png 1x, {TRACKER} 2x" alt="x">', 20),
    "picture source srcset": (f'<picture><source srcset="{TRACKER}"><img src="pic.png" alt="x"></picture>', 18),
    "video poster": (f'<video poster="{TRACKER}"></video>', 8),
    "style background": (f'<div style="background:url({TRACKER})">Text</div>', 6),
    "link href": (f'<link rel="stylesheet" href="{TRACKER}">', 24),
    "iframe src": (f'<iframe src="{TRACKER}"></iframe>', 9),
    "object data": (f'<object data="{TRACKER}"></object>', 9),
    "style element": (f"<style>p {{ background: url('{TRACKER}') }}</style>", 24),
}


@pytest.mark.parametrize("case", EXTERNAL)
def test_external_resource_in_html_is_an_error_at_its_place(html_site, case):
    tag, col = EXTERNAL[case]
    html_site.write("content/pic.png", b"\x89PNG\r\n\x1a\n")
    html_site.write("content/first.md", article("First", body=f"Intro.\n\n{tag}\n\nMore text.\n"))
    (error,) = build_errors(html_site)
    assert error.startswith(f"content/first.md:{BODY_LINE + 2}:{col}: error: image '{TRACKER}' must be a file")
    assert error.endswith("[images/external]")


def test_external_image_inside_a_paragraph(html_site):
    html_site.write("content/first.md", article("First", body=f'Some text <img src="{TRACKER}" alt=""> here.\n'))
    (error,) = build_errors(html_site)
    assert error.startswith(f"content/first.md:{BODY_LINE}:16: error: image '{TRACKER}'")


def test_javascript_link_in_html_is_unsafe(html_site):
    html_site.write("content/first.md", article("First", body='Click <a href="javascript:alert(1)">here</a>.\n'))
    (error,) = build_errors(html_site)
    assert error == (f"content/first.md:{BODY_LINE}:10: error: link to a 'javascript:' address is not allowed "
                     "[links/unsafe]")


def test_link_in_html_to_a_missing_page_is_broken(html_site):
    html_site.write("content/first.md", article("First", body='See <a href="gone.md">this</a>.\n'))
    (error,) = build_errors(html_site)
    assert error.startswith(f"content/first.md:{BODY_LINE}:8: error: link to 'gone.md', but")
    assert error.endswith("[links/broken]")


def test_local_image_in_html_builds(html_site):
    html_site.write("content/pic.png", b"\x89PNG\r\n\x1a\n")
    html_site.write("content/first.md", article("First", body='<p class="lead">Hello <img src="pic.png" alt="A scan">'
                                                              '</p>\n\nTake **5 mg** daily.\n'))
    html_site.build()
    html = html_site.html("articles/first/")
    assert '<p class="lead">Hello <img src="/info/pic.png" alt="A scan"></p>' in html
    assert "Take <strong>5 mg</strong> daily." in html


HIDING = ["<style>", "<textarea>", "<title>", "<script>", "<xmp>", "<noscript>", "<iframe>", "<noembed>",
          "<noframes>", "<template>", "<plaintext>"]


@pytest.mark.parametrize("opener", HIDING)
def test_unclosed_raw_text_element_is_an_error_at_its_place(html_site, opener):
    html_site.write("content/first.md", article("First", body=f"Intro.\n\n{opener}\n\nTake **5 mg** daily.\n"))
    assert build_errors(html_site) == [
        f"content/first.md:{BODY_LINE + 2}:1: error: {opener} is not closed, so the text after it would be lost "
        "from the page (or shown as code) once its HTML is cleaned; close it or remove it [html/lost-text]"]


@pytest.mark.parametrize("opener", HIDING)
def test_unclosed_element_inside_a_paragraph(opener):
    text = f"Intro {opener} here.\n\nTake **5 mg** daily.\n"
    with pytest.raises(SiteError) as info:
        MarkdownEngine(raw_html=True).parse(text, Path("p.md"), 1, text.split("\n"))
    assert [(d.location.line, d.location.col, d.rule) for d in info.value.diagnostics] == [(1, 7, "html/lost-text")]


def test_unclosed_comment_is_an_error(html_site):
    html_site.write("content/first.md", article("First", body="Intro.\n\n<!-- a note to self\n\nTake 5 mg daily.\n"))
    (error,) = build_errors(html_site)
    assert error.startswith(f"content/first.md:{BODY_LINE + 2}:1: error: comment is not closed")


def test_comment_left_open_inside_an_html_block(html_site):
    html_site.write("content/first.md", article("First", body="<div>\n<!-- note\n</div>\n\nTake 5 mg daily.\n"))
    (error,) = build_errors(html_site)
    assert error.startswith(f"content/first.md:{BODY_LINE + 1}:1: error: comment is not closed")


def test_closed_elements_and_comments_are_fine():
    text = ("<style>p { color: red }</style>\n\n<!-- hidden\nnote -->\n\nIntro <textarea>typed</textarea> and "
            "<script>x()</script>.\n\nTake **5 mg** daily.\n")
    engine = MarkdownEngine(raw_html=True)
    html = engine.render(engine.parse(text, Path("p.md"), 1, text.split("\n")), RenderContext())
    assert "Take <strong>5 mg</strong> daily." in html
    assert "<script" not in html and "<style" not in html and "hidden" not in html


def test_any_other_loss_of_text_is_caught_by_comparing_visible_text(monkeypatch):
    # A construct the scanner does not know: pretend the sanitiser drops a paragraph.
    from carepages.markdown import engine as engine_module

    monkeypatch.setattr(engine_module, "sanitise_html", lambda html: html.replace("<p>Take 5 mg daily.</p>", ""))
    text = "Intro.\n\n<div>fine</div>\n\nTake 5 mg daily.\n"
    with pytest.raises(SiteError) as info:
        MarkdownEngine(raw_html=True).parse(text, Path("p.md"), 1, text.split("\n"))
    assert [d.format() for d in info.value.diagnostics] == [
        "p.md:5:1: error: the text 'Take 5 mg daily.' would be lost from the page once its HTML is cleaned: an "
        "HTML element or comment before it hides it; close it or remove it [html/lost-text]"]


def test_raw_html_off_leaves_html_as_text():
    text = f'<img src="{TRACKER}">\n\n<style>\n\nTake 5 mg daily.\n'
    engine = MarkdownEngine()
    doc = engine.parse(text, Path("p.md"), 1, text.split("\n"))
    assert doc.links == ()
    assert "Take 5 mg daily." in engine.render(doc, RenderContext())


def test_sanitiser_never_lets_an_outside_image_through():
    from carepages.markdown.render import sanitise_html

    assert sanitise_html(f'<img src="{TRACKER}" alt="a"><img src="//t.example/x.gif"><img src="pic.png">') == \
        '<img alt="a"><img><img src="pic.png">'


def test_addresses_in_html_become_the_urls_markdown_would_get(html_site):
    html_site.write("content/pic.png", b"\x89PNG\r\n\x1a\n")
    html_site.write("content/second.md", article("Second"))
    html_site.write("content/first.md", article("First", body='<p>See <a href="second.md#top">the other page</a> '
                                                              '<img src="pic.png" alt="A scan"></p>\n\n'
                                                              'Inline <a href="second.md">link</a>.\n'))
    html_site.build()
    html = html_site.html("articles/first/")
    assert ('<p>See <a href="/info/articles/second/#top">the other page</a> <img src="/info/pic.png" '
            'alt="A scan"></p>') in html
    assert 'Inline <a href="/info/articles/second/">link</a>.' in html
